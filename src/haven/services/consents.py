"""Giving and withdrawing consent."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from haven.domain.access import Purpose, require_role
from haven.domain.consent import ConsentDocument, ConsentKind, ConsentRecord, current_grants
from haven.domain.errors import InvalidInput, NotFound
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, UnitOfWork
from haven.domain.text import N_
from haven.services import _audit

__all__ = ["ConsentStatus", "consent_status", "grant_consent", "revoke_consent"]


@dataclass(frozen=True, slots=True)
class ConsentStatus:
    document: ConsentDocument
    grant: ConsentRecord | None


def consent_status(
    uow: UnitOfWork, *, actor: Account, documents: Mapping[ConsentKind, ConsentDocument]
) -> list[ConsentStatus]:
    with uow:
        grants = current_grants(uow.consents.for_account(actor.id), documents)
    return [ConsentStatus(document=doc, grant=grants.get(kind)) for kind, doc in documents.items()]


def grant_consent(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    kind: ConsentKind,
    version: int,
    documents: Mapping[ConsentKind, ConsentDocument],
) -> ConsentRecord:
    require_role(actor, Role.MEMBER)
    document = documents[kind]
    if version != document.version:
        raise InvalidInput(
            N_("That is not the current version of this document (version {current})."),
            field="version",
            current=document.version,
        )
    record = ConsentRecord(
        id=uuid.uuid4(), account_id=actor.id, kind=kind, version=version, granted_at=clock.now()
    )
    with uow:
        # One active grant per kind: a fresh grant replaces an older one.
        uow.consents.revoke(account_id=actor.id, kind=kind, at=record.granted_at)
        uow.consents.add(record)
        _audit.record(
            uow,
            at=record.granted_at,
            actor=actor,
            action=f"consent.grant.{kind.value}",
            purpose=Purpose.CONSENT,
            subject_id=actor.id,
            target_id=record.id,
        )
        uow.commit()
    return record


def revoke_consent(uow: UnitOfWork, *, clock: Clock, actor: Account, kind: ConsentKind) -> None:
    require_role(actor, Role.MEMBER)
    now = clock.now()
    with uow:
        if not uow.consents.revoke(account_id=actor.id, kind=kind, at=now):
            raise NotFound(N_("You have not given this consent, so there is nothing to withdraw."))
        _audit.record(
            uow,
            at=now,
            actor=actor,
            action=f"consent.revoke.{kind.value}",
            purpose=Purpose.CONSENT,
            subject_id=actor.id,
        )
        uow.commit()
