"""AES-256-GCM with associated data (NIST SP 800-38D).

A sealed blob is ``version (1 byte) || nonce (12 bytes) || ciphertext+tag``. Random 96-bit
nonces are safe for well under 2^32 messages per key, far beyond one person's lifetime of
writing under their own data key.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["KEY_BYTES", "DecryptionFailed", "new_key", "open_sealed", "seal"]

KEY_BYTES = 32
_VERSION = b"\x01"
_NONCE_BYTES = 12


class DecryptionFailed(Exception):
    """Wrong key, wrong associated data (moved ciphertext) or tampered bytes."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, *, aad: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return _VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, *, aad: bytes) -> bytes:
    if len(blob) < 1 + _NONCE_BYTES + 16 or blob[:1] != _VERSION:
        raise DecryptionFailed("not a Haven ciphertext")
    nonce, body = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag as exc:
        raise DecryptionFailed("ciphertext does not authenticate") from exc
