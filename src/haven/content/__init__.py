"""Clinical and legal content, kept as reviewed data files and validated at load."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from haven.domain.consent import ConsentDocument, ConsentKind
from haven.domain.crisis import CrisisDirectory
from haven.domain.instruments import Instrument
from haven.domain.output_guard import GuardPatterns

__all__ = ["consent_documents", "crisis_directory", "instruments", "output_guard_patterns"]


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
