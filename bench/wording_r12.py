"""R12: how well the learned blame check does on its corpus, and what it costs (#11).

    .venv/bin/python bench/wording_r12.py [--seconds 2]

For each language and each split of ``data/r12_corpus.tsv`` it runs the check exactly as the
product does (:func:`klachten.domain.wording.blame` on each sentence) and prints recall (blaming
sentences found) and false alarms (neutral sentences flagged). The model learnt from ``train``
and ``dev``; its threshold was chosen out of fold over their letter-like groups (those figures,
from the model file, follow); ``test`` is held out (budget: recall ≥ 95 % at ≤ 5 % false
alarms, both languages).
Then the same on ``data/r12/vocab/``: sentences that name their party by nouns the guard was
not built on, written apart from its word lists and never trained on.
Then the throughput of R12 alone and of the whole check on a 20 kB letter, in one process.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from domain import letter_text  # noqa: E402
from klachten.domain.wording import blame, check  # noqa: E402
from klachten.domain.wording.blame import MODEL_PATH  # noqa: E402
from suggestions import throughput  # noqa: E402

CORPUS = ROOT / "data" / "r12_corpus.tsv"


def measure() -> None:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for lang in ("nl", "en"):
        for split in ("train", "dev", "test"):
            part = [r for r in rows if r["lang"] == lang and r["split"] == split]
            blaming = [r for r in part if r["label"] == "blame"]
            neutral = [r for r in part if r["label"] == "neutral"]
            found = sum(bool(blame(r["text"], lang)) for r in blaming)
            alarms = sum(bool(blame(r["text"], lang)) for r in neutral)
            note = {
                "train": "  (learnt from)",
                "dev": "  (learnt from)",
                "test": "  (held out; budget recall ≥ 95 %, false alarms ≤ 5 %)",
            }[split]
            print(
                f"R12 {lang} {split:5}: recall {found}/{len(blaming)} = "
                f"{found / max(1, len(blaming)):.1%}, false alarms {alarms}/{len(neutral)} = "
                f"{alarms / max(1, len(neutral)):.1%}{note}"
            )
        shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        chosen = shipped["languages"][lang]["measured"]["out_of_fold"]
        print(
            f"R12 {lang} out of fold, train and dev but the training-only sittings: recall "
            f"{chosen['recall']:.1%}, false alarms {chosen['false_alarms']:.1%}  (what chose the "
            "threshold)"
        )


VOCAB = ROOT / "data" / "r12" / "vocab"


def measure_vocabulary() -> None:
    """The sentences with party nouns the guard was not built on (data/r12/vocab/README.md)."""
    for lang in ("nl", "en"):
        rows = [
            line.split("\t")
            for line in (VOCAB / f"{lang}.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        blaming = [text for label, _party, text in rows if label == "blame"]
        neutral = [text for label, _party, text in rows if label == "neutral"]
        found = sum(bool(blame(text, lang)) for text in blaming)
        alarms = sum(bool(blame(text, lang)) for text in neutral)
        print(
            f"R12 {lang} other party nouns: recall {found}/{len(blaming)} = "
            f"{found / len(blaming):.1%}, false alarms {alarms}/{len(neutral)} = "
            f"{alarms / len(neutral):.1%}  (data/r12/vocab, never trained on)"
        )


def corpus_letter(lang: str, size: int = 20_000) -> str:
    """A 20 kB letter of the corpus's sentences: every sentence names a party (the worst case)."""
    with CORPUS.open(encoding="utf-8", newline="") as f:
        sentences = [
            r["text"]
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            if r["lang"] == lang
        ]
    rng = random.Random(11)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(rng.choice(sentences))
    return " ".join(parts)


def letters_throughput(seconds: float) -> None:
    letters = {
        "nl, ordinary 20 kB letter": (letter_text(0.02, random.Random(7)), "nl"),
        "nl, 20 kB of corpus sentences": (corpus_letter("nl"), "nl"),
        "en, 20 kB of corpus sentences": (corpus_letter("en"), "en"),
    }
    for label, (text, lang) in letters.items():
        throughput(f"R12 alone, {label}", functools.partial(blame, language=lang), text, seconds)
        throughput(f"whole check, {label}", functools.partial(check, language=lang), text, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    measure()
    measure_vocabulary()
    letters_throughput(args.seconds)


if __name__ == "__main__":
    main()
