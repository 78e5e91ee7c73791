"""Password hashing with Argon2id.

Hashing is deliberately slow (tens of milliseconds of CPU), so it runs in a worker thread and
never stalls the event loop serving other requests.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError


class PasswordHasher:
    def __init__(self, hasher: _Argon2 | None = None) -> None:
        self._argon2 = hasher or _Argon2()

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._argon2.hash, password)

    async def verify(self, hashed: str, password: str) -> bool:
        return await asyncio.to_thread(self._verify, hashed, password)

    def needs_rehash(self, hashed: str) -> bool:
        """True when the hash was made with weaker parameters than the current ones."""
        return self._argon2.check_needs_rehash(hashed)

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return self._argon2.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False
