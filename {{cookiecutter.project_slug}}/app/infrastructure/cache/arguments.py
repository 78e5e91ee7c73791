"""Checks on what callers hand to a query cache, shared by every backend.

A wrong TTL or tag list is a bug in the calling code, not backend trouble, so it raises
(`ValueError`, `TypeError`) instead of being swallowed like an outage.
"""

from __future__ import annotations

from collections.abc import Iterable


def checked_ttl_seconds(ttl_seconds: int) -> int:
    if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, int):
        raise TypeError(f"ttl_seconds must be an int, not {type(ttl_seconds).__name__}")
    if ttl_seconds < 1:
        raise ValueError(f"ttl_seconds must be at least 1, got {ttl_seconds}")
    return ttl_seconds


def tag_tuple(tags: Iterable[str]) -> tuple[str, ...]:
    """The tags, each once, in order; a lone string is refused (it would iterate as letters)."""
    if isinstance(tags, str):
        raise TypeError(f"tags must be a collection of tag names, not the string {tags!r}")
    unique = tuple(dict.fromkeys(tags))
    for tag in unique:
        if not isinstance(tag, str) or not tag:
            raise TypeError(f"every tag must be a non-empty string, got {tag!r}")
    return unique
