from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.infrastructure.cache.redis.signed_pickle import SignedPickleCodec, UnreadableCacheValue
from tests.infrastructure.cache.sample_values import ROUND_TRIP_VALUES


@dataclass(frozen=True, slots=True)
class Renamed:
    """Stands for a read model whose class disappears between writing and reading."""

    name: str


@pytest.fixture
def codec() -> SignedPickleCodec:
    return SignedPickleCodec("a-secret")


@pytest.mark.parametrize("value", ROUND_TRIP_VALUES.values(), ids=ROUND_TRIP_VALUES.keys())
def test_a_value_decodes_to_an_equal_value_of_the_same_type(
    codec: SignedPickleCodec, value: object
) -> None:
    decoded = codec.decode("k", codec.encode("k", value))

    assert type(decoded) is type(value)
    assert repr(decoded) == repr(value)


def test_changing_any_single_byte_makes_the_value_unreadable(codec: SignedPickleCodec) -> None:
    stored = codec.encode("k", {"role": "reader"})

    for position in range(len(stored)):
        tampered = bytearray(stored)
        tampered[position] ^= 0x01
        with pytest.raises(UnreadableCacheValue):
            codec.decode("k", bytes(tampered))


@pytest.mark.parametrize("stored", [b"", b"x" * 32, b"not a signed value at all, but long enough"])
def test_short_or_unsigned_bytes_are_unreadable(codec: SignedPickleCodec, stored: bytes) -> None:
    with pytest.raises(UnreadableCacheValue):
        codec.decode("k", stored)


def test_a_value_signed_with_another_secret_is_unreadable(codec: SignedPickleCodec) -> None:
    stored = SignedPickleCodec("another-secret").encode("k", "hello")

    with pytest.raises(UnreadableCacheValue, match="signature"):
        codec.decode("k", stored)


def test_a_value_read_under_another_key_than_it_was_written_for_is_unreadable(
    codec: SignedPickleCodec,
) -> None:
    stored = codec.encode("user:1", "ada")

    with pytest.raises(UnreadableCacheValue, match="another key"):
        codec.decode("user:2", stored)


def test_a_value_whose_class_no_longer_exists_is_unreadable(
    codec: SignedPickleCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = codec.encode("k", Renamed("old"))
    monkeypatch.delattr(f"{__name__}.Renamed")

    with pytest.raises(UnreadableCacheValue, match="cannot be loaded"):
        codec.decode("k", stored)


def test_encoding_an_unpicklable_value_raises_for_the_caller_to_handle(
    codec: SignedPickleCodec,
) -> None:
    with pytest.raises(Exception, match="pickle"):
        codec.encode("k", lambda: None)


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="non-empty secret"):
        SignedPickleCodec("")
