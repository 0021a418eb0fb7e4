"""Demo accounts so a fresh install has someone to sign in as. Never use on real data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.instruments import Instrument
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, PasswordHasher, UnitOfWorkFactory
from haven.services.accounts import assign_to_care_team, create_account
from haven.services.assessments import submit_assessment
from haven.services.consents import grant_consent
from haven.services.records import write_journal_entry
from haven.services.schedules import assign_schedule

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "seed_demo"]

DEMO_PASSWORD = "haven-demo-2026"  # noqa: S105 - published on purpose, demo only
DEMO_ACCOUNTS = (
    ("admin@haven.example", Role.ADMIN, "Ada Admin"),
    ("clinician@haven.example", Role.CLINICIAN, "Dr Carmen Ruiz"),
    ("member@haven.example", Role.MEMBER, "Sam Rivera"),
    ("miembro@haven.example", Role.MEMBER, "Lucía Gómez"),
)

# Fortnightly totals over ten weeks: Sam recovers; Lucía worsens, and her last PHQ-9 has a
# "several days" on item 9, so the clinician's alert queue is not empty on first sign-in.
DEMO_HISTORY: dict[str, dict[str, tuple[int, ...]]] = {
    "member@haven.example": {"phq9": (16, 14, 11, 9, 7, 6), "gad7": (13, 12, 9, 8, 6, 5)},
    "miembro@haven.example": {"phq9": (8, 9, 11, 12, 13, 15), "gad7": (7, 8, 10, 10, 12, 13)},
}
_FORTNIGHT = timedelta(days=14)


class _FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def seed_demo(uow: UnitOfWorkFactory, *, hasher: PasswordHasher, clock: Clock) -> list[Account]:
    """Create any demo account that is missing; return all of them."""
    from haven.content import consent_documents, instruments

    documents = consent_documents()
    accounts: list[Account] = []
    created: list[Account] = []
    for email, role, name in DEMO_ACCOUNTS:
        with uow() as u:
            existing = u.accounts.by_email(email)
        if existing is not None:
            accounts.append(existing)
            continue
        locale = "es" if email.startswith("miembro") else "en"
        account = create_account(
            uow(),
            hasher=hasher,
            clock=clock,
            actor=None,
            email=email,
            password=DEMO_PASSWORD,
            role=role,
            display_name=name,
            locale=locale,
        )
        accounts.append(account)
        created.append(account)
        if role is Role.MEMBER:
            for kind in (ConsentKind.TERMS_OF_USE, ConsentKind.CARE_TEAM_SHARING):
                grant_consent(
                    uow(),
                    clock=clock,
                    actor=account,
                    kind=kind,
                    version=documents[kind].version,
                    documents=documents,
                )
            write_journal_entry(
                uow(),
                clock=clock,
                actor=account,
                member_id=account.id,
                body="Slept badly, but the walk at lunch helped."
                if locale == "en"
                else "Dormí mal, pero el paseo del mediodía me ayudó.",
                documents=documents,
            )
    clinician = next(a for a in accounts if a.role is Role.CLINICIAN)
    for member in (a for a in accounts if a.role is Role.MEMBER):
        assign_to_care_team(
            uow(), clock=clock, actor=None, clinician_id=clinician.id, member_id=member.id
        )
    for member in created:
        if member.email in DEMO_HISTORY:
            _questionnaire_history(
                uow,
                clock=clock,
                clinician=clinician,
                member=member,
                history=DEMO_HISTORY[member.email],
                instruments=instruments(),
                documents=documents,
            )
    return accounts


def _questionnaire_history(
    uow: UnitOfWorkFactory,
    *,
    clock: Clock,
    clinician: Account,
    member: Account,
    history: Mapping[str, tuple[int, ...]],
    instruments: Mapping[str, Instrument],
    documents: Mapping[ConsentKind, ConsentDocument],
) -> None:
    """Fortnightly PHQ-9 and GAD-7 schedules, answered on time, ending today."""
    for instrument_id, totals in history.items():
        # The schedule starts three hours before the first answer's fortnight, so the last
        # answer lands an hour before now, never in the future.
        start = clock.now() - _FORTNIGHT * (len(totals) - 1) - timedelta(hours=3)
        at = _FixedClock(start)
        assign_schedule(
            uow(),
            clock=at,
            actor=clinician,
            member_id=member.id,
            instrument_id=instrument_id,
            every_days=14,
            starts_at=None,
            instruments=instruments,
            documents=documents,
        )
        for number, total in enumerate(totals, start=1):
            last = number == len(totals)
            at.at = start + _FORTNIGHT * (number - 1) + timedelta(hours=2)
            submit_assessment(
                uow(),
                clock=at,
                actor=member,
                member_id=member.id,
                instrument_id=instrument_id,
                answers=_answers_totalling(
                    total,
                    items=len(instruments[instrument_id].items),
                    last_item=1 if last and instrument_id == "phq9" and total >= 15 else 0,
                ),
                instruments=instruments,
                documents=documents,
            )


def _answers_totalling(total: int, *, items: int, last_item: int) -> list[int]:
    """Answers 0-3 adding up to ``total``, spread evenly, with the last item as given."""
    answers = [0] * items
    answers[-1] = last_item
    remaining = total - last_item
    for position in range(remaining):
        answers[position % (items - 1)] += 1
    return answers
