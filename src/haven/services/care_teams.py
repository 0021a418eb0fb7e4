"""Who looks after whom: the care teams as an administrator sees them."""

from __future__ import annotations

from dataclasses import dataclass

from haven.domain.access import Purpose, require_role
from haven.domain.people import Account, Role
from haven.domain.ports import Clock, UnitOfWork
from haven.services import _audit

__all__ = ["CareTeam", "care_teams"]


@dataclass(frozen=True, slots=True)
class CareTeam:
    """One clinician and the members assigned to them, by e-mail address."""

    clinician: Account
    members: list[Account]


def care_teams(
    uow: UnitOfWork, *, clock: Clock, actor: Account
) -> tuple[list[CareTeam], list[Account]]:
    """Every clinician with their members (both by e-mail), and every member, for the
    assignment form. Accounts only: an administrator never sees clinical content."""
    require_role(actor, Role.ADMIN)
    with uow:
        members = sorted(uow.accounts.list(role=Role.MEMBER), key=lambda a: a.email)
        by_id = {member.id: member for member in members}
        teams = [
            CareTeam(
                clinician=clinician,
                members=sorted(
                    (by_id[m] for m in uow.care_teams.members_of(clinician.id) if m in by_id),
                    key=lambda a: a.email,
                ),
            )
            for clinician in sorted(uow.accounts.list(role=Role.CLINICIAN), key=lambda a: a.email)
        ]
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="care_team.list",
            purpose=Purpose.ACCOUNT_ADMINISTRATION,
        )
        uow.commit()
    return teams, members
