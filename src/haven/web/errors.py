"""Every error as JSON a person can act on: ``{"error": {"code", "message", ...}}``.

Domain errors map to 4xx codes; validation errors name each field and what is wrong with it;
anything unexpected is a 500 whose log line holds no personal data.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from haven.domain.errors import (
    AccountLocked,
    AuthenticationFailed,
    Conflict,
    ConsentRequired,
    DataKeyDestroyed,
    HavenError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from haven.domain.notifications import DeliveryFailed
from haven.web.locale import translate

__all__ = ["error_body", "install_error_handlers"]

log = logging.getLogger("haven.web")

STATUS: dict[type[HavenError], int] = {
    NotFound: 404,
    PermissionDenied: 403,
    ConsentRequired: 403,
    InvalidInput: 422,
    AuthenticationFailed: 401,
    AccountLocked: 429,
    Conflict: 409,
    DataKeyDestroyed: 410,
    DeliveryFailed: 503,
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def _status_for(exc: HavenError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def haven_error_response(request: Request, exc: HavenError) -> JSONResponse:
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(exc, InvalidInput):
        extra["field"] = exc.field
    if isinstance(exc, ConsentRequired):
        extra["missing"] = exc.missing
    if isinstance(exc, AccountLocked):
        headers["Retry-After"] = str(exc.retry_after_seconds)
    if isinstance(exc, AuthenticationFailed):
        headers["WWW-Authenticate"] = "Bearer"
    message = translate(request, exc.message, **exc.params)
    return JSONResponse(
        error_body(exc.code, message, **extra), status_code=_status_for(exc), headers=headers
    )


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"} and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HavenError)
    async def _haven(request: Request, exc: HavenError) -> JSONResponse:
        return haven_error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": _location(err.get("loc", ())), "problem": str(err.get("msg", "invalid"))}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
        message = translate(
            request, "Some of what was sent is not valid: {summary}.", summary=summary
        )
        return JSONResponse(
            error_body("invalid_input", message, problems=problems), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            message = translate(request, "There is nothing at this address.")
        elif exc.status_code == 405:
            message = translate(request, "This address does not accept that method.")
        else:
            message = str(exc.detail)
        return JSONResponse(
            error_body(f"http_{exc.status_code}", message),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        route = request.scope.get("route")
        log.error(
            "unhandled error",
            extra={"route": getattr(route, "path", None), "error_type": type(exc).__name__},
        )
        message = translate(
            request, "Something went wrong on our side and nothing was saved. Please try again."
        )
        return JSONResponse(error_body("internal_error", message), status_code=500)
