"""One contract for the storage ports, run against SQLite and PostgreSQL (and, in the unit
suite's terms, the in-memory adapters must honour it too)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from haven.bootstrap import Container
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentKind, ConsentRecord
from haven.domain.credentials import Credential, CredentialKind, LoginThrottle
from haven.domain.errors import DataKeyDestroyed
from haven.domain.journal import JournalEntry
from haven.domain.notes import ClinicianNote
from haven.domain.people import Account, Role

NOW = datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=UTC)


def _account(role: Role = Role.MEMBER, name: str = "Ana") -> Account:
    return Account(
        id=uuid.uuid4(),
        email=f"{uuid.uuid4().hex[:8]}@example.org",
        role=role,
        display_name=name,
        locale="es",
        password_hash="$argon2id$fake",
        created_at=NOW,
    )


def _stored(container: Container, *accounts: Account) -> None:
    with container.uow() as uow:
        for account in accounts:
            uow.data_keys.create(account.id)
            uow.accounts.add(account)
        uow.commit()


def test_accounts_round_trip_with_aware_utc_times(container: Container) -> None:
    ana = _account(name="Ana Ñúñez 🌱")
    _stored(container, ana)
    with container.uow() as uow:
        assert uow.accounts.get(ana.id) == ana
        assert uow.accounts.by_email(ana.email) == ana
        assert uow.accounts.list(role=Role.CLINICIAN) == []
        uow.accounts.update(ana.with_changes(display_name="Ana", locale="en"))
        uow.commit()
    with container.uow() as uow:
        changed = uow.accounts.get(ana.id)
    assert changed is not None
    assert (changed.display_name, changed.locale, changed.created_at) == ("Ana", "en", NOW)


def test_nothing_is_kept_without_commit(container: Container) -> None:
    ana = _account()
    with container.uow() as uow:
        uow.data_keys.create(ana.id)
        uow.accounts.add(ana)
    with container.uow() as uow:
        assert uow.accounts.get(ana.id) is None


def test_care_teams_consents_credentials_and_throttles(container: Container) -> None:
    member, clinician = _account(), _account(Role.CLINICIAN)
    _stored(container, member, clinician)
    token = Credential(
        token_hash="a" * 64,
        account_id=member.id,
        kind=CredentialKind.API_TOKEN,
        created_at=NOW,
        last_used_at=NOW,
        expires_at=NOW + timedelta(hours=1),
    )
    grant = ConsentRecord(
        id=uuid.uuid4(), account_id=member.id, kind=ConsentKind.RESEARCH, version=1, granted_at=NOW
    )
    with container.uow() as uow:
        uow.care_teams.assign(clinician_id=clinician.id, member_id=member.id)
        uow.care_teams.assign(clinician_id=clinician.id, member_id=member.id)
        uow.consents.add(grant)
        uow.credentials.add(token)
        uow.login_throttles.save(LoginThrottle("x" * 64, failures=2, locked_until=NOW))
        uow.commit()
    with container.uow() as uow:
        assert uow.care_teams.members_of(clinician.id) == [member.id]
        assert uow.care_teams.clinicians_of(member.id) == [clinician.id]
        assert uow.consents.for_account(member.id) == [grant]
        assert uow.credentials.get(token.token_hash) == token
        assert uow.login_throttles.get("x" * 64) == LoginThrottle("x" * 64, 2, NOW)
        assert uow.consents.revoke(account_id=member.id, kind=ConsentKind.RESEARCH, at=NOW) == 1
        assert uow.credentials.revoke(token.token_hash, at=NOW) is True
        assert uow.credentials.revoke(token.token_hash, at=NOW) is False
        assert uow.care_teams.unassign(clinician_id=clinician.id, member_id=member.id) is True
        uow.commit()
    with container.uow() as uow:
        assert uow.consents.for_account(member.id)[0].revoked_at == NOW
        credential = uow.credentials.get(token.token_hash)
        assert credential is not None
        assert credential.revoked_at == NOW
        assert uow.care_teams.members_of(clinician.id) == []


def test_deleting_an_account_removes_its_rows_and_shreds_its_key(container: Container) -> None:
    member, clinician = _account(), _account(Role.CLINICIAN)
    _stored(container, member, clinician)
    entry = JournalEntry(id=uuid.uuid4(), member_id=member.id, body="hola", created_at=NOW)
    note = ClinicianNote(
        id=uuid.uuid4(), member_id=member.id, author_id=clinician.id, body="n", created_at=NOW
    )
    with container.uow() as uow:
        uow.journal.add(entry)
        uow.notes.add(note)
        uow.commit()
    with container.uow() as uow:
        assert uow.journal.for_member(member.id) == [entry]
        assert uow.journal.get(member_id=member.id, entry_id=entry.id) == entry
        assert uow.journal.get(member_id=clinician.id, entry_id=entry.id) is None
        assert uow.notes.for_member(member.id) == [note]
        uow.accounts.delete(member.id)
        uow.data_keys.destroy(member.id)
        uow.commit()
    with container.uow() as uow:
        assert uow.accounts.get(member.id) is None
        assert uow.journal.for_member(member.id) == []
        with pytest.raises(DataKeyDestroyed):
            uow.data_keys.key_for(member.id)  # type: ignore[attr-defined]


def test_the_audit_log_chains_and_streams_in_order(container: Container) -> None:
    subject = uuid.uuid4()
    with container.uow() as uow:
        for n in range(3):
            uow.audit.append(
                AuditEvent(
                    at=NOW,
                    actor_id=None,
                    actor_role="operator",
                    action=f"a.{n}",
                    purpose="self-care",
                    subject_id=subject,
                )
            )
        uow.commit()
    with container.uow() as uow:
        entries = list(uow.audit.entries())
        head = uow.audit.head()
        about = uow.audit.about(subject)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].hash
    assert head is not None
    assert (head.seq, head.hash) == (3, entries[-1].hash)
    assert about == entries


def test_the_latest_journal_entries_come_oldest_first(container: Container) -> None:
    ana = _account()
    _stored(container, ana)
    entries = [
        JournalEntry(
            id=uuid.uuid4(), member_id=ana.id, body=f"day {n}", created_at=NOW + timedelta(days=n)
        )
        for n in range(7)
    ]
    with container.uow() as uow:
        for entry in reversed(entries):
            uow.journal.add(entry)
        uow.commit()
    with container.uow() as uow:
        assert uow.journal.latest(ana.id, count=3) == entries[4:]
        assert uow.journal.latest(ana.id, count=0) == []


def test_conversations_round_trip_encrypted_and_go_with_the_account(
    container: Container,
) -> None:
    from haven.domain.conversation.record import Author, ChatMessage, Conversation
    from haven.domain.conversation.state import DialogueState
    from haven.domain.personalization.bandit import BanditState, Tally

    member = _account()
    _stored(container, member)
    conversation = Conversation(id=uuid.uuid4(), member_id=member.id, started_at=NOW)
    state = DialogueState(turns=2)
    state.memory.stressors.append("my exams")
    messages = [
        ChatMessage(
            id=uuid.uuid4(),
            conversation_id=conversation.id,
            member_id=member.id,
            seq=n + 1,
            author=author,
            body=body,
            at=NOW + timedelta(seconds=n),
            risk_level="none" if author is Author.MEMBER else None,
            signals=("distress",) if author is Author.MEMBER else (),
            emotion="anxiety" if author is Author.MEMBER else None,
        )
        for n, (author, body) in enumerate(
            [(Author.MEMBER, "me preocupan los exámenes"), (Author.COMPANION, "Te escucho.")]
        )
    ]
    with container.uow() as uow:
        uow.conversations.add(conversation, state)
        uow.conversations.add_messages(messages)
        uow.bandits.save(member.id, BanditState(arms={"breathing": Tally(successes=1)}), at=NOW)
        uow.commit()
    with container.uow() as uow:
        assert uow.conversations.get(member_id=member.id, conversation_id=conversation.id) == (
            conversation
        )
        assert (
            uow.conversations.messages(member_id=member.id, conversation_id=conversation.id)
            == messages
        )
        assert uow.conversations.state(conversation).memory.stressors == ["my exams"]
        assert uow.conversations.message_count(conversation.id) == 2
        assert uow.conversations.last_message_at(member.id) is None
        uow.conversations.save_state(conversation, state, last_message_at=NOW)
        uow.commit()
    with container.uow() as uow:
        assert uow.conversations.last_message_at(member.id) == NOW
        assert uow.bandits.get(member.id).arms["breathing"].successes == 1
        uow.accounts.delete(member.id)
        uow.data_keys.destroy(member.id)
        uow.commit()
    with container.uow() as uow:
        assert uow.conversations.for_member(member.id) == []
        assert uow.bandits.get(member.id).pulls == 0


def test_mood_check_ins_round_trip_with_the_note_encrypted_and_go_with_the_account(
    container: Container,
) -> None:
    from sqlalchemy import text

    from haven.domain.mood import MoodCheckIn

    ana = _account()
    _stored(container, ana)
    checkins = [
        MoodCheckIn(
            id=uuid.uuid4(),
            member_id=ana.id,
            rating=n,
            tags=("calm", "tiredness") if n % 2 else (),
            note=f"día {n} 🌱" if n % 3 else None,
            created_at=NOW + timedelta(days=n),
        )
        for n in range(7)
    ]
    with container.uow() as uow:
        for checkin in reversed(checkins):
            uow.moods.add(checkin)
        uow.commit()
    with container.uow() as uow:
        assert uow.moods.for_member(ana.id) == checkins
        assert uow.moods.for_member(ana.id, since=NOW + timedelta(days=5)) == checkins[5:]
        assert uow.moods.latest(ana.id, count=3) == checkins[4:]
        assert uow.moods.latest(ana.id, count=0) == []
        assert uow.moods.ratings(ana.id) == [(c.created_at, c.rating) for c in checkins]
        assert uow.moods.ratings(ana.id, since=NOW + timedelta(days=6)) == [
            (checkins[6].created_at, 6)
        ]
        assert uow.moods.for_member(uuid.uuid4()) == []
    with container.engine.connect() as connection:
        stored = connection.execute(text("SELECT note_ct FROM mood_checkins")).scalars().all()
    assert all(b"d\xc3\xada" not in bytes(blob) for blob in stored if blob is not None)
    with container.uow() as uow:
        uow.accounts.delete(ana.id)
        uow.data_keys.destroy(ana.id)
        uow.commit()
    with container.uow() as uow:
        assert uow.moods.for_member(ana.id) == []
        assert uow.moods.ratings(ana.id) == []


def test_wearable_readings_are_stored_once_keep_their_offset_and_go_with_the_account(
    container: Container,
) -> None:
    from datetime import timezone

    from haven.domain.monitoring import Observation

    ana, ben = _account(), _account(name="Ben")
    _stored(container, ana, ben)
    paris = timezone(timedelta(hours=1))
    start = datetime(2024, 1, 5, 23, 10, tzinfo=paris)

    def reading(member: Account, minutes: int, device: str = "Watch") -> Observation:
        return Observation(
            member_id=member.id,
            metric="steps",
            start_at=start + timedelta(minutes=minutes),
            end_at=start + timedelta(minutes=minutes + 1),
            value=float(minutes),
            unit="count",
            source="apple_health",
            device=device,
        )

    readings = [reading(ana, n) for n in range(4_500)]  # more than one insert batch
    with container.uow() as uow:
        assert uow.wearables.add_new(readings) == 4_500
        assert uow.wearables.add_new([reading(ben, 0)]) == 1
        uow.commit()
    with container.uow() as uow:
        # The same readings again add nothing; another device's reading is another reading.
        assert uow.wearables.add_new(readings[:10] + [reading(ana, 0, "Phone")] * 2) == 1
        uow.commit()
    with container.uow() as uow:
        assert uow.wearables.add_new([reading(ana, 9_000)]) == 1  # never committed
    with container.uow() as uow:
        mine = uow.wearables.for_members([ana.id], since=start + timedelta(minutes=4_498))
        assert [(o.start_at, o.device) for o in mine] == [
            (start + timedelta(minutes=4_498), "Watch"),
            (start + timedelta(minutes=4_499), "Watch"),
        ]
        assert mine[0] == readings[4_498]
        assert mine[0].start_at.utcoffset() == timedelta(hours=1)  # the local clock survives
        everyone = uow.wearables.for_members([ana.id, ben.id], since=start)
        assert len(everyone) == 4_502
        assert uow.wearables.for_members([], since=start) == []
    with container.uow() as uow:
        uow.accounts.delete(ana.id)
        uow.data_keys.destroy(ana.id)
        uow.commit()
    with container.uow() as uow:
        assert uow.wearables.for_members([ana.id], since=start) == []
        assert len(uow.wearables.for_members([ben.id], since=start)) == 1


def test_exercise_assignments_round_trip_with_the_note_encrypted_and_go_with_the_account(
    container: Container,
) -> None:
    from sqlalchemy import text

    from haven.domain.exercises import ExerciseAssignment

    ana, carmen = _account(), _account(Role.CLINICIAN, "Carmen")
    _stored(container, ana, carmen)
    assignments = [
        ExerciseAssignment(
            id=uuid.uuid4(),
            member_id=ana.id,
            flow_id=flow_id,
            assigned_by=carmen.id,
            note_for_member=note,
            assigned_at=NOW + timedelta(days=n),
        )
        for n, (flow_id, note) in enumerate(
            [("thought_record", "Después de la reunión 🌱"), ("breathing", None)]
        )
    ]
    with container.uow() as uow:
        for assignment in reversed(assignments):
            uow.exercises.add(assignment)
        uow.commit()
    with container.uow() as uow:
        assert uow.exercises.for_member(ana.id) == assignments
        first = uow.exercises.get(member_id=ana.id, assignment_id=assignments[0].id)
        assert first == assignments[0]
        assert uow.exercises.get(member_id=carmen.id, assignment_id=assignments[0].id) is None
        uow.exercises.end(assignments[0].id, at=NOW + timedelta(days=3))
        uow.commit()
    with container.uow() as uow:
        assert uow.exercises.for_member(ana.id) == assignments[1:]
        [ended, _] = uow.exercises.for_member(ana.id, active_only=False)
        assert ended.ended_at == NOW + timedelta(days=3)
    with container.engine.connect() as connection:
        stored = connection.execute(text("SELECT note_ct FROM exercise_assignments")).scalars()
        assert all(b"reuni" not in bytes(blob) for blob in stored if blob is not None)
    with container.uow() as uow:
        uow.accounts.delete(carmen.id)  # the clinician leaves: the member keeps the exercises
        uow.commit()
    with container.uow() as uow:
        assert [a.assigned_by for a in uow.exercises.for_member(ana.id, active_only=False)] == [
            None,
            None,
        ]
        uow.accounts.delete(ana.id)
        uow.data_keys.destroy(ana.id)
        uow.commit()
    with container.uow() as uow:
        assert uow.exercises.for_member(ana.id, active_only=False) == []
