"""The wording guard for every customer-facing text (R12, R13).

Letters, e-mails, the public form and the status page pass through :func:`check` before they
reach a customer. Like Django's ``password_validation`` it is a list of small checks
(:data:`CHECKS`), each returning :class:`Finding` objects; the caller gets all findings at once.

- R13 (:func:`forbidden_words`): the words *klacht*, *probleem* and *fout* and every word that
  contains them (klachten, probleempje, rekenfout, e-mailklacht, ...) block sending until
  rephrased; each finding carries replacements that fit the sentence. In English texts also
  *complaint*, *problem*, *fault*, *error* and *mistake* as whole words. Words are matched on
  the text as a reader sees it (:func:`normalise`): soft hyphens, zero-width characters,
  hyphenated line breaks, look-alike letters and accents hide nothing.
- R12 (:func:`blame`): a sentence that names a colleague, the organisation, the computer or a
  supplier together with a blaming cue ("komt door", "lag eruit", "heeft ... vergeten") is a
  warning that needs a conscious confirmation.

Findings carry a stable ``code`` and ``params``; the Django layer turns them into translated
messages. Nothing here imports Django or gettext.

The package: ``findings`` (what a check reports), ``text`` (shared helpers), ``normalise`` (the
text as read, with a map back to what was typed), ``language`` (Dutch or English, by the
text), ``forbidden`` (R13 matching), ``english`` (R13's English words and their replacements),
``suggest`` (R13 replacements), ``blame`` (R12).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from klachten.domain.wording.blame import blame
from klachten.domain.wording.findings import (
    BLAMES_COLLEAGUE,
    BLAMES_ORGANISATION,
    BLAMES_SUPPLIER,
    BLAMES_SYSTEM,
    CODES,
    FORBIDDEN_WORD,
    LANGUAGES,
    Check,
    Finding,
)
from klachten.domain.wording.forbidden import forbidden_words
from klachten.domain.wording.language import language_of
from klachten.domain.wording.normalise import Normalised, normalise

__all__ = [
    "BLAMES_COLLEAGUE",
    "BLAMES_ORGANISATION",
    "BLAMES_SUPPLIER",
    "BLAMES_SYSTEM",
    "CHECKS",
    "CODES",
    "FORBIDDEN_WORD",
    "LANGUAGES",
    "Check",
    "Finding",
    "Normalised",
    "blame",
    "check",
    "forbidden_words",
    "is_sendable",
    "language_of",
    "normalise",
    "rephrase",
]

#: The checks :func:`check` runs by default; pass ``checks=(*CHECKS, mine)`` to add one.
CHECKS: tuple[Check, ...] = (forbidden_words, blame)


def check(text: str, checks: Iterable[Check] = CHECKS, *, language: str = "nl") -> list[Finding]:
    """R12, R13: all findings of all checks for ``text`` in ``language`` (``LANGUAGES``),
    sorted by where they start."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; the guard knows {LANGUAGES}")
    findings = [f for c in checks for f in c(text, language)]
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return findings


def is_sendable(findings: Iterable[Finding], *, confirmed_warnings: bool = False) -> bool:
    """R13 blocks sending outright; R12 warnings block until someone confirms them."""
    found = list(findings)
    if any(f.blocks for f in found):
        return False
    return confirmed_warnings or not found


def rephrase(text: str, findings: Sequence[Finding], *, rules: Iterable[str] = ("R13",)) -> str:
    """R13: apply the first suggestion of each finding of ``rules`` (by default only R13).

    Where findings overlap (an R12 sentence around an R13 word) the one that starts first and
    is longest wins. Raises ``ValueError`` when the findings were made for another text.
    """
    wanted = set(rules)
    pieces: list[str] = []
    position = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.rule not in wanted or not f.suggestions or f.start < position:
            continue
        if text[f.start : f.end] != f.text:
            raise ValueError(f"finding {f.text!r} does not match the text at {f.start}")
        pieces.append(text[position : f.start])
        pieces.append(f.suggestions[0])
        position = f.end
    pieces.append(text[position:])
    return "".join(pieces)
