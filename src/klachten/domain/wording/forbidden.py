"""R13: the words *klacht*, *probleem* and *fout*, and every word that contains them.

In English texts also *complaint*, *problem*, *fault*, *error* and *mistake* as whole words
(:mod:`~klachten.domain.wording.english`). Matching runs on the normalised copy of the text
(:mod:`~klachten.domain.wording.normalise`), so a word hidden by a soft hyphen, a zero-width
character, a hyphenated line break, look-alike letters or accents is found all the same, and
each finding points at the characters as typed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from klachten.domain.wording.english import ENGLISH_WORDS, english_suggestions, whole_word_end
from klachten.domain.wording.findings import FORBIDDEN_WORD, Finding
from klachten.domain.wording.normalise import Normalised, fold_char, normalise
from klachten.domain.wording.suggest import rewrite
from klachten.domain.wording.text import STEM, lowered, word_around

# The Dutch stems everywhere; in English also the English words, which must stand as whole
# words: that is checked after the match (a flat alternation is several times faster than one
# with look-arounds).
_PATTERNS = {
    "nl": STEM,
    "en": re.compile("|".join((STEM.pattern, *ENGLISH_WORDS))),
}
_ENGLISH = frozenset(ENGLISH_WORDS)
# When no suggestion is free of every forbidden word: what replaces each one, plainly.
_PLAIN = {
    "klacht": "melding",
    "fout": "vergissing",
    "probleem": "punt",
    "problem": "issue",
    "complaint": "concern",
    "fault": "oversight",
    "error": "oversight",
    "mistake": "slip",
}


def forbidden_words(text: str, language: str = "nl") -> list[Finding]:
    """R13: every word containing *klacht*, *probleem*/*problem* or *fout*, with replacements.

    The finding spans the whole word around the stem (``aanklacht``, ``e-mail-klacht``,
    ``rekenfout``), case-insensitively. There are no exceptions: *clafoutis* is flagged too.
    In English (``language="en"``) the English words of R13 are found as well, and English
    words get English replacements. A word disguised by more than its accents (``kla­cht``
    with a soft hyphen, ``fоut`` with a Cyrillic о, ``klach-⏎ten``) carries
    ``params["seen"]``, the word as read. Where the best replacement of a word as typed needs
    the words around it to change as well ("een groot probleem" → "een grote kwestie", "fout
    gegaan" → "misgegaan"), the finding spans those words too; ``params["word"]`` is always
    the forbidden word itself.
    """
    seen_text = normalise(text)
    copy = seen_text.text
    low = lowered(copy)
    pattern = _PATTERNS[language]
    findings: list[Finding] = []
    pos = 0
    while True:
        m = pattern.search(low, pos)
        if m is None:
            return findings
        matched = m.group()
        if matched in _ENGLISH and whole_word_end(low, m.start(), m.end()) is None:
            pos = m.start() + 1
            continue
        start, end = word_around(copy, m.start(), m.end())
        seen = copy[start:end]
        typed_start, typed_end = seen_text.span(start, end)
        word = text[typed_start:typed_end]
        before = low[max(0, start - 40) : start]
        suggestions = english_suggestions(seen, before) if language == "en" else ()
        span = (typed_start, typed_end)
        if not suggestions:
            # The replacement may take the words around it along ("een groot probleem" → "een
            # grote kwestie"), never into the previous finding. It is worked out on the text
            # with the word as read (accents kept as typed outside the stem), then mapped back
            # onto what was typed.
            written = seen if word == seen else _as_written(seen_text, start, end, m.span())
            local = text if written == word else text[:typed_start] + written + text[typed_end:]
            passage = rewrite(
                local,
                typed_start,
                typed_start + len(written),
                floor=findings[-1].end if findings else 0,
            )
            shift = (typed_end - typed_start) - len(written)
            span, suggestions = (passage.start, passage.end + shift), passage.suggestions
        params = {"word": word, "stem": stem_of(matched)}
        if _disguised(word, seen):
            params["seen"] = seen
        findings.append(
            Finding(
                start=span[0],
                end=span[1],
                text=text[span[0] : span[1]],
                rule="R13",
                code=FORBIDDEN_WORD,
                suggestions=_free(suggestions, seen, language),
                params=params,
            )
        )
        pos = end
        # A passage that reaches past the word takes what it covers along (its replacement
        # holds no forbidden word): the search goes on after it.
        while pos < len(copy) and seen_text.source(pos) < span[1]:
            pos += 1


def _as_written(seen_text: Normalised, start: int, end: int, stem: tuple[int, int]) -> str:
    """The word to build suggestions from: as read, but outside the stem each accented letter
    and each digit or symbol in a special form keeps the form typed, so the part a suggestion
    keeps is spelt as the employee spelt it (*privéprobleem* → *privépunt*, *CO₂-probleem* →
    *CO₂-punt*). Look-alike letters, fullwidth and mathematical letters are disguises and are
    not kept."""
    copy, original = seen_text.text, seen_text.original
    chars = []
    for i in range(start, end):
        char = copy[i]
        if not stem[0] <= i < stem[1]:
            typed = original[seen_text.source(i)]
            if typed != char and fold_char(typed) == char and _kept_as_typed(typed, char):
                char = typed
        chars.append(char)
    return "".join(chars)


def _kept_as_typed(typed: str, read: str) -> bool:
    """An accented letter (a canonical decomposition), or a digit or symbol read as one."""
    decomposition = unicodedata.decomposition(typed)
    if decomposition and not decomposition.startswith("<"):
        return True
    return not typed.isalpha() and not read.isalpha()


def _disguised(typed: str, seen: str) -> bool:
    """Whether ``typed`` reads as ``seen`` for more reasons than its accents."""
    if typed == seen:
        return False
    bare = "".join(c for c in unicodedata.normalize("NFD", typed) if not unicodedata.combining(c))
    return bare != seen


def stem_of(matched: str) -> str:
    """Name the forbidden word a match stands for (``problem`` is a form of *probleem*)."""
    return "probleem" if matched.startswith("probl") else matched


@functools.lru_cache(maxsize=4096)
def _free(suggestions: tuple[str, ...], seen: str, language: str) -> tuple[str, ...]:
    """R13: only the suggestions without a forbidden word; never none.

    A word that holds a Dutch and an English forbidden word (``klacht-complaint``) can get a
    suggestion that still holds the other; then each forbidden part is replaced plainly.
    Remembered per word, like the suggestions themselves (never the text around it, R2).
    """
    pattern = _PATTERNS[language]
    free = tuple(s for s in suggestions if s and not pattern.search(lowered(normalise(s).text)))
    if free:
        return free
    word = seen
    for _ in range(16):
        low = lowered(word)
        m = pattern.search(low)
        if m is None:
            return (word,)
        plain = _PLAIN[stem_of(m.group())]
        word = word[: m.start()] + plain + word[m.end() :]
    return ("melding",)
