"""Measurement-based care benchmarks: scoring, storing a result, outcomes and FHIR export."""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from haven.adapters import fhir
from haven.bootstrap import Container
from haven.domain.consent import ConsentKind
from haven.domain.people import Account, Role
from haven.domain.scoring import score
from haven.services.accounts import assign_to_care_team, create_account
from haven.services.assessments import assessments_of, submit_assessment
from haven.services.consents import grant_consent
from haven.services.outcomes import caseload_outcomes
from haven.services.schedules import assign_schedule

SUBMISSIONS = 500
CASELOAD = 100  # members, each with six fortnightly PHQ-9 totals
SCORES = 20_000


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _person(container: Container, role: Role, n: int) -> Account:
    account = create_account(
        container.uow(),
        hasher=container.hasher,
        clock=container.clock,
        actor=None,
        email=f"{role.value}{n}@bench.example",
        password="benchmark password",
        role=role,
        display_name=f"{role.value} {n}",
    )
    if role is Role.MEMBER:
        for kind in (ConsentKind.TERMS_OF_USE, ConsentKind.CARE_TEAM_SHARING):
            grant_consent(
                container.uow(),
                clock=container.clock,
                actor=account,
                kind=kind,
                version=container.documents[kind].version,
                documents=container.documents,
            )
    return account


def run(container: Container) -> dict[str, Any]:
    rng = random.Random(7)
    phq9 = container.instruments["phq9"]
    answer_sets = [{item.id: rng.randint(0, 3) for item in phq9.items} for _ in range(SCORES)]
    started = time.perf_counter()
    for answers in answer_sets:
        score(instrument=phq9, answers=answers)
    scores_per_second = SCORES / (time.perf_counter() - started)

    clinician = _person(container, Role.CLINICIAN, 0)
    members = [_person(container, Role.MEMBER, n) for n in range(CASELOAD)]
    for member in members:
        assign_to_care_team(
            container.uow(),
            clock=container.clock,
            actor=None,
            clinician_id=clinician.id,
            member_id=member.id,
        )
        assign_schedule(
            container.uow(),
            clock=container.clock,
            actor=clinician,
            member_id=member.id,
            instrument_id="phq9",
            every_days=14,
            starts_at=None,
            instruments=container.instruments,
            documents=container.documents,
        )
    submits: list[float] = []
    for n in range(SUBMISSIONS):
        member = members[n % CASELOAD]
        answers = [rng.randint(0, 3) for _ in phq9.items]
        started = time.perf_counter()
        submit_assessment(
            container.uow(),
            clock=container.clock,
            actor=member,
            member_id=member.id,
            instrument_id="phq9",
            answers=answers,
            instruments=container.instruments,
            documents=container.documents,
        )
        submits.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    caseload_outcomes(
        container.uow(),
        clock=container.clock,
        actor=clinician,
        instrument_id="phq9",
        instruments=container.instruments,
        documents=container.documents,
    )
    caseload_ms = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    mine = assessments_of(
        container.uow(),
        clock=container.clock,
        actor=clinician,
        member_id=members[0].id,
        documents=container.documents,
    )
    bundle = fhir.member_bundle(
        assessments=mine, instruments=container.instruments, base_url="https://haven.example"
    )
    bundle_ms = (time.perf_counter() - started) * 1000
    return {
        "phq9_scores_per_second": round(scores_per_second),
        "assessment_submit_p50_ms": round(statistics.median(submits), 2),
        "assessment_submit_p99_ms": round(_percentile(submits, 0.99), 2),
        "caseload_outcomes_ms": round(caseload_ms, 1),
        "caseload_members": CASELOAD,
        "caseload_results": SUBMISSIONS,
        "fhir_bundle_ms": round(bundle_ms, 1),
        "fhir_bundle_entries": len(bundle.get("entry", [])),
    }
