"""Throughput of the domain core (issue budgets: ≥ 100,000 contact-deadline computations per
second on one core; wording guard ≥ 2 MB of text per second, also on one 20 kB letter, in
Dutch and in English, #11).

    .venv/bin/python bench/domain.py [--seconds 3]

Runs in one process (one core). Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta

from klachten.domain.deadlines import contact_due, deadlines_for
from klachten.domain.terms import DEFAULT_TERMS
from klachten.domain.wording import check, language_of
from klachten.domain.wording.normalise import forget
from klachten.domain.workdays import AMSTERDAM, WorkCalendar

NAMES = ["mevrouw Bakker", "meneer El Amrani", "mevrouw De Graaf", "meneer Visser", "Sanne"]
COURSES = ["de cursus Projectmanagement", "de training Leidinggeven", "de opleiding HR-advies"]
SENTENCES = [
    "Beste {name}, hartelijk dank voor uw telefoontje van vanmorgen over {course}.",
    "Wij begrijpen goed dat u teleurgesteld bent over de gang van zaken.",
    "Het spijt ons dat het lesmateriaal niet op tijd bij u was.",
    "Zoals afgesproken nemen wij uiterlijk vrijdag contact met u op.",
    "Mijn collega Petra de Vries zorgt ervoor dat u de ontbrekende module ontvangt.",
    "Wij bieden u aan de gemiste lesdag kosteloos in te halen op 12 maart.",
    "Uw klacht is door ons zorgvuldig bekeken.",
    "Het probleem met de inloggegevens is inmiddels verholpen.",
    "Door een fout in de planning stond u niet op de deelnemerslijst.",
    "Dat de uitnodiging te laat kwam, ligt aan het computersysteem.",
    "Wilt u ons laten weten of deze oplossing voor u goed werkt?",
    "Met vriendelijke groet, Petra de Vries, cursuscoördinator Kerngroep.",
    "U kunt mij altijd bereiken op 030 123 45 67 of petra.devries@kerngroep.nl.",
    "Wij hebben de klachtenregeling met deze brief meegestuurd.",
    "Onze excuses voor het ongemak dat u hierdoor heeft ervaren.",
]


ENGLISH_COURSES = ["the Project Management course", "the Leadership training", "the HR course"]
ENGLISH_SENTENCES = [
    "Dear {name}, thank you for your call this morning about {course}.",
    "We understand that you are disappointed with how things went.",
    "We are sorry that the course material did not reach you in time.",
    "As agreed, we will contact you again by Friday at the latest.",
    "My colleague Petra de Vries will make sure that you receive the missing module.",
    "We would like to offer you a free place on the next course day, on 12 March.",
    "We have looked into your complaint carefully.",
    "The problem with your login details has now been solved.",
    "Because of an error in the schedule your name was not on the list.",
    "The invitation came late because the computer system was down.",
    "Could you let us know whether this solution works for you?",
    "Kind regards, Petra de Vries, course coordinator at Kerngroep.",
    "You can always reach me on 030 123 45 67 or at petra.devries@kerngroep.nl.",
    "We have enclosed our regulation with this letter.",
    "We apologise for the inconvenience this has caused you.",
]
# What a pasted text may carry: a soft hyphen, a zero-width space, a word broken at a line end.
HIDDEN = ["\u00ad", "\u200b", "-\n"]


def letter_text(
    megabytes: float,
    rng: random.Random,
    sentences: list[str] = SENTENCES,
    courses: list[str] = COURSES,
) -> str:
    """Realistic letters (a few with words the guard must catch) of about that size."""
    parts: list[str] = []
    size = 0
    target = int(megabytes * 1_000_000)
    while size < target:
        paragraph = " ".join(
            rng.choice(sentences).format(name=rng.choice(NAMES), course=rng.choice(courses))
            for _ in range(rng.randint(3, 7))
        )
        parts.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(parts)


def bench_deadlines(seconds: float, rng: random.Random) -> None:
    calendar = WorkCalendar(closing_days=frozenset({date(2026, 12, 28), date(2026, 12, 29)}))
    start = datetime(2024, 1, 1, tzinfo=AMSTERDAM)
    moments = [
        start + timedelta(minutes=rng.randrange(0, 9 * 365 * 24 * 60)) for _ in range(50_000)
    ]
    for moment in moments[:1000]:  # warm the holiday cache, as a running server has it
        deadlines_for(moment, calendar, DEFAULT_TERMS)
    count = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for moment in moments:
            contact_due(moment, calendar, DEFAULT_TERMS)
        count += len(moments)
    elapsed = time.perf_counter() - began
    print(f"contact deadlines: {count / elapsed:,.0f} per second (budget ≥ 100,000)")
    count = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for moment in moments:
            deadlines_for(moment, calendar, DEFAULT_TERMS)
        count += len(moments)
    elapsed = time.perf_counter() - began
    print(f"all three deadlines: {count / elapsed:,.0f} complaints per second")


def bench_wording(seconds: float, rng: random.Random) -> None:
    text = letter_text(4, rng)
    megabytes = len(text.encode()) / 1_000_000
    findings = check(text)  # warm-up, and a sanity check that it finds things
    if not findings:
        raise SystemExit("the benchmark text should contain words the guard catches")
    runs = 0
    began = time.perf_counter()
    while runs == 0 or time.perf_counter() - began < seconds:
        forget()  # every run reads the text afresh, as every new text in the application is
        check(text)
        runs += 1
    elapsed = time.perf_counter() - began
    print(
        f"wording guard: {megabytes * runs / elapsed:,.1f} MB per second "
        f"({megabytes:.1f} MB of letters, {len(findings):,} findings; budget ≥ 2 MB/s)"
    )
    # Letters are checked one by one in the application: measure that too.
    letters = text.split("\n\n")
    began = time.perf_counter()
    for letter in letters:
        check(letter)
    elapsed = time.perf_counter() - began
    print(f"wording guard, letter by letter: {megabytes / elapsed:,.1f} MB per second")


def with_hidden_characters(text: str, rng: random.Random) -> str:
    """``text`` with a hidden character inside about one word in fifty (the slow path)."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) > 4 and word.isalpha() and rng.random() < 0.02:
            cut = rng.randint(1, len(word) - 1)
            words[i] = word[:cut] + rng.choice(HIDDEN) + word[cut:]
    return " ".join(words)


def bench_one_letter(seconds: float, rng: random.Random) -> None:
    """The full check as the application runs it on one 20 kB letter: the language is read
    from the text, then both rules run in it (#11: ≥ 2 MB/s per core)."""
    dutch = letter_text(0.02, rng)
    english = letter_text(0.02, rng, ENGLISH_SENTENCES, ENGLISH_COURSES)
    letters = [
        ("Dutch", dutch),
        ("English", english),
        ("Dutch, hidden characters", with_hidden_characters(dutch, rng)),
        ("English, hidden characters", with_hidden_characters(english, rng)),
    ]
    for name, letter in letters:
        language = language_of(letter)
        findings = check(letter, language=language)
        if not any(f.rule == "R13" for f in findings):
            raise SystemExit(f"the {name} letter should contain words the guard catches")
        megabytes = len(letter.encode()) / 1_000_000
        runs = 0
        began = time.perf_counter()
        while runs == 0 or time.perf_counter() - began < seconds:
            forget()
            check(letter, language=language_of(letter))
            runs += 1
        elapsed = time.perf_counter() - began
        print(
            f"wording guard, one {len(letter) / 1000:.0f} kB letter ({name}, read as "
            f"{language}): {megabytes * runs / elapsed:,.1f} MB per second "
            f"({len(findings)} findings; budget ≥ 2 MB/s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    rng = random.Random(2026)
    bench_deadlines(args.seconds, rng)
    bench_wording(args.seconds, rng)
    bench_one_letter(args.seconds, rng)


if __name__ == "__main__":
    main()
