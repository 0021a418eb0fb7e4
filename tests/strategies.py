"""Hypothesis strategies for Haven's domain values, shared by the unit tests."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import assume
from hypothesis import strategies as st

from haven.domain.access import Purpose
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentKind, ConsentRecord
from haven.domain.instruments import Instrument
from haven.domain.people import SUPPORTED_LOCALES, Account, Role

__all__ = [
    "accounts",
    "answer_sets",
    "audit_events",
    "consent_records",
    "instants",
    "raised_answer_sets",
    "typed_emails",
]

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)
"""Timezone-aware UTC moments, as the ``Clock`` port gives them."""

audit_events = st.builds(
    AuditEvent,
    at=instants,
    actor_id=st.none() | st.uuids(),
    actor_role=st.sampled_from([*(r.value for r in Role), "operator"]),
    action=st.sampled_from(
        ["journal.read", "journal.write", "note.list", "auth.sign_in", "member.erase"]
    ),
    purpose=st.sampled_from([p.value for p in Purpose]),
    subject_id=st.none() | st.uuids(),
    # Target ids are ids or counts in practice; any text checks the canonical encoding.
    target_id=st.none() | st.uuids().map(str) | st.text(max_size=20),
)

consent_records = st.builds(
    ConsentRecord,
    id=st.uuids(),
    account_id=st.uuids(),
    kind=st.sampled_from(ConsentKind),
    version=st.integers(min_value=1, max_value=3),
    granted_at=instants,
    revoked_at=st.none() | instants,
)

accounts = st.builds(
    Account,
    id=st.uuids(),
    email=st.emails(),
    role=st.sampled_from(Role),
    display_name=st.text(min_size=1, max_size=80),
    locale=st.sampled_from(SUPPORTED_LOCALES),
    password_hash=st.just("fake$"),
    created_at=instants,
)

typed_emails = st.builds(
    lambda address, shout, before, after: before + (address.upper() if shout else address) + after,
    st.emails(),
    st.booleans(),
    st.sampled_from(["", " ", "\t", "\n "]),
    st.sampled_from(["", " ", "\r\n"]),
)
"""Valid addresses as people type them: any case, stray spaces and line breaks around."""


# --- Questionnaires -------------------------------------------------------------------------


def _asked_ids(instrument: Instrument, answers: dict[str, int]) -> list[str]:
    """The items a person is asked, following each ``ask_if`` from the instrument file."""
    asked: list[str] = []
    for item in instrument.items:
        condition = item.ask_if
        if condition is None or (
            condition.item in asked and answers.get(condition.item) == condition.equals
        ):
            asked.append(item.id)
    return asked


def _values(instrument: Instrument, item_id: str) -> list[int]:
    item = instrument.item(item_id)
    assert item is not None
    return sorted(option.value for option in instrument.options_for(item))


@st.composite
def answer_sets(draw: st.DrawFn, instrument: Instrument) -> dict[str, int]:
    """A complete, valid set of answers to ``instrument``, as a person could give them: each
    question asked gets one of its options, skip logic is followed (the C-SSRS asks 3-5 only
    after a "yes" to 2) and an optional follow-up is sometimes left blank."""
    answers: dict[str, int] = {}
    for item in instrument.items:
        if item.id not in _asked_ids(instrument, answers):
            continue
        if not item.required and draw(st.booleans()):
            continue
        answers[item.id] = draw(st.sampled_from(_values(instrument, item.id)))
    return answers


@st.composite
def raised_answer_sets(
    draw: st.DrawFn, instrument: Instrument
) -> tuple[dict[str, int], dict[str, int]]:
    """A valid answer set and the same set with one answer raised to a higher option.

    A question the raise newly brings in (a "yes" to C-SSRS 2 asks 3-5) is answered with its
    lowest option, so the second set is valid too and differs only by that one raise."""
    before = draw(answer_sets(instrument))
    raisable = [
        item_id
        for item_id, value in before.items()
        if any(v > value for v in _values(instrument, item_id))
    ]
    assume(raisable)
    item_id = draw(st.sampled_from(raisable))
    higher = [v for v in _values(instrument, item_id) if v > before[item_id]]
    changed = {**before, item_id: draw(st.sampled_from(higher))}
    asked_before = _asked_ids(instrument, before)
    after: dict[str, int] = {}
    for item in instrument.items:
        if item.id not in _asked_ids(instrument, after):
            continue
        if item.id in changed:
            after[item.id] = changed[item.id]
        elif item.id not in asked_before:
            after[item.id] = _values(instrument, item.id)[0]
    return before, after
