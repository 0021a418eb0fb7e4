"""Field-level encryption: free text sealed under its owner's data key.

The associated data names the table, column, row and owner, so a ciphertext copied into
another row, column or person's record fails to decrypt instead of showing up there.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from haven.adapters.crypto.aead import open_sealed, seal

__all__ = ["FieldCipher"]


class FieldCipher:
    """Encrypts and decrypts text for one owner at a time; ``data_key`` looks up the owner's
    unwrapped key (and raises ``DataKeyDestroyed`` once it has been shredded)."""

    def __init__(self, data_key: Callable[[UUID], bytes]) -> None:
        self._data_key = data_key

    def encrypt(
        self, text: str, *, owner_id: UUID, table: str, column: str, row_id: object
    ) -> bytes:
        aad = _aad(owner_id, table, column, row_id)
        return seal(self._data_key(owner_id), text.encode("utf-8"), aad=aad)

    def decrypt(
        self, blob: bytes, *, owner_id: UUID, table: str, column: str, row_id: object
    ) -> str:
        aad = _aad(owner_id, table, column, row_id)
        return open_sealed(self._data_key(owner_id), blob, aad=aad).decode("utf-8")


def _aad(owner_id: UUID, table: str, column: str, row_id: object) -> bytes:
    return f"haven:v1:{table}:{column}:{row_id}:{owner_id}".encode()
