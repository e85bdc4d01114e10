"""The R13 suggestion set: sentences as staff write them, and what a Dutch editor accepts.

``data/r13_suggestions.tsv`` has one sentence a row, tab-separated, with a header:

- ``id``: a running number;
- ``split``: ``tuned`` (the part the suggestion tables were tuned on) or ``held-out`` (never
  looked at while tuning; chosen by a hash of the sentence when the set was written);
- ``kind``: what the sentence exercises (``klacht, singular``, ``fout as adjective or adverb``);
- ``sentence``: a sentence with at least one word of R13;
- ``acceptable``: the corrected sentences an editor accepts. `` || `` separates whole
  sentences; ``{a|b|c}`` inside one stands for each of its choices (``{|x}`` includes "none").

The answers were written before the suggestions were tuned. A sentence counts as correct when
applying the first suggestion of every R13 finding (:func:`klachten.domain.wording.rephrase`)
gives one of its acceptable sentences exactly (spaces collapsed).
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from klachten.domain.wording import check, rephrase

DATA = Path(__file__).resolve().parent / "data" / "r13_suggestions.tsv"
SPLITS = ("tuned", "held-out")

_CHOICE = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Item:
    """One sentence of the set with every sentence an editor accepts for it."""

    id: int
    split: str
    kind: str
    sentence: str
    acceptable: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    item: Item
    rephrased: str

    @property
    def correct(self) -> bool:
        return _squeeze(self.rephrased) in self.item.acceptable


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def expand(template: str) -> frozenset[str]:
    """Every sentence a template of the ``acceptable`` column stands for."""
    sentences: set[str] = set()
    for whole in template.split(" || "):
        pieces = _CHOICE.split(whole)
        # pieces alternate: literal, choices, literal, choices, ..., literal
        options = [piece.split("|") if i % 2 else [piece] for i, piece in enumerate(pieces)]
        for combination in itertools.product(*options):
            sentences.add(_squeeze("".join(combination)))
    return frozenset(sentences)


def load() -> list[Item]:
    """The whole set, in file order."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Item(
            id=int(row["id"]),
            split=row["split"],
            kind=row["kind"],
            sentence=row["sentence"],
            acceptable=expand(row["acceptable"]),
        )
        for row in rows
    ]


def evaluate(items: list[Item]) -> list[Outcome]:
    """Apply the first R13 suggestions to each sentence."""
    return [Outcome(item, rephrase(item.sentence, check(item.sentence))) for item in items]


def share(outcomes: list[Outcome]) -> float:
    """The share of sentences whose first suggestions give an acceptable sentence."""
    return sum(o.correct for o in outcomes) / len(outcomes)
