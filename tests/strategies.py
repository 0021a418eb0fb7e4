"""Hypothesis strategies for Haven's domain values, shared by the unit tests."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from haven.domain.access import Purpose
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentKind, ConsentRecord
from haven.domain.people import SUPPORTED_LOCALES, Account, Role

__all__ = ["accounts", "audit_events", "consent_records", "instants", "typed_emails"]

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
