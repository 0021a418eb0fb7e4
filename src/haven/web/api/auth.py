"""OAuth2 password flow (RFC 6749 4.3) and token revocation (RFC 7009)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from haven.domain.credentials import CredentialKind
from haven.services.authentication import issue_credential, revoke_credential, sign_in
from haven.web.api.schemas import API_PREFIX, ErrorOut, TokenOut
from haven.web.deps import Services, bearer_token, throttle_login_address

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=TokenOut,
    responses={401: {"model": ErrorOut}, 429: {"model": ErrorOut}},
    dependencies=[Depends(throttle_login_address)],
)
def token(services: Services, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenOut:
    """Exchange an e-mail address (``username``) and password for a bearer token."""
    account = sign_in(
        services.uow(),
        hasher=services.hasher,
        clock=services.clock,
        policy=services.login_policy,
        email=form.username,
        password=form.password,
        dummy_hash=services.dummy_hash,
    )
    issued, _ = issue_credential(
        services.uow(),
        clock=services.clock,
        account=account,
        kind=CredentialKind.API_TOKEN,
        lifetime=services.token_lifetime,
    )
    return TokenOut(access_token=issued, expires_in=int(services.token_lifetime.total_seconds()))


@router.post("/revoke", status_code=status.HTTP_200_OK, response_class=Response)
def revoke(services: Services, token: Annotated[str, Form(max_length=512)]) -> Response:
    """Revoke a token. Answers 200 whether or not the token existed (RFC 7009 2.2)."""
    revoke_credential(services.uow(), clock=services.clock, token=token)
    return Response(status_code=status.HTTP_200_OK)


@router.delete(
    "/token",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={401: {"model": ErrorOut}},
)
def sign_out(services: Services, token: Annotated[str, Depends(bearer_token)]) -> Response:
    """Revoke the token this request carries: it stops working at once."""
    revoke_credential(services.uow(), clock=services.clock, token=token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
