"""Sign-in credentials (hashed tokens) and failed-login throttles."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.db.tables import credentials, login_throttles
from haven.domain.credentials import Credential, CredentialKind, LoginThrottle

__all__ = ["SqlCredentials", "SqlLoginThrottles"]


class SqlCredentials:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, credential: Credential) -> None:
        self._session.execute(
            insert(credentials).values(
                token_hash=credential.token_hash,
                account_id=credential.account_id,
                kind=credential.kind.value,
                created_at=credential.created_at,
                last_used_at=credential.last_used_at,
                expires_at=credential.expires_at,
                revoked_at=credential.revoked_at,
            )
        )

    def get(self, token_hash: str) -> Credential | None:
        row = self._session.execute(
            select(credentials).where(credentials.c.token_hash == token_hash)
        ).one_or_none()
        if row is None:
            return None
        return Credential(
            token_hash=row.token_hash,
            account_id=row.account_id,
            kind=CredentialKind(row.kind),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
        )

    def touch(self, token_hash: str, *, at: datetime) -> None:
        self._session.execute(
            update(credentials)
            .where(credentials.c.token_hash == token_hash)
            .values(last_used_at=at)
        )

    def revoke(self, token_hash: str, *, at: datetime) -> bool:
        result = self._session.execute(
            update(credentials)
            .where(credentials.c.token_hash == token_hash, credentials.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def revoke_all(self, account_id: UUID, *, at: datetime) -> int:
        result = self._session.execute(
            update(credentials)
            .where(credentials.c.account_id == account_id, credentials.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlLoginThrottles:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, identifier: str) -> LoginThrottle:
        row = self._session.execute(
            select(login_throttles).where(login_throttles.c.identifier == identifier)
        ).one_or_none()
        if row is None:
            return LoginThrottle(identifier=identifier)
        return LoginThrottle(
            identifier=identifier, failures=row.failures, locked_until=row.locked_until
        )

    def save(self, throttle: LoginThrottle) -> None:
        self.clear(throttle.identifier)
        self._session.execute(
            insert(login_throttles).values(
                identifier=throttle.identifier,
                failures=throttle.failures,
                locked_until=throttle.locked_until,
            )
        )

    def clear(self, identifier: str) -> None:
        self._session.execute(
            delete(login_throttles).where(login_throttles.c.identifier == identifier)
        )
