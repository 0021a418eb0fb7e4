"""The risk lexicon (reviewed suicide and self-harm signals, validated at load) and the labelled
corpora that train and calibrate the classifier (datasheet: ``docs/risk-corpus.md``): suicide
and self-harm risk in ``corpus/``, the other clinical red flags in ``red_flags/``."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

import yaml

from haven.domain.risk import Lexicon

__all__ = ["CORPUS_LANGUAGES", "corpus_lines", "corpus_sha256", "red_flag_lines", "risk_lexicon"]

CORPUS_LANGUAGES = ("de", "en", "es", "fr", "pt")


@cache
def risk_lexicon() -> Lexicon:
    """The signals, cues and guards of ``lexicon.yaml``; a bad pattern stops the load."""
    resource = files("haven.content.risk") / "lexicon.yaml"
    try:
        return Lexicon.model_validate(yaml.safe_load(resource.read_text(encoding="utf-8")))
    except ValueError as error:
        raise ValueError(f"risk/lexicon.yaml: {error}") from error


def _lines(folder: str) -> list[str]:
    directory = files("haven.content.risk") / folder
    return [
        line
        for lang in CORPUS_LANGUAGES
        for line in (directory / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def corpus_lines() -> list[str]:
    """Every non-blank JSON line of the risk corpus, language files in ``CORPUS_LANGUAGES``
    order."""
    return _lines("corpus")


def red_flag_lines() -> list[str]:
    """Every non-blank JSON line of the red-flag corpus (psychosis, mania, reassurance seeking,
    disordered eating, danger from others, harm to others, and look-alikes), in the same
    order."""
    return _lines("red_flags")


def corpus_sha256() -> str:
    """SHA-256 of both corpora's files, so a trained model can tell when its data has
    changed."""
    digest = hashlib.sha256()
    for folder in ("corpus", "red_flags"):
        directory = files("haven.content.risk") / folder
        for lang in CORPUS_LANGUAGES:
            digest.update(f"{folder}/{lang}".encode())
            digest.update((directory / f"{lang}.jsonl").read_bytes())
    return digest.hexdigest()
