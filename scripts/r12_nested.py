"""Nested cross-validation of the whole of ``train_r12`` on the train and dev groups (#11, R12).

    python scripts/r12_nested.py --lang nl --deal 0        # about six minutes per language and deal
    python scripts/r12_nested.py --lang en --deal 0 --deal 1 --deal 2

``train_r12`` chooses the threshold on out-of-fold scores and then trains the shipped model
on all of train and dev. This asks how that whole procedure does on groups it never saw,
without the test split: the letter-like train and dev groups are dealt to ``--outer`` folds (by
a hash of the group and the deal); for each fold, the threshold is chosen on everything else
exactly as ``train_r12.build`` chooses it (its cross-fitted folds, its
:func:`train_r12.choose_threshold`), the model is fit on everything else, and the held fold is
measured at that threshold. The training-only sittings always train, never measure.

Per fold it prints recall and false alarms, then over all folds how often both parts of the
bar were met, for the shipped rule and, to compare, for fixed allowances of out-of-fold false
alarms (the rule before). Rows of the test split are never read.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts")]

import r12_corpus  # noqa: E402
import train_r12 as tr  # noqa: E402

ALLOWANCES = (0.025, 0.03, 0.035, 0.04, 0.045)

Fold = tuple[list[tr.Scored], list[tr.Scored]]  # the out-of-fold scores and the held fold's


def outer_fold(source: str, deal: int, folds: int) -> int:
    digest = hashlib.sha256(f"outer:{deal}:{source}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % folds


def nested(lang: str, deal: int, folds: int) -> list[Fold]:
    """Per outer fold: the scores the threshold is chosen by, and the held fold's scores."""
    only_train = r12_corpus.training_only_groups()
    examples = [e for e in tr.read_corpus(lang) if e.split != "test"]
    out = []
    for k in range(folds):

        def held(e: tr.Example, k: int = k) -> bool:
            return e.source not in only_train and outer_fold(e.source, deal, folds) == k

        learnt = [e for e in examples if not held(e)]
        out_of_fold = tr.cross_fitted(learnt, lang, only_train)
        chosen_by = [(x, learnt[i].label) for i, x in out_of_fold.items()]
        bias, weights = tr.fit(learnt, lang)
        out.append((chosen_by, tr.scored(bias, weights, [e for e in examples if held(e)])))
    return out


def allowance_threshold(scores: list[tr.Scored], allowance: float) -> float:
    """The rule before: the lowest threshold with at most ``allowance`` false alarms."""
    neutral = sorted((s for s, label in scores if not label), reverse=True)
    allowed = int(allowance * len(neutral))
    return round(neutral[allowed] + 10**-tr.DECIMALS / 2, tr.DECIMALS + 1)


def report(name: str, folds: list[Fold], threshold_of: Callable[[list[tr.Scored]], float]) -> None:
    met = found = blaming = alarms = neutral = 0
    for chosen_by, held in folds:
        threshold = threshold_of(chosen_by)
        fold_found = sum(s >= threshold for s, label in held if label)
        fold_alarms = sum(s >= threshold for s, label in held if not label)
        fold_blaming = sum(label for _, label in held)
        fold_neutral = len(held) - fold_blaming
        met += (
            fold_found >= tr.LEAST_RECALL * fold_blaming
            and fold_alarms <= tr.MOST_FALSE_ALARMS * fold_neutral
        )
        found, blaming = found + fold_found, blaming + fold_blaming
        alarms, neutral = alarms + fold_alarms, neutral + fold_neutral
    print(
        f"  {name:24} bar met on {met}/{len(folds)} folds; over all: recall "
        f"{found / blaming:.2%}, false alarms {alarms / neutral:.2%}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", choices=("nl", "en"))
    parser.add_argument("--deal", action="append", type=int)
    parser.add_argument("--outer", type=int, default=5)
    args = parser.parse_args()
    for lang in args.lang or ["nl", "en"]:
        folds: list[Fold] = []
        for deal in args.deal or [0]:
            for k, (chosen_by, held) in enumerate(nested(lang, deal, args.outer)):
                m = tr.measure(held, tr.choose_threshold(chosen_by))
                print(
                    f"{lang} deal {deal} fold {k}: recall {m['recall']:.1%} of {m['blame']}, "
                    f"false alarms {m['false_alarms']:.1%} of {m['neutral']}",
                    flush=True,
                )
                folds.append((chosen_by, held))
        print(f"{lang}, {len(folds)} held folds:")
        report("shipped (both margins)", folds, tr.choose_threshold)
        for allowance in ALLOWANCES:
            report(
                f"allowance {allowance:.1%}",
                folds,
                partial(allowance_threshold, allowance=allowance),
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
