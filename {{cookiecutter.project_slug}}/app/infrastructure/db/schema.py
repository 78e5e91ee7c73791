"""The complete application schema, as Alembic and the tests see it."""

from __future__ import annotations

from sqlalchemy import MetaData

from app.infrastructure.db.metadata import metadata
from app.infrastructure.features import feature_modules


def load_schema() -> MetaData:
    """The shared metadata with every feature's tables registered on it."""
    feature_modules("tables")
    return metadata
