"""Cross-validate R12 model variants over the train and dev groups (never the test split).

    python scripts/r12_cv.py                       # "base": the sentence part alone
    python scripts/r12_cv.py --variant mi-clause-nopairs   # the shipped model
    python scripts/r12_cv.py --lang nl --variant base --variant weight2 --deals 3
    python scripts/r12_cv.py --variant mi-clause-nopairs --train-only nl-vers6-  # new: train only

The train and dev rows of ``data/r12_corpus.tsv`` are dealt to ``--folds`` folds by their
group (the ``source`` column), so near-copies never sit on both sides; each fold is scored by a
model trained on the others, the way :mod:`train_r12` trains (its features, ``MIN_COUNT``,
``L2``, epochs and order). A fold's recall is read at the threshold where its own false alarms
reach 4 % and 5 % (the same for every variant, so variants compare on one footing), and the
figures are averaged over the folds and over ``--deals`` ways of dealing the groups.

A variant changes one thing (:data:`VARIANTS`). Rows of the test split are never read.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts")]

import r12_corpus  # noqa: E402
import train_r12 as tr  # noqa: E402

from klachten.domain.wording import features as feat  # noqa: E402
from klachten.domain.wording.blame import _SALUTATION as SALUTATION  # noqa: E402
from klachten.domain.wording.blame import sentences as blame_sentences  # noqa: E402

Features = tuple[tuple[str, int], ...]


@dataclass
class Row:
    id: str
    group: str
    label: int
    party: str
    form: str
    text: str
    features: Features  # the whole row, as train_r12 trains on it
    # Each sentence that names a party, as the check scores it: its words.
    sentences: list[list[feat.Word]] = field(default_factory=list)


def read_rows(lang: str) -> list[Row]:
    """The corpus's train and dev rows of ``lang``."""
    with tr.CORPUS.open(encoding="utf-8", newline="") as f:
        found = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = []
    for row in found:
        if row["lang"] != lang or row["split"] == "test":
            continue
        seen = tr.feat_text(row["text"])
        words = feat.words(seen, 0, len(seen), lang)
        parts = []
        for start, end in blame_sentences(seen):
            if SALUTATION.fullmatch(seen, start, end):
                continue
            part = feat.words(seen, start, end, lang)
            if any(w.party for w in part) or feat.names(part, lang):
                parts.append(part)
        out.append(
            Row(
                row["id"],
                row["source"],
                int(row["label"] == "blame"),
                row["party"],
                row["form"],
                row["text"],
                tuple(sorted(Counter(feat.features(words, lang)).items())),
                parts,
            )
        )
    return out


# --- Variants -------------------------------------------------------------------------------------
# A variant says how a row becomes instances for training and for scoring (a row's score is the
# highest of its scoring instances; training updates on the highest of its training instances),
# and how training weighs a blaming row.


def counted(names: list[str]) -> Features:
    return tuple(sorted(Counter(names).items()))


def sentence_instances(row: Row, lang: str) -> list[Features]:
    return [counted(feat.features(s, lang)) for s in row.sentences]


def clauses(sentence: list[feat.Word]) -> list[list[feat.Word]]:
    """The clauses of a sentence, as :func:`features.scope_features` splits it (opener kept)."""
    out: list[list[feat.Word]] = [[]]
    for w in sentence:
        if w.opens is not None and out[-1]:
            out.append([])
        out[-1].append(w)
    return [c for c in out if c]


def clause_features(span: list[feat.Word], lang: str, part: str) -> list[str]:
    """The clause part's features: all, or without word pairs, or only the clause's context."""
    if part == "all":
        return feat.features(span, lang)
    if part == "words":
        return [f for w in span for f in feat.word_features(w.word, w.lemma, lang)]
    out = (
        []
        if part == "ctx"
        else [f for w in span for f in feat.word_features(w.word, w.lemma, lang)]
    )
    context = feat.context_features(span, lang, pairs=False)
    out.extend(name for name, _ in context)
    if part in ("neg", "negself"):
        # A negated party with each cue class of its clause ("niet de schuld van de uitgever",
        # "not the portal that lost"): the party cleared, not blamed.
        cues = {w.clause_cue for w in span if w.clause_cue is not None}
        for name, _ in context:
            if name.startswith("n:"):
                out.extend(f"cn:{name[2:]}+{cue}" for cue in sorted(cues))
    if part in ("self", "negself"):
        # The writer as the clause's subject with a party in it ("ik heb de docent de
        # verkeerde datum gegeven"), with each cue class.
        subject = next((w.person or w.party for w in span if w.person or w.party), None)
        if subject == "self":
            cues = {w.clause_cue for w in span if w.clause_cue is not None}
            for w in span:
                if w.party is not None:
                    out.append(f"cs:self>{w.party}")
                    out.extend(f"cs:self>{w.party}+{cue}" for cue in sorted(cues))
    return out


def mi_instances(
    row: Row, lang: str, *, party_only: bool, window: int, part: str = "all"
) -> list[Features]:
    """Sentence features plus, per clause (or ``window`` clauses in a row), the clause's own
    features under the prefix ``c|``: score = sentence part + the highest clause part."""
    out = []
    for s in row.sentences:
        base = feat.features(s, lang)
        parts = clauses(s)
        chosen = []
        for i in range(len(parts)):
            span = [w for c in parts[i : i + window] for w in c]
            if party_only and not (any(w.party for w in span) or feat.names(span, lang)):
                continue
            chosen.append(span)
        if not chosen:
            chosen = [s]
        for span in chosen:
            out.append(counted(base + ["c|" + f for f in clause_features(span, lang, part)]))
    return out


def clause_only_instances(row: Row, lang: str) -> list[Features]:
    """Each clause (with a party) as an instance of its own, plus the whole sentence."""
    out = []
    for s in row.sentences:
        out.append(counted(feat.features(s, lang)))
        for c in clauses(s):
            if any(w.party for w in c) or feat.names(c, lang):
                out.append(counted(feat.features(c, lang)))
    return out


@dataclass(frozen=True)
class Variant:
    train_instances: Callable[[Row, str], list[Features]] | None  # None: the row's features
    score_instances: Callable[[Row, str], list[Features]]
    positive_weight: float = 1.0
    l2: dict[str, float] | None = None
    min_count: dict[str, int] | None = None
    epochs: int | None = None
    train_share: float = 1.0  # train on this share of the training folds' groups
    average_from: int | None = None  # average the weights of the epochs after this one


def _mi(party_only: bool, window: int, part: str = "all") -> Callable[[Row, str], list[Features]]:
    return lambda row, lang: mi_instances(
        row, lang, party_only=party_only, window=window, part=part
    )


VARIANTS: dict[str, Variant] = {
    "base": Variant(None, sentence_instances),
    "weight1.5": Variant(None, sentence_instances, positive_weight=1.5),
    "weight2": Variant(None, sentence_instances, positive_weight=2.0),
    "weight0.7": Variant(None, sentence_instances, positive_weight=0.7),
    "sent-train": Variant(sentence_instances, sentence_instances),
    "mi-clause": Variant(_mi(True, 1), _mi(True, 1)),
    "mi-clause-nopairs": Variant(_mi(True, 1, "nopairs"), _mi(True, 1, "nopairs")),
    "mi-np-epochs24": Variant(_mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), epochs=24),
    "mi-np-l2-low": Variant(
        _mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), l2={"nl": 0.003, "en": 0.03}
    ),
    "mi-np-l2-high": Variant(
        _mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), l2={"nl": 0.03, "en": 0.3}
    ),
    "mi-np-weight1.5": Variant(
        _mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), positive_weight=1.5
    ),
    "mi-np-avg8": Variant(_mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), average_from=7),
    "mi-np-avg-all": Variant(_mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), average_from=0),
    "mi-np-avg-e24": Variant(
        _mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), epochs=24, average_from=7
    ),
    "mi-np-half": Variant(_mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), train_share=0.5),
    "mi-np-three-quarters": Variant(
        _mi(True, 1, "nopairs"), _mi(True, 1, "nopairs"), train_share=0.75
    ),
    "mi-np-neg": Variant(_mi(True, 1, "neg"), _mi(True, 1, "neg")),
    "mi-np-self": Variant(_mi(True, 1, "self"), _mi(True, 1, "self")),
    "mi-clause-words": Variant(_mi(True, 1, "words"), _mi(True, 1, "words")),
    "mi-clause-ctx": Variant(_mi(True, 1, "ctx"), _mi(True, 1, "ctx")),
    "mi-clause-min2": Variant(_mi(True, 1), _mi(True, 1), min_count={"nl": 2, "en": 2}),
    "mi-clause-min3": Variant(_mi(True, 1), _mi(True, 1), min_count={"nl": 3, "en": 3}),
    "mi-clause-all": Variant(_mi(False, 1), _mi(False, 1)),
    "mi-window2": Variant(_mi(True, 2), _mi(True, 2)),
    "mi-clause-only": Variant(clause_only_instances, clause_only_instances),
}


# --- Training and measuring -----------------------------------------------------------------------


def train_mi(
    bags: list[list[Features]],
    labels: list[int],
    l2: float,
    positive_weight: float,
    epochs: int = tr.EPOCHS,
    average_from: int | None = None,
) -> tuple[float, dict[str, float]]:
    """train_r12.train, on the highest-scoring instance of each bag (MI-logistic). With
    ``average_from``, the mean of the weights at the end of each epoch from that one on."""
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    bias, bias_square = 0.0, 0.0
    order = list(range(len(bags)))
    rng = random.Random(tr.SEED)  # noqa: S311
    lr = tr.LEARNING_RATE
    summed: dict[str, float] = {}
    summed_bias, averaged = 0.0, 0
    for epoch in range(epochs):
        if average_from is not None and epoch > average_from:
            for f, w in weights.items():
                summed[f] = summed.get(f, 0.0) + w
            summed_bias += bias
            averaged += 1
        rng.shuffle(order)
        for i in order:
            bag = bags[i]
            if len(bag) == 1:
                best = bag[0]
                z = sum(weights.get(f, 0.0) * n for f, n in best)
            else:
                z, best = max(
                    ((sum(weights.get(f, 0.0) * n for f, n in inst), inst) for inst in bag),
                    key=lambda t: t[0],
                )
            z += bias
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            g = p - labels[i]
            if labels[i]:
                g *= positive_weight
            if g == 0.0:
                continue
            bias_square += g * g
            bias -= lr * g / math.sqrt(bias_square)
            tr.adagrad_step(weights, squares, best, g, l2)
    if average_from is not None:
        for f, w in weights.items():
            summed[f] = summed.get(f, 0.0) + w
        averaged += 1
        return (summed_bias + bias) / averaged, {f: w / averaged for f, w in summed.items()}
    return bias, weights


def prune(bags: list[list[Features]], least: int) -> list[list[Features]]:
    seen = Counter(f for bag in bags for f in {f for inst in bag for f, _ in inst})
    return [[tuple((f, n) for f, n in inst if seen[f] >= least) for inst in bag] for bag in bags]


ALLOWANCES = (0.03, 0.035, 0.04, 0.045, 0.05)


def threshold_at(scores: list[tuple[float, int]], allowance: float) -> float:
    """The score a row must exceed so that false alarms stay within ``allowance``."""
    neutral = sorted((s for s, y in scores if not y), reverse=True)
    allowed = int(allowance * len(neutral))
    return neutral[allowed] if allowed < len(neutral) else -math.inf


def recall_at(scores: list[tuple[float, int]], allowance: float) -> float:
    neutral = sorted((s for s, y in scores if not y), reverse=True)
    blame = [s for s, y in scores if y]
    allowed = int(allowance * len(neutral))
    threshold = neutral[allowed] if allowed < len(neutral) else -math.inf
    if threshold == -math.inf:
        return sum(s > -math.inf for s in blame) / len(blame)
    return sum(s > threshold for s in blame) / len(blame)


def fold_of(group: str, deal: int, folds: int) -> int:
    digest = hashlib.sha256(f"{deal}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % folds


def cross_validate(
    rows: list[Row],
    lang: str,
    variant: Variant,
    deals: int,
    folds: int,
    errors: dict[str, list[float]] | None = None,
    transfer: dict[float, list[tuple[float, float]]] | None = None,
    train_only: tuple[str, ...] = (),
    train_groups: frozenset[str] = frozenset(),
) -> list[tuple[float, float]]:
    """Per deal, the mean over folds of recall at 4 % and at 5 % false alarms. Groups whose
    id starts with one of ``train_only`` are added to every fold's training and never scored,
    so new groups are measured by what they add to the groups written before; so are the groups
    of ``train_groups`` (those of ``data/r12/train/``)."""
    train_bags = [
        [r.features] if variant.train_instances is None else variant.train_instances(r, lang)
        for r in rows
    ]
    train_bags = [bag or [r.features] for bag, r in zip(train_bags, rows, strict=True)]
    score_bags = [variant.score_instances(r, lang) for r in rows]
    l2 = (variant.l2 or tr.L2)[lang]
    least = (variant.min_count or tr.MIN_COUNT)[lang]
    out = []
    for deal in range(deals):
        fold = [
            -1
            if r.group in train_groups or r.group.startswith(tuple(train_only))
            else fold_of(r.group, deal, folds)
            for r in rows
        ]
        at4, at5 = [], []
        for k in range(folds):
            train_idx = [
                i
                for i in range(len(rows))
                if fold[i] != k
                and fold_of(rows[i].group, deal + 200, 1000) < 1000 * variant.train_share
            ]
            test_idx = [i for i in range(len(rows)) if fold[i] == k]
            bags = prune([train_bags[i] for i in train_idx], least)
            bias, weights = train_mi(
                bags,
                [rows[i].label for i in train_idx],
                l2,
                variant.positive_weight,
                variant.epochs or tr.EPOCHS,
                variant.average_from,
            )
            weights = tr.rounded(weights)
            scores = []
            for i in test_idx:
                s = max(
                    (
                        bias + sum(weights.get(f, 0.0) * n for f, n in inst)
                        for inst in score_bags[i]
                    ),
                    default=-math.inf,
                )
                scores.append((s, rows[i].label))
            if errors is not None:
                threshold = threshold_at(scores, 0.04)
                for i, (s, _) in zip(test_idx, scores, strict=True):
                    errors.setdefault(rows[i].id, []).append(s - threshold)
            at4.append(recall_at(scores, 0.04))
            at5.append(recall_at(scores, 0.05))
            if transfer is not None:
                half = [fold_of(rows[i].group, deal + 100, 2) for i in test_idx]
                for h in (0, 1):
                    chosen = [x for x, g in zip(scores, half, strict=True) if g == h]
                    other = [x for x, g in zip(scores, half, strict=True) if g != h]
                    for allowance in ALLOWANCES:
                        t = threshold_at(chosen, allowance)
                        neutral = [x for x, y in other if not y]
                        blame = [x for x, y in other if y]
                        transfer.setdefault(allowance, []).append(
                            (
                                sum(x > t for x in blame) / len(blame),
                                sum(x > t for x in neutral) / len(neutral),
                            )
                        )
        out.append((sum(at4) / folds, sum(at5) / folds))
    return out


def write_errors(
    path: Path, lang: str, name: str, rows: list[Row], margins: dict[str, list[float]]
) -> None:
    """Each row's margin over the 4 % threshold per deal: a blaming row below 0 was missed, a
    neutral one above 0 an alarm."""
    target = path.with_name(f"{path.stem}-{lang}-{name}{path.suffix}")
    with target.open("w", encoding="utf-8") as f:
        f.write("id\tlabel\tparty\tform\tgroup\twrong\tmargin\ttext\n")
        for r in rows:
            m = margins.get(r.id)
            if not m:
                continue  # a training-only row is never scored
            wrong = sum((x <= 0) if r.label else (x > 0) for x in m)
            mean = sum(m) / len(m) if all(x > -math.inf for x in m) else -99.0
            f.write(
                f"{r.id}\t{r.label}\t{r.party}\t{r.form}\t{r.group}\t{wrong}\t{mean:.2f}\t{r.text}\n"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", action="append", choices=("nl", "en"))
    parser.add_argument("--variant", action="append", choices=[*sorted(VARIANTS), "mi-max-min"])
    parser.add_argument("--deals", type=int, default=3)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--errors", type=Path, help="write each row's margin per deal (TSV)")
    parser.add_argument(
        "--transfer",
        action="store_true",
        help="also choose the threshold on half of each held-out fold and measure the other",
    )
    parser.add_argument(
        "--train-only",
        action="append",
        default=[],
        metavar="PREFIX",
        help="groups whose id starts with PREFIX only train, in every fold (never scored); "
        "the groups of data/r12/train/ always do",
    )
    args = parser.parse_args()
    # The training-only part files (data/r12/train/) train in every fold and are never scored,
    # as they never choose or measure the threshold of the shipped model.
    train_groups = r12_corpus.training_only_groups()
    for lang in args.lang or ["nl", "en"]:
        t = time.perf_counter()
        rows = read_rows(lang)
        print(f"{lang}: {len(rows)} rows of train and dev ({time.perf_counter() - t:.0f} s)")
        for name in args.variant or ["base"]:
            t = time.perf_counter()
            if name == "mi-max-min":
                per_deal = cross_validate_mm(rows, lang, args.deals, args.folds)
                a4 = sum(d[0] for d in per_deal) / len(per_deal)
                a5 = sum(d[1] for d in per_deal) / len(per_deal)
                deals = " ".join(f"{d[0]:.1%}/{d[1]:.1%}" for d in per_deal)
                print(f"{lang} {name:16} recall at 4 % FA {a4:.2%}, at 5 % {a5:.2%} ({deals})")
                continue
            margins: dict[str, list[float]] | None = {} if args.errors else None
            transfer: dict[float, list[tuple[float, float]]] | None = {} if args.transfer else None
            per_deal = cross_validate(
                rows,
                lang,
                VARIANTS[name],
                args.deals,
                args.folds,
                margins,
                transfer,
                tuple(args.train_only),
                train_groups,
            )
            for allowance, pairs in (transfer or {}).items():
                fa = sorted(p[1] for p in pairs)
                print(
                    f"  threshold at {allowance:.1%} FA on one half, the other half: recall "
                    f"{sum(p[0] for p in pairs) / len(pairs):.2%}, false alarms mean "
                    f"{sum(fa) / len(fa):.2%}, over 5 % in {sum(f > 0.05 for f in fa)}/{len(fa)}, "
                    f"highest {fa[-1]:.2%}; both bars (recall >= 95 %, false alarms <= 5 %) met "
                    f"in {sum(r >= 0.95 and f <= 0.05 for r, f in pairs)}/{len(pairs)}"
                )
            if args.errors and margins is not None:
                write_errors(args.errors, lang, name, rows, margins)
            a4 = sum(d[0] for d in per_deal) / len(per_deal)
            a5 = sum(d[1] for d in per_deal) / len(per_deal)
            deals = " ".join(f"{d[0]:.1%}/{d[1]:.1%}" for d in per_deal)
            print(
                f"{lang} {name:16} recall at 4 % FA {a4:.2%}, at 5 % {a5:.2%}"
                f"  (per deal {deals}; {time.perf_counter() - t:.0f} s)",
                flush=True,
            )
    return 0


# --- Max and min over the clauses (an experiment, not shipped) ------------------------------------
# score(sentence) = w·whole + max_i c·clause_i + min_j m·clause_j: the best clause may blame, the
# most neutral one (a party cleared, "wij" taking it on) may pull the sentence down.

Sentence = tuple[Features, list[Features], list[Features]]


def mm_sentences(row: Row, lang: str) -> list[Sentence]:
    out = []
    for s in row.sentences:
        whole = counted(feat.features(s, lang))
        parts = [feat.clause_features(s[a:b], lang) for a, b in feat.party_clauses(s, lang)]
        out.append(
            (
                whole,
                [counted(["c|" + f for f in p]) for p in parts],
                [counted(["m|" + f for f in p]) for p in parts],
            )
        )
    return out


def _dot(weights: dict[str, float], features: Features) -> float:
    return sum(weights.get(f, 0.0) * n for f, n in features)


def mm_score(weights: dict[str, float], sentence: Sentence) -> tuple[float, Features]:
    whole, maxes, mins = sentence
    best = max(maxes, key=lambda x: _dot(weights, x))
    worst = min(mins, key=lambda x: _dot(weights, x))
    z = _dot(weights, whole) + _dot(weights, best) + _dot(weights, worst)
    return z, whole + best + worst


def cross_validate_mm(
    rows: list[Row], lang: str, deals: int, folds: int
) -> list[tuple[float, float]]:
    data = [mm_sentences(r, lang) or [(r.features, [()], [()])] for r in rows]
    l2 = tr.L2[lang]
    least = tr.MIN_COUNT[lang]
    out = []
    for deal in range(deals):
        fold = [fold_of(r.group, deal, folds) for r in rows]
        at4, at5 = [], []
        for k in range(folds):
            train_idx = [i for i in range(len(rows)) if fold[i] != k]
            seen = Counter(
                f
                for i in train_idx
                for f in {
                    f
                    for whole, maxes, mins in data[i]
                    for inst in (whole, *maxes, *mins)
                    for f, _ in inst
                }
            )
            weights: dict[str, float] = {}
            squares: dict[str, float] = {}
            bias, bias_square = 0.0, 0.0
            order = list(train_idx)
            rng = random.Random(tr.SEED)  # noqa: S311
            for _ in range(tr.EPOCHS):
                rng.shuffle(order)
                for i in order:
                    z, features = max((mm_score(weights, s) for s in data[i]), key=lambda t: t[0])
                    z += bias
                    p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
                    g = p - rows[i].label
                    if g == 0.0:
                        continue
                    bias_square += g * g
                    bias -= tr.LEARNING_RATE * g / math.sqrt(bias_square)
                    kept = [(f, n) for f, n in features if seen[f] >= least]
                    tr.adagrad_step(weights, squares, kept, g, l2)
            weights = tr.rounded(weights)
            scores = []
            for i in range(len(rows)):
                if fold[i] != k:
                    continue
                s = (
                    max(bias + mm_score(weights, x)[0] for x in data[i])
                    if rows[i].sentences
                    else -math.inf
                )
                scores.append((s, rows[i].label))
            at4.append(recall_at(scores, 0.04))
            at5.append(recall_at(scores, 0.05))
        out.append((sum(at4) / folds, sum(at5) / folds))
    return out


if __name__ == "__main__":
    sys.exit(main())
