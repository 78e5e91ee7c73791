from __future__ import annotations

from argon2 import PasswordHasher as Argon2

from app.infrastructure.auth.passwords import PasswordHasher

# Minimal cost parameters keep the suite fast; the algorithm and code path are the real ones.
FAST = PasswordHasher(Argon2(time_cost=1, memory_cost=8, parallelism=1))


async def test_a_hash_verifies_its_own_password_only() -> None:
    hashed = await FAST.hash("correct horse battery staple")

    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert await FAST.verify(hashed, "correct horse battery staple")
    assert not await FAST.verify(hashed, "Correct horse battery staple")


async def test_the_same_password_hashes_differently_each_time() -> None:
    assert await FAST.hash("s3cret-pass") != await FAST.hash("s3cret-pass")


async def test_a_malformed_hash_verifies_nothing() -> None:
    assert not await FAST.verify("not-a-hash", "anything")


async def test_hashes_made_with_weaker_parameters_need_rehashing() -> None:
    hashed = await FAST.hash("s3cret-pass")

    assert PasswordHasher().needs_rehash(hashed)
    assert not FAST.needs_rehash(hashed)
