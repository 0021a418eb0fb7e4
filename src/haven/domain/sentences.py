"""Splitting a member's message into its sentences, so that each can be read on its own.

A long message about a day at work can hide one sentence that matters ("honestly i keep
thinking everyone would be better off if i just wasn't around anymore"); read as a whole,
the ordinary sentences around it dilute it. Fragments of fewer than ``MIN_WORDS`` words
("Friday night.", "lol") join the sentence before them (the first joins the one after), so
that no piece is read without the words that give it a meaning.
"""

from __future__ import annotations

import re

__all__ = ["MIN_WORDS", "sentences"]

MIN_WORDS = 4
# After a full stop, question or exclamation mark or ellipsis and a space, or at a line break.
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, short fragments joined to a neighbour; a text of
    one sentence (or none) gives at most one."""
    parts = [part.strip() for part in _BOUNDARY.split(text) if part.strip()]
    joined: list[str] = []
    for part in parts:
        if joined and len(part.split()) < MIN_WORDS:
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    if len(joined) > 1 and len(joined[0].split()) < MIN_WORDS:
        joined[:2] = [f"{joined[0]} {joined[1]}"]
    return joined
