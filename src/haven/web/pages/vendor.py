"""Third-party browser code served from this origin, never from a CDN: plotly.js comes from
the file the plotly Python package bundles."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@cache
def _plotly() -> Path:
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    return FileResponse(
        _plotly(),
        media_type="text/javascript",
        headers={"cache-control": "public, max-age=86400"},
    )
