"""Database access: engines, schema metadata, the unit of work and error translation."""
