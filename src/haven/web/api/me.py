"""The signed-in person: sign-up, profile, consent, data download and erasure."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from haven.domain.consent import ConsentKind
from haven.services import accounts, consents, data_rights
from haven.web.api.schemas import (
    API_PREFIX,
    AccountOut,
    ConsentGrantIn,
    ConsentOut,
    ErrorOut,
    PasswordConfirmIn,
    ProfileIn,
    SignUpIn,
)
from haven.web.deps import CurrentAccount, Services

router = APIRouter(prefix=API_PREFIX, tags=["me"], responses={401: {"model": ErrorOut}})


@router.post(
    "/accounts",
    response_model=AccountOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def sign_up(services: Services, body: SignUpIn) -> AccountOut:
    """Create a member account. Consent to the terms is asked next, before any use."""
    account = accounts.register_member(
        services.uow(),
        hasher=services.hasher,
        clock=services.clock,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        locale=body.locale,
    )
    return AccountOut.of(account)


@router.get("/me", response_model=AccountOut)
def me(account: CurrentAccount) -> AccountOut:
    return AccountOut.of(account)


@router.patch("/me", response_model=AccountOut, responses={422: {"model": ErrorOut}})
def update_me(services: Services, account: CurrentAccount, body: ProfileIn) -> AccountOut:
    updated = accounts.update_profile(
        services.uow(),
        clock=services.clock,
        actor=account,
        display_name=body.display_name,
        locale=body.locale,
    )
    return AccountOut.of(updated)


@router.get("/me/consents", response_model=list[ConsentOut])
def my_consents(services: Services, account: CurrentAccount) -> list[ConsentOut]:
    statuses = consents.consent_status(services.uow(), actor=account, documents=services.documents)
    return [
        ConsentOut(
            kind=s.document.kind,
            version=s.document.version,
            required=s.document.required,
            title=s.document.title.get(account.locale, s.document.title["en"]),
            summary=s.document.summary.get(account.locale, s.document.summary["en"]),
            granted_at=s.grant.granted_at if s.grant else None,
        )
        for s in statuses
    ]


@router.put(
    "/me/consents/{kind}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={403: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def grant(
    services: Services, account: CurrentAccount, kind: ConsentKind, body: ConsentGrantIn
) -> Response:
    """Agree to the given version of a consent document."""
    consents.grant_consent(
        services.uow(),
        clock=services.clock,
        actor=account,
        kind=kind,
        version=body.version,
        documents=services.documents,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/me/consents/{kind}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
)
def withdraw(services: Services, account: CurrentAccount, kind: ConsentKind) -> Response:
    consents.revoke_consent(services.uow(), clock=services.clock, actor=account, kind=kind)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me/export", responses={404: {"model": ErrorOut}})
def export(services: Services, account: CurrentAccount) -> JSONResponse:
    """Everything Haven holds about you, decrypted, as one JSON document."""
    data: dict[str, Any] = data_rights.export_member_data(
        services.uow(),
        clock=services.clock,
        actor=account,
        member_id=account.id,
        documents=services.documents,
    )
    return JSONResponse(
        data,
        headers={"Content-Disposition": 'attachment; filename="haven-export.json"'},
    )


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={404: {"model": ErrorOut}},
)
def delete_me(
    request: Request, services: Services, account: CurrentAccount, body: PasswordConfirmIn
) -> Response:
    """Delete your account and everything in it. This cannot be undone."""
    data_rights.delete_member(
        services.uow(),
        hasher=services.hasher,
        clock=services.clock,
        actor=account,
        member_id=account.id,
        password=body.password,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
