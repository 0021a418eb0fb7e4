"""A member's rights over their data: export everything, and erase it (crypto-shredding)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import AuthenticationFailed, DataKeyDestroyed, NotFound
from haven.domain.journal import JournalEntry
from haven.domain.people import Account
from haven.services.data_rights import EXPORT_SCHEMA_VERSION, delete_member, export_member_data
from haven.services.records import journal_entries, write_journal_entry, write_note

Documents = dict[ConsentKind, ConsentDocument]


@pytest.fixture
def sam_with_records(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    assign: Callable[[Account, Account], None],
    sam: Account,
    carmen: Account,
) -> Account:
    """Sam, with two journal entries and a note from Carmen, his clinician."""
    assign(carmen, sam)
    for body in ("Slept badly.", "The walk helped."):
        clock.advance(timedelta(minutes=1))
        write_journal_entry(
            uow(), clock=clock, actor=sam, member_id=sam.id, body=body, documents=documents
        )
    write_note(
        uow(),
        clock=clock,
        actor=carmen,
        member_id=sam.id,
        body="Sleep hygiene.",
        documents=documents,
    )
    return sam


def test_an_export_holds_the_account_consents_journal_notes_and_access_log(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam_with_records: Account,
    carmen: Account,
) -> None:
    sam = sam_with_records

    export = export_member_data(
        uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents
    )

    assert export["schema_version"] == EXPORT_SCHEMA_VERSION
    assert export["account"]["email"] == "sam@example.org"
    assert [e["body"] for e in export["journal"]] == ["Slept badly.", "The walk helped."]
    assert [n["body"] for n in export["clinician_notes"]] == ["Sleep hygiene."]
    assert {c["kind"] for c in export["consents"]} == {"terms_of_use", "care_team_sharing"}
    assert all(c["title"] and c["revoked_at"] is None for c in export["consents"])
    assert export["care_team"] == [{"id": str(carmen.id), "display_name": carmen.display_name}]
    assert "note.write" in [e["action"] for e in export["access_log"]]
    json.dumps(export)  # ready to hand over as a file


def test_an_export_is_audited(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
) -> None:
    export_member_data(uow(), clock=clock, actor=None, member_id=sam.id, documents=documents)

    last = audit_trail()[-1]
    assert (last.action, last.purpose, last.actor_role, last.subject_id) == (
        "member.export",
        "data-export",
        "operator",
        sam.id,
    )


@pytest.mark.parametrize("who", ["lucia", "carmen", "ada"])
def test_no_one_but_the_member_or_the_operator_can_export(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    request: pytest.FixtureRequest,
    sam: Account,
    who: str,
) -> None:
    with pytest.raises(NotFound):
        export_member_data(
            uow(),
            clock=clock,
            actor=request.getfixturevalue(who),
            member_id=sam.id,
            documents=documents,
        )


def test_a_member_erases_their_account_with_their_password(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    documents: Documents,
    audit_trail: Callable[[], list[AuditEvent]],
    sam_with_records: Account,
    carmen: Account,
    password: str,
) -> None:
    sam = sam_with_records

    delete_member(uow(), hasher=hasher, clock=clock, actor=sam, member_id=sam.id, password=password)

    tables = uow.store.committed
    assert sam.id not in tables.accounts
    assert sam.id not in tables.data_keys
    assert [e for e in tables.journal if e.member_id == sam.id] == []
    assert [n for n in tables.notes if n.member_id == sam.id] == []
    assert [c for c in tables.consents if c.account_id == sam.id] == []
    assert [pair for pair in tables.care_team if sam.id in pair] == []
    last = audit_trail()[-1]
    assert (last.action, last.purpose, last.subject_id) == ("member.erase", "erasure", sam.id)


def test_after_erasure_a_backup_of_the_members_records_cannot_be_read(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    sam_with_records: Account,
) -> None:
    sam = sam_with_records
    backup = uow.store.committed.snapshot()

    delete_member(uow(), hasher=hasher, clock=clock, actor=None, member_id=sam.id)
    # Someone restores the old rows, but the data keys are not in the backup's reach.
    uow.store.committed.journal = backup.journal
    uow.store.committed.notes = backup.notes
    uow.store.committed.accounts[sam.id] = backup.accounts[sam.id]

    with uow() as u:
        with pytest.raises(DataKeyDestroyed):
            u.journal.for_member(sam.id)
        with pytest.raises(DataKeyDestroyed):
            u.notes.for_member(sam.id)
        with pytest.raises(DataKeyDestroyed):
            u.accounts.get(sam.id)


def test_nothing_can_be_written_for_an_erased_member(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    sam: Account,
) -> None:
    delete_member(uow(), hasher=hasher, clock=clock, actor=None, member_id=sam.id)
    late = JournalEntry(id=uuid.uuid4(), member_id=sam.id, body="Late.", created_at=clock.now())

    with uow() as u, pytest.raises(DataKeyDestroyed):
        u.journal.add(late)


def test_erasing_leaves_other_members_untouched(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    documents: Documents,
    sam: Account,
    lucia: Account,
    ada: Account,
) -> None:
    write_journal_entry(
        uow(), clock=clock, actor=lucia, member_id=lucia.id, body="Mine.", documents=documents
    )

    delete_member(uow(), hasher=hasher, clock=clock, actor=ada, member_id=sam.id)

    entries = journal_entries(
        uow(), clock=clock, actor=lucia, member_id=lucia.id, documents=documents
    )
    assert [e.body for e in entries] == ["Mine."]


@pytest.mark.parametrize("password", [None, "not the password"])
def test_a_member_erasing_themself_must_confirm_with_their_password(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    sam: Account,
    password: str | None,
) -> None:
    before = uow.store.committed.snapshot()

    with pytest.raises(AuthenticationFailed):
        delete_member(
            uow(), hasher=hasher, clock=clock, actor=sam, member_id=sam.id, password=password
        )

    assert uow.store.committed == before


@pytest.mark.parametrize("who", ["lucia", "carmen"])
def test_no_one_else_but_an_administrator_can_erase_a_member(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    request: pytest.FixtureRequest,
    sam: Account,
    password: str,
    who: str,
) -> None:
    with pytest.raises(NotFound):
        delete_member(
            uow(),
            hasher=hasher,
            clock=clock,
            actor=request.getfixturevalue(who),
            member_id=sam.id,
            password=password,
        )

    assert sam.id in uow.store.committed.data_keys


def test_staff_accounts_cannot_be_erased_as_members(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    carmen: Account,
) -> None:
    with pytest.raises(NotFound):
        delete_member(uow(), hasher=hasher, clock=clock, actor=None, member_id=carmen.id)


def test_an_export_holds_imported_readings_and_the_reminder_schedule(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, sam: Account
) -> None:
    from datetime import UTC, datetime

    from haven.domain.monitoring import Observation
    from haven.domain.reminders import CheckInReminder

    night = datetime(2026, 3, 1, 23, 10, tzinfo=UTC)
    with uow() as u:
        u.wearables.add_new(
            [
                Observation(
                    member_id=sam.id,
                    metric="sleep",
                    start_at=night,
                    end_at=night + timedelta(hours=7),
                    value=402.0,
                    unit="min",
                    source="apple_health",
                    device="Apple Watch",
                )
            ]
        )
        u.checkin_reminders.save(
            CheckInReminder(
                member_id=sam.id,
                weekdays=frozenset({0, 3}),
                hour=20,
                zone="Europe/Madrid",
                updated_at=night,
            )
        )
        u.commit()

    data = export_member_data(uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents)

    assert data["schema_version"] == EXPORT_SCHEMA_VERSION == 7
    assert data["wearable_readings"] == [
        {
            "metric": "sleep",
            "start": night.isoformat(),
            "end": (night + timedelta(hours=7)).isoformat(),
            "value": 402.0,
            "unit": "min",
            "source": "apple_health",
            "device": "Apple Watch",
        }
    ]
    assert data["checkin_reminder"] == {
        "weekdays": [0, 3],
        "hour": 20,
        "time_zone": "Europe/Madrid",
        "updated_at": night.isoformat(),
    }
