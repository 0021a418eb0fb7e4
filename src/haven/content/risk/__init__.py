"""The risk lexicon (reviewed suicide and self-harm signals, validated at load) and the labelled
corpus that trains and calibrates the classifier (datasheet: ``docs/risk-corpus.md``)."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

import yaml

from haven.domain.risk import Lexicon

__all__ = ["CORPUS_LANGUAGES", "corpus_lines", "corpus_sha256", "risk_lexicon"]

CORPUS_LANGUAGES = ("de", "en", "es", "fr", "pt")


@cache
def risk_lexicon() -> Lexicon:
    """The signals, cues and guards of ``lexicon.yaml``; a bad pattern stops the load."""
    resource = files("haven.content.risk") / "lexicon.yaml"
    try:
        return Lexicon.model_validate(yaml.safe_load(resource.read_text(encoding="utf-8")))
    except ValueError as error:
        raise ValueError(f"risk/lexicon.yaml: {error}") from error


def corpus_lines() -> list[str]:
    """Every non-blank JSON line of the corpus, language files in ``CORPUS_LANGUAGES`` order."""
    corpus = files("haven.content.risk") / "corpus"
    return [
        line
        for lang in CORPUS_LANGUAGES
        for line in (corpus / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def corpus_sha256() -> str:
    """SHA-256 of the corpus files, so a trained model can tell when its data has changed."""
    digest = hashlib.sha256()
    corpus = files("haven.content.risk") / "corpus"
    for lang in CORPUS_LANGUAGES:
        digest.update(lang.encode())
        digest.update((corpus / f"{lang}.jsonl").read_bytes())
    return digest.hexdigest()
