"""Per-person data keys stored wrapped by the master keyring."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.crypto.aead import new_key
from haven.adapters.crypto.keyring import MasterKeyring
from haven.adapters.db.tables import data_keys
from haven.domain.errors import DataKeyDestroyed
from haven.domain.ports import Clock
from haven.domain.text import N_

__all__ = ["SqlDataKeys"]


class SqlDataKeys:
    def __init__(self, session: Session, keyring: MasterKeyring, clock: Clock) -> None:
        self._session = session
        self._keyring = keyring
        self._clock = clock
        # Unwrapped keys live only as long as this unit of work.
        self._cache: dict[UUID, bytes] = {}

    def create(self, owner_id: UUID) -> None:
        key = new_key()
        key_id, wrapped = self._keyring.wrap(key, owner_id=owner_id)
        self._session.execute(
            insert(data_keys).values(
                owner_id=owner_id,
                master_key_id=key_id,
                wrapped_key=wrapped,
                created_at=self._clock.now(),
            )
        )
        self._cache[owner_id] = key

    def key_for(self, owner_id: UUID) -> bytes:
        if owner_id in self._cache:
            return self._cache[owner_id]
        row = self._session.execute(
            select(data_keys.c.master_key_id, data_keys.c.wrapped_key).where(
                data_keys.c.owner_id == owner_id
            )
        ).one_or_none()
        if row is None:
            raise DataKeyDestroyed(N_("This record's encryption key has been destroyed."))
        key = self._keyring.unwrap(row.master_key_id, row.wrapped_key, owner_id=owner_id)
        self._cache[owner_id] = key
        return key

    def destroy(self, owner_id: UUID) -> None:
        self._session.execute(delete(data_keys).where(data_keys.c.owner_id == owner_id))
        self._cache.pop(owner_id, None)

    def rewrap_batch(self, limit: int) -> int:
        primary = self._keyring.primary_id
        rows = self._session.execute(
            select(data_keys.c.owner_id, data_keys.c.master_key_id, data_keys.c.wrapped_key)
            .where(data_keys.c.master_key_id != primary)
            .limit(limit)
        ).all()
        for row in rows:
            key = self._keyring.unwrap(row.master_key_id, row.wrapped_key, owner_id=row.owner_id)
            key_id, wrapped = self._keyring.wrap(key, owner_id=row.owner_id)
            self._session.execute(
                update(data_keys)
                .where(data_keys.c.owner_id == row.owner_id)
                .values(master_key_id=key_id, wrapped_key=wrapped)
            )
        return len(rows)

    def master_keys_in_use(self) -> dict[str, int]:
        rows = self._session.execute(
            select(data_keys.c.master_key_id, func.count()).group_by(data_keys.c.master_key_id)
        ).all()
        return {row[0]: int(row[1]) for row in rows}
