"""R13: the words *klacht*, *probleem* and *fout*, and every word that contains them."""

from __future__ import annotations

from klachten.domain.wording.findings import FORBIDDEN_WORD, Finding
from klachten.domain.wording.suggest import rewrite
from klachten.domain.wording.text import STEM, lowered, word_around


def forbidden_words(text: str, language: str = "nl") -> list[Finding]:
    """R13: every word containing *klacht*, *probleem*/*problem* or *fout*, with replacements.

    The finding spans the whole word around the stem (``aanklacht``, ``e-mail-klacht``,
    ``rekenfout``), case-insensitively. There are no exceptions: *clafoutis* is flagged too.
    Where its best replacement needs the words around it to change as well ("een groot
    probleem" → "een grote kwestie", "fout gegaan" → "misgegaan"), the finding spans those
    words too; ``params["word"]`` is always the forbidden word itself.
    """
    low = lowered(text)
    findings: list[Finding] = []
    pos = 0
    while True:
        m = STEM.search(low, pos)
        if m is None:
            return findings
        start, end = word_around(text, m.start(), m.end())
        word = text[start:end]
        passage = rewrite(text, start, end, floor=findings[-1].end if findings else 0)
        findings.append(
            Finding(
                start=passage.start,
                end=passage.end,
                text=text[passage.start : passage.end],
                rule="R13",
                code=FORBIDDEN_WORD,
                suggestions=passage.suggestions,
                params={"word": word, "stem": stem_of(m.group())},
            )
        )
        pos = max(end, passage.end)


def stem_of(matched: str) -> str:
    """Name the forbidden word a stem match stands for (``problem`` is a form of *probleem*)."""
    return "probleem" if matched.startswith("probl") else matched
