"""What a check of the wording guard reports: a finding with a rule, a code and suggestions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

FORBIDDEN_WORD = "forbidden_word"
BLAMES_COLLEAGUE = "blames_colleague"
BLAMES_ORGANISATION = "blames_organisation"
BLAMES_SYSTEM = "blames_system"
BLAMES_SUPPLIER = "blames_supplier"

#: Every code a finding of the built-in checks can carry.
CODES = (FORBIDDEN_WORD, BLAMES_COLLEAGUE, BLAMES_ORGANISATION, BLAMES_SYSTEM, BLAMES_SUPPLIER)


@dataclass(frozen=True)
class Finding:
    """One passage of a text that breaks R12 or R13.

    ``text[start:end] == finding.text`` for the checked ``text``. ``suggestions`` replace exactly
    that passage, best first; ``params`` feed the translated message of ``code``.
    """

    start: int
    end: int
    text: str
    rule: str
    code: str
    suggestions: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        """Freeze ``params`` too, so a finding cannot change after the check."""
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def blocks(self) -> bool:
        """R13 blocks sending until rephrased; R12 only warns and needs a confirmation."""
        return self.rule == "R13"


#: A check: the text and its language (``"nl"`` or ``"en"``), its findings.
Check = Callable[[str, str], Iterable[Finding]]

#: The languages the guard knows: Dutch, and English for customers who write in English.
LANGUAGES = ("nl", "en")
