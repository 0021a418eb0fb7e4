"""Signing in, lock-out after repeated failures, and the sessions and tokens that follow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.audit import AuditEvent
from haven.domain.credentials import CredentialKind, LoginPolicy
from haven.domain.errors import AccountLocked, AuthenticationFailed
from haven.domain.people import Account
from haven.services.authentication import (
    hash_token,
    issue_credential,
    resolve_credential,
    revoke_all_credentials,
    revoke_credential,
    sign_in,
)

SESSION = timedelta(hours=8)
IDLE = timedelta(minutes=30)


@pytest.fixture
def attempt(
    uow: InMemoryUnitOfWorkFactory,
    hasher: FakePasswordHasher,
    clock: ManualClock,
    policy: LoginPolicy,
) -> Callable[[str, str], Account]:
    """Sign in with an e-mail address and password."""
    dummy_hash = hasher.hash("haven-timing-equaliser")

    def sign_in_as(email: str, password: str) -> Account:
        return sign_in(
            uow(),
            hasher=hasher,
            clock=clock,
            policy=policy,
            email=email,
            password=password,
            dummy_hash=dummy_hash,
        )

    return sign_in_as


def fail_repeatedly(attempt: Callable[[str, str], Account], email: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            attempt(email, "not the password")


def test_a_registered_member_signs_in_with_their_password(
    attempt: Callable[[str, str], Account], sam: Account, password: str
) -> None:
    assert attempt("sam@example.org", password) == sam


def test_the_email_address_is_matched_whatever_its_case_and_spacing(
    attempt: Callable[[str, str], Account], sam: Account, password: str
) -> None:
    assert attempt("  SAM@Example.org ", password).id == sam.id


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(
    attempt: Callable[[str, str], Account], sam: Account, password: str
) -> None:
    with pytest.raises(AuthenticationFailed) as wrong_password:
        attempt("sam@example.org", "not the password")
    with pytest.raises(AuthenticationFailed) as unknown_address:
        attempt("nobody@example.org", password)

    assert str(wrong_password.value) == str(unknown_address.value)


def test_repeated_failures_lock_the_login_even_for_the_right_password(
    attempt: Callable[[str, str], Account], sam: Account, password: str, policy: LoginPolicy
) -> None:
    fail_repeatedly(attempt, "sam@example.org", policy.max_failures)

    with pytest.raises(AccountLocked) as locked:
        attempt("sam@example.org", password)
    assert locked.value.retry_after_seconds >= policy.lockout.total_seconds()


def test_an_address_with_no_account_locks_the_same_way_so_accounts_cannot_be_enumerated(
    attempt: Callable[[str, str], Account], sam: Account, password: str, policy: LoginPolicy
) -> None:
    outcomes = {}
    for email in ("sam@example.org", "nobody@example.org"):
        fail_repeatedly(attempt, email, policy.max_failures)
        with pytest.raises(AccountLocked) as locked:
            attempt(email, password)
        outcomes[email] = (str(locked.value), locked.value.retry_after_seconds)

    assert outcomes["sam@example.org"] == outcomes["nobody@example.org"]


def test_the_lock_lifts_after_the_lockout_period(
    attempt: Callable[[str, str], Account],
    sam: Account,
    password: str,
    policy: LoginPolicy,
    clock: ManualClock,
) -> None:
    fail_repeatedly(attempt, "sam@example.org", policy.max_failures)
    clock.advance(policy.lockout - timedelta(seconds=1))
    with pytest.raises(AccountLocked):
        attempt("sam@example.org", password)

    clock.advance(timedelta(seconds=1))

    assert attempt("sam@example.org", password) == sam


def test_a_successful_sign_in_forgets_earlier_failures(
    attempt: Callable[[str, str], Account], sam: Account, password: str, policy: LoginPolicy
) -> None:
    fail_repeatedly(attempt, "sam@example.org", policy.max_failures - 1)
    attempt("sam@example.org", password)
    fail_repeatedly(attempt, "sam@example.org", policy.max_failures - 1)

    assert attempt("sam@example.org", password) == sam


def test_sign_ins_and_failures_are_audited_but_unknown_addresses_leave_no_trace(
    attempt: Callable[[str, str], Account],
    sam: Account,
    password: str,
    audit_trail: Callable[[], list[AuditEvent]],
) -> None:
    before = len(audit_trail())
    fail_repeatedly(attempt, "sam@example.org", 1)
    fail_repeatedly(attempt, "nobody@example.org", 1)
    attempt("sam@example.org", password)

    events = audit_trail()[before:]
    assert [(e.action, e.purpose, e.subject_id) for e in events] == [
        ("auth.failed", "authentication", sam.id),
        ("auth.sign_in", "authentication", sam.id),
    ]
    assert events[0].actor_id is None
    assert events[1].actor_id == sam.id


class UpgradingHasher(FakePasswordHasher):
    """Hashes made before the "v2" parameters need re-hashing."""

    def hash(self, password: str) -> str:
        return "v2" + super().hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash.removeprefix("v2") == super().hash(password)

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith("v2")


def test_a_password_hash_made_with_old_parameters_is_upgraded_at_sign_in(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    policy: LoginPolicy,
    sam: Account,
    password: str,
) -> None:
    upgrading = UpgradingHasher()

    signed_in = sign_in(
        uow(),
        hasher=upgrading,
        clock=clock,
        policy=policy,
        email="sam@example.org",
        password=password,
        dummy_hash=upgrading.hash("x"),
    )

    assert signed_in.password_hash.startswith("v2")
    assert uow.store.committed.accounts[sam.id].password_hash == signed_in.password_hash


# --- Sessions and tokens --------------------------------------------------------------------


@pytest.fixture
def issue(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock
) -> Callable[[Account, CredentialKind], str]:
    def issue_token(account: Account, kind: CredentialKind) -> str:
        token, _ = issue_credential(
            uow(), clock=clock, account=account, kind=kind, lifetime=SESSION
        )
        return token

    return issue_token


@pytest.fixture
def resolve(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock
) -> Callable[[str, CredentialKind], Account]:
    def resolve_token(token: str, kind: CredentialKind) -> Account:
        return resolve_credential(uow(), clock=clock, token=token, kind=kind, idle=IDLE)

    return resolve_token


BROWSER = CredentialKind.BROWSER_SESSION
API = CredentialKind.API_TOKEN


def test_an_issued_session_resolves_to_its_account(
    issue: Callable[[Account, CredentialKind], str],
    resolve: Callable[[str, CredentialKind], Account],
    sam: Account,
) -> None:
    assert resolve(issue(sam, BROWSER), BROWSER) == sam


def test_only_a_hash_of_the_token_is_stored(
    issue: Callable[[Account, CredentialKind], str], uow: InMemoryUnitOfWorkFactory, sam: Account
) -> None:
    token = issue(sam, BROWSER)

    stored = uow.store.committed.credentials
    assert list(stored) == [hash_token(token)]
    assert token not in repr(stored)


def test_a_revoked_session_is_refused_at_once(
    issue: Callable[[Account, CredentialKind], str],
    resolve: Callable[[str, CredentialKind], Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    sam: Account,
) -> None:
    token = issue(sam, BROWSER)

    assert revoke_credential(uow(), clock=clock, token=token) is True
    with pytest.raises(AuthenticationFailed):
        resolve(token, BROWSER)
    assert revoke_credential(uow(), clock=clock, token=token) is False


def test_a_session_left_idle_for_the_idle_period_is_refused(
    issue: Callable[[Account, CredentialKind], str],
    resolve: Callable[[str, CredentialKind], Account],
    clock: ManualClock,
    sam: Account,
) -> None:
    token = issue(sam, BROWSER)
    clock.advance(IDLE)

    with pytest.raises(AuthenticationFailed):
        resolve(token, BROWSER)


def test_using_a_session_keeps_it_alive_past_the_idle_period(
    issue: Callable[[Account, CredentialKind], str],
    resolve: Callable[[str, CredentialKind], Account],
    clock: ManualClock,
    sam: Account,
) -> None:
    token = issue(sam, BROWSER)

    for _ in range(3):
        clock.advance(IDLE - timedelta(minutes=1))
        assert resolve(token, BROWSER) == sam


def test_a_session_ends_at_its_lifetime_however_recently_it_was_used(
    issue: Callable[[Account, CredentialKind], str],
    resolve: Callable[[str, CredentialKind], Account],
    clock: ManualClock,
    sam: Account,
) -> None:
    issued_at = clock.now()
    token = issue(sam, BROWSER)
    while clock.now() + IDLE < issued_at + SESSION:
        clock.advance(IDLE - timedelta(minutes=1))
        resolve(token, BROWSER)
    clock.set(issued_at + SESSION - timedelta(minutes=1))
    resolve(token, BROWSER)

    clock.set(issued_at + SESSION)

    with pytest.raises(AuthenticationFailed):
        resolve(token, BROWSER)


@pytest.mark.parametrize(("issued", "presented"), [(API, BROWSER), (BROWSER, API)])
def test_a_token_of_one_kind_is_not_accepted_as_the_other(
    issue: Callable[[Account, CredentialKind], str],
    resolve: Callable[[str, CredentialKind], Account],
    sam: Account,
    issued: CredentialKind,
    presented: CredentialKind,
) -> None:
    token = issue(sam, issued)

    with pytest.raises(AuthenticationFailed):
        resolve(token, presented)
    assert resolve(token, issued) == sam


def test_an_unknown_token_is_refused(
    resolve: Callable[[str, CredentialKind], Account], sam: Account
) -> None:
    with pytest.raises(AuthenticationFailed):
        resolve("made-up", BROWSER)


def test_revoking_all_credentials_ends_every_session_of_that_account_only(
    issue: Callable[[Account, CredentialKind], str],
    resolve: Callable[[str, CredentialKind], Account],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    sam: Account,
    lucia: Account,
) -> None:
    sams = [issue(sam, BROWSER), issue(sam, API)]
    lucias = issue(lucia, BROWSER)

    assert revoke_all_credentials(uow(), clock=clock, account=sam) == 2

    for token, kind in zip(sams, [BROWSER, API], strict=True):
        with pytest.raises(AuthenticationFailed):
            resolve(token, kind)
    assert resolve(lucias, BROWSER) == lucia
