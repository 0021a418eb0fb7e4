"""The master keyring: the keys that wrap every person's data key.

Keys come from ``HAVEN_MASTER_KEY`` (comma-separated, URL-safe base64, the primary first) or
from a key file in the data directory, created on first run with mode 0600. More than one key
is held only during rotation: the primary wraps, any of them unwraps. Each key is known by a
short fingerprint stored beside every wrapped data key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from uuid import UUID

from haven.adapters.crypto.aead import KEY_BYTES, new_key, open_sealed, seal

__all__ = ["KeyFileError", "MasterKeyring", "fingerprint"]

KEY_FILE_NAME = "master.key"


class KeyFileError(Exception):
    """The master key material is missing, malformed or unsafe to use."""


def fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"haven-master-key-id" + key).hexdigest()[:16]


def _decode(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode() + b"==")
    except (binascii.Error, ValueError) as exc:
        raise KeyFileError("a master key is not valid URL-safe base64") from exc
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"a master key must be {KEY_BYTES} bytes, got {len(key)}")
    return key


def _encode(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode().rstrip("=")


class MasterKeyring:
    def __init__(self, keys: Sequence[bytes], *, key_file: Path | None = None) -> None:
        if not keys:
            raise KeyFileError("the master keyring is empty")
        self._keys = {fingerprint(k): k for k in keys}
        self._primary = fingerprint(keys[0])
        self._key_file = key_file

    @classmethod
    def from_env_value(cls, value: str) -> MasterKeyring:
        return cls([_decode(part) for part in value.split(",") if part.strip()])

    @classmethod
    def from_key_file(cls, path: Path) -> MasterKeyring:
        """Load the key file, creating it (mode 0600) with a fresh key on first run."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process won the race; read what it wrote
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(_encode(new_key()) + "\n")
        return cls(cls._read(path), key_file=path)

    @staticmethod
    def _read(path: Path) -> list[bytes]:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise KeyFileError(f"{path} is readable by other users; run: chmod 600 {path}")
        lines = [line for line in path.read_text().splitlines() if line.strip()]
        return [_decode(line) for line in lines]

    @property
    def primary_id(self) -> str:
        return self._primary

    @property
    def key_ids(self) -> list[str]:
        return list(self._keys)

    def wrap(self, data_key: bytes, *, owner_id: UUID) -> tuple[str, bytes]:
        """Seal ``data_key`` under the primary master key; (key id, wrapped bytes)."""
        return self._primary, seal(self._keys[self._primary], data_key, aad=_aad(owner_id))

    def unwrap(self, key_id: str, wrapped: bytes, *, owner_id: UUID) -> bytes:
        if key_id not in self._keys:
            self.reload()
        if key_id not in self._keys:
            raise KeyFileError(f"master key {key_id} is not in the keyring")
        return open_sealed(self._keys[key_id], wrapped, aad=_aad(owner_id))

    def reload(self) -> None:
        """Pick up a key added by ``haven keys rotate`` in another process (no restart)."""
        if self._key_file is not None and self._key_file.exists():
            keys = self._read(self._key_file)
            self._keys = {fingerprint(k): k for k in keys}
            self._primary = fingerprint(keys[0])

    def add_primary_to_key_file(self) -> str:
        """Rotation, step one: put a new primary key first in the key file, keeping the old
        ones so that running servers can still unwrap keys not yet re-wrapped."""
        if self._key_file is None:
            raise KeyFileError(
                "the master key comes from HAVEN_MASTER_KEY: put the new key first in that "
                "variable (new,old), restart, then run `haven keys rotate`"
            )
        fresh = new_key()
        existing = self._read(self._key_file)
        self._replace_key_file([fresh, *existing])
        return self._primary

    def retire_unused(self, in_use: set[str]) -> list[str]:
        """Rotation, last step: drop keys that no data key references any more."""
        if self._key_file is None:
            return []
        retired = [kid for kid in self._keys if kid != self._primary and kid not in in_use]
        ordered = [self._keys[self._primary]] + [
            key for kid, key in self._keys.items() if kid != self._primary and kid in in_use
        ]
        self._replace_key_file(ordered)
        return retired

    def _replace_key_file(self, keys: list[bytes]) -> None:
        """Write the keys (primary first) to a 0600 temporary file, then swap it in
        atomically, so a server re-reading the file never sees half of it."""
        assert self._key_file is not None
        tmp = self._key_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("".join(_encode(k) + "\n" for k in keys))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self._key_file)
        self.reload()


def _aad(owner_id: UUID) -> bytes:
    return b"haven:data-key:" + str(owner_id).encode()
