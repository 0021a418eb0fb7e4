"""Questionnaire results and their schedules."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from haven.adapters.crypto.fields import FieldCipher
from haven.adapters.db.tables import assessment_schedules, assessments
from haven.domain.schedules import Schedule
from haven.domain.scoring import Assessment

__all__ = ["SqlAssessments", "SqlSchedules"]


def _codes(joined: str) -> tuple[str, ...]:
    return tuple(code for code in joined.split(",") if code)


class SqlAssessments:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def add(self, assessment: Assessment) -> None:
        answers = self._cipher.encrypt(
            json.dumps(dict(assessment.answers), separators=(",", ":")),
            owner_id=assessment.member_id,
            table="assessments",
            column="answers_ct",
            row_id=assessment.id,
        )
        self._session.execute(
            insert(assessments).values(
                id=assessment.id,
                member_id=assessment.member_id,
                instrument_id=assessment.instrument_id,
                instrument_version=assessment.instrument_version,
                answers_ct=answers,
                raw_total=assessment.raw_total,
                total=assessment.total,
                severity=assessment.severity,
                flags=",".join(assessment.flags),
                source=assessment.source,
                submitted_at=assessment.submitted_at,
            )
        )

    def get(self, *, member_id: UUID, assessment_id: UUID) -> Assessment | None:
        rows = self._session.execute(
            select(assessments).where(
                assessments.c.member_id == member_id, assessments.c.id == assessment_id
            )
        )
        found = [self._read(row) for row in rows]
        return found[0] if found else None

    def for_member(self, member_id: UUID, *, instrument_id: str | None = None) -> list[Assessment]:
        query = (
            select(assessments)
            .where(assessments.c.member_id == member_id)
            .order_by(assessments.c.submitted_at, assessments.c.id)
        )
        if instrument_id is not None:
            query = query.where(assessments.c.instrument_id == instrument_id)
        return [self._read(row) for row in self._session.execute(query)]

    def totals(
        self, member_ids: list[UUID], *, instrument_id: str
    ) -> dict[UUID, list[tuple[datetime, int]]]:
        found: dict[UUID, list[tuple[datetime, int]]] = defaultdict(list)
        if not member_ids:
            return {}
        rows = self._session.execute(
            select(assessments.c.member_id, assessments.c.submitted_at, assessments.c.total)
            .where(
                assessments.c.member_id.in_(member_ids),
                assessments.c.instrument_id == instrument_id,
                assessments.c.total.is_not(None),
            )
            .order_by(assessments.c.submitted_at, assessments.c.id)
        )
        for member_id, at, total in rows:
            found[member_id].append((at, total))
        return dict(found)

    def latest(self, member_id: UUID) -> dict[str, datetime]:
        rows = self._session.execute(
            select(assessments.c.instrument_id, func.max(assessments.c.submitted_at))
            .where(assessments.c.member_id == member_id)
            .group_by(assessments.c.instrument_id)
        )
        # max() keeps the column's type, so the times come back timezone-aware.
        return {instrument_id: at for instrument_id, at in rows}  # noqa: C416 - rows, not pairs

    def _read(self, row: Any) -> Assessment:
        answers = json.loads(
            self._cipher.decrypt(
                row.answers_ct,
                owner_id=row.member_id,
                table="assessments",
                column="answers_ct",
                row_id=row.id,
            )
        )
        return Assessment(
            id=row.id,
            member_id=row.member_id,
            instrument_id=row.instrument_id,
            instrument_version=row.instrument_version,
            answers=answers,
            raw_total=row.raw_total,
            total=row.total,
            severity=row.severity,
            flags=_codes(row.flags),
            submitted_at=row.submitted_at,
            source=row.source,
        )


class SqlSchedules:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, schedule: Schedule) -> None:
        self._session.execute(
            insert(assessment_schedules).values(
                id=schedule.id,
                member_id=schedule.member_id,
                instrument_id=schedule.instrument_id,
                every_days=schedule.every_days,
                starts_at=schedule.starts_at,
                assigned_by=schedule.assigned_by,
                created_at=schedule.created_at,
                ended_at=schedule.ended_at,
                last_reminded_at=schedule.last_reminded_at,
            )
        )

    def get(self, *, member_id: UUID, schedule_id: UUID) -> Schedule | None:
        found = self._select(
            assessment_schedules.c.member_id == member_id,
            assessment_schedules.c.id == schedule_id,
        )
        return found[0] if found else None

    def for_member(self, member_id: UUID, *, active_only: bool = True) -> list[Schedule]:
        conditions = [assessment_schedules.c.member_id == member_id]
        if active_only:
            conditions.append(assessment_schedules.c.ended_at.is_(None))
        return self._select(*conditions)

    def active(self) -> list[Schedule]:
        return self._select(assessment_schedules.c.ended_at.is_(None))

    def end(self, schedule_id: UUID, *, at: datetime) -> None:
        self._session.execute(
            update(assessment_schedules)
            .where(assessment_schedules.c.id == schedule_id)
            .values(ended_at=at)
        )

    def mark_reminded(self, schedule_id: UUID, *, at: datetime) -> None:
        self._session.execute(
            update(assessment_schedules)
            .where(assessment_schedules.c.id == schedule_id)
            .values(last_reminded_at=at)
        )

    def _select(self, *conditions: Any) -> list[Schedule]:
        rows = self._session.execute(
            select(assessment_schedules)
            .where(*conditions)
            .order_by(assessment_schedules.c.created_at, assessment_schedules.c.id)
        )
        return [
            Schedule(
                id=row.id,
                member_id=row.member_id,
                instrument_id=row.instrument_id,
                every_days=row.every_days,
                starts_at=row.starts_at,
                assigned_by=row.assigned_by,
                created_at=row.created_at,
                ended_at=row.ended_at,
                last_reminded_at=row.last_reminded_at,
            )
            for row in rows
        ]
