"""Persistence of the users example: write model, read models, projections, repositories."""
