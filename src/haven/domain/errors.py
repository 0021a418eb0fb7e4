"""Named domain errors. Each carries an English message id plus the values to format into it.

The edge (API, pages, CLI) turns each into a status code and a translated message a person
can act on; the domain never knows about HTTP.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccountLocked",
    "AuthenticationFailed",
    "Conflict",
    "ConsentRequired",
    "DataKeyDestroyed",
    "HavenError",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
]


class HavenError(Exception):
    """Base class: ``message`` is a gettext message id with ``{name}`` placeholders."""

    code = "error"

    def __init__(self, message: str, /, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params


class NotFound(HavenError):
    """The thing does not exist, or the caller may not know that it exists."""

    code = "not_found"


class PermissionDenied(HavenError):
    code = "forbidden"


class ConsentRequired(HavenError):
    code = "consent_required"

    def __init__(self, message: str, /, *, missing: list[str], **params: Any) -> None:
        super().__init__(message, **params)
        self.missing = missing


class InvalidInput(HavenError):
    code = "invalid_input"

    def __init__(self, message: str, /, *, field: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class AuthenticationFailed(HavenError):
    code = "authentication_failed"


class AccountLocked(HavenError):
    code = "locked"

    def __init__(self, message: str, /, *, retry_after_seconds: int, **params: Any) -> None:
        super().__init__(message, **params)
        self.retry_after_seconds = retry_after_seconds


class Conflict(HavenError):
    code = "conflict"


class DataKeyDestroyed(HavenError):
    """The owner's data key is gone (crypto-shredded): their ciphertext is unreadable forever."""

    code = "data_key_destroyed"
