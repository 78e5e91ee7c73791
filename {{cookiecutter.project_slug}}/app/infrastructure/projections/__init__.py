"""Projections: read models kept up to date from the event log."""
