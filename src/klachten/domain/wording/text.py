"""Text helpers the wording checks share: offsets kept, words widened, lists read (R12, R13)."""

from __future__ import annotations

import re


def lowered(text: str) -> str:
    """Lower-case ``text`` keeping every offset, so regexes on it point into ``text``.

    ``str.lower`` never shrinks a character; it grows only a few (``İ``), which then stay as
    they are.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


STEM = re.compile(r"klacht|fout|proble?em")
JOINERS = frozenset("-'’‐‑")  # hyphens and apostrophes join letters into one word


def word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """R12, R13: widen ``text[start:end]`` to the whole word (letters joined by - and ')."""
    n = len(text)
    while start > 0:
        c = text[start - 1]
        if c.isalpha() or (c in JOINERS and start >= 2 and text[start - 2].isalpha()):
            start -= 1
        else:
            break
    while end < n:
        c = text[end]
        if c.isalpha() or (c in JOINERS and end + 1 < n and text[end + 1].isalpha()):
            end += 1
        else:
            break
    return start, end


def word_start(text: str, position: int) -> int:
    """Where the word around ``position`` starts; usually ``position`` itself."""
    if position == 0 or not (text[position - 1].isalpha() or text[position - 1] in JOINERS):
        return position
    return word_around(text, position, position)[0]


def words_of(spaced: str) -> frozenset[str]:
    """Read a space-separated word list written in the source."""
    return frozenset(spaced.split())
