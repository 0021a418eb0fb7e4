"""The in-memory adapters behave like the SQL ones: transactions are all-or-nothing, and a
destroyed data key makes its owner's records unreadable."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.audit import AuditEvent, verify_chain
from haven.domain.consent import ConsentKind, ConsentRecord
from haven.domain.credentials import Credential, CredentialKind, LoginThrottle
from haven.domain.errors import DataKeyDestroyed
from haven.domain.journal import JournalEntry
from haven.domain.notes import ClinicianNote
from haven.domain.people import Account, Role
from haven.domain.ports import UnitOfWorkFactory

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def account(role: Role = Role.MEMBER) -> Account:
    return Account(
        id=uuid.uuid4(),
        email=f"{uuid.uuid4().hex[:8]}@example.org",
        role=role,
        display_name="Ana",
        locale="es",
        password_hash="fake$",
        created_at=NOW,
    )


def stored(uow: UnitOfWorkFactory, *accounts: Account) -> None:
    with uow() as u:
        for a in accounts:
            u.data_keys.create(a.id)
            u.accounts.add(a)
        u.commit()


def audit_event(subject: uuid.UUID | None = None) -> AuditEvent:
    return AuditEvent(
        at=NOW,
        actor_id=None,
        actor_role="operator",
        action="member.export",
        purpose="data-export",
        subject_id=subject,
    )


# --- Transactions ---------------------------------------------------------------------------


def test_writes_are_invisible_to_other_units_of_work_until_committed(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    ana = account()
    with uow() as writer:
        writer.data_keys.create(ana.id)
        writer.accounts.add(ana)
        with uow() as reader:
            assert reader.accounts.get(ana.id) is None
        writer.commit()

    with uow() as reader:
        assert reader.accounts.get(ana.id) == ana


def test_leaving_without_commit_discards_every_write(uow: InMemoryUnitOfWorkFactory) -> None:
    ana = account()
    with uow() as u:
        u.data_keys.create(ana.id)
        u.accounts.add(ana)
        u.audit.append(audit_event(ana.id))

    with uow() as u:
        assert u.accounts.get(ana.id) is None
        assert u.audit.head() is None
        assert u.data_keys.master_keys_in_use() == {}


def test_an_exception_inside_a_unit_of_work_discards_its_writes(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    ana = account()

    def fail_halfway() -> None:
        with uow() as u:
            u.data_keys.create(ana.id)
            u.accounts.add(ana)
            raise RuntimeError("something failed halfway")

    with pytest.raises(RuntimeError, match="halfway"):
        fail_halfway()

    assert uow.store.committed.accounts == {}


def test_rollback_discards_only_what_came_since_the_last_commit(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    ana, ben = account(), account()
    with uow() as u:
        u.data_keys.create(ana.id)
        u.accounts.add(ana)
        u.commit()
        u.data_keys.create(ben.id)
        u.accounts.add(ben)
        u.rollback()
        assert u.accounts.get(ben.id) is None
        u.commit()

    assert list(uow.store.committed.accounts) == [ana.id]


def test_a_commit_on_top_of_a_newer_commit_is_refused(uow: InMemoryUnitOfWorkFactory) -> None:
    ana, ben = account(), account()
    with uow() as first, uow() as second:
        first.data_keys.create(ana.id)
        first.accounts.add(ana)
        first.commit()
        second.data_keys.create(ben.id)
        second.accounts.add(ben)
        with pytest.raises(RuntimeError, match="committed first"):
            second.commit()

    assert list(uow.store.committed.accounts) == [ana.id]


def test_a_unit_of_work_entered_again_sees_the_latest_commits(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    ana = account()
    reused = uow()
    with reused:
        assert reused.accounts.get(ana.id) is None
    stored(uow, ana)

    with reused:
        assert reused.accounts.get(ana.id) == ana


# --- Accounts and data keys -----------------------------------------------------------------


def test_an_email_address_belongs_to_one_account_only(uow: InMemoryUnitOfWorkFactory) -> None:
    ana = account()
    stored(uow, ana)
    twin = replace(ana, id=uuid.uuid4())

    with uow() as u:
        u.data_keys.create(twin.id)
        with pytest.raises(ValueError, match="already exists"):
            u.accounts.add(twin)


def test_an_account_needs_its_data_key_before_it_is_stored(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    with uow() as u, pytest.raises(DataKeyDestroyed):
        u.accounts.add(account())


def test_an_owner_has_one_data_key(uow: InMemoryUnitOfWorkFactory) -> None:
    ana = account()
    stored(uow, ana)

    with uow() as u, pytest.raises(ValueError, match="already has"):
        u.data_keys.create(ana.id)


def test_an_update_changes_the_name_language_and_password_hash_only(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    ana = account()
    stored(uow, ana)
    changed = replace(ana, email="other@example.org", display_name="Ana B", locale="en")

    with uow() as u:
        u.accounts.update(changed)
        u.commit()

    assert uow.store.committed.accounts[ana.id] == replace(changed, email=ana.email)


def test_accounts_are_listed_oldest_first_then_by_email(uow: InMemoryUnitOfWorkFactory) -> None:
    late = replace(account(), email="a@example.org", created_at=NOW + timedelta(hours=1))
    early_b = replace(account(), email="b@example.org")
    early_c = replace(account(Role.CLINICIAN), email="c@example.org")
    stored(uow, late, early_c, early_b)

    with uow() as u:
        assert u.accounts.list() == [early_b, early_c, late]
        assert u.accounts.list(role=Role.CLINICIAN) == [early_c]


def test_deleting_an_account_removes_its_rows_and_unnames_the_notes_it_wrote(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    member, clinician, other = account(), account(Role.CLINICIAN), account()
    stored(uow, member, clinician, other)
    about_other = ClinicianNote(
        id=uuid.uuid4(), member_id=other.id, author_id=clinician.id, body="n", created_at=NOW
    )
    with uow() as u:
        u.care_teams.assign(clinician_id=clinician.id, member_id=member.id)
        u.journal.add(
            JournalEntry(id=uuid.uuid4(), member_id=clinician.id, body="j", created_at=NOW)
        )
        u.notes.add(about_other)
        u.commit()

    with uow() as u:
        u.accounts.delete(clinician.id)
        u.commit()

    with uow() as u:
        assert u.accounts.get(clinician.id) is None
        assert u.care_teams.members_of(clinician.id) == []
        assert u.journal.for_member(clinician.id) == []
        assert u.notes.for_member(other.id) == [replace(about_other, author_id=None)]


def test_a_destroyed_data_key_makes_the_owners_records_unreadable(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    ana = account()
    stored(uow, ana)
    with uow() as u:
        u.journal.add(JournalEntry(id=uuid.uuid4(), member_id=ana.id, body="j", created_at=NOW))
        u.notes.add(
            ClinicianNote(
                id=uuid.uuid4(), member_id=ana.id, author_id=None, body="n", created_at=NOW
            )
        )
        u.data_keys.destroy(ana.id)
        u.commit()

    with uow() as u:
        for read in (
            lambda: u.accounts.get(ana.id),
            lambda: u.accounts.by_email(ana.email),
            lambda: u.accounts.list(),
            lambda: u.journal.for_member(ana.id),
            lambda: u.journal.get(member_id=ana.id, entry_id=uuid.uuid4()),
            lambda: u.notes.for_member(ana.id),
        ):
            with pytest.raises(DataKeyDestroyed):
                read()


def test_rewrapping_moves_keys_to_the_primary_master_key_a_batch_at_a_time(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    stored(uow, *(account() for _ in range(3)))
    old, new = uow.store.primary_key_id, uow.store.rotate_master_key()

    with uow() as u:
        assert u.data_keys.rewrap_batch(2) == 2
        assert u.data_keys.master_keys_in_use() == {old: 1, new: 2}
        assert u.data_keys.rewrap_batch(2) == 1
        assert u.data_keys.rewrap_batch(2) == 0
        assert u.data_keys.master_keys_in_use() == {new: 3}


# --- Care teams, consents, credentials, throttles, audit ------------------------------------


def test_care_team_assignment_is_kept_once_in_assignment_order(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    clinician, first, second = account(Role.CLINICIAN), account(), account()
    with uow() as u:
        for member in (first, second, first):
            u.care_teams.assign(clinician_id=clinician.id, member_id=member.id)

        assert u.care_teams.members_of(clinician.id) == [first.id, second.id]
        assert u.care_teams.clinicians_of(first.id) == [clinician.id]
        assert u.care_teams.unassign(clinician_id=clinician.id, member_id=first.id) is True
        assert u.care_teams.unassign(clinician_id=clinician.id, member_id=first.id) is False
        assert not u.care_teams.is_assigned(clinician_id=clinician.id, member_id=first.id)


def test_revoking_a_consent_ends_only_the_active_grants_of_that_kind(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    member = uuid.uuid4()

    def grant(kind: ConsentKind, revoked: datetime | None = None) -> ConsentRecord:
        return ConsentRecord(
            id=uuid.uuid4(),
            account_id=member,
            kind=kind,
            version=1,
            granted_at=NOW,
            revoked_at=revoked,
        )

    with uow() as u:
        for record in (
            grant(ConsentKind.RESEARCH),
            grant(ConsentKind.RESEARCH, revoked=NOW),
            grant(ConsentKind.TERMS_OF_USE),
        ):
            u.consents.add(record)
        later = NOW + timedelta(days=1)

        assert u.consents.revoke(account_id=member, kind=ConsentKind.RESEARCH, at=later) == 1
        revoked = [r.revoked_at for r in u.consents.for_account(member)]
        assert revoked == [later, NOW, None]


def test_revoking_all_credentials_counts_only_live_ones(uow: InMemoryUnitOfWorkFactory) -> None:
    owner = uuid.uuid4()

    def credential(token_hash: str, revoked: datetime | None = None) -> Credential:
        return Credential(
            token_hash=token_hash,
            account_id=owner,
            kind=CredentialKind.API_TOKEN,
            created_at=NOW,
            last_used_at=NOW,
            expires_at=NOW + timedelta(hours=1),
            revoked_at=revoked,
        )

    with uow() as u:
        for c in (credential("a"), credential("b"), credential("c", revoked=NOW)):
            u.credentials.add(c)
        u.credentials.touch("a", at=NOW + timedelta(minutes=5))

        assert u.credentials.revoke_all(owner, at=NOW + timedelta(minutes=9)) == 2
        used = u.credentials.get("a")
        assert used is not None
        assert used.last_used_at == NOW + timedelta(minutes=5)
        assert used.revoked_at == NOW + timedelta(minutes=9)


def test_an_unknown_login_has_a_clean_throttle_until_one_is_saved(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    with uow() as u:
        assert u.login_throttles.get("x") == LoginThrottle(identifier="x")
        u.login_throttles.save(LoginThrottle(identifier="x", failures=3))
        assert u.login_throttles.get("x").failures == 3
        u.login_throttles.clear("x")
        assert u.login_throttles.get("x").failures == 0


def test_the_audit_log_chains_entries_and_finds_them_by_subject(
    uow: InMemoryUnitOfWorkFactory,
) -> None:
    sam = uuid.uuid4()
    with uow() as u:
        for subject in (sam, None, sam):
            u.audit.append(audit_event(subject))
        u.commit()

    with uow() as u:
        head = u.audit.head()
        assert head is not None
        assert head.seq == 3
        assert verify_chain(u.audit.entries(), head=head) is None
        assert [e.seq for e in u.audit.about(sam)] == [1, 3]


# --- Clock and password hasher --------------------------------------------------------------


def test_the_manual_clock_moves_only_when_told_and_always_in_utc() -> None:
    clock = ManualClock(datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))))

    assert clock.now() == datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    assert (
        clock.advance(timedelta(minutes=5))
        == clock.now()
        == datetime(2026, 6, 1, 10, 5, tzinfo=UTC)
    )


def test_the_manual_clock_refuses_a_time_without_a_timezone() -> None:
    with pytest.raises(ValueError, match="timezone"):
        ManualClock().set(datetime(2026, 6, 1, 12, 0))


def test_the_fake_hasher_verifies_only_the_right_password() -> None:
    hasher = FakePasswordHasher()
    stored_hash = hasher.hash("correct horse battery")

    assert hasher.verify(stored_hash, "correct horse battery")
    assert not hasher.verify(stored_hash, "correct horse batterY")
    assert "correct horse" not in stored_hash
    assert not hasher.needs_rehash(stored_hash)
