"""Giving and withdrawing consent, one active grant per kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from haven.adapters.memory import InMemoryUnitOfWorkFactory, ManualClock
from haven.domain.audit import AuditEvent
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import InvalidInput, NotFound, PermissionDenied
from haven.domain.people import Account
from haven.services.consents import consent_status, grant_consent, revoke_consent

Documents = dict[ConsentKind, ConsentDocument]
RESEARCH = ConsentKind.RESEARCH


def test_a_new_member_sees_every_document_with_nothing_granted(
    uow: InMemoryUnitOfWorkFactory, documents: Documents, make_member: Callable[..., Account]
) -> None:
    newcomer = make_member("new@example.org", consents=[])

    statuses = consent_status(uow(), actor=newcomer, documents=documents)

    assert [s.document.kind for s in statuses] == list(documents)
    assert all(s.grant is None for s in statuses)


def test_granting_consent_records_it_and_audits_it(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
) -> None:
    record = grant_consent(
        uow(), clock=clock, actor=sam, kind=RESEARCH, version=1, documents=documents
    )

    status = {
        s.document.kind: s.grant for s in consent_status(uow(), actor=sam, documents=documents)
    }
    assert status[RESEARCH] == record
    last = audit_trail()[-1]
    assert (last.action, last.purpose, last.subject_id, last.target_id) == (
        "consent.grant.research",
        "consent",
        sam.id,
        str(record.id),
    )


def test_granting_again_replaces_the_earlier_grant(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, sam: Account
) -> None:
    first = grant_consent(
        uow(), clock=clock, actor=sam, kind=RESEARCH, version=1, documents=documents
    )
    clock.advance(timedelta(days=1))
    second = grant_consent(
        uow(), clock=clock, actor=sam, kind=RESEARCH, version=1, documents=documents
    )

    with uow() as u:
        research = [r for r in u.consents.for_account(sam.id) if r.kind is RESEARCH]
    assert [r.id for r in research] == [first.id, second.id]
    assert [r.active for r in research] == [False, True]
    assert research[0].revoked_at == second.granted_at


def test_consent_to_an_outdated_version_is_refused(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, sam: Account
) -> None:
    with pytest.raises(InvalidInput) as invalid:
        grant_consent(uow(), clock=clock, actor=sam, kind=RESEARCH, version=0, documents=documents)

    assert invalid.value.field == "version"


def test_only_members_give_consent(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, documents: Documents, carmen: Account
) -> None:
    with pytest.raises(PermissionDenied):
        grant_consent(
            uow(), clock=clock, actor=carmen, kind=RESEARCH, version=1, documents=documents
        )


def test_withdrawing_consent_ends_the_grant_and_is_audited(
    uow: InMemoryUnitOfWorkFactory,
    clock: ManualClock,
    documents: Documents,
    audit_trail: Callable[[], list[AuditEvent]],
    sam: Account,
) -> None:
    revoke_consent(uow(), clock=clock, actor=sam, kind=ConsentKind.CARE_TEAM_SHARING)

    status = {
        s.document.kind: s.grant for s in consent_status(uow(), actor=sam, documents=documents)
    }
    assert status[ConsentKind.CARE_TEAM_SHARING] is None
    assert status[ConsentKind.TERMS_OF_USE] is not None
    assert audit_trail()[-1].action == "consent.revoke.care_team_sharing"


def test_withdrawing_a_consent_never_given_is_reported(
    uow: InMemoryUnitOfWorkFactory, clock: ManualClock, sam: Account
) -> None:
    before = uow.store.committed.snapshot()

    with pytest.raises(NotFound):
        revoke_consent(uow(), clock=clock, actor=sam, kind=RESEARCH)

    assert uow.store.committed == before
