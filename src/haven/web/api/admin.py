"""Account administration: accounts, roles, care teams and the audit trail's health."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from haven.domain.access import require_role
from haven.domain.people import Role
from haven.services import accounts, audit_trail, data_rights
from haven.web.api.schemas import (
    API_PREFIX,
    AccountCreateIn,
    AccountOut,
    AssignmentIn,
    AuditStatusOut,
    ErrorOut,
)
from haven.web.deps import CurrentAccount, Services

router = APIRouter(
    prefix=f"{API_PREFIX}/admin",
    tags=["admin"],
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}},
)


@router.get("/accounts", response_model=list[AccountOut])
def list_accounts(
    services: Services, account: CurrentAccount, role: Role | None = None
) -> list[AccountOut]:
    found = accounts.list_accounts(services.uow(), clock=services.clock, actor=account, role=role)
    return [AccountOut.of(a) for a in found]


@router.post(
    "/accounts",
    response_model=AccountOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def create_account(
    services: Services, account: CurrentAccount, body: AccountCreateIn
) -> AccountOut:
    created = accounts.create_account(
        services.uow(),
        hasher=services.hasher,
        clock=services.clock,
        actor=account,
        email=body.email,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        locale=body.locale,
    )
    return AccountOut.of(created)


@router.delete(
    "/accounts/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={404: {"model": ErrorOut}},
)
def delete_member(services: Services, account: CurrentAccount, member_id: UUID) -> Response:
    """Erase a member account (crypto-shredding their data key)."""
    require_role(account, Role.ADMIN)
    data_rights.delete_member(
        services.uow(),
        hasher=services.hasher,
        clock=services.clock,
        actor=account,
        member_id=member_id,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/care-team",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={422: {"model": ErrorOut}},
)
def assign(services: Services, account: CurrentAccount, body: AssignmentIn) -> Response:
    accounts.assign_to_care_team(
        services.uow(),
        clock=services.clock,
        actor=account,
        clinician_id=body.clinician_id,
        member_id=body.member_id,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/care-team/{clinician_id}/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={404: {"model": ErrorOut}},
)
def unassign(
    services: Services, account: CurrentAccount, clinician_id: UUID, member_id: UUID
) -> Response:
    accounts.unassign_from_care_team(
        services.uow(),
        clock=services.clock,
        actor=account,
        clinician_id=clinician_id,
        member_id=member_id,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/audit/verify", response_model=AuditStatusOut)
def verify_audit(services: Services, account: CurrentAccount) -> AuditStatusOut:
    require_role(account, Role.ADMIN)
    head, problem = audit_trail.verify_audit_trail(services.uow())
    return AuditStatusOut(
        intact=problem is None,
        entries=head.seq if head else 0,
        first_break=problem.seq if problem else None,
        problem=problem.problem if problem else None,
    )
