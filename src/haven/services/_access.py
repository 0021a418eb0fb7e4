"""Opening a member's record: the consent and care-team checks every clinical read passes."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from haven.domain.access import MEMBER_NOT_FOUND, Purpose, authorise_clinical_access
from haven.domain.consent import ConsentDocument, ConsentKind, current_grants, require_consents
from haven.domain.errors import NotFound
from haven.domain.people import Account, Role
from haven.domain.ports import UnitOfWork


def open_member_record(
    uow: UnitOfWork,
    *,
    actor: Account,
    member_id: UUID,
    documents: Mapping[ConsentKind, ConsentDocument],
) -> Purpose:
    """Check that ``actor`` may touch ``member_id``'s clinical content; return the purpose."""
    if actor.role is Role.MEMBER:
        require_consents(uow.consents.for_account(actor.id), documents)
    in_team = actor.role is Role.CLINICIAN and uow.care_teams.is_assigned(
        clinician_id=actor.id, member_id=member_id
    )
    shares = False
    if in_team:
        grants = current_grants(uow.consents.for_account(member_id), documents)
        shares = ConsentKind.CARE_TEAM_SHARING in grants
    purpose = authorise_clinical_access(
        actor=actor, member_id=member_id, in_care_team=in_team, shares_with_care_team=shares
    )
    member = uow.accounts.get(member_id)
    if member is None or member.role is not Role.MEMBER:
        raise NotFound(MEMBER_NOT_FOUND)
    return purpose


def shared_caseload(
    uow: UnitOfWork, *, clinician: Account, documents: Mapping[ConsentKind, ConsentDocument]
) -> list[UUID]:
    """The members in ``clinician``'s care team who currently share their records with it."""
    return [
        member_id
        for member_id in uow.care_teams.members_of(clinician.id)
        if ConsentKind.CARE_TEAM_SHARING
        in current_grants(uow.consents.for_account(member_id), documents)
    ]
