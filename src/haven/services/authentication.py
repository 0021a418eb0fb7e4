"""Signing in, and the browser sessions and API tokens that follow."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from haven.domain.access import Purpose
from haven.domain.credentials import (
    Credential,
    CredentialKind,
    LoginPolicy,
    check_not_locked,
    credential_problem,
    record_failure,
)
from haven.domain.errors import AuthenticationFailed
from haven.domain.people import Account
from haven.domain.ports import Clock, PasswordHasher, UnitOfWork
from haven.domain.text import N_
from haven.services import _audit

__all__ = [
    "hash_token",
    "issue_credential",
    "resolve_credential",
    "revoke_all_credentials",
    "revoke_credential",
    "sign_in",
]

BAD_LOGIN = N_("Incorrect e-mail address or password.")
SIGNED_OUT = N_("Your sign-in has ended. Please sign in again.")


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so one SHA-256 (no salt, no stretching) is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


def _throttle_id(email: str) -> str:
    return hashlib.sha256(b"haven-login:" + email.strip().lower().encode()).hexdigest()


def sign_in(
    uow: UnitOfWork,
    *,
    hasher: PasswordHasher,
    clock: Clock,
    policy: LoginPolicy,
    email: str,
    password: str,
    dummy_hash: str,
) -> Account:
    """The account for these credentials, or ``AuthenticationFailed`` / ``AccountLocked``.

    ``dummy_hash`` is verified when no account matches, so that a wrong address takes as
    long as a wrong password and timing does not reveal who has an account.
    """
    now = clock.now()
    identifier = _throttle_id(email)
    with uow:
        throttle = uow.login_throttles.get(identifier)
        check_not_locked(throttle, now=now)
        account = uow.accounts.by_email(email.strip().lower())
        valid = hasher.verify(account.password_hash if account else dummy_hash, password)
        if account is None or not valid:
            uow.login_throttles.save(record_failure(throttle, now=now, policy=policy))
            if account is not None:
                _audit.record(
                    uow,
                    at=now,
                    actor=None,
                    action="auth.failed",
                    purpose=Purpose.AUTHENTICATION,
                    subject_id=account.id,
                )
            uow.commit()
            raise AuthenticationFailed(BAD_LOGIN)
        uow.login_throttles.clear(identifier)
        if hasher.needs_rehash(account.password_hash):
            account = account.with_changes(password_hash=hasher.hash(password))
            uow.accounts.update(account)
        _audit.record(
            uow,
            at=now,
            actor=account,
            action="auth.sign_in",
            purpose=Purpose.AUTHENTICATION,
            subject_id=account.id,
        )
        uow.commit()
    return account


def issue_credential(
    uow: UnitOfWork,
    *,
    clock: Clock,
    account: Account,
    kind: CredentialKind,
    lifetime: timedelta,
) -> tuple[str, Credential]:
    """A new opaque token (returned once, never stored) and its stored record."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    credential = Credential(
        token_hash=hash_token(token),
        account_id=account.id,
        kind=kind,
        created_at=now,
        last_used_at=now,
        expires_at=now + lifetime,
    )
    with uow:
        uow.credentials.add(credential)
        uow.commit()
    return token, credential


def resolve_credential(
    uow: UnitOfWork, *, clock: Clock, token: str, kind: CredentialKind, idle: timedelta
) -> Account:
    """The account behind a live token; revoked, expired or idle tokens are refused."""
    now = clock.now()
    token_hash = hash_token(token)
    with uow:
        credential = uow.credentials.get(token_hash)
        if (
            credential is None
            or credential.kind is not kind
            or credential_problem(credential, now=now, idle=idle) is not None
        ):
            raise AuthenticationFailed(SIGNED_OUT)
        account = uow.accounts.get(credential.account_id)
        if account is None:
            raise AuthenticationFailed(SIGNED_OUT)
        uow.credentials.touch(token_hash, at=now)
        uow.commit()
    return account


def revoke_credential(uow: UnitOfWork, *, clock: Clock, token: str) -> bool:
    with uow:
        revoked = uow.credentials.revoke(hash_token(token), at=clock.now())
        uow.commit()
    return revoked


def revoke_all_credentials(uow: UnitOfWork, *, clock: Clock, account: Account) -> int:
    with uow:
        count = uow.credentials.revoke_all(account.id, at=clock.now())
        uow.commit()
    return count
