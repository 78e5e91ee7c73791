"""The Redis backend's value codec: pickle, signed with HMAC-SHA256.

Why pickle: a cached result must come back exactly as it went in: frozen slotted dataclasses,
pydantic models, UUID, Decimal with its exponent, datetimes with their offset or zone, enum
members (the same objects), None, and containers of these. A typed JSON or msgpack codec would
need a registry of every read-model class plus a rule per type, and would still be slower than
pickle's C implementation on the hot path.

Why signed: unpickling runs whatever code the bytes ask for, so bytes from Redis are loaded only
after their HMAC checks out under a key derived from the service secret. A tampered value, one
written by a service with another secret, or a valid value copied under another key (the signed
body carries the key it was written for) is refused with `UnreadableCacheValue`, which the
backend counts as an error and treats as a miss. So is a value whose class was renamed or
removed since it was written; bump the cache schema version when a cached shape changes, so new
code does not even look at old entries.

What remains: whoever knows SECRET_KEY and can write to Redis can run code in the service. Keep
both private, as you already must for the token-signing key.
"""

from __future__ import annotations

import hmac
import pickle

_DIGEST = "sha256"
_MAC_SIZE = 32
# Signing gets a key of its own, derived from the secret, so no MAC made here is ever valid
# for another use of the same secret (token signatures, for instance).
_KEY_PURPOSE = b"query-cache/signed-pickle/v1"


class UnreadableCacheValue(Exception):
    """A stored value that must not or cannot be loaded."""


class SignedPickleCodec:
    __slots__ = ("_key",)

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the cache codec needs a non-empty secret")
        self._key = hmac.digest(secret.encode(), _KEY_PURPOSE, _DIGEST)

    def encode(self, key: str, value: object) -> bytes:
        """Bytes to store under `key`. Raises whatever pickle raises for unpicklable values."""
        body = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        return hmac.digest(self._key, body, _DIGEST) + body

    def decode(self, key: str, stored: bytes) -> object:
        """The value stored under `key`, or `UnreadableCacheValue`."""
        if len(stored) <= _MAC_SIZE:
            raise UnreadableCacheValue("too short to carry a signature")
        view = memoryview(stored)
        body = view[_MAC_SIZE:]
        if not hmac.compare_digest(view[:_MAC_SIZE], hmac.digest(self._key, body, _DIGEST)):
            raise UnreadableCacheValue("signature does not match")
        try:
            # Safe to load: the signature proves a holder of the secret wrote it.
            stored_key, value = pickle.loads(body)  # noqa: S301
        except Exception as exc:  # a signed value whose classes changed since it was written
            raise UnreadableCacheValue(f"cannot be loaded: {exc!r}") from exc
        if stored_key != key:
            raise UnreadableCacheValue("was written under another key")
        return value
