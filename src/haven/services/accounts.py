"""Making accounts, care-team assignment and profiles."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from uuid import UUID

from haven.domain.access import Purpose, require_role
from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.errors import Conflict, InvalidInput, NotFound
from haven.domain.people import (
    Account,
    Role,
    check_display_name,
    check_locale,
    check_password,
    normalise_email,
)
from haven.domain.ports import Clock, PasswordHasher, UnitOfWork
from haven.domain.text import N_
from haven.services import _audit
from haven.services._access import open_member_record

__all__ = [
    "assign_to_care_team",
    "caseload",
    "create_account",
    "list_accounts",
    "member_profile",
    "register_member",
    "unassign_from_care_team",
    "update_profile",
]


def create_account(
    uow: UnitOfWork,
    *,
    hasher: PasswordHasher,
    clock: Clock,
    actor: Account | None,
    email: str,
    password: str,
    role: Role,
    display_name: str,
    locale: str = "en",
) -> Account:
    """An administrator (or the operator, ``actor=None``) makes an account of any role."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    account = _new_account(
        hasher=hasher,
        clock=clock,
        email=email,
        password=password,
        role=role,
        display_name=display_name,
        locale=locale,
    )
    with uow:
        _add(uow, account)
        _audit.record(
            uow,
            at=account.created_at,
            actor=actor,
            action="account.create",
            purpose=Purpose.ACCOUNT_ADMINISTRATION,
            subject_id=account.id,
        )
        uow.commit()
    return account


def register_member(
    uow: UnitOfWork,
    *,
    hasher: PasswordHasher,
    clock: Clock,
    email: str,
    password: str,
    display_name: str,
    locale: str = "en",
) -> Account:
    """A person signs up as a member (consent comes next, before any use)."""
    account = _new_account(
        hasher=hasher,
        clock=clock,
        email=email,
        password=password,
        role=Role.MEMBER,
        display_name=display_name,
        locale=locale,
    )
    with uow:
        _add(uow, account)
        _audit.record(
            uow,
            at=account.created_at,
            actor=account,
            action="account.register",
            purpose=Purpose.ACCOUNT_ADMINISTRATION,
            subject_id=account.id,
        )
        uow.commit()
    return account


def _new_account(
    *,
    hasher: PasswordHasher,
    clock: Clock,
    email: str,
    password: str,
    role: Role,
    display_name: str,
    locale: str,
) -> Account:
    address = normalise_email(email)
    check_password(password)
    return Account(
        id=uuid.uuid4(),
        email=address,
        role=role,
        display_name=check_display_name(display_name),
        locale=check_locale(locale),
        password_hash=hasher.hash(password),
        created_at=clock.now(),
    )


def _add(uow: UnitOfWork, account: Account) -> None:
    if uow.accounts.by_email(account.email) is not None:
        raise Conflict(N_("An account with this e-mail address already exists."))
    uow.data_keys.create(account.id)
    uow.accounts.add(account)


def list_accounts(
    uow: UnitOfWork, *, clock: Clock, actor: Account | None, role: Role | None = None
) -> list[Account]:
    if actor is not None:
        require_role(actor, Role.ADMIN)
    with uow:
        accounts = uow.accounts.list(role=role)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="account.list",
            purpose=Purpose.ACCOUNT_ADMINISTRATION,
        )
        uow.commit()
    return accounts


def _account_with_role(uow: UnitOfWork, account_id: UUID, role: Role, field: str) -> Account:
    account = uow.accounts.get(account_id)
    if account is None or account.role is not role:
        raise InvalidInput(N_("No {role} account has that id."), field=field, role=role.value)
    return account


def assign_to_care_team(
    uow: UnitOfWork, *, clock: Clock, actor: Account | None, clinician_id: UUID, member_id: UUID
) -> None:
    if actor is not None:
        require_role(actor, Role.ADMIN)
    with uow:
        _account_with_role(uow, clinician_id, Role.CLINICIAN, "clinician_id")
        _account_with_role(uow, member_id, Role.MEMBER, "member_id")
        uow.care_teams.assign(clinician_id=clinician_id, member_id=member_id)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="care_team.assign",
            purpose=Purpose.ACCOUNT_ADMINISTRATION,
            subject_id=member_id,
            target_id=clinician_id,
        )
        uow.commit()


def unassign_from_care_team(
    uow: UnitOfWork, *, clock: Clock, actor: Account | None, clinician_id: UUID, member_id: UUID
) -> None:
    if actor is not None:
        require_role(actor, Role.ADMIN)
    with uow:
        if not uow.care_teams.unassign(clinician_id=clinician_id, member_id=member_id):
            raise NotFound(N_("That clinician is not assigned to that member."))
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="care_team.unassign",
            purpose=Purpose.ACCOUNT_ADMINISTRATION,
            subject_id=member_id,
            target_id=clinician_id,
        )
        uow.commit()


def update_profile(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    display_name: str | None = None,
    locale: str | None = None,
) -> Account:
    updated = actor.with_changes(
        display_name=None if display_name is None else check_display_name(display_name),
        locale=None if locale is None else check_locale(locale),
    )
    with uow:
        uow.accounts.update(updated)
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="profile.update",
            purpose=Purpose.SELF_CARE,
            subject_id=actor.id,
        )
        uow.commit()
    return updated


def caseload(uow: UnitOfWork, *, clock: Clock, actor: Account) -> list[Account]:
    """The members assigned to a clinician."""
    require_role(actor, Role.CLINICIAN)
    with uow:
        members = [
            member
            for member_id in uow.care_teams.members_of(actor.id)
            if (member := uow.accounts.get(member_id)) is not None
        ]
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="caseload.read",
            purpose=Purpose.CARE_TEAM_REVIEW,
        )
        uow.commit()
    return members


def member_profile(
    uow: UnitOfWork,
    *,
    clock: Clock,
    actor: Account,
    member_id: UUID,
    documents: Mapping[ConsentKind, ConsentDocument],
) -> Account:
    with uow:
        purpose = open_member_record(uow, actor=actor, member_id=member_id, documents=documents)
        member = uow.accounts.get(member_id)
        assert member is not None  # open_member_record checked it exists
        _audit.record(
            uow,
            at=clock.now(),
            actor=actor,
            action="profile.read",
            purpose=purpose,
            subject_id=member_id,
        )
        uow.commit()
    return member
