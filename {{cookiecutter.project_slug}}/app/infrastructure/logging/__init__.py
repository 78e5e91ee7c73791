"""Structured logging: JSON lines in production, readable lines in development.

Every line carries the request, correlation and operation ids of the work that logged it, and
secrets are redacted before anything is written. `configure_logging` (in `setup`) installs it.
"""
