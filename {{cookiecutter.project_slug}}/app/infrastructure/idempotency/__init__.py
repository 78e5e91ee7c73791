"""Idempotency keys: a retried request gets the first one's response instead of a second run."""
