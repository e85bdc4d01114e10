"""R13 suggestions: how many first suggestions are correct Dutch, and what they cost (#11).

    .venv/bin/python bench/suggestions.py [--seconds 2] [--wrong]

Prints the share of sentences of the suggestion set (tests/domain/data/r13_suggestions.tsv)
whose first suggestions give a sentence an editor accepts, for the tuned and the held-out part
(budget ≥ 90 %), and the throughput of the whole wording check and of R13 alone on a 20 kB
letter, in one process (one core; budget ≥ 2 MB/s for the whole check). ``--wrong`` lists the
tuned sentences that come out wrong; the held-out part is only counted, never listed, so it
stays held out.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(ROOT / "bench")]

from tests.domain import r13_set  # noqa: E402

from domain import letter_text  # noqa: E402
from klachten.domain.wording import check, forbidden_words  # noqa: E402
from klachten.domain.wording.normalise import forget  # noqa: E402


def bench_share(wrong: bool) -> None:
    items = r13_set.load()
    everything = []
    for split in r13_set.SPLITS:
        outcomes = r13_set.evaluate([i for i in items if i.split == split])
        everything.extend(outcomes)
        correct = sum(o.correct for o in outcomes)
        print(
            f"first suggestions correct, {split}: {correct}/{len(outcomes)} "
            f"= {r13_set.share(outcomes):.1%} (budget ≥ 90 %)"
        )
        if wrong and split == "tuned":
            for o in outcomes:
                if not o.correct:
                    print(f"    {o.item.id}: {o.item.sentence} → {o.rephrased}")
    print(f"first suggestions correct, all: {r13_set.share(everything):.1%}")


def throughput(name: str, run: Callable[[str], object], text: str, seconds: float) -> None:
    size = len(text.encode())
    run(text)  # warm-up: the remembered plans, as a running server has them
    runs = 0
    began = time.perf_counter()
    while runs == 0 or time.perf_counter() - began < seconds:
        forget()  # every run reads the text afresh, as every new text in the application is
        run(text)
        runs += 1
    elapsed = time.perf_counter() - began
    print(
        f"{name}: {size * runs / elapsed / 1_000_000:,.1f} MB per second "
        f"({elapsed / runs * 1000:.1f} ms a letter; budget ≥ 2 MB/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--wrong", action="store_true", help="list the tuned sentences gone wrong")
    args = parser.parse_args()
    bench_share(args.wrong)
    letter = letter_text(0.02, random.Random(2026))[:20_000]
    findings = forbidden_words(letter)
    print(f"20 kB letter with {len(findings)} words of R13 (budget ≥ 2 MB/s, whole check):")
    throughput("  whole check (R12 and R13)", check, letter, args.seconds)
    throughput("  R13 with its suggestions", forbidden_words, letter, args.seconds)
    sparse = letter_text(0.02, random.Random(7))[:20_000]
    sparse = "\n\n".join(p for p in sparse.split("\n\n") if not forbidden_words(p)) + (
        " Excuses voor het probleem met uw klacht; er is iets fout gegaan."
    )
    throughput("  whole check, a letter with 3 such words", check, sparse, args.seconds)


if __name__ == "__main__":
    main()
