"""A demo that comes alive: an administrator, a clinician and a caseload of synthetic members
with months of history, so a fresh install has someone to sign in as and a dashboard that
means something. Never use on real data: it creates accounts under @haven.example only, and
refuses a database that already holds other people and no demo.

Everything goes through the real services, backdated with a fixed clock: fortnightly PHQ-9 and
GAD-7 (most members improving, two flat, one deteriorating), mood check-ins most evenings,
journal entries, and, when given the companion, a few conversations with it. Exactly one alert
is left open (the deteriorating member's last PHQ-9, item 9); any other the history raised is
acknowledged by the clinician, as it would have been at the time.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import pairwise
from uuid import UUID

from haven.domain.alerts import AlertSource
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import Conflict
from haven.domain.instruments import Instrument
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, PasswordHasher, UnitOfWorkFactory
from haven.domain.text import N_
from haven.services import _demo_story as story_data
from haven.services._demo_story import STORIES, Story, answers_totalling, story_rng
from haven.services.accounts import assign_to_care_team, create_account
from haven.services.alerts import acknowledge_alert, alert_queue
from haven.services.assessments import submit_assessment
from haven.services.consents import grant_consent
from haven.services.conversations import Companion, start_conversation, take_turn
from haven.services.exercises import assign_exercise
from haven.services.moods import check_in
from haven.services.records import write_journal_entry
from haven.services.schedules import assign_schedule

__all__ = ["DEMO_ACCOUNTS", "DEMO_DOMAIN", "DEMO_PASSWORD", "DemoRefused", "seed_demo"]

DEMO_PASSWORD = "haven-demo-2026"  # noqa: S105 - published on purpose, demo only
DEMO_DOMAIN = "@haven.example"
_STAFF = (
    ("admin@haven.example", Role.ADMIN, "Ada Admin"),
    ("clinician@haven.example", Role.CLINICIAN, "Dr Carmen Ruiz"),
)
# Every demo login; the first four are the ones the README lists.
DEMO_ACCOUNTS = _STAFF + tuple((s.email, Role.MEMBER, s.name) for s in STORIES)

_DAY = timedelta(days=1)
_FORTNIGHT = timedelta(days=14)
# What the clinician wrote on acknowledging: a questionnaire's item 9 meant a phone call;
# the words the risk check flagged in writing were read in their context first.
_ACKNOWLEDGED_ANSWER = (
    "Phoned the next morning: passive thoughts, no plan or intent. Safety plan reviewed "
    "together; follow up at the next session."
)
_ACKNOWLEDGED_WORDS = (
    "Read in context: no thoughts of self-harm in what was written. Sent a check-in message; "
    "will raise it at the next session."
)

# Exercises the clinician suggested after the last session, with a note to the member.
_SUGGESTED = {
    "member@haven.example": (
        "thought_record",
        "Try one after a tense moment at work this week, as we discussed.",
    ),
    "miembro@haven.example": (
        "behavioural_activation",
        "Elige una actividad pequeña y agradable para cada día de esta semana.",
    ),
}

Documents = Mapping[ConsentKind, ConsentDocument]


class DemoRefused(Conflict):
    """The database holds people who are not part of the demo, and no demo yet."""


class _FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


class _HashOnce:
    """Every demo account shares one published password: hash it once (argon2 is slow on
    purpose), still with a fresh salt per seeding."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self._hasher = hasher
        self._hashes: dict[str, str] = {}

    def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = self._hasher.hash(password)
        return self._hashes[password]

    def verify(self, password_hash: str, password: str) -> bool:
        return self._hasher.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.needs_rehash(password_hash)


def seed_demo(
    uow: UnitOfWorkFactory,
    *,
    hasher: PasswordHasher,
    clock: Clock,
    companion: Companion | None = None,
) -> list[Account]:
    """Create whatever part of the demo is missing; return every demo account.

    Running it again adds nothing: a member's history is written only when their account is
    made. ``companion`` (the container's) adds conversations; without it there are none.
    """
    from haven.content import consent_documents, instruments

    documents = consent_documents()
    with uow() as u:
        existing = {a.email: a for a in u.accounts.list() if a.email.endswith(DEMO_DOMAIN)}
        strangers = any(not a.email.endswith(DEMO_DOMAIN) for a in u.accounts.list())
    if strangers and not existing:
        raise DemoRefused(
            N_("This database already holds real accounts; the demo is only for a fresh one.")
        )
    once = _HashOnce(hasher)
    now = clock.now()
    accounts = dict(existing)
    staff_since = now - timedelta(weeks=max(s.weeks for s in STORIES) + 2)
    for email, role, name in _STAFF:
        if email not in accounts:
            accounts[email] = create_account(
                uow(),
                hasher=once,
                clock=_FixedClock(staff_since),
                actor=None,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                display_name=name,
            )
    clinician = accounts["clinician@haven.example"]
    made: list[tuple[Story, Account]] = []
    for story in STORIES:
        if story.email not in accounts:
            # A week before the first questionnaire (which starts up to five days early).
            since = now - _FORTNIGHT * (story.weeks // 2) - timedelta(days=8)
            member = _enrol(uow, story, clinician, hasher=once, at=since, documents=documents)
            accounts[story.email] = member
            made.append((story, member))
    keep_open: set[UUID] = set()
    for story, member in made:
        history = _History(
            uow,
            story=story,
            member=member,
            clinician=clinician,
            now=now,
            documents=documents,
            instruments=instruments(),
        )
        keep_open |= history.write(companion)
    from haven.content import flows

    for story, member in made:
        if story.email in _SUGGESTED:
            flow_id, note = _SUGGESTED[story.email]
            assign_exercise(
                uow(),
                clock=_FixedClock(now - timedelta(days=3)),
                actor=clinician,
                member_id=member.id,
                flow_id=flow_id,
                note=note,
                documents=documents,
                flows=flows(),
            )
    if made:
        _settle_alerts(
            uow,
            clinician=clinician,
            members={m.id for _, m in made},
            keep_open=keep_open,
            now=now,
            documents=documents,
        )
    return [accounts[email] for email, _, _ in DEMO_ACCOUNTS]


def _enrol(
    uow: UnitOfWorkFactory,
    story: Story,
    clinician: Account,
    *,
    hasher: PasswordHasher,
    at: datetime,
    documents: Documents,
) -> Account:
    """The member signs up, agrees to the terms and to sharing, and joins the caseload."""
    when = _FixedClock(at)
    member = create_account(
        uow(),
        hasher=hasher,
        clock=when,
        actor=None,
        email=story.email,
        password=DEMO_PASSWORD,
        role=Role.MEMBER,
        display_name=story.name,
        locale=story.locale,
    )
    for kind in (ConsentKind.TERMS_OF_USE, ConsentKind.CARE_TEAM_SHARING):
        grant_consent(
            uow(),
            clock=when,
            actor=member,
            kind=kind,
            version=documents[kind].version,
            documents=documents,
        )
    assign_to_care_team(
        uow(), clock=when, actor=None, clinician_id=clinician.id, member_id=member.id
    )
    return member


@dataclass
class _History:
    """One member's months, written through the services at the times they happened."""

    uow: UnitOfWorkFactory
    story: Story
    member: Account
    clinician: Account
    now: datetime
    documents: Documents
    instruments: Mapping[str, Instrument]

    def __post_init__(self) -> None:
        self.rng = story_rng(self.story)
        self.phq9: list[tuple[datetime, int]] = []

    def write(self, companion: Companion | None) -> set[UUID]:
        """Write everything; return the assessments whose alerts stay open."""
        keep = self._questionnaires()
        self._journal()
        self._moods()
        if companion is not None:
            # The companion's own choices are seeded too, so every install tells the same story.
            seeded = random.Random(self.story.email)  # noqa: S311 - synthetic data, no secret
            self._conversations(replace(companion, rng=seeded))
        return keep

    def _questionnaires(self) -> set[UUID]:
        story, rng = self.story, self.rng
        count = story.weeks // 2 + 1
        answered = count - story.silent_weeks // 2
        # Started a few hours (and up to five days) before a fortnight boundary, so the last
        # answer lands in the past and the next one falls due on different days per member.
        start = self.now - _FORTNIGHT * (count - 1) - timedelta(hours=3, days=rng.uniform(0, 5))
        totals = {
            "phq9": story.phq9.points(rng, count=count, top=27),
            "gad7": story.gad7.points(rng, count=count, top=21),
        }
        item9 = {n % count for n in story.item9_at}
        for instrument_id in totals:
            assign_schedule(
                self.uow(),
                clock=_FixedClock(start),
                actor=self.clinician,
                member_id=self.member.id,
                instrument_id=instrument_id,
                every_days=14,
                starts_at=None,
                instruments=self.instruments,
                documents=self.documents,
            )
        keep: set[UUID] = set()
        for n in range(answered):
            at = min(
                start + _FORTNIGHT * n + timedelta(hours=rng.uniform(1, 40)),
                self.now - timedelta(hours=1),
            )
            for offset, (instrument_id, series) in enumerate(totals.items()):
                positive = instrument_id == "phq9" and n in item9
                instrument = self.instruments[instrument_id]
                result = submit_assessment(
                    self.uow(),
                    clock=_FixedClock(at + timedelta(minutes=4 * offset)),
                    actor=self.member,
                    member_id=self.member.id,
                    instrument_id=instrument_id,
                    answers=answers_totalling(
                        rng,
                        max(series[n], 1) if positive else series[n],
                        items=len(instrument.items),
                        last_item=1 if positive else 0,
                    ),
                    instruments=self.instruments,
                    documents=self.documents,
                )
                if instrument_id == "phq9":
                    self.phq9.append((at, series[n] if result.total is None else result.total))
                    if positive and n == answered - 1:
                        keep.add(result.id)
        return keep

    def _phq9_on(self, at: datetime) -> float:
        """The PHQ-9 between two administrations, drawn as a straight line."""
        points = self.phq9
        if at <= points[0][0]:
            return points[0][1]
        for (t0, v0), (t1, v1) in pairwise(points):
            if at <= t1:
                return v0 + (v1 - v0) * ((at - t0) / (t1 - t0))
        return points[-1][1]

    def _days(self) -> list[datetime]:
        first = self.phq9[0][0].replace(hour=0, minute=0, second=0, microsecond=0)
        days = []
        day = first
        while day < self.now:
            days.append(day)
            day += _DAY
        return days

    def _silent_since(self) -> datetime:
        return self.now - timedelta(weeks=self.story.silent_weeks)

    def _evening(self, day: datetime) -> datetime | None:
        at = day + timedelta(hours=self.rng.uniform(18.5, 22.5))
        return at if at < self.now else None

    def _moods(self) -> None:
        rng, lang = self.rng, self.story.locale
        for day in self._days():
            quiet = self.story.silent_weeks and day >= self._silent_since()
            at = self._evening(day)
            if at is None or rng.random() < (0.8 if quiet else 0.3):
                continue
            phq9 = self._phq9_on(at)
            rating = story_data.mood_rating(rng, phq9=phq9, at=at)
            notes = story_data.MOOD_NOTES[lang][story_data.level(phq9)]
            check_in(
                self.uow(),
                clock=_FixedClock(at),
                actor=self.member,
                member_id=self.member.id,
                rating=rating,
                tags=story_data.mood_tags(rng, rating),
                note=rng.choice(notes) if rng.random() < 0.15 else None,
                documents=self.documents,
            )

    def _journal(self) -> None:
        rng, lang = self.rng, self.story.locale
        days = self._days()
        n = rng.randint(1, 4)
        while n < len(days):
            at = self._evening(days[n])
            if at is not None:
                lines = story_data.JOURNAL[lang][story_data.level(self._phq9_on(at))]
                write_journal_entry(
                    self.uow(),
                    clock=_FixedClock(at + timedelta(minutes=30)),
                    actor=self.member,
                    member_id=self.member.id,
                    body=rng.choice(lines),
                    documents=self.documents,
                )
            n += rng.randint(4, 10)

    def _conversations(self, companion: Companion) -> None:
        rng, lang = self.rng, self.story.locale
        days = self._days()
        for share in (0.05, 0.5, 0.97):
            day = days[min(len(days) - 1, int(share * len(days)))]
            at = day + timedelta(hours=rng.uniform(12, 17))
            if at >= self.now - timedelta(hours=1):
                at = self.now - timedelta(hours=2)
            scripts = story_data.CONVERSATIONS[lang][story_data.level(self._phq9_on(at))]
            conversation = start_conversation(
                self.uow(), clock=_FixedClock(at), actor=self.member, documents=self.documents
            )
            for turn, text in enumerate(rng.choice(scripts)):
                take_turn(
                    self.uow(),
                    clock=_FixedClock(at + timedelta(minutes=2 * turn + 1)),
                    actor=self.member,
                    conversation_id=conversation.id,
                    text=text,
                    companion=companion,
                    documents=self.documents,
                )


def _settle_alerts(
    uow: UnitOfWorkFactory,
    *,
    clinician: Account,
    members: set[UUID],
    keep_open: set[UUID],
    now: datetime,
    documents: Documents,
) -> None:
    """The clinician acknowledged every alert the history raised, the next morning, except
    the one the demo leaves open for them to meet."""
    for alert in alert_queue(uow(), clock=_FixedClock(now), actor=clinician, documents=documents):
        if alert.member_id not in members or alert.source_id in keep_open:
            continue
        acknowledge_alert(
            uow(),
            clock=_FixedClock(min(alert.created_at + timedelta(hours=18), now)),
            actor=clinician,
            alert_id=alert.id,
            documents=documents,
            note=_ACKNOWLEDGED_ANSWER
            if alert.source is AlertSource.ASSESSMENT
            else _ACKNOWLEDGED_WORDS,
        )
