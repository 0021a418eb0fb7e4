"""Marking user-facing text for translation without depending on a translation backend.

The domain raises errors whose messages are English gettext message ids; the web and CLI
edges translate them into the reader's language. ``N_`` only marks a string for extraction
(``pybabel extract -k N_``) and returns it unchanged.
"""

from __future__ import annotations

__all__ = ["N_"]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "no-op" markers
    return message
