"""Pages a person opens in a browser: server-rendered, forms that work without JavaScript."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from haven.web.pages import (
    admin,
    clinician,
    member,
    member_care,
    member_checkin,
    public,
    vendor,
)
from haven.web.pages.kit import PageForbidden, PageRedirect, Pages, account_of

__all__ = ["install_pages"]


def install_pages(app: FastAPI) -> None:
    here = files("haven.web.pages")
    pages = Pages(Jinja2Templates(directory=str(here / "templates")))
    routers: list[APIRouter] = [public.build_router(pages), vendor.router]
    routers += [
        module.build_router(pages)
        for module in (member, member_checkin, member_care, clinician, admin)
    ]
    for router in routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(here / "static")), name="static")

    @app.exception_handler(PageRedirect)
    def redirect(request: Request, exc: PageRedirect) -> RedirectResponse:
        return exc.response()

    @app.exception_handler(PageForbidden)
    def forbidden(request: Request, exc: PageForbidden) -> HTMLResponse:
        account = account_of(request, request.app.state.container)
        return pages.render(request, "forbidden.html", account=account, status_code=403)
