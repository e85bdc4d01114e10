"""The wording guard (R12, R13) as the application uses it: limits, language and messages.

The rules themselves live in :mod:`klachten.domain.wording`; this module bounds the input,
chooses the language to check in (the customer's when known, else the text's own) and turns
each finding's code into a message for the person typing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from klachten.core.errors import InvalidInput, TooLarge
from klachten.domain import wording

# The longest customer-facing text we check in one go: a long letter is ~20,000 characters.
MAX_TEXT_LENGTH = 100_000

MESSAGES = {
    "forbidden_word": _(
        "R13: gebruik tegenover de klant niet het woord “%(word)s”. Formuleer het anders."
    ),
    # R12: the party the model found and the words that weighed most, so the employee sees
    # why the sentence reads as blame.
    "blames_colleague": _(
        "R12: deze zin legt de schuld bij een collega (“%(party)s”; het zwaarst wogen: "
        "%(words)s). Neem zelf de verantwoordelijkheid."
    ),
    "blames_organisation": _(
        "R12: deze zin legt de schuld bij de organisatie (“%(party)s”; het zwaarst wogen: "
        "%(words)s). Neem zelf de verantwoordelijkheid."
    ),
    "blames_system": _(
        "R12: deze zin legt de schuld bij de computer of het systeem (“%(party)s”; het "
        "zwaarst wogen: %(words)s). Neem zelf de verantwoordelijkheid."
    ),
    "blames_supplier": _(
        "R12: deze zin legt de schuld bij een leverancier of fabrikant (“%(party)s”; het "
        "zwaarst wogen: %(words)s). Neem zelf de verantwoordelijkheid."
    ),
}
# R13: a word disguised by invisible characters, a hyphenated line break or look-alike letters
# is named as it reads, so the employee sees why a word that looks rephrased is still refused.
DISGUISED_MESSAGE = _(
    "R13: “%(word)s” leest als “%(seen)s” en mag zo niet naar de klant, ook niet met "
    "verborgen tekens, een afgebroken regel of letters uit een ander alfabet. Formuleer het "
    "anders."
)
FALLBACK_MESSAGE = _("%(rule)s: deze formulering past niet bij de klachtenprocedure.")


@dataclass(frozen=True)
class CheckedText:
    """A text with its findings; ``sendable`` when nothing blocks (R13 findings block)."""

    text: str
    findings: list[wording.Finding]
    language: str = "nl"  # the language the text was checked in

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def sendable(self) -> bool:
        return not any(finding.blocks for finding in self.findings)


def finding_message(finding: wording.Finding) -> str:
    """The finding explained in the active language."""
    params = {"rule": finding.rule, "word": finding.text, **finding.params}
    if finding.code == wording.FORBIDDEN_WORD and "seen" in params:
        return str(DISGUISED_MESSAGE) % params
    return str(MESSAGES.get(finding.code, FALLBACK_MESSAGE)) % params


def text_language(text: str, language: str | None = None) -> str:
    """The language to check ``text`` in: ``language`` when known (the customer's), else the
    language the text itself is written in (``wording.language_of``); refuses any other."""
    if language is None or language == "":
        return wording.language_of(text)
    if language not in wording.LANGUAGES:
        raise InvalidInput(
            "invalid_language",
            _("Kies als taal Nederlands (nl) of Engels (en)."),
            field="language",
        )
    return language


def text_check(*, text: str, language: str | None = None) -> CheckedText:
    """Check a customer-facing text in ``language`` ("nl" or "en"; ``None``: the text's own,
    see :func:`text_language`); refuse an empty or an absurdly long one."""
    if not text.strip():
        raise InvalidInput("text_empty", _("Er is geen tekst om te controleren."), field="text")
    if len(text) > MAX_TEXT_LENGTH:
        raise TooLarge(
            "text_too_long",
            _("De tekst is te lang om te controleren: %(length)s tekens, maximaal %(max)s."),
            {"length": len(text), "max": MAX_TEXT_LENGTH},
            field="text",
        )
    used = text_language(text, language)
    if len(text) <= REMEMBERED_LENGTH:
        findings = list(_remembered_check(text, used))
    else:
        findings = wording.check(text, language=used)
    return CheckedText(text=text, findings=findings, language=used)


REMEMBERED_LENGTH = 500
"""Texts up to this long are checked once per process and language (``_remembered_check``):
subjects, a card's lines, short sentences. At most 512 of them, a few hundred kB per worker
(#17 item 4: a web worker stays under 150 MiB)."""


@lru_cache(maxsize=512)
def _remembered_check(text: str, language: str) -> tuple[wording.Finding, ...]:
    """The guard's findings, which depend on the text and its language alone: a subject, a
    business card or a standard sentence is checked once, not on every message that carries
    it (#17 item 5: the receipt of every registration is checked inside its transaction)."""
    return tuple(wording.check(text, language=language))
