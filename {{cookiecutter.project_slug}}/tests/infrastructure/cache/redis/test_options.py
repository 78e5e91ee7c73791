from __future__ import annotations

from typing import Any

import pytest

from app.infrastructure.cache.redis.options import RedisCacheOptions


def test_keys_are_prefixed_by_service_name_and_schema_version() -> None:
    options = RedisCacheOptions(service_name="billing", schema_version="7")

    assert options.key_prefix == "billing:qc:7:"


@pytest.mark.parametrize(
    "overrides",
    [
        {"service_name": ""},
        {"service_name": "my service"},
        {"service_name": "a:b"},
        {"schema_version": ""},
        {"read_timeout_seconds": 0},
        {"connect_timeout_seconds": -1},
        {"warn_every_seconds": 0},
        {"retry_after_seconds": -0.5},
        {"max_connections": 0},
        {"max_pending_tags": 0},
    ],
    ids=lambda overrides: ",".join(f"{k}={v!r}" for k, v in overrides.items()),
)
def test_nonsensical_options_are_refused(overrides: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"service_name": "billing", **overrides}

    with pytest.raises(ValueError, match=next(iter(overrides))):
        RedisCacheOptions(**arguments)
