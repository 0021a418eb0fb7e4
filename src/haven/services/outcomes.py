"""Outcomes for a member (trajectory, reliable change, recovery) and for a clinician's
caseload (rates and effect size), computed from stored totals."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from haven.domain.access import Purpose, require_role
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import InvalidInput
from haven.domain.instruments import Instrument
from haven.domain.outcomes import (
    CaseloadOutcome,
    MemberOutcome,
    caseload_outcome,
    jacobson_truax_threshold,
    member_outcome,
)
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.text import N_
from haven.services import _audit
from haven.services._access import open_member_record, shared_caseload
from haven.services.assessments import find_instrument

__all__ = [
    "CaseloadReport",
    "InstrumentOutcome",
    "TrajectoryPoint",
    "caseload_outcomes",
    "member_outcomes",
]

Documents = Mapping[ConsentKind, ConsentDocument]
Instruments = Mapping[str, Instrument]


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    at: datetime
    total: int
    severity: str


@dataclass(frozen=True, slots=True)
class InstrumentOutcome:
    instrument_id: str
    trajectory: tuple[TrajectoryPoint, ...]
    outcome: MemberOutcome | None  # None until there are two totals, or no change criteria


def member_outcomes(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    instruments: Instruments,
    documents: Documents,
) -> list[InstrumentOutcome]:
    """One entry per instrument the member has a total for, in the instruments' order."""
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        results = uow.assessments.for_member(member_id)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="outcome.member",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    found: list[InstrumentOutcome] = []
    for instrument in instruments.values():
        points = tuple(
            TrajectoryPoint(a.submitted_at, a.total, a.severity)
            for a in results
            if a.instrument_id == instrument.id and a.total is not None
        )
        if not points:
            continue
        outcome = None
        if instrument.change is not None:
            outcome = member_outcome(
                instrument_id=instrument.id,
                criteria=instrument.change,
                totals=[(p.at, p.total) for p in points],
            )
        found.append(InstrumentOutcome(instrument.id, points, outcome))
    return found


@dataclass(frozen=True, slots=True)
class CaseloadReport:
    outcome: CaseloadOutcome
    reliable_change: float  # the threshold the categories use (a service convention or JT)
    baseline_sd: float | None  # SD of the members' first totals, score points
    jacobson_truax_threshold: float | None  # 1.96 x baseline SD x sqrt(2 x (1 - r))


def caseload_outcomes(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    instrument_id: str,
    instruments: Instruments,
    documents: Documents,
) -> CaseloadReport:
    """Reliable improvement, recovery, deterioration and effect size over the members who
    share their records with this clinician, with the Jacobson-Truax index their own baseline
    spread and the instrument's published reliability give."""
    require_role(actor, Role.CLINICIAN)
    instrument = find_instrument(instruments, instrument_id)
    if instrument.change is None:
        raise InvalidInput(
            N_("{instrument} has no published reliable-change criteria to report outcomes."),
            field="instrument",
            instrument=instrument.short_name,
        )
    with uow:
        members = shared_caseload(uow, clinician=actor, documents=documents)
        totals = uow.assessments.totals(members, instrument_id=instrument.id)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="outcome.caseload",
            purpose=Purpose.CARE_TEAM_REVIEW,
        )
        uow.commit()
    outcomes = [
        outcome
        for series in totals.values()
        if (
            outcome := member_outcome(
                instrument_id=instrument.id, criteria=instrument.change, totals=series
            )
        )
        is not None
    ]
    firsts = [outcome.first_total for outcome in outcomes]
    baseline_sd = statistics.stdev(firsts) if len(firsts) >= 2 else None
    threshold = None
    if baseline_sd and instrument.change.reliability is not None:
        threshold = jacobson_truax_threshold(
            sd=baseline_sd, reliability=instrument.change.reliability
        )
    return CaseloadReport(
        outcome=caseload_outcome(
            instrument_id=instrument.id, criteria=instrument.change, outcomes=outcomes
        ),
        reliable_change=instrument.change.reliable_change,
        baseline_sd=baseline_sd,
        jacobson_truax_threshold=threshold,
    )
