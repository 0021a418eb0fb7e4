"""Sign-in credentials: browser sessions and API bearer tokens, with lifetimes, idle log-off
and lock-out after repeated failed sign-ins (OWASP ASVS 2.2 and 3.3).

Only a hash of each token is ever stored, so a copy of the database lets no one sign in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from haven.domain.errors import AccountLocked
from haven.domain.text import N_

__all__ = [
    "Credential",
    "CredentialKind",
    "LoginPolicy",
    "LoginThrottle",
    "check_not_locked",
    "credential_problem",
    "record_failure",
]


class CredentialKind(StrEnum):
    BROWSER_SESSION = "browser"
    API_TOKEN = "api"  # noqa: S105 - a kind of credential, not a secret


@dataclass(frozen=True, slots=True)
class Credential:
    token_hash: str
    account_id: UUID
    kind: CredentialKind
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None


def credential_problem(credential: Credential, *, now: datetime, idle: timedelta) -> str | None:
    """Why the credential can no longer be used, or ``None`` when it still can."""
    if credential.revoked_at is not None:
        return "revoked"
    if now >= credential.expires_at:
        return "expired"
    if now - credential.last_used_at >= idle:
        return "idle"
    return None


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """``max_failures`` wrong passwords in a row lock the login for ``lockout``."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class LoginThrottle:
    """Failed sign-ins for one login name, whether or not an account exists for it, so that
    lock-out does not reveal which e-mail addresses are registered."""

    identifier: str
    failures: int = 0
    locked_until: datetime | None = None


def check_not_locked(throttle: LoginThrottle, *, now: datetime) -> None:
    if throttle.locked_until is not None and now < throttle.locked_until:
        wait = math.ceil((throttle.locked_until - now).total_seconds())
        raise AccountLocked(
            N_("Too many failed sign-in attempts. Try again in {minutes} minutes."),
            retry_after_seconds=wait,
            minutes=max(1, (wait + 59) // 60),
        )


def record_failure(throttle: LoginThrottle, *, now: datetime, policy: LoginPolicy) -> LoginThrottle:
    failures = throttle.failures + 1
    if failures >= policy.max_failures:
        return replace(throttle, failures=0, locked_until=now + policy.lockout)
    return replace(throttle, failures=failures)
