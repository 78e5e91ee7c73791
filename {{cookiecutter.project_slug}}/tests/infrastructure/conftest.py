"""Database fixtures for infrastructure tests (defined in `tests.support.database`)."""

from tests.support.database import database, empty_database_url, migrated_database_url

__all__ = ["database", "empty_database_url", "migrated_database_url"]
