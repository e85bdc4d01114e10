"""R13 against every word of the Dutch language (OpenTaal's list, Debian package ``wdutch``).

The rule is exact: a word is flagged if and only if it contains *klacht*, *probleem*,
*problem* or *fout*, case-insensitively, and the finding covers the word (letters joined by
hyphens or apostrophes) that holds the stem.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from klachten.domain.wording import check, forbidden_words
from klachten.domain.wording.replacements import MODIFIED, NOUNS, WORDS
from tests.domain import r13_set

WORDLIST = Path("/usr/share/dict/dutch")
STEM = re.compile(r"klacht|fout|proble?em")
JOINERS = "-'’‐‑"
# A word of a suggestion: letters joined by hyphens or apostrophes.
SUGGESTED_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# One character per character of the word: L a letter, J a joiner, x anything else.
WORD_SHAPE = re.compile(r"L+(?:JL+)*")


@functools.cache
def read_words() -> list[str]:
    """The word list, read once; its absence fails the tests (not skips them)."""
    if not WORDLIST.exists():
        pytest.fail(
            f"{WORDLIST} is missing: install the Dutch word list with `apt-get install wdutch`"
        )
    return WORDLIST.read_text(encoding="utf-8").splitlines()


def words_holding_a_stem(word: str) -> list[tuple[int, int]]:
    """The spans of the letter runs of ``word`` that contain a stem, worked out independently."""
    stems = [m.span() for m in STEM.finditer(word.lower())]
    if not stems:
        return []
    shape = "".join("L" if c.isalpha() else "J" if c in JOINERS else "x" for c in word)
    runs = [m.span() for m in WORD_SHAPE.finditer(shape)]
    return [(a, b) for a, b in runs if any(a <= s and e <= b for s, e in stems)]


def test_the_word_list_is_the_full_dutch_list() -> None:
    """R13: the check below means something only on the real list (413k words)."""
    words = read_words()
    assert len(words) > 400_000
    assert sum(1 for w in words if STEM.search(w.lower())) > 1000


def test_every_word_is_flagged_exactly_when_it_contains_a_stem() -> None:
    """R13: for each of the 413k words: a finding iff a stem, spanning the word around it."""
    words = read_words()
    wrong = []
    for word in words:
        spans = [(f.start, f.end) for f in forbidden_words(word)]
        if spans != words_holding_a_stem(word):
            wrong.append((word, spans))
    assert wrong == []


def test_every_flagged_word_gets_a_suggestion_without_a_stem() -> None:
    """R13: each of the ~1100 flagged words has at least one usable replacement."""
    words = read_words()
    for word in words:
        if not STEM.search(word.lower()):
            continue
        for finding in forbidden_words(word):
            assert finding.suggestions, word
            assert not any(STEM.search(s.lower()) for s in finding.suggestions), word


def test_the_whole_list_as_one_text_gives_the_same_r13_findings() -> None:
    """R13: checking the list as one long text, one word a line, flags the same words."""
    words = read_words()
    text = "\n".join(words)
    found = [(f.start, f.end) for f in check(text) if f.rule == "R13"]
    expected: list[tuple[int, int]] = []
    offset = 0
    for word in words:
        expected.extend((offset + a, offset + b) for a, b in words_holding_a_stem(word))
        offset += len(word) + 1
    assert found == expected


@functools.cache
def listed() -> frozenset[str]:
    return frozenset(w.lower() for w in read_words())


def unlisted_words(suggestion: str, passage: str) -> list[str]:
    """The words of ``suggestion`` that are neither in the list nor the employee's own.

    A word the employee wrote in the passage stays theirs (a name, an adjective); an acronym
    before a hyphen is theirs too (ICT-storingen): Dutch writes such compounds with a hyphen,
    and the word after it must be listed.
    """
    own = {w.lower() for w in SUGGESTED_WORD.findall(passage)}
    wrong = []
    for word in SUGGESTED_WORD.findall(suggestion):
        low = word.lower()
        if low in listed() or low in own:
            continue
        head, _, tail = word.rpartition("-")
        if head and head.isupper() and tail.lower() in listed():
            continue
        wrong.append(word)
    return wrong


def test_every_suggestion_is_a_listed_word_or_a_phrase_of_listed_words() -> None:
    """R13: no coined compound (drukvergissing, meldingsregeling): every word of every
    suggestion, for every flagged word of the list and every sentence of the suggestion set,
    is in OpenTaal's list or was written by the employee in the replaced passage."""
    wrong = []
    for word in read_words():
        if not STEM.search(word.lower()):
            continue
        for finding in forbidden_words(word):
            for suggestion in finding.suggestions:
                if unlisted_words(suggestion, finding.text):
                    wrong.append((word, suggestion))
    for item in r13_set.load():
        for finding in forbidden_words(item.sentence):
            for suggestion in finding.suggestions:
                if unlisted_words(suggestion, finding.text):
                    wrong.append((item.sentence, suggestion))
    assert wrong == []


def test_the_curated_tables_hold_only_listed_words() -> None:
    """R13: the replacement nouns, compounds and phrases shipped with the product are real
    words (the product cannot consult the list at run time, so the tables are checked here)."""
    phrases = [*NOUNS, *(p for ps in WORDS.values() for p in ps)]
    phrases += [" ".join(pair) for pair in MODIFIED.values()]
    phrases += [plural for _gender, plural in NOUNS.values() if plural]
    wrong = [p for p in phrases if unlisted_words(p, "")]
    assert wrong == []
