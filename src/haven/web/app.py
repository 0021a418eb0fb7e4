"""The ASGI application: API, pages, health, metrics and the security middleware."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import text

import haven
from haven.bootstrap import Container
from haven.web.api import routers as api_routers
from haven.web.errors import install_error_handlers
from haven.web.observability import install_observability
from haven.web.pages import install_pages
from haven.web.ratelimit import SlidingWindowLimiter
from haven.web.security import BodySizeLimitMiddleware, SecurityHeadersMiddleware

__all__ = ["create_app"]


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        title="Haven API",
        version=haven.__version__,
        description="AI-assisted mental-health care with a clinician in the loop.",
        openapi_url="/api/v1/openapi.json",
        # The interactive docs load scripts from a CDN, which the CSP forbids.
        docs_url=None,
        redoc_url=None,
    )
    app.state.container = container
    app.state.login_limiter = SlidingWindowLimiter(
        limit=container.settings.login_attempts_per_minute, window_seconds=60
    )
    install_error_handlers(app)
    install_observability(app)
    for router in api_routers:
        app.include_router(router)
    install_pages(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        with container.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok", "version": haven.__version__}

    app.add_middleware(BodySizeLimitMiddleware, max_bytes=container.settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
