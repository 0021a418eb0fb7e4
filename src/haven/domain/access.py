"""Who may read or write a member's data, and why (the purpose recorded in the audit trail).

Least privilege, as the product requires: a member sees only their own records; a clinician
sees only members assigned to their care team who consented to share with it; an
administrator manages accounts but never reads clinical content.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from haven.domain.errors import NotFound, PermissionDenied
from haven.domain.people import Account, Role
from haven.domain.text import N_

__all__ = ["Purpose", "authorise_clinical_access", "require_role"]


class Purpose(StrEnum):
    """Why data was touched; written into every audit entry."""

    SELF_CARE = "self-care"
    CARE_TEAM_REVIEW = "care-team-review"
    ACCOUNT_ADMINISTRATION = "account-administration"
    DATA_EXPORT = "data-export"
    ERASURE = "erasure"
    AUTHENTICATION = "authentication"
    CONSENT = "consent"
    KEY_MANAGEMENT = "key-management"


MEMBER_NOT_FOUND = N_("No member with that id is visible to you.")


def authorise_clinical_access(
    *,
    actor: Account,
    member_id: UUID,
    in_care_team: bool,
    shares_with_care_team: bool,
) -> Purpose:
    """The purpose under which ``actor`` may touch ``member_id``'s clinical content.

    Members and clinicians get "not found" for people outside their reach, so that the
    answer never confirms that someone else's record exists.
    """
    if actor.role is Role.ADMIN:
        raise PermissionDenied(
            N_("Administrators manage accounts and cannot read clinical content.")
        )
    if actor.role is Role.MEMBER:
        if actor.id != member_id:
            raise NotFound(MEMBER_NOT_FOUND)
        return Purpose.SELF_CARE
    if not in_care_team:
        raise NotFound(MEMBER_NOT_FOUND)
    if not shares_with_care_team:
        raise PermissionDenied(
            N_("This member has not consented to share their records with their care team.")
        )
    return Purpose.CARE_TEAM_REVIEW


def require_role(actor: Account, *roles: Role) -> None:
    if actor.role not in roles:
        raise PermissionDenied(
            N_("This action needs the role: {roles}."), roles=", ".join(r.value for r in roles)
        )
