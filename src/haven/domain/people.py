"""People who use Haven: members, clinicians and administrators, and the checks on what
they type when an account is made (e-mail, password, display name, language).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from haven.domain.errors import InvalidInput
from haven.domain.text import N_

__all__ = [
    "SUPPORTED_LOCALES",
    "Account",
    "Role",
    "check_display_name",
    "check_locale",
    "check_password",
    "normalise_email",
]

SUPPORTED_LOCALES = ("en", "es")

# NIST SP 800-63B: at least 8 characters for user-chosen secrets; we ask for 10 because these
# accounts guard mental-health records. The upper bound stops a multi-megabyte "password"
# from tying up the argon2 hasher.
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_DISPLAY_NAME_LENGTH = 80
MAX_EMAIL_LENGTH = 254  # RFC 5321 path limit

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class Role(StrEnum):
    MEMBER = "member"
    CLINICIAN = "clinician"
    ADMIN = "admin"


# Role values are shown translated (``_(account.role.value)`` in the pages); marking them here
# puts them in the gettext catalogs.
ROLE_LABELS = (N_("member"), N_("clinician"), N_("admin"))


@dataclass(frozen=True, slots=True)
class Account:
    """One person's account. ``display_name`` is stored encrypted; ``email`` is the login."""

    id: UUID
    email: str
    role: Role
    display_name: str
    locale: str
    password_hash: str
    created_at: datetime

    def with_changes(
        self,
        *,
        display_name: str | None = None,
        locale: str | None = None,
        password_hash: str | None = None,
    ) -> Account:
        return replace(
            self,
            display_name=self.display_name if display_name is None else display_name,
            locale=self.locale if locale is None else locale,
            password_hash=self.password_hash if password_hash is None else password_hash,
        )


def normalise_email(raw: str) -> str:
    """Lower-cased, trimmed e-mail address; raises ``InvalidInput`` when it is not one."""
    email = raw.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise InvalidInput(
            N_("Enter a valid e-mail address, such as name@example.org."), field="email"
        )
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("Choose a password of at least {minimum} characters."),
            field="password",
            minimum=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("Choose a password of at most {maximum} characters."),
            field="password",
            maximum=MAX_PASSWORD_LENGTH,
        )


def check_display_name(raw: str) -> str:
    """The trimmed name; control characters and empty or over-long names are refused."""
    name = raw.strip()
    if not name:
        raise InvalidInput(N_("Enter the name you would like us to use."), field="display_name")
    if len(name) > MAX_DISPLAY_NAME_LENGTH:
        raise InvalidInput(
            N_("Keep the name to {maximum} characters or fewer."),
            field="display_name",
            maximum=MAX_DISPLAY_NAME_LENGTH,
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidInput(
            N_("The name contains characters that cannot be shown."), field="display_name"
        )
    return name


def check_locale(locale: str) -> str:
    if locale not in SUPPORTED_LOCALES:
        raise InvalidInput(
            N_("Choose one of the supported languages: {choices}."),
            field="locale",
            choices=", ".join(SUPPORTED_LOCALES),
        )
    return locale
