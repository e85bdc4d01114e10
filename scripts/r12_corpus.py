"""Assemble the R12 corpus ``data/r12_corpus.tsv`` from the part files ``data/r12/*.txt``.

The part files hold the written sentences in groups (``data/r12/FORMAT.md``); this script
expands ``{a|b}`` alternatives, gives every group its split and writes one tab-separated file:

    id  lang  label  party  form  source  split  text

The split follows the group (its ``source``), never the sentence, so near-copies written from one
frame never sit on both sides: the hash of a group's id sends it to ``train`` (three fifths),
``dev`` (one fifth) or ``test`` (one fifth, held out, only measured), so a group added later
moves no other group. The model learns from train and dev and chooses its threshold out of fold
over them (``scripts/train_r12.py``). Run ``python scripts/r12_corpus.py`` after
editing a part file; ``tests/domain/test_r12_model.py`` checks the corpus is up to date.

The part files in ``data/r12/train/`` are training data only: every group there goes to
``train``. They were written against the model's errors in cross-validation (#11), so they are
no sample of the letters the guard reads and must not choose the threshold or measure it
(``data/r12/train/README.md``).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ROOT / "data" / "r12"
TRAIN_ONLY = PARTS / "train"
CORPUS = ROOT / "data" / "r12_corpus.tsv"
COLUMNS = ("id", "lang", "label", "party", "form", "source", "split", "text")
LABELS = ("blame", "neutral")
PARTIES = ("colleague", "organisation", "system", "supplier", "none")
_BRACES = re.compile(r"\{([^{}]*)\}")


def expand(sentence: str) -> list[str]:
    """``"Dat lag aan {de planner|mijn collega}."`` -> one sentence per alternative."""
    pieces = _BRACES.split(sentence)
    literal, options = pieces[0::2], [p.split("|") for p in pieces[1::2]]
    out = []
    for choice in itertools.product(*options):
        text = "".join(
            itertools.chain.from_iterable(itertools.zip_longest(literal, choice, fillvalue=""))
        )
        out.append(" ".join(text.split()))
    return out


def read_parts(parts: Path = PARTS) -> list[dict[str, str]]:
    """Every sentence of every part file, with its group's columns (no ``id``/``split`` yet)."""
    rows: list[dict[str, str]] = []
    seen_groups: set[str] = set()
    for path in sorted(parts.glob("*.txt")):
        header: dict[str, str] | None = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            where = f"{path.name}:{number}"
            if not line or line.startswith("#"):
                continue
            if line.startswith("@group"):
                _, source, *fields = line.split()
                header = dict(f.split("=", 1) for f in fields)
                if source in seen_groups:
                    raise ValueError(f"{where}: group {source} appears twice")
                seen_groups.add(source)
                header["source"] = source
                if header.get("lang") not in ("nl", "en"):
                    raise ValueError(f"{where}: lang must be nl or en")
                if header.get("label") not in LABELS:
                    raise ValueError(f"{where}: label must be one of {LABELS}")
                if header.get("party") not in PARTIES:
                    raise ValueError(f"{where}: party must be one of {PARTIES}")
                header.setdefault("form", "-")
                continue
            if header is None:
                raise ValueError(f"{where}: a sentence before the first @group")
            if "\t" in line:
                raise ValueError(f"{where}: a tab in a sentence")
            for text in expand(line):
                rows.append({**header, "text": text})
    return rows


def _rank(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


SPLITS = ("train", "train", "train", "dev", "test")


def split_of(source: str) -> str:
    """The split of a group: a fifth of the groups (by the hash of their id) to ``dev``, a
    fifth to ``test``, the rest to ``train``. Each group's split depends on its id alone, so
    adding a group never moves another one (#11: before, the groups were dealt in hash order,
    and every group added moved others between the splits)."""
    return SPLITS[int(_rank(source), 16) % len(SPLITS)]


def assign_splits(rows: list[dict[str, str]]) -> None:
    """Give every row the split of its group (:func:`split_of`), about 60/20/20 by group."""
    for row in rows:
        row["split"] = split_of(row["source"])


def read_all(parts: Path = PARTS) -> list[dict[str, str]]:
    """The rows of every part file: those of ``parts`` with their group's split, then those of
    its ``train`` folder, all in ``train``. A group id is unique across both."""
    rows = read_parts(parts)
    assign_splits(rows)
    extra = read_parts(parts / TRAIN_ONLY.name)
    twice = {r["source"] for r in rows} & {r["source"] for r in extra}
    if twice:
        raise ValueError(f"groups in both {parts.name}/ and {TRAIN_ONLY.name}/: {sorted(twice)}")
    for row in extra:
        row["split"] = "train"
    return rows + extra


def training_only_groups() -> frozenset[str]:
    """The groups of ``data/r12/train/``: they only ever train (never choose or measure)."""
    return frozenset(row["source"] for row in read_parts(TRAIN_ONLY))


def build(parts: Path = PARTS) -> str:
    """The corpus file's text: unique sentences (the first group that wrote one keeps it)."""
    rows = read_all(parts)
    unique: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        unique.setdefault((row["lang"], row["text"]), row)
    rows = list(unique.values())
    lines = ["\t".join(COLUMNS)]
    for number, row in enumerate(rows, 1):
        row["id"] = f"{row['lang']}{number:05d}"
        lines.append("\t".join(row[c] for c in COLUMNS))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="parse every part file and count; write nothing"
    )
    if parser.parse_args().check:
        # Parse every part file and count, writing nothing (for authors of part files).
        rows = read_all()
        for lang in ("nl", "en"):
            for label in LABELS:
                n = sum(r["lang"] == lang and r["label"] == label for r in rows)
                groups = {r["source"] for r in rows if r["lang"] == lang and r["label"] == label}
                print(f"{lang} {label:7} {n:5} sentences in {len(groups)} groups")
        return 0
    text = build()
    CORPUS.write_text(text, encoding="utf-8")
    fields = [line.split("\t") for line in text.splitlines()[1:]]
    for lang in ("nl", "en"):
        mine = [r for r in fields if r[1] == lang]
        for split in ("train", "dev", "test"):
            part = [r for r in mine if r[6] == split]
            blame = sum(r[2] == "blame" for r in part)
            neutral = len(part) - blame
            print(f"{lang} {split:5} {len(part):5} sentences, {blame} blame, {neutral} neutral")
    return 0


if __name__ == "__main__":
    sys.exit(main())
