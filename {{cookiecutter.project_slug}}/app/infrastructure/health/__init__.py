"""Readiness: whether the services this process depends on answer."""
