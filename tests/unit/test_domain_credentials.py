"""Sign-in lock-out after repeated failures, and when a session or token stops working."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from haven.domain.credentials import (
    Credential,
    CredentialKind,
    LoginPolicy,
    LoginThrottle,
    check_not_locked,
    credential_problem,
    record_failure,
)
from haven.domain.errors import AccountLocked

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POLICY = LoginPolicy(max_failures=5, lockout=timedelta(minutes=15))
IDLE = timedelta(minutes=30)


def fail(times: int, *, now: datetime = NOW) -> LoginThrottle:
    throttle = LoginThrottle(identifier="someone")
    for _ in range(times):
        throttle = record_failure(throttle, now=now, policy=POLICY)
    return throttle


def test_failures_below_the_limit_do_not_lock() -> None:
    throttle = fail(POLICY.max_failures - 1)

    check_not_locked(throttle, now=NOW)
    assert throttle.failures == POLICY.max_failures - 1
    assert throttle.locked_until is None


def test_the_limit_of_failures_locks_for_the_lockout_period() -> None:
    throttle = fail(POLICY.max_failures)

    assert throttle.locked_until == NOW + POLICY.lockout
    with pytest.raises(AccountLocked) as locked:
        check_not_locked(throttle, now=NOW + POLICY.lockout - timedelta(seconds=1))
    assert locked.value.retry_after_seconds >= 1


def test_the_lock_says_how_long_is_left_rounded_up() -> None:
    ten_and_a_half_minutes_in = NOW + timedelta(minutes=10, milliseconds=500)

    with pytest.raises(AccountLocked) as locked:
        check_not_locked(fail(POLICY.max_failures), now=ten_and_a_half_minutes_in)

    assert locked.value.retry_after_seconds == 5 * 60
    assert locked.value.params["minutes"] == 5


def test_the_lock_lifts_when_the_lockout_period_ends() -> None:
    throttle = fail(POLICY.max_failures)

    check_not_locked(throttle, now=NOW + POLICY.lockout)


def test_locking_starts_the_failure_count_again() -> None:
    throttle = fail(POLICY.max_failures)

    assert throttle.failures == 0
    again = record_failure(throttle, now=NOW + POLICY.lockout, policy=POLICY)
    assert again.failures == 1


def credential(**changes: Any) -> Credential:
    live = Credential(
        token_hash="h" * 64,
        account_id=uuid4(),
        kind=CredentialKind.BROWSER_SESSION,
        created_at=NOW,
        last_used_at=NOW,
        expires_at=NOW + timedelta(hours=8),
    )
    return replace(live, **changes)


def test_a_fresh_credential_has_no_problem() -> None:
    assert credential_problem(credential(), now=NOW + timedelta(minutes=1), idle=IDLE) is None


def test_a_revoked_credential_is_refused_at_once() -> None:
    revoked = credential(revoked_at=NOW)

    assert credential_problem(revoked, now=NOW, idle=IDLE) == "revoked"


def test_a_credential_is_refused_from_the_moment_it_expires() -> None:
    short = credential(
        expires_at=NOW + timedelta(minutes=10), last_used_at=NOW + timedelta(minutes=9)
    )

    assert credential_problem(short, now=NOW + timedelta(minutes=10), idle=IDLE) == "expired"


def test_a_credential_left_idle_for_the_idle_period_is_refused() -> None:
    assert credential_problem(credential(), now=NOW + IDLE, idle=IDLE) == "idle"
    assert (
        credential_problem(credential(), now=NOW + IDLE - timedelta(seconds=1), idle=IDLE) is None
    )


def test_revocation_is_reported_before_expiry_or_idleness() -> None:
    old = credential(revoked_at=NOW, expires_at=NOW + timedelta(minutes=1))

    assert credential_problem(old, now=NOW + timedelta(days=1), idle=IDLE) == "revoked"


def test_a_fresh_lockout_asks_for_exactly_the_lockout_period() -> None:
    from datetime import UTC, datetime

    from haven.domain.credentials import LoginPolicy, LoginThrottle, check_not_locked
    from haven.domain.errors import AccountLocked

    now = datetime(2026, 1, 1, tzinfo=UTC)
    policy = LoginPolicy()
    locked = LoginThrottle("id", locked_until=now + policy.lockout)
    import pytest

    with pytest.raises(AccountLocked) as refused:
        check_not_locked(locked, now=now)
    assert refused.value.retry_after_seconds == 900
    assert refused.value.params["minutes"] == 15
