"""A fast, deterministic stand-in for the argon2 hasher (the ``PasswordHasher`` port)."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["FakePasswordHasher"]


class FakePasswordHasher:
    """Deterministic and fast (one SHA-256): argon2 would make a test suite crawl. Never use
    it for real passwords."""

    PREFIX = "fake$"

    def hash(self, password: str) -> str:
        return self.PREFIX + hashlib.sha256(password.encode()).hexdigest()

    def verify(self, password_hash: str, password: str) -> bool:
        return hmac.compare_digest(password_hash, self.hash(password))

    def needs_rehash(self, password_hash: str) -> bool:
        return False
