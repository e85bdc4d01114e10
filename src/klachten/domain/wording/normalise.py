"""R12, R13: the text as a reader sees it, with a map back to the characters that were typed.

A word of R13 must not slip past the guard because it was written in a way that looks the same
on paper but differs in its code points. The checks therefore match on a *normalised copy*:

- **compatibility forms** are unfolded (Unicode NFKC/NFKD): fullwidth ``ｋｌａｃｈｔ``,
  mathematical ``𝐟𝐨𝐮𝐭``, ligatures ``ﬁ``, circled and superscript letters;
- **diacritics** are folded: ``fóut``, ``kláčht`` and ``probleem`` with a combining accent all
  read as the bare letters (decomposition, then every combining mark dropped);
- **invisible characters** are dropped: the soft hyphen U+00AD, zero-width space, non-joiner
  and joiner U+200B–U+200D, word joiner U+2060, byte-order mark U+FEFF, and with them every
  other format character (bidi controls, tags) and default-ignorable code point (variation
  selectors, Hangul fillers);
- **a word hyphenated across a line break** is joined: ``klach-⏎ten``, also with spaces
  around the break, CR LF, or a soft hyphen where the line was broken;
- **look-alike letters** from Cyrillic, Greek, Armenian and the Latin small capitals are read
  as the Latin letter they look like (:data:`LOOKALIKES`, a small table written out below).

Digits stay digits (``f0ut`` is not *fout*) and nothing else changes; in particular the copy
keeps its case. :func:`normalise` returns a :class:`Normalised` whose :meth:`~Normalised.span`
maps a span of the copy back to the characters typed, so a finding always points at exactly
what the employee wrote (its combining marks included) and ``rephrase`` replaces all of it.

Speed: a text in ASCII, or in the Latin, Greek and Cyrillic letters and punctuation of
ordinary letters (``één``, ``coördinator``, ``zo’n``, ``…``), maps one character to one
character. Such a text is folded by one regex that finds the few characters that change, and
keeps its offsets; only a text
with an invisible character, a combining mark, a ligature, a character from outside those
blocks or a hyphen at the end of a line takes the slower path that builds the map.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

SOFT_HYPHEN = "\u00ad"

# Look-alike letters as the Latin letter a Dutch or English reader takes them for. Only letters
# that pass for a Latin letter inside a Latin word are listed (after the confusables of Unicode
# TR 39, restricted to what matters for reading); a letter that looks like nothing Latin (Ф, л,
# и, ж, β) stays as it is, so a word in Cyrillic or Greek does not turn into a Dutch one.
# Lower case maps to lower case and capitals to capitals, so suggestions keep the case.
# Accented forms (ё, ї, ό) need no row: their accent is folded first.
_LOOKALIKE_ROWS = """
    Cyrillic  а a  в b  г r  е e  і i  ј j  к k  м m  н h  о o  п n  р p  с c  т t  у y  х x
              ь b  ѕ s  һ h  ӏ l  ԁ d  ԛ q  ԝ w  ү y
              А A  В B  Е E  І I  Ј J  К K  М M  Н H  О O  Р P  С C  Т T  У Y  Х X  Ь b
              Ѕ S  Һ H  Ӏ l  Ԛ Q  Ԝ W  Ү Y
    Greek     α a  γ y  ε e  η n  ι i  κ k  μ u  ν v  ο o  ρ p  τ t  υ u  χ x  ω w  ϲ c  ϳ j
              Α A  Β B  Ε E  Ζ Z  Η H  Ι I  Κ K  Μ M  Ν N  Ο O  Ρ P  Τ T  Υ Y  Χ X  Ϲ C  Ϳ J
    Armenian  հ h  ո n  ս u  ց g  օ o
    Latin     ı i  ȷ j  ɑ a  ɡ g  ɩ i  ł l  Ł L  ø o  Ø O  đ d  Đ D  ħ h  Ħ H  ŧ t  Ŧ T  ƒ f
              ᴀ a  ʙ b  ᴄ c  ᴅ d  ᴇ e  ꜰ f  ɢ g  ʜ h  ɪ i  ᴊ j  ᴋ k  ʟ l  ᴍ m  ɴ n  ᴏ o  ᴘ p
              ʀ r  ꜱ s  ᴛ t  ᴜ u  ᴠ v  ᴡ w  ʏ y  ᴢ z
"""


def _lookalikes(rows: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in rows.strip().splitlines():
        items = line.split()
        if items[0].isascii() and len(items[0]) > 1:
            items = items[1:]  # the script's name
        for lookalike, latin in zip(items[::2], items[1::2], strict=True):
            pairs[lookalike] = latin
    return pairs


#: R13: the look-alike letters and the Latin letter each is read as.
LOOKALIKES: Mapping[str, str] = MappingProxyType(_lookalikes(_LOOKALIKE_ROWS))

# Default-ignorable code points that are not format characters or marks (Unicode's
# DerivedCoreProperties): Hangul fillers, Khmer inherent vowels, Mongolian selectors, ...
_IGNORABLE = frozenset(
    [0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0x180B, 0x1810), *range(0xFFF0, 0xFFF9)]
)
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
_MARKS = frozenset({"Mn", "Me"})


def fold_char(char: str) -> str:
    """One character as the reader sees it: ``""`` for an invisible one, else its folded form.

    The soft hyphen is kept here: at the end of a line it marks a hyphenated word, which
    :func:`normalise` joins before it drops the rest. A compatibility form that unfolds to more
    than one character (``ĳ``, ``ﬁ``, ``™``) does so only when letters come out; punctuation
    such as ``…`` stays one character.
    """
    if char == SOFT_HYPHEN:
        return char
    if unicodedata.category(char) in _INVISIBLE_CATEGORIES or ord(char) in _IGNORABLE:
        return ""
    char = LOOKALIKES.get(char, char)
    parts = [
        LOOKALIKES.get(c, c)
        for c in unicodedata.normalize("NFKD", char)
        if unicodedata.category(c) not in _MARKS
    ]
    folded = "".join(parts)
    if len(folded) == 1:
        return folded
    if folded and any(c.isalpha() for c in folded):
        return folded
    return char


# The characters the slow path folds one by one, remembered (single characters, never a piece
# of a customer's text: R2).
_fold_rare = functools.lru_cache(maxsize=4096)(fold_char)


# The blocks whose characters are known in advance (Latin, IPA, Greek, Cyrillic, Armenian,
# phonetic extensions, punctuation, symbols, letterlike and enclosed forms, ligatures,
# fullwidth forms). A character outside them is folded one by one on the slower path.
_KNOWN_BLOCKS = (
    (0x0080, 0x058F),
    (0x1D00, 0x1FFF),
    (0x2000, 0x27BF),
    (0x2C60, 0x2C7F),
    (0xA720, 0xA7FF),
    (0xFB00, 0xFB4F),
    (0xFE00, 0xFE6F),
    (0xFEFF, 0xFEFF),
    (0xFF00, 0xFFEF),
)


@dataclass(frozen=True)
class _Tables:
    """What the fast path needs: the one-to-one folds, and which characters need the map."""

    translate: Mapping[str, str]  # the characters that fold one-to-one to another
    changing: re.Pattern[str]  # any of those
    irregular: re.Pattern[str]  # any character that is not folded one-to-one

    def fold(self, text: str) -> str:
        """Fold ``text`` of regular characters (few of them change: a regex finds them)."""
        if self.changing.search(text) is None:
            return text
        return self.changing.sub(lambda m: self.translate[m.group()], text)


def _class_of(points: list[int]) -> str:
    """A regex character class body for the sorted code points ``points``, as ranges."""
    ranges: list[tuple[int, int]] = []
    for p in points:
        if ranges and ranges[-1][1] == p - 1:
            ranges[-1] = (ranges[-1][0], p)
        else:
            ranges.append((p, p))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


@functools.cache
def _tables() -> _Tables:
    """Fold every character of the known blocks once (a few milliseconds, on first use)."""
    translate: dict[str, str] = {}
    regular = list(range(0x80))
    for low, high in _KNOWN_BLOCKS:
        for point in range(low, high + 1):
            char = chr(point)
            folded = fold_char(char)
            if len(folded) != 1 or char == SOFT_HYPHEN:
                continue
            regular.append(point)
            if folded != char:
                translate[char] = folded
    return _Tables(
        MappingProxyType(translate),
        re.compile(f"[{_class_of(sorted(map(ord, translate)))}]"),
        re.compile(f"[^{_class_of(regular)}]"),
    )


_LETTER = r"[^\W\d_]"
_LINE_BREAK = r"(?:\r\n|[\n\r\v\f\x85\u2028\u2029])"
# A hyphen at the end of a line: the text may hold a word hyphenated across a line break.
_MAYBE_BREAK = re.compile(r"[-\u2010\u2011][\t ]*" + _LINE_BREAK)
# What the slow path removes: a hyphenation across a line break between two letters (with
# spaces, CR LF, soft hyphens around it), else any soft hyphen.
_REMOVED = re.compile(
    rf"(?<={_LETTER})\u00ad*[-\u2010\u2011\u00ad][\t \u00ad]*{_LINE_BREAK}[\t \u00ad]*(?={_LETTER})"
    r"|\u00ad"
)


@dataclass(frozen=True)
class Normalised:
    """The normalised copy ``text`` of ``original``, and where each of its characters came from.

    ``sources[i]`` is the offset in ``original`` of the character that gave ``text[i]``;
    ``None`` means the offsets are the same.
    """

    text: str
    original: str
    sources: tuple[int, ...] | None = None

    @property
    def unchanged_offsets(self) -> bool:
        return self.sources is None

    def source(self, index: int) -> int:
        """The offset in ``original`` of the character that gave ``text[index]``."""
        return index if self.sources is None else self.sources[index]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that ``text[start:end]`` (not empty) was made from.

        It covers every character typed between the first and the last, invisible ones
        included, and the combining marks that follow the last.
        """
        if self.sources is None:
            return start, end
        first = self.sources[start]
        stop = self.sources[end - 1] + 1
        original = self.original
        while stop < len(original) and unicodedata.category(original[stop]) in _MARKS:
            stop += 1
        return first, stop


# The last longer text normalised, and what it gave. The whole check reads one text twice
# (R13's words, then R12's sentences) and hands both the same string: the second time is free.
# Only the very same string object is looked up (no hashing, no comparing of a long text), and
# a Normalised is immutable, so sharing it is safe. Short texts (R13's suggestions, read in
# between) are quick to read again and do not take its place.
_last: Normalised | None = None
_REMEMBERED_FROM = 200  # characters


def normalise(text: str) -> Normalised:
    """R12, R13: ``text`` as a reader sees it (see the module), with the map back."""
    global _last
    last = _last
    if last is not None and last.original is text:
        return last
    seen = _normalised(text)
    if len(text) >= _REMEMBERED_FROM:
        _last = seen
    return seen


def forget() -> None:
    """Forget the last text normalised (for a benchmark that checks one text again and again,
    which the application never does)."""
    global _last
    _last = None


def _normalised(text: str) -> Normalised:
    """:func:`normalise` itself, every time."""
    if text.isascii():
        if "-" not in text or not _MAYBE_BREAK.search(text):
            return Normalised(text, text)
        return _mapped(text, _tables())
    tables = _tables()
    if not tables.irregular.search(text):
        folded = tables.fold(text)
        if not _MAYBE_BREAK.search(folded):
            return Normalised(folded, text)
    return _mapped(text, tables)


def _mapped(text: str, tables: _Tables) -> Normalised:
    """The slow path: fold character by character where needed, join, keep the map."""
    pieces: list[str] = []
    sources: list[int] = []
    position = 0
    for match in tables.irregular.finditer(text):
        at = match.start()
        if at > position:
            pieces.append(tables.fold(text[position:at]))
            sources.extend(range(position, at))
        folded = _fold_rare(text[at])
        pieces.append(folded)
        sources.extend([at] * len(folded))
        position = at + 1
    if position < len(text):
        pieces.append(tables.fold(text[position:]))
        sources.extend(range(position, len(text)))
    folded = "".join(pieces)
    kept: list[str] = []
    kept_sources: list[int] = []
    position = 0
    for match in _REMOVED.finditer(folded):
        kept.append(folded[position : match.start()])
        kept_sources.extend(sources[position : match.start()])
        position = match.end()
    kept.append(folded[position:])
    kept_sources.extend(sources[position:])
    return Normalised("".join(kept), text, tuple(kept_sources))
