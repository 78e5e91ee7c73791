"""Bounds every paginated route shares."""

from __future__ import annotations

# Far past any real listing, and small enough that (page - 1) * page_size stays a valid
# OFFSET: an unbounded page number overflows the database's 64-bit integer (a 500, not a 422).
MAX_PAGE = 1_000_000
