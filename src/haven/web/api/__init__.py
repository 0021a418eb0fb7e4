"""The JSON API, version 1, under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from haven.web.api import (
    admin,
    alerts,
    assessments,
    auth,
    care,
    conversations,
    crisis,
    fhir,
    me,
    members,
    moods,
    safety_plan,
)

__all__ = ["routers"]

# Each router carries the full prefix itself, so every route knows its whole path template
# (metrics and logs are labelled with it).
routers: tuple[APIRouter, ...] = (
    auth.router,
    me.router,
    members.router,
    assessments.router,
    care.router,
    alerts.router,
    fhir.router,
    crisis.router,
    safety_plan.router,
    conversations.router,
    moods.router,
    admin.router,
)
