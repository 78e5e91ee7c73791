"""What text the API accepts before it reaches the database."""

from __future__ import annotations

# PostgreSQL cannot store NUL (U+0000) in text: refused as a 422 here instead of a 500 there.
STORABLE_TEXT = r"^[^\x00]*$"
