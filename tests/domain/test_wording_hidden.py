"""R13 that nothing slips past: words hidden by invisible characters, hyphenated line breaks,
look-alike letters, accents and compatibility forms are found, and each finding points at the
characters as typed (#11, item 3)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from klachten.domain.wording import Finding, check, normalise, rephrase
from klachten.domain.wording.normalise import LOOKALIKES, _mapped, _normalised, _tables, fold_char

STEM = re.compile(r"klacht|fout|proble?em")
ENGLISH = re.compile(r"(?<![^\W\d_])(?:complaint|fault|error|mistake|problem)s?(?![^\W\d_])")

SHY, ZWSP, ZWNJ, ZWJ, WJ, BOM = "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"
INVISIBLE = [SHY, ZWSP, ZWNJ, ZWJ, WJ, BOM, "\u2062", "\u202c", "\u034f", "\ufe0f"]
LINE_BREAKS = ["-\n", "-\r\n", "- \n", "-\n  ", "-\t\n\t", "\u2010\n", SHY + "\n"]
ACCENTS = ["\u0301", "\u0300", "\u0308", "\u0302", "\u030c", "\u0327"]


def r13(text: str, language: str = "nl") -> list[Finding]:
    return [f for f in check(text, language=language) if f.rule == "R13"]


def only_r13(text: str, language: str = "nl") -> Finding:
    findings = r13(text, language)
    assert len(findings) == 1, findings
    return findings[0]


# --- Hidden forms are found where they were typed ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "seen"),
    [
        (f"kla{SHY}cht", "klacht"),
        (f"kl{ZWSP}acht", "klacht"),
        (f"k{ZWNJ}l{ZWJ}a{WJ}c{BOM}ht", "klacht"),
        (f"pro{SHY}ble{SHY}men", "problemen"),
        ("klach-\nten", "klachten"),
        ("klach-\r\nten", "klachten"),
        ("klach- \r\n   ten", "klachten"),
        ("klach\u2010\nten", "klachten"),
        (f"klach{SHY}\nten", "klachten"),
        ("reken-\nfout", "rekenfout"),
        ("e-mail-\nklacht", "e-mailklacht"),
        ("f\u043eut", "fout"),  # Cyrillic о
        ("\u043a\u04cf\u0430\u0441\u04bb\u0442", "klacht"),  # к ӏ а с һ т
        ("\u03c1r\u03bfbl\u03b5\u03b5m", "probleem"),  # Greek ρ ο ε
        ("F\u03bf\u03c5\u03c4", "Fout"),  # Greek ο υ τ
        ("\u0192out", "fout"),  # ƒ
        ("\uff2b\uff2c\uff21\uff23\uff28\uff34", "KLACHT"),  # fullwidth
        ("\U0001d41f\U0001d428\U0001d42e\U0001d42d", "fout"),  # mathematical bold
        ("kla\u0063\u0327ht", None),  # c with a combining cedilla: an accent
        ("f\u00f3ut", None),  # an accent alone is not a disguise: no "seen"
        ("pr\u00f6bl\u00e9\u00e9m", None),
        ("fo\u0301ut", None),
    ],
)
def test_a_hidden_word_is_found_as_typed(typed: str, seen: str | None) -> None:
    """R13: the finding covers exactly the characters typed and names the word as read."""
    text = f"Wij hebben uw {typed} goed ontvangen."
    findings = r13(text)
    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding.text == typed
    assert text[finding.start : finding.end] == typed
    assert finding.start == text.index(typed)
    assert finding.params.get("seen") == seen
    assert finding.suggestions
    assert r13(rephrase(text, findings)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Het privéprobleem is besproken.",
        "Het privé\u00adprobleem is besproken.",
        "Het pr\u0456véprobleem is besproken.",  # Cyrillic і: not kept
        "De coördinatieproblemen zijn opgelost.",
        "Het oriëntatieprobleem is besproken.",
    ],
)
def test_a_suggestion_keeps_the_accents_of_the_part_it_keeps(text: str) -> None:
    """R13: folding accents is for finding the word; the part of a compound that a suggestion
    keeps is spelt as typed, without the disguises ("privékwestie", never "privekwestie" nor
    a Cyrillic і)."""
    suggestions = only_r13(text).suggestions
    assert suggestions
    for suggestion in suggestions:
        assert not any(part in suggestion for part in ("prive", "coordinatie", "orientatie"))
        assert "\u0456" not in suggestion
    assert "privékwestie" in suggestions[0] or "privé" not in text


def test_a_combining_mark_after_the_word_belongs_to_it() -> None:
    """R13: rephrasing takes the accent typed after the last letter along with the word."""
    text = "De fout\u0301 is hersteld."
    finding = only_r13(text)
    assert finding.text == "fout\u0301"
    assert rephrase(text, [finding]) == "De vergissing is hersteld."


def test_invisible_characters_around_a_word_stay_out_of_the_finding() -> None:
    """R13: a zero-width space before or after the word is not part of it."""
    text = f"Uw {ZWSP}klacht{ZWSP} is ontvangen."
    finding = only_r13(text)
    assert finding.text == "klacht"
    assert rephrase(text, [finding]) == f"Uw {ZWSP}melding{ZWSP} is ontvangen."


def test_hyphenated_words_keep_their_own_parts_across_a_line_break() -> None:
    """R13: a compound broken at the end of a line is one word, replaced as a whole."""
    text = "Lees onze klachten-\nregeling."
    finding = only_r13(text)
    assert finding.text == "klachten-\nregeling"
    assert finding.params["seen"] == "klachtenregeling"
    assert finding.suggestions[0] == "regeling"  # the regulation's own name (#11, R17)


def test_a_dash_between_lines_or_a_blank_line_joins_nothing() -> None:
    """R13: only a hyphen right after a letter, at the end of a line, before a letter joins;
    a spaced dash, a blank line or a list item do not make one word of two."""
    assert r13("Zij was fou -\nt gebleven.") == []
    assert r13("Het woord fou-\n\nt.") == []
    assert r13("Punten:\n- fou\n- t") == []
    assert r13("kla- cht") == []


# --- What stays free -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Geachte heer Fouad,",
        "Geachte mevrouw Dufour,",
        "Bij het examen wordt niet gefouilleerd; fouilleren mag niet.",
        "Geachte heer Foucault, Fouquet en Fourier hebben gereageerd.",
        "Geachte mevrouw Fouché, Foulon en Föürer,",
        "Met vriendelijke groet, Klaassen, Problé en Klachová",  # accents fold, no stem appears
        "Спасибо за сообщение о проблеме; ошибка исправлена, проблема решена.",  # Russian
        "Ευχαριστούμε για το μήνυμά σας σχετικά με το πρόβλημα.",  # Greek
        "Het cijfer f0ut en k1acht: cijfers zijn geen letters.",
        "De wiskundige schreef ∂f/∂x = 0 en ½ ≠ ¼.",
    ],
)
def test_names_and_other_scripts_stay_free(text: str) -> None:
    """R13: folding and look-alikes create no word where a reader sees none (#11, item 3)."""
    assert r13(text) == []
    assert r13(text, "en") == []


def test_a_name_that_holds_a_stem_as_typed_is_flagged_as_before() -> None:
    """R13: *Foutouhi* really contains f-o-u-t; the rule has no exceptions for names (see
    docs/decisions.md), so it is flagged exactly as before the normalisation."""
    assert [f.text for f in r13("Geachte heer Foutouhi,")] == ["Foutouhi"]


def test_every_lookalike_maps_to_a_latin_letter_it_resembles() -> None:
    """R13: the table maps only letters of other scripts (and Latin variants) to a letter."""
    for lookalike, latin in LOOKALIKES.items():
        assert len(lookalike) == 1
        assert not lookalike.isascii()
        assert latin.isascii()
        assert latin.isalpha()
        assert len(latin) == 1
        assert unicodedata.category(lookalike).startswith("L")
        assert fold_char(lookalike) == latin


def test_plain_text_keeps_its_offsets() -> None:
    """R13: ASCII and ordinary Dutch letters (één, coördinator, zo’n, …) need no map."""
    for text in [
        "Wij bellen u morgen.",
        "Eén coördinator, zo’n café… € 12,50 — “graag”.",
        "Uw e-mail-\nadres",  # a hyphen at the end of a line: the map is built
    ]:
        normalised = normalise(text)
        if text.endswith("adres"):
            assert normalised.text == "Uw e-mailadres"
            assert not normalised.unchanged_offsets
        else:
            assert normalised.unchanged_offsets
            assert len(normalised.text) == len(text)


# --- Properties -----------------------------------------------------------------------------------

FORBIDDEN = [
    "klacht",
    "Klachten",
    "KLACHTJE",
    "probleem",
    "Problemen",
    "problematisch",
    "fout",
    "FOUTEN",
    "foutje",
    "rekenfout",
    "aanklacht",
    "e-mailklacht",
    "cursus-probleem",
    "klachtenregeling",
]
FREE = [
    "Fouad",
    "Dufour",
    "fouilleren",
    "Foucault",
    "klagen",
    "Klaassen",
    "probeer",
    "profiel",
    "foto-album",
    "wij",
    "u",
    "de",
    "cursus",
    "docent",
    "bericht",
    "morgen",
    "graag",
    "één",
    "zo'n",
    "coördinator",
]
SEPARATORS = [" ", ", ", ". ", "\n", "\n\n", ": ", " - ", "? ", " 12 "]
_BY_LATIN: dict[str, list[str]] = {}
for _lookalike, _latin in LOOKALIKES.items():
    _BY_LATIN.setdefault(_latin, []).append(_lookalike)


@st.composite
def disguised(draw: st.DrawFn, word: str) -> str:
    """``word`` with look-alikes, accents, fullwidth forms and invisible characters or
    hyphenated line breaks between its letters; at least one change."""
    out: list[str] = []
    for i, char in enumerate(word):
        kind = draw(st.sampled_from(["keep", "keep", "lookalike", "accent", "fullwidth"]))
        if kind == "lookalike" and char in _BY_LATIN:
            out.append(draw(st.sampled_from(_BY_LATIN[char])))
        elif kind == "accent" and char.isalpha():
            out.append(char + draw(st.sampled_from(ACCENTS)))
        elif kind == "fullwidth" and char.isascii() and char.isalpha():
            out.append(chr(ord(char) + 0xFEE0))
        else:
            out.append(char)
        between_letters = i + 1 < len(word) and char.isalpha() and word[i + 1].isalpha()
        if between_letters and draw(st.booleans()):
            out.append(draw(st.sampled_from(INVISIBLE + LINE_BREAKS)))
    result = "".join(out)
    if result == word:
        result = word[0] + SHY + word[1:]
    return result


@st.composite
def letter_with_a_disguised_word(draw: st.DrawFn) -> tuple[str, str, str]:
    """Free words, then a disguised forbidden word, then free words: (before, word, after)."""
    before = "".join(
        w + draw(st.sampled_from(SEPARATORS)) for w in draw(st.lists(st.sampled_from(FREE)))
    )
    after = "".join(
        draw(st.sampled_from(SEPARATORS)) + w for w in draw(st.lists(st.sampled_from(FREE)))
    )
    word = draw(disguised(draw(st.sampled_from(FORBIDDEN))))
    return before, word, after


@given(letter_with_a_disguised_word(), st.sampled_from(["nl", "en"]))
@example(("Uw ", "kl\u200bach-\n ten", "."), "nl")
@example(("", "\uff46\u043e\u0301\u00adut", ""), "en")
def test_a_disguised_forbidden_word_is_always_found_where_it_was_typed(
    parts: tuple[str, str, str], language: str
) -> None:
    """R13: no soft hyphen, zero-width character, line-break hyphenation, look-alike letter,
    accent or fullwidth form anywhere inside a forbidden word hides it; the finding spans
    exactly what was typed, and rephrasing removes it."""
    before, word, after = parts
    text = before + word + after
    findings = r13(text, language)
    spans = [(f.start, f.end, f.text) for f in findings]
    assert (len(before), len(before) + len(word), word) in spans
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    assert r13(rephrase(text, findings), language) == []


@st.composite
def disguised_free_text(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(FREE), min_size=1))
    pieces = []
    for word in words:
        pieces.append(draw(disguised(word)) if len(word) > 1 and draw(st.booleans()) else word)
        pieces.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(pieces)


@given(disguised_free_text(), st.sampled_from(["nl", "en"]))
def test_disguising_free_words_never_creates_a_finding(text: str, language: str) -> None:
    """R13: the same tricks inside words that hold no stem (Fouad, Dufour, fouilleren) never
    make a word that is flagged."""
    assert r13(text, language) == []


TRICKY = st.text(
    alphabet=st.sampled_from(
        [*"klachtfouprbemKLACHTFOUPRBEM -'\n\r\t.1", *INVISIBLE, *ACCENTS, *LOOKALIKES, "ĳ", "ﬁ"]
    ),
    max_size=80,
)


@given(TRICKY, st.sampled_from(["nl", "en"]))
def test_findings_on_tricky_text_map_back_and_rephrase_cleanly(text: str, language: str) -> None:
    """R12, R13: on text full of tricks every finding points at its own characters, findings
    of R13 do not overlap, and rephrasing leaves no forbidden word."""
    findings = check(text, language=language)
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
    spans = [(f.start, f.end) for f in findings if f.rule == "R13"]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert r13(rephrase(text, findings), language) == []


@given(st.text(max_size=200))
def test_the_fast_path_reads_text_as_the_map_does(text: str) -> None:
    """R13: where the fast path keeps offsets, the full map gives the same copy."""
    normalised = normalise(text)
    full = _mapped(text, _tables())
    assert normalised.text == full.text
    if not normalised.unchanged_offsets:
        assert normalised == full
    assert full.sources is not None
    assert list(full.sources) == sorted(full.sources)
    assert all(0 <= s < len(text) for s in full.sources)


def test_every_dutch_word_with_a_stem_is_found_behind_a_soft_hyphen_or_a_line_break() -> None:
    """R13: each of the ~1100 words of the OpenTaal list that holds a stem is still flagged,
    spanning the whole word, when a soft hyphen or a hyphenated line break splits its stem."""
    words = Path("/usr/share/dict/dutch").read_text(encoding="utf-8").splitlines()
    missed = []
    for word in words:
        stem = STEM.search(word.lower())
        if stem is None or not word.isalpha():
            continue
        middle = stem.start() + 2
        for hidden in (word[:middle] + SHY + word[middle:], word[:middle] + "-\n" + word[middle:]):
            found = [(f.start, f.end) for f in r13(hidden)]
            if found != [(0, len(hidden))]:
                missed.append(hidden)
    assert missed == []


# --- One reading per text (#11 item 6: speed) ----------------------------------------------------


@given(st.lists(st.text(min_size=0, max_size=400), min_size=1, max_size=6))
def test_a_text_read_again_is_read_as_the_first_time(texts: list[str]) -> None:
    """R12, R13: the whole check reads a text for R13 and again for R12; the second reading is
    the first one remembered, and whatever was read in between, every text reads as it would
    alone."""
    for text in [*texts, *reversed(texts)]:
        copy = "".join(list(text))  # an equal text in another string: read afresh
        assert normalise(text) == normalise(copy) == _normalised(text)


def test_the_long_text_stays_remembered_while_short_ones_are_read() -> None:
    """R13's suggestions are read between the two checks of one letter: they do not take the
    letter's place."""
    letter = "Geachte mevrouw, uw klach\u00adt over de planning is ontvangen. " * 20
    first = normalise(letter)
    normalise("een korte melding")
    assert normalise(letter) is first
    other = letter + "Met vriendelijke groet."
    assert normalise(other).original is other
    assert normalise(letter) is not first
    assert normalise(letter) == first
