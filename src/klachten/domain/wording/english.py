"""R13 in English: *complaint*, *problem*, *fault*, *error* and *mistake* as whole words.

In a text to a customer who reads English these words carry the same blame and weight as
*klacht*, *probleem* and *fout* in Dutch. Unlike the Dutch stems they count only as whole words
(case-insensitive, singular or plural, also as a part of a hyphenated word or before ``'s``):
*default*, *faultless*, *errand*, *terror* and *complainant* are other words and stay free.
*problem* needs no rule of its own: the Dutch stem *problem* already covers it, in every word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from klachten.domain.wording.text import JOINERS

#: The English words of R13 besides *problem*, which is a Dutch stem too.
ENGLISH_WORDS = ("complaint", "fault", "error", "mistake")


def whole_word_end(low: str, start: int, end: int) -> int | None:
    """Where the English word of R13 at ``low[start:end]`` ends (after a plural *s*), or
    ``None`` when it is only part of a longer word (*default*, *errand*, *terror*)."""
    if start > 0 and low[start - 1].isalpha():
        return None
    if end < len(low) and low[end] == "s":
        end += 1
    if end < len(low) and low[end].isalpha():
        return None
    return end


@dataclass(frozen=True)
class _Forms:
    """Replacements of one English form: in general, and after the article *a* or *an*."""

    default: tuple[str, ...]
    countable: tuple[str, ...] = ()

    def pick(self, article: str | None) -> tuple[str, ...]:
        """After *a* a replacement that starts with a consonant, after *an* with a vowel."""
        if article in {"a", "an"} and self.countable:
            vowel = article == "an"
            fitting = tuple(r for r in self.countable if (r[0] in "aeiou") == vowel)
            if fitting:
                return fitting
        return self.default


_WORDS: dict[str, _Forms] = {
    "complaint": _Forms(("feedback", "concern", "report"), ("concern", "report", "issue")),
    "complaints": _Forms(("feedback", "concerns", "reports")),
    "problem": _Forms(("issue", "matter", "difficulty"), ("issue", "difficulty", "matter")),
    "problems": _Forms(("issues", "matters", "difficulties")),
    "fault": _Forms(("oversight", "slip"), ("oversight", "slip")),
    "faults": _Forms(("oversights", "slips")),
    "error": _Forms(("oversight", "slip", "inaccuracy"), ("oversight", "slip", "inaccuracy")),
    "errors": _Forms(("oversights", "slips", "inaccuracies")),
    "mistake": _Forms(
        ("oversight", "slip", "misunderstanding"), ("oversight", "slip", "misunderstanding")
    ),
    "mistakes": _Forms(("oversights", "slips", "misunderstandings")),
    "problematic": _Forms(("difficult", "tricky")),
    "unproblematic": _Forms(("straightforward", "smooth")),
    "problem-free": _Forms(("smooth", "trouble-free")),
    "error-free": _Forms(("accurate", "flawless")),
    "fault-free": _Forms(("flawless", "sound")),
    "mistake-free": _Forms(("flawless", "accurate")),
    "complaint-free": _Forms(("smooth", "trouble-free")),
    "error-prone": _Forms(("unreliable", "fragile")),
    "fault-finding": _Forms(("criticism", "nitpicking")),
}
_ARTICLE = re.compile(r"(?:^|[^\w'’])(an?)\s+$")
_JOINER = re.compile("([" + "".join(re.escape(c) for c in sorted(JOINERS)) + "])")


def english_suggestions(word: str, before: str) -> tuple[str, ...]:
    """R13: English replacements for ``word`` after the lower-case text ``before``.

    A whole word comes from a small table and takes *a*/*an* into account; a word with an
    English form as one of its parts (``complaint's``, ``non-error``) gets that part replaced.
    Empty when ``word`` holds no English form.
    """
    low = word.lower()
    if low in _WORDS:
        article = _ARTICLE.search(before)
        picked = _WORDS[low].pick(article.group(1) if article else None)
        return tuple(_match_case(word, r) for r in picked)
    parts = _JOINER.split(word)
    replaced = False
    for i, part in enumerate(parts):
        forms = _WORDS.get(part.lower())
        if forms is not None and i % 2 == 0:
            parts[i] = _match_case(part, (forms.countable or forms.default)[0])
            replaced = True
    return ("".join(parts),) if replaced else ()


def _match_case(original: str, suggestion: str) -> str:
    """Give ``suggestion`` the capitalisation of ``original`` (Capitalised, ALL CAPS)."""
    if len(original) > 1 and original.isupper():
        return suggestion.upper()
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion
