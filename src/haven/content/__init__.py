"""Clinical and legal content, kept as reviewed data files and validated at load."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from haven.domain.consent import ConsentDocument, ConsentKind

__all__ = ["consent_documents"]


@cache
def consent_documents() -> dict[ConsentKind, ConsentDocument]:
    raw = yaml.safe_load((files("haven.content") / "consent.yaml").read_text(encoding="utf-8"))
    documents = [ConsentDocument.model_validate(item) for item in raw["documents"]]
    return {doc.kind: doc for doc in documents}
