"""What every `QueryCache` backend must do, as one test class each backend's tests subclass.

A subclass provides the `cache` fixture, `backend_name`, and `assert_lives_for`, which shows
that an entry expires after its TTL in the way that backend can show it without sleeping.
"""

from __future__ import annotations

import abc

import pytest

from app.core.cqrs.ports import Cached, QueryCache
from tests.infrastructure.cache.sample_values import ACCOUNT, ROUND_TRIP_VALUES


class QueryCacheContract(abc.ABC):
    backend_name: str

    @abc.abstractmethod
    async def assert_lives_for(self, cache: QueryCache, key: str, ttl_seconds: int) -> None:
        """Fail unless the entry under `key` is served for `ttl_seconds` and not after."""

    def test_it_is_a_query_cache_with_its_backend_name(self, cache: QueryCache) -> None:
        assert isinstance(cache, QueryCache)
        assert cache.backend_name == self.backend_name

    async def test_an_unknown_key_is_a_miss(self, cache: QueryCache) -> None:
        assert await cache.get("never-stored") is None

    async def test_a_stored_value_is_a_hit(self, cache: QueryCache) -> None:
        await cache.set("account:1", ACCOUNT, ttl_seconds=60)

        assert await cache.get("account:1") == Cached(ACCOUNT)

    async def test_a_cached_none_is_a_hit_not_a_miss(self, cache: QueryCache) -> None:
        await cache.set("account:missing", None, ttl_seconds=60)

        hit = await cache.get("account:missing")

        assert hit is not None
        assert hit.value is None

    async def test_setting_a_key_again_replaces_its_value(self, cache: QueryCache) -> None:
        await cache.set("greeting", "hello", ttl_seconds=60)
        await cache.set("greeting", "bonjour", ttl_seconds=60)

        assert await cache.get("greeting") == Cached("bonjour")

    async def test_an_entry_is_served_for_its_ttl_and_not_after(self, cache: QueryCache) -> None:
        await cache.set("short-lived", "value", ttl_seconds=30)

        await self.assert_lives_for(cache, "short-lived", 30)

    async def test_invalidating_a_tag_drops_every_entry_carrying_it_and_nothing_else(
        self, cache: QueryCache
    ) -> None:
        await cache.set("user:1", "ada", ttl_seconds=60, tags=["user:1", "users:list"])
        await cache.set("users:page:1", ["ada", "bob"], ttl_seconds=60, tags=["users:list"])
        await cache.set("user:2", "bob", ttl_seconds=60, tags=["user:2"])
        await cache.set("motd", "hi", ttl_seconds=60)

        await cache.invalidate_tags(["users:list"])

        assert await cache.get("user:1") is None
        assert await cache.get("users:page:1") is None
        assert await cache.get("user:2") == Cached("bob")
        assert await cache.get("motd") == Cached("hi")

    async def test_several_tags_are_invalidated_in_one_call(self, cache: QueryCache) -> None:
        await cache.set("user:1", "ada", ttl_seconds=60, tags=["user:1"])
        await cache.set("user:2", "bob", ttl_seconds=60, tags=["user:2"])
        await cache.set("user:3", "cy", ttl_seconds=60, tags=["user:3"])

        await cache.invalidate_tags(iter(["user:1", "user:3"]))

        assert await cache.get("user:1") is None
        assert await cache.get("user:2") == Cached("bob")
        assert await cache.get("user:3") is None

    async def test_invalidating_an_unknown_tag_changes_nothing(self, cache: QueryCache) -> None:
        await cache.set("user:1", "ada", ttl_seconds=60, tags=["user:1"])

        await cache.invalidate_tags(["user:404"])
        await cache.invalidate_tags([])

        assert await cache.get("user:1") == Cached("ada")

    async def test_a_tag_can_be_used_again_after_it_was_invalidated(
        self, cache: QueryCache
    ) -> None:
        await cache.set("user:1", "ada", ttl_seconds=60, tags=["user:1"])
        await cache.invalidate_tags(["user:1"])
        await cache.set("user:1", "ada lovelace", ttl_seconds=60, tags=["user:1"])

        assert await cache.get("user:1") == Cached("ada lovelace")
        await cache.invalidate_tags(["user:1"])
        assert await cache.get("user:1") is None

    @pytest.mark.parametrize("value", ROUND_TRIP_VALUES.values(), ids=ROUND_TRIP_VALUES.keys())
    async def test_values_come_back_exactly_as_stored(
        self, cache: QueryCache, value: object
    ) -> None:
        await cache.set("value", value, ttl_seconds=60)

        hit = await cache.get("value")

        assert hit is not None
        assert type(hit.value) is type(value)
        assert hit.value == value
        # repr tells apart what == forgives: Decimal exponents, datetime offsets and zones.
        assert repr(hit.value) == repr(value)

    async def test_enum_members_come_back_as_the_same_member(self, cache: QueryCache) -> None:
        await cache.set("plan", ACCOUNT.plan, ttl_seconds=60)

        hit = await cache.get("plan")

        assert hit is not None
        assert hit.value is ACCOUNT.plan

    @pytest.mark.parametrize("ttl_seconds", [0, -5])
    async def test_a_ttl_under_one_second_is_refused(
        self, cache: QueryCache, ttl_seconds: int
    ) -> None:
        with pytest.raises(ValueError, match="ttl_seconds"):
            await cache.set("key", "value", ttl_seconds=ttl_seconds)

        assert await cache.get("key") is None

    async def test_a_lone_string_given_as_tags_is_refused(self, cache: QueryCache) -> None:
        with pytest.raises(TypeError, match="not the string"):
            await cache.set("user:1", "ada", ttl_seconds=60, tags="user:1")

        with pytest.raises(TypeError, match="not the string"):
            await cache.invalidate_tags("user:1")

        assert await cache.get("user:1") is None
