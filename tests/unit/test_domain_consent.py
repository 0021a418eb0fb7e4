"""Which consents count (active, for the current document version) and which are missing."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import consent_records

from haven.domain.consent import (
    ConsentDocument,
    ConsentKind,
    ConsentRecord,
    current_grants,
    require_consents,
)
from haven.domain.errors import ConsentRequired

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MEMBER = uuid4()


def document(kind: ConsentKind, *, version: int = 2, required: bool = False) -> ConsentDocument:
    return ConsentDocument(
        kind=kind, version=version, required=required, title={"en": kind}, summary={"en": kind}
    )


DOCUMENTS = {
    ConsentKind.TERMS_OF_USE: document(ConsentKind.TERMS_OF_USE, required=True),
    ConsentKind.CARE_TEAM_SHARING: document(ConsentKind.CARE_TEAM_SHARING),
    ConsentKind.RESEARCH: document(ConsentKind.RESEARCH),
}


def grant(
    kind: ConsentKind, *, version: int = 2, revoked: bool = False, member: UUID = MEMBER
) -> ConsentRecord:
    return ConsentRecord(
        id=uuid4(),
        account_id=member,
        kind=kind,
        version=version,
        granted_at=NOW,
        revoked_at=NOW if revoked else None,
    )


def test_an_active_grant_of_the_current_version_counts() -> None:
    record = grant(ConsentKind.CARE_TEAM_SHARING)

    assert current_grants([record], DOCUMENTS) == {ConsentKind.CARE_TEAM_SHARING: record}


def test_a_revoked_grant_does_not_count() -> None:
    assert current_grants([grant(ConsentKind.CARE_TEAM_SHARING, revoked=True)], DOCUMENTS) == {}


def test_a_grant_of_an_older_version_does_not_count() -> None:
    assert current_grants([grant(ConsentKind.CARE_TEAM_SHARING, version=1)], DOCUMENTS) == {}


def test_a_grant_for_a_document_no_longer_published_does_not_count() -> None:
    only_terms = {ConsentKind.TERMS_OF_USE: DOCUMENTS[ConsentKind.TERMS_OF_USE]}

    assert current_grants([grant(ConsentKind.RESEARCH)], only_terms) == {}


def test_missing_required_consent_is_named() -> None:
    with pytest.raises(ConsentRequired) as required:
        require_consents([grant(ConsentKind.CARE_TEAM_SHARING)], DOCUMENTS)

    assert required.value.missing == ["terms_of_use"]


def test_terms_agreed_to_in_an_older_version_must_be_agreed_again() -> None:
    with pytest.raises(ConsentRequired) as required:
        require_consents([grant(ConsentKind.TERMS_OF_USE, version=1)], DOCUMENTS)

    assert required.value.missing == ["terms_of_use"]


def test_every_missing_required_consent_is_listed_in_order() -> None:
    documents = {kind: document(kind, required=True) for kind in ConsentKind}

    with pytest.raises(ConsentRequired) as required:
        require_consents([grant(ConsentKind.RESEARCH)], documents)

    assert required.value.missing == ["care_team_sharing", "terms_of_use"]


def test_optional_consents_are_not_required() -> None:
    require_consents([grant(ConsentKind.TERMS_OF_USE)], DOCUMENTS)


@given(records=st.lists(consent_records, max_size=12))
def test_only_active_current_version_records_are_ever_granted(
    records: list[ConsentRecord],
) -> None:
    grants = current_grants(records, DOCUMENTS)

    for kind, record in grants.items():
        assert record in records
        assert record.kind is kind
        assert record.active
        assert record.version == DOCUMENTS[kind].version
    counting = {r.kind for r in records if r.active and r.version == DOCUMENTS[r.kind].version}
    assert set(grants) == counting
