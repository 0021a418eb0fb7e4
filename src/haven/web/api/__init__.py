"""The JSON API, version 1."""

from __future__ import annotations

from fastapi import APIRouter

from haven.web.api import admin, auth, me, members

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")
for module in (auth, me, members, admin):
    router.include_router(module.router)
