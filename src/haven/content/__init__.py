"""Clinical and legal content, kept as reviewed data files and validated at load."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.conversation.flows import Flow
from haven.domain.conversation.replies import Replies
from haven.domain.conversation.words import Words
from haven.domain.crisis import CrisisDirectory
from haven.domain.instruments import Instrument
from haven.domain.output_guard import GuardPatterns

__all__ = [
    "consent_documents",
    "crisis_directory",
    "flows",
    "instruments",
    "output_guard_patterns",
    "replies",
    "words",
]


@cache
def consent_documents() -> dict[ConsentKind, ConsentDocument]:
    raw = yaml.safe_load((files("haven.content") / "consent.yaml").read_text(encoding="utf-8"))
    documents = [ConsentDocument.model_validate(item) for item in raw["documents"]]
    return {doc.kind: doc for doc in documents}


@cache
def instruments() -> dict[str, Instrument]:
    """Every questionnaire Haven administers, by id, in a stable order."""
    folder = files("haven.content") / "instruments"
    loaded: dict[str, Instrument] = {}
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if not resource.name.endswith(".yaml"):
            continue
        try:
            instrument = Instrument.model_validate(
                yaml.safe_load(resource.read_text(encoding="utf-8"))
            )
        except ValueError as error:
            raise ValueError(f"instruments/{resource.name}: {error}") from error
        if f"{instrument.id}.yaml" != resource.name:
            raise ValueError(f"instruments/{resource.name} holds instrument {instrument.id}")
        loaded[instrument.id] = instrument
    return loaded


@cache
def crisis_directory() -> CrisisDirectory:
    """Crisis lines by country, with the international fallback."""
    raw = (files("haven.content") / "crisis_resources.yaml").read_text(encoding="utf-8")
    return CrisisDirectory.model_validate(yaml.safe_load(raw))


@cache
def output_guard_patterns() -> GuardPatterns:
    """What no reply may say: lethal amounts, heights and places, methods."""
    raw = (files("haven.content") / "risk" / "output_guard.yaml").read_text(encoding="utf-8")
    return GuardPatterns.model_validate(yaml.safe_load(raw))


@cache
def flows() -> dict[str, Flow]:
    """Every CBT flow the companion can run, by id, in a stable order."""
    folder = files("haven.content") / "flows"
    loaded: dict[str, Flow] = {}
    for resource in sorted(folder.iterdir(), key=lambda r: r.name):
        if not resource.name.endswith(".yaml"):
            continue
        try:
            flow = Flow.model_validate(yaml.safe_load(resource.read_text(encoding="utf-8")))
        except ValueError as error:
            raise ValueError(f"flows/{resource.name}: {error}") from error
        if f"{flow.id}.yaml" != resource.name:
            raise ValueError(f"flows/{resource.name} holds flow {flow.id}")
        loaded[flow.id] = flow
    return loaded


@cache
def replies() -> Replies:
    """The companion's words in every language, in variants (``companion/replies.yaml``)."""
    return Replies.model_validate(_companion("replies.yaml"))


@cache
def words() -> Words:
    """Words read by rule: yes, no, numbers, pause, "are you human?" (``companion/words.yaml``)."""
    return Words.model_validate(_companion("words.yaml"))


def _companion(name: str) -> Any:
    return yaml.safe_load((files("haven.content") / "companion" / name).read_text(encoding="utf-8"))
