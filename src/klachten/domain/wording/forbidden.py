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
from klachten.domain.wording.normalise import normalise
from klachten.domain.wording.suggest import suggestions_for
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
    ``params["seen"]``, the word as read.
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
        before, after = low[max(0, start - 40) : start], low[end : end + 20]
        suggestions = english_suggestions(seen, before) if language == "en" else ()
        if not suggestions:
            suggestions = suggestions_for(seen, before, after)
        typed_start, typed_end = seen_text.span(start, end)
        word = text[typed_start:typed_end]
        params = {"word": word, "stem": stem_of(matched)}
        if _disguised(word, seen):
            params["seen"] = seen
        findings.append(
            Finding(
                start=typed_start,
                end=typed_end,
                text=word,
                rule="R13",
                code=FORBIDDEN_WORD,
                suggestions=_free(suggestions, seen, language),
                params=params,
            )
        )
        pos = end


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
    free = tuple(s for s in suggestions if s and not pattern.search(lowered(s)))
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
