"""Shared test set-up. In CI (``CI`` set) a missing database is a failure, never a skip."""

from __future__ import annotations

import os

import pytest

IN_CI = bool(os.environ.get("CI"))


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every backend must be present."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure rather than a skip)")
    pytest.skip(reason)
