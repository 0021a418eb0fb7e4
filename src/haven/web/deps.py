"""FastAPI dependencies: the container, and the account behind a bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from haven.bootstrap import Container
from haven.domain.credentials import CredentialKind
from haven.domain.errors import AccountLocked, AuthenticationFailed
from haven.domain.people import Account
from haven.domain.text import N_
from haven.services.authentication import resolve_credential

__all__ = ["CurrentAccount", "Services", "bearer_token", "container", "throttle_login_address"]

bearer_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def container(request: Request) -> Container:
    app_container: Container = request.app.state.container
    return app_container


Services = Annotated[Container, Depends(container)]


def bearer_token(token: Annotated[str | None, Depends(bearer_scheme)]) -> str:
    if not token:
        raise AuthenticationFailed(N_("Sign in first: send an access token as 'Bearer <token>'."))
    return token


def current_account(
    request: Request, services: Services, token: Annotated[str, Depends(bearer_token)]
) -> Account:
    account = resolve_credential(
        services.uow(),
        clock=services.clock,
        token=token,
        kind=CredentialKind.API_TOKEN,
        idle=services.idle_logoff,
    )
    request.state.locale = account.locale
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]


def throttle_login_address(request: Request) -> None:
    """Per-address limit on sign-in attempts, checked before any password is."""
    client = request.client.host if request.client else "unknown"
    wait = request.app.state.login_limiter.hit(client)
    if wait:
        seconds = int(wait) + 1
        raise AccountLocked(
            N_(
                "Too many sign-in attempts from your address. Wait {seconds} seconds and try again."
            ),
            retry_after_seconds=seconds,
            seconds=seconds,
        )
