"""The companion's NLU corpus (emotion, intent, distortion; datasheet ``docs/nlu-corpus.md``)
and the classifier trained on it (``nlu_classifier.npz``, rebuilt by ``haven train nlu``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.resources import files

__all__ = ["TASKS", "Labelled", "corpus", "corpus_sha256"]

TASKS = ("emotion", "intent", "distortion")


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    task: str
    lang: str
    label: str
    split: str  # "train" or "test" (held out: never used to fit or tune)
    text: str


def corpus(task: str) -> list[Labelled]:
    """Every item of one task's corpus file, in file order."""
    resource = files("haven.content.nlu") / "corpus" / f"{task}.jsonl"
    items = []
    for number, line in enumerate(resource.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        try:
            items.append(
                Labelled(row["id"], task, row["lang"], row["label"], row["split"], row["text"])
            )
        except KeyError as error:
            raise ValueError(f"nlu/corpus/{task}.jsonl line {number}: no {error}") from error
    return items


def corpus_sha256() -> str:
    digest = hashlib.sha256()
    for task in TASKS:
        digest.update(task.encode())
        digest.update((files("haven.content.nlu") / "corpus" / f"{task}.jsonl").read_bytes())
    return digest.hexdigest()
