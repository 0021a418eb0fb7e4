"""In-memory questionnaire results, schedules, alerts and safety plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from haven.adapters.memory.store import Tables, require_data_key
from haven.domain.alerts import Alert, AlertNote
from haven.domain.safety_plan import SafetyPlan
from haven.domain.schedules import Schedule
from haven.domain.scoring import Assessment

__all__ = ["InMemoryAlerts", "InMemoryAssessments", "InMemorySafetyPlans", "InMemorySchedules"]


class InMemoryAssessments:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, assessment: Assessment) -> None:
        require_data_key(self._t, assessment.member_id)
        self._t.assessments.append(assessment)

    def get(self, *, member_id: UUID, assessment_id: UUID) -> Assessment | None:
        return next((a for a in self.for_member(member_id) if a.id == assessment_id), None)

    def for_member(self, member_id: UUID, *, instrument_id: str | None = None) -> list[Assessment]:
        mine = sorted(
            (
                a
                for a in self._t.assessments
                if a.member_id == member_id
                and (instrument_id is None or a.instrument_id == instrument_id)
            ),
            key=lambda a: (a.submitted_at, a.id),
        )
        if mine:
            require_data_key(self._t, member_id)
        return mine

    def totals(
        self, member_ids: list[UUID], *, instrument_id: str
    ) -> dict[UUID, list[tuple[datetime, int]]]:
        wanted = set(member_ids)
        found: dict[UUID, list[tuple[datetime, int]]] = {}
        for a in sorted(self._t.assessments, key=lambda a: (a.submitted_at, a.id)):
            if a.member_id in wanted and a.instrument_id == instrument_id and a.total is not None:
                found.setdefault(a.member_id, []).append((a.submitted_at, a.total))
        return found

    def latest(self, member_id: UUID) -> dict[str, datetime]:
        found: dict[str, datetime] = {}
        for a in self._t.assessments:
            if a.member_id == member_id:
                found[a.instrument_id] = max(
                    a.submitted_at, found.get(a.instrument_id, a.submitted_at)
                )
        return found


class InMemorySchedules:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, schedule: Schedule) -> None:
        self._t.schedules.append(schedule)

    def get(self, *, member_id: UUID, schedule_id: UUID) -> Schedule | None:
        return next(
            (s for s in self._t.schedules if s.member_id == member_id and s.id == schedule_id),
            None,
        )

    def for_member(self, member_id: UUID, *, active_only: bool = True) -> list[Schedule]:
        return [
            s for s in self._sorted() if s.member_id == member_id and (s.active or not active_only)
        ]

    def active(self) -> list[Schedule]:
        return [s for s in self._sorted() if s.active]

    def end(self, schedule_id: UUID, *, at: datetime) -> None:
        self._t.schedules = [
            replace(s, ended_at=at) if s.id == schedule_id else s for s in self._t.schedules
        ]

    def mark_reminded(self, schedule_id: UUID, *, at: datetime) -> None:
        self._t.schedules = [
            replace(s, last_reminded_at=at) if s.id == schedule_id else s for s in self._t.schedules
        ]

    def _sorted(self) -> list[Schedule]:
        return sorted(self._t.schedules, key=lambda s: (s.created_at, s.id))


class InMemoryAlerts:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def add(self, alert: Alert) -> None:
        self._t.alerts.append(alert)

    def get(self, alert_id: UUID) -> Alert | None:
        return next((a for a in self._t.alerts if a.id == alert_id), None)

    def for_members(self, member_ids: list[UUID], *, open_only: bool = True) -> list[Alert]:
        wanted = set(member_ids)
        chosen = [a for a in self._t.alerts if a.member_id in wanted and (a.open or not open_only)]
        # Newest first; ties in id order, as the SQL adapter sorts them.
        chosen.sort(key=lambda a: a.id)
        chosen.sort(key=lambda a: a.created_at, reverse=True)
        return chosen

    def open_alerts(self) -> list[Alert]:
        return self.for_members(list({a.member_id for a in self._t.alerts}))

    def acknowledge(self, alert_id: UUID, *, by: UUID, at: datetime) -> None:
        self._t.alerts = [
            replace(a, acknowledged_at=at, acknowledged_by=by) if a.id == alert_id else a
            for a in self._t.alerts
        ]

    def mark_notified(self, alert_id: UUID, *, at: datetime) -> None:
        self._t.alerts = [
            replace(a, notified_at=at) if a.id == alert_id else a for a in self._t.alerts
        ]

    def mark_escalated(self, alert_id: UUID, *, at: datetime) -> None:
        self._t.alerts = [
            replace(a, escalated_at=at) if a.id == alert_id else a for a in self._t.alerts
        ]

    def add_note(self, note: AlertNote) -> None:
        require_data_key(self._t, note.member_id)
        self._t.alert_notes.append(note)

    def notes(self, alert_id: UUID) -> list[AlertNote]:
        mine = sorted(
            (n for n in self._t.alert_notes if n.alert_id == alert_id),
            key=lambda n: (n.created_at, n.id),
        )
        for note in mine[:1]:
            require_data_key(self._t, note.member_id)
        return mine


class InMemorySafetyPlans:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def get(self, member_id: UUID) -> SafetyPlan | None:
        plan = self._t.safety_plans.get(member_id)
        if plan is not None:
            require_data_key(self._t, member_id)
        return plan

    def save(self, plan: SafetyPlan) -> None:
        require_data_key(self._t, plan.member_id)
        self._t.safety_plans[plan.member_id] = plan
