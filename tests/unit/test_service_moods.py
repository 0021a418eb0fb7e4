"""Mood check-ins: who may write and read them, the audit trail they leave, the risk check of
the note, the daily series, and their place in the data export and erasure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest
from tests.unit.conftest import PASSWORD

from haven.adapters.memory import FakePasswordHasher, InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.access import Purpose
from haven.domain.alerts import AlertSource
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import ConsentRequired, InvalidInput, NotFound, PermissionDenied
from haven.domain.mood import DailyMood
from haven.domain.people import Account
from haven.domain.risk import MessageRisk, RiskAssessment
from haven.services.alerts import alert_detail
from haven.services.data_rights import delete_member, export_member_data
from haven.services.moods import CheckedIn, check_in, mood_checkins, mood_series

Documents = dict[ConsentKind, ConsentDocument]
CheckIn = Callable[..., CheckedIn]


class RecordingRiskCheck:
    """Flags any note containing "goodbye"; remembers the context it was given."""

    def __init__(self) -> None:
        self.contexts: list[list[str]] = []

    def __call__(self, text: str, context: Sequence[str]) -> RiskAssessment:
        self.contexts.append(list(context))
        if "goodbye" in text:
            return RiskAssessment(MessageRisk.HIGH, ("preparation",), "Saying goodbye.")
        return RiskAssessment(MessageRisk.NONE, (), "No risk signal found.")


@pytest.fixture
def checkin(uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents) -> CheckIn:
    """``checkin(actor, member, rating, tags=(), note=None, risk_check=None)``, an hour after
    the last one."""

    def make(
        actor: Account,
        member: Account,
        rating: int | None,
        tags: Sequence[str] = (),
        note: str | None = None,
        risk_check: RecordingRiskCheck | None = None,
    ) -> CheckedIn:
        clock.advance(timedelta(hours=1))
        return check_in(
            uow(), clock=clock, actor=actor, member_id=member.id, rating=rating, tags=tags,
            note=note, documents=documents, risk_check=risk_check,
        )  # fmt: skip

    return make


def test_a_member_checks_in_and_reads_it_back(
    checkin: CheckIn,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
) -> None:
    first = checkin(sam, sam, 3, ["tiredness", "sadness"], "Slept badly.").checkin
    second = checkin(sam, sam, 7).checkin

    found = mood_checkins(uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents)

    assert found == [first, second]
    assert (first.rating, first.tags, first.note) == (3, ("sadness", "tiredness"), "Slept badly.")
    assert (second.tags, second.note) == ((), None)


def test_since_leaves_out_older_check_ins(
    checkin: CheckIn,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
) -> None:
    checkin(sam, sam, 2)
    clock.advance(timedelta(days=8))
    recent = checkin(sam, sam, 6).checkin

    found = mood_checkins(
        uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents,
        since=clock.now() - timedelta(days=7),
    )  # fmt: skip

    assert found == [recent]


def test_bad_input_is_refused_before_anything_is_stored(
    checkin: CheckIn,
    uow: InMemoryUnitOfWorkFactory,
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
) -> None:
    before = len(audit_trail())
    for rating, tags, field in [(None, (), "rating"), (11, (), "rating"), (5, ["hungry"], "tags")]:
        with pytest.raises(InvalidInput) as raised:
            checkin(sam, sam, rating, tags)
        assert raised.value.field == field
    assert uow.store.committed.moods == []
    assert len(audit_trail()) == before


def test_only_the_member_checks_in_on_their_own_mood(
    checkin: CheckIn,
    assign: Callable[[Account, Account], None],
    uow: InMemoryUnitOfWorkFactory,
    sam: Account,
    carmen: Account,
    make_member: Callable[..., Account],
) -> None:
    assign(carmen, sam)
    with pytest.raises(PermissionDenied):
        checkin(carmen, sam, 5)
    other = make_member("ola@example.org")
    with pytest.raises(NotFound):
        checkin(other, sam, 5)
    assert uow.store.committed.moods == []


def test_a_member_who_has_not_accepted_the_terms_cannot_check_in(
    checkin: CheckIn, make_member: Callable[..., Account]
) -> None:
    newcomer = make_member("new@example.org", consents=[])
    with pytest.raises(ConsentRequired):
        checkin(newcomer, newcomer, 5)


def test_a_clinician_in_the_care_team_reads_a_sharing_members_check_ins_and_is_audited(
    checkin: CheckIn,
    assign: Callable[[Account, Account], None],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)
    saved = checkin(sam, sam, 4, ["anxiety"], "Big meeting.").checkin

    found = mood_checkins(uow(), clock=clock, actor=carmen, member_id=sam.id, documents=documents)

    assert found == [saved]
    last = audit_trail()[-1]
    assert (last.action, last.actor_id, last.subject_id) == ("mood.list", carmen.id, sam.id)
    assert last.purpose == Purpose.CARE_TEAM_REVIEW
    wrote = [e for e in audit_trail() if e.action == "mood.write"]
    assert [(e.actor_id, e.target_id) for e in wrote] == [(sam.id, str(saved.id))]


def test_a_clinician_cannot_read_a_member_who_does_not_share_or_is_not_theirs(
    checkin: CheckIn,
    assign: Callable[[Account, Account], None],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    lucia: Account,
    carmen: Account,
) -> None:
    assign(carmen, lucia)  # Lucía does not share with her care team
    checkin(lucia, lucia, 5)
    checkin(sam, sam, 5)  # Sam is not in Carmen's care team
    for member in (lucia, sam):
        with pytest.raises((PermissionDenied, NotFound)):
            mood_checkins(
                uow(), clock=clock, actor=carmen, member_id=member.id, documents=documents
            )
        with pytest.raises((PermissionDenied, NotFound)):
            mood_series(uow(), clock=clock, actor=carmen, member_id=member.id, documents=documents)


def test_a_risky_note_opens_a_care_team_alert_with_the_notes_before_it_as_context(
    checkin: CheckIn,
    assign: Callable[[Account, Account], None],
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    sam: Account,
    carmen: Account,
) -> None:
    assign(carmen, sam)
    risk = RecordingRiskCheck()
    calm = checkin(sam, sam, 4, note="Tired of it all.", risk_check=risk)
    checkin(sam, sam, 3, risk_check=risk)  # no note: nothing to check
    risky = checkin(sam, sam, 1, note="Writing my goodbye letters.", risk_check=risk)

    assert calm.alert is None
    assert risky.alert is not None
    assert risk.contexts == [[], ["Tired of it all."]]
    [alert] = uow.store.committed.alerts
    assert (alert.source, alert.source_id) == (AlertSource.MOOD_CHECKIN, risky.checkin.id)
    assert alert.signals == ("preparation",)
    detail = alert_detail(uow(), clock=clock, actor=carmen, alert_id=alert.id, documents=documents)
    assert detail.trigger == "Writing my goodbye letters."
    assert detail.context == ["Tired of it all."]


def test_the_mood_series_gives_the_mean_rating_of_each_day(
    checkin: CheckIn,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
) -> None:
    first_day = (clock.now() + timedelta(hours=1)).date()
    checkin(sam, sam, 2)
    checkin(sam, sam, 5)
    clock.advance(timedelta(days=1))
    checkin(sam, sam, 8)

    series = mood_series(uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents)

    assert series == [
        DailyMood(day=first_day, mean=3.5, count=2),
        DailyMood(day=first_day + timedelta(days=1), mean=8.0, count=1),
    ]
    assert audit_trail()[-1].action == "mood.series"
    later = mood_series(
        uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents,
        since=clock.now() - timedelta(hours=2),
    )  # fmt: skip
    assert [d.count for d in later] == [1]


def test_check_ins_are_in_the_export_and_go_with_the_account(
    checkin: CheckIn,
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    hasher: FakePasswordHasher,
    documents: Documents,
    sam: Account,
) -> None:
    saved = checkin(sam, sam, 6, ["calm"], "A good walk.").checkin

    export = export_member_data(
        uow(), clock=clock, actor=sam, member_id=sam.id, documents=documents
    )

    assert export["mood_checkins"] == [
        {
            "id": str(saved.id),
            "created_at": saved.created_at.isoformat(),
            "rating": 6,
            "tags": ["calm"],
            "note": "A good walk.",
        }
    ]
    delete_member(uow(), hasher=hasher, clock=clock, actor=sam, member_id=sam.id, password=PASSWORD)
    assert uow.store.committed.moods == []
