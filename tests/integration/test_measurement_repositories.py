"""One contract for the questionnaire, schedule and alert repositories, honoured alike by
SQLite, PostgreSQL and the in-memory adapters the unit tests use."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.integration.conftest import FAST_ARGON2, fresh_database, make_settings

from haven.adapters.memory import InMemoryUnitOfWorkFactory
from haven.bootstrap import bootstrap
from haven.domain.alerts import Alert, AlertSource
from haven.domain.errors import DataKeyDestroyed
from haven.domain.instruments import RiskLevel
from haven.domain.people import Account, Role
from haven.domain.ports import UnitOfWork
from haven.domain.safety_plan import SafetyPlan, SafetyPlanStep
from haven.domain.schedules import Schedule
from haven.domain.scoring import Assessment

NOW = datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=UTC)
UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def uows(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UowFactory]:
    if request.param == "memory":
        yield InMemoryUnitOfWorkFactory()
        return
    with fresh_database(request.param, tmp_path, request) as url:
        container = bootstrap(make_settings(url, tmp_path / "data"), hasher=FAST_ARGON2)
        yield container.uow
        container.close()


def _member(uows: UowFactory, role: Role = Role.MEMBER) -> Account:
    account = Account(
        id=uuid.uuid4(),
        email=f"{uuid.uuid4().hex[:8]}@example.org",
        role=role,
        display_name="Ana",
        locale="es",
        password_hash="$argon2id$fake",
        created_at=NOW,
    )
    with uows() as uow:
        uow.data_keys.create(account.id)
        uow.accounts.add(account)
        uow.commit()
    return account


def _assessment(member: Account, *, at: datetime, total: int | None = 9) -> Assessment:
    return Assessment(
        id=uuid.uuid4(),
        member_id=member.id,
        instrument_id="phq9",
        instrument_version=1,
        answers={f"phq9_{n}": 1 for n in range(1, 10)},
        raw_total=total,
        total=total,
        severity="mild",
        flags=("suicidal_ideation",),
        submitted_at=at,
    )


def test_assessments_round_trip_in_time_order(uows: UowFactory) -> None:
    ana, bo = _member(uows), _member(uows)
    later = _assessment(ana, at=NOW + timedelta(days=14), total=4)
    first = _assessment(ana, at=NOW)
    triage = replace(_assessment(bo, at=NOW), instrument_id="cssrs", total=None, raw_total=None)
    with uows() as uow:
        for item in (later, first, triage):
            uow.assessments.add(item)
        uow.commit()
    with uows() as uow:
        assert uow.assessments.for_member(ana.id) == [first, later]
        assert uow.assessments.for_member(ana.id, instrument_id="gad7") == []
        assert uow.assessments.get(member_id=ana.id, assessment_id=first.id) == first
        assert uow.assessments.get(member_id=bo.id, assessment_id=first.id) is None
        assert uow.assessments.totals([ana.id, bo.id], instrument_id="phq9") == {
            ana.id: [(NOW, 9), (NOW + timedelta(days=14), 4)]
        }
        assert uow.assessments.totals([], instrument_id="phq9") == {}
        assert uow.assessments.latest(ana.id) == {"phq9": NOW + timedelta(days=14)}
        assert uow.assessments.latest(bo.id) == {"cssrs": NOW}


def test_answers_are_unreadable_once_the_members_key_is_destroyed(uows: UowFactory) -> None:
    ana = _member(uows)
    with uows() as uow:
        uow.assessments.add(_assessment(ana, at=NOW))
        uow.data_keys.destroy(ana.id)
        uow.commit()
    with uows() as uow, pytest.raises(DataKeyDestroyed):
        uow.assessments.for_member(ana.id)


def test_schedules_end_and_remember_reminders(uows: UowFactory) -> None:
    ana = _member(uows)
    clinician = _member(uows, Role.CLINICIAN)
    schedule = Schedule(
        id=uuid.uuid4(),
        member_id=ana.id,
        instrument_id="phq9",
        every_days=14,
        starts_at=NOW,
        assigned_by=clinician.id,
        created_at=NOW,
    )
    with uows() as uow:
        uow.schedules.add(schedule)
        uow.commit()
    with uows() as uow:
        assert uow.schedules.for_member(ana.id) == [schedule]
        assert uow.schedules.active() == [schedule]
        uow.schedules.mark_reminded(schedule.id, at=NOW + timedelta(hours=1))
        uow.commit()
    with uows() as uow:
        reminded = uow.schedules.get(member_id=ana.id, schedule_id=schedule.id)
        assert reminded == replace(schedule, last_reminded_at=NOW + timedelta(hours=1))
        uow.schedules.end(schedule.id, at=NOW + timedelta(days=1))
        uow.commit()
    with uows() as uow:
        assert uow.schedules.for_member(ana.id) == []
        assert uow.schedules.active() == []
        [ended] = uow.schedules.for_member(ana.id, active_only=False)
        assert ended.ended_at == NOW + timedelta(days=1)
        uow.accounts.delete(clinician.id)
        uow.commit()
    with uows() as uow:
        [kept] = uow.schedules.for_member(ana.id, active_only=False)
        assert kept.assigned_by is None


def test_alerts_queue_newest_first_and_acknowledge(uows: UowFactory) -> None:
    ana, bo = _member(uows), _member(uows)
    clinician = _member(uows, Role.CLINICIAN)

    def alert(member: Account, minutes: int) -> Alert:
        return Alert(
            id=uuid.uuid4(),
            member_id=member.id,
            source=AlertSource.ASSESSMENT,
            source_id=uuid.uuid4(),
            level=RiskLevel.HIGH,
            signals=("suicidal_ideation", "suicidal_intent"),
            created_at=NOW + timedelta(minutes=minutes),
        )

    older, newer, others = alert(ana, 0), alert(ana, 5), alert(bo, 1)
    with uows() as uow:
        for item in (older, newer, others):
            uow.alerts.add(item)
        uow.commit()
    with uows() as uow:
        assert uow.alerts.for_members([ana.id]) == [newer, older]
        assert uow.alerts.for_members([]) == []
        uow.alerts.acknowledge(older.id, by=clinician.id, at=NOW + timedelta(hours=1))
        uow.commit()
    with uows() as uow:
        assert uow.alerts.for_members([ana.id]) == [newer]
        done = uow.alerts.get(older.id)
        assert done is not None
        assert (done.acknowledged_by, done.open) == (clinician.id, False)
        assert len(uow.alerts.for_members([ana.id, bo.id], open_only=False)) == 3


def test_deleting_a_member_removes_their_results_schedules_and_alerts(uows: UowFactory) -> None:
    ana = _member(uows)
    result = _assessment(ana, at=NOW)
    with uows() as uow:
        uow.assessments.add(result)
        uow.alerts.add(
            Alert(
                id=uuid.uuid4(),
                member_id=ana.id,
                source=AlertSource.ASSESSMENT,
                source_id=result.id,
                level=RiskLevel.LOW,
                signals=("wish_to_be_dead",),
                created_at=NOW,
            )
        )
        uow.accounts.delete(ana.id)
        uow.commit()
    with uows() as uow:
        assert uow.assessments.for_member(ana.id) == []
        assert uow.alerts.for_members([ana.id], open_only=False) == []


def test_a_safety_plan_is_replaced_whole_and_unreadable_without_its_key(uows: UowFactory) -> None:
    ana = _member(uows)
    first = SafetyPlan(
        member_id=ana.id,
        steps={SafetyPlanStep.WARNING_SIGNS: ("Not sleeping",)},
        updated_at=NOW,
    )
    second = SafetyPlan(
        member_id=ana.id,
        steps={SafetyPlanStep.PEOPLE_TO_ASK: ("Ana Ñúñez 🌱", "Dr Lee")},
        updated_at=NOW + timedelta(days=1),
    )
    with uows() as uow:
        assert uow.safety_plans.get(ana.id) is None
        uow.safety_plans.save(first)
        uow.safety_plans.save(second)
        uow.commit()
    with uows() as uow:
        assert uow.safety_plans.get(ana.id) == second
        uow.data_keys.destroy(ana.id)
        uow.commit()
    with uows() as uow, pytest.raises(DataKeyDestroyed):
        uow.safety_plans.get(ana.id)
