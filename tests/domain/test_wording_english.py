"""R13 in English, and which language a text is in (#11, item 4 and the language plumbing)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.wording import Finding, check, language_of, rephrase
from klachten.domain.wording.language import DUTCH, ENGLISH, ENGLISH_RATIO, MIN_ENGLISH

FORBIDDEN = re.compile(
    r"klacht|fout|proble?em|(?<![^\W\d_])(?:complaint|fault|error|mistake)s?(?![^\W\d_])"
)


def r13(text: str, language: str = "en") -> list[Finding]:
    return [f for f in check(text, language=language) if f.rule == "R13"]


def only_r13(text: str, language: str = "en") -> Finding:
    findings = r13(text, language)
    assert len(findings) == 1, findings
    return findings[0]


# --- The English words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "best"),
    [
        ("Thank you for your complaint about the course.", "complaint", "feedback"),
        ("We received a complaint from your manager.", "complaint", "concern"),
        ("All complaints are answered within a week.", "complaints", "feedback"),
        ("The problem with your login has been solved.", "problem", "issue"),
        ("We had a problem with the schedule.", "problem", "difficulty"),
        ("These problems will not happen again.", "problems", "issues"),
        ("It was our fault.", "fault", "oversight"),
        ("We made an error in your invoice.", "error", "oversight"),
        ("We made a mistake in your invoice.", "mistake", "slip"),
        ("The errors have been corrected.", "errors", "oversights"),
        ("Several mistakes were made.", "mistakes", "oversights"),
        ("Faults in the material were repaired.", "Faults", "Oversights"),
        ("ERROR IN YOUR INVOICE", "ERROR", "OVERSIGHT"),
        ("The complaint's status is on the page.", "complaint's", "concern's"),
        ("The report is now error-free.", "error-free", "accurate"),
        ("The move to the new room was problematic.", "problematic", "difficult"),
    ],
)
def test_the_english_words_are_found_with_english_replacements(
    text: str, word: str, best: str
) -> None:
    """R13: complaint(s), problem(s), fault(s), error(s), mistake(s), with replacements that
    fit the article in front (a slip, an oversight)."""
    finding = only_r13(text)
    assert finding.text == word
    assert text[finding.start : finding.end] == word
    assert finding.suggestions[0] == best
    assert finding.blocks


@pytest.mark.parametrize(
    "text",
    [
        "The default settings apply.",
        "Your work was faultless.",
        "She ran an errand for the office.",
        "A film about terror and mistrust.",
        "The complainant will be called.",
        "Please complain to us whenever you like.",
        "We defaulted to the usual date.",
        "An erroneous date was shown.",  # not one of the five words
    ],
)
def test_other_words_that_contain_an_english_word_stay_free(text: str) -> None:
    """R13: the English words count only as whole words; *default* stays free."""
    assert r13(text) == []


def test_dutch_words_stay_forbidden_in_an_english_text() -> None:
    """R13: a Dutch word in an English letter is still a forbidden word, with Dutch
    replacements."""
    text = "Please read our klachtenregeling and the complaint form."
    assert [(f.text, f.suggestions[0]) for f in r13(text)] == [
        ("klachtenregeling", "regeling"),
        ("complaint", "feedback"),
    ]


def test_the_english_words_are_free_in_a_dutch_text() -> None:
    """R13: in Dutch only the Dutch stems (problem among them) count, as before."""
    text = "De error-pagina toont een complaint-knop; het problem is opgelost."
    assert [f.text for f in r13(text, "nl")] == ["problem"]


def test_hidden_english_words_are_found_too() -> None:
    """R13: the same tricks hide nothing in English: soft hyphen, look-alike, line break."""
    text = "Your com\u00adplaint, our err\u043er and the mis-\ntake."
    assert [f.text for f in r13(text)] == ["com\u00adplaint", "err\u043er", "mis-\ntake"]
    assert r13(rephrase(text, r13(text))) == []


def test_a_word_with_a_dutch_and_an_english_part_is_replaced_entirely() -> None:
    """R13: no suggestion keeps either forbidden part."""
    finding = only_r13("The klacht-complaint was sent.")
    assert finding.suggestions
    assert not any(FORBIDDEN.search(s.lower()) for s in finding.suggestions)


VOCABULARY = [
    "we",
    "the",
    "a",
    "an",
    "your",
    "default",
    "faultless",
    "errand",
    "course",
    "teacher",
    "complaint",
    "Complaints",
    "problem",
    "PROBLEMS",
    "error",
    "errors",
    "mistake",
    "fault",
    "error-free",
    "complaint's",
    "klacht",
    "foutje",
]
SEPARATORS = [" ", ", ", ". ", "\n", " - ", "-", "'", " 3 "]


@st.composite
def english_text(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(VOCABULARY), max_size=30))
    return "".join(w + draw(st.sampled_from(SEPARATORS)) for w in words)


@given(st.one_of(english_text(), st.text(max_size=200)))
def test_english_findings_map_back_and_rephrasing_removes_every_word(text: str) -> None:
    """R13: in English every finding points at its text, each has a suggestion free of any
    forbidden word, and applying them leaves nothing to block."""
    findings = r13(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
        assert finding.suggestions
        assert not any(FORBIDDEN.search(s.lower()) for s in finding.suggestions)
    assert r13(rephrase(text, findings)) == []


@given(english_text())
def test_english_finds_at_least_what_dutch_finds(text: str) -> None:
    """R13: English adds words; every Dutch finding is inside an English one."""
    english = r13(text, "en")
    for dutch in r13(text, "nl"):
        assert any(e.start <= dutch.start and dutch.end <= e.end for e in english)


# --- Which language a text is in -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Dear Mr Smith,\n\nThank you for your message about the course. We will call you "
            "on Friday to discuss what we can do.\n\nKind regards,\nPetra de Vries",
            "en",
        ),
        (
            "Dear Mrs Bakker,\n\nThank you for your call. We have sent the missing module."
            "\n\nMet vriendelijke groet,\nPetra de Vries",
            "en",
        ),
        (
            "Geachte heer Smith,\n\nHartelijk dank voor uw bericht over de cursus. Wij bellen "
            "u vrijdag om te bespreken wat wij voor u kunnen doen.",
            "nl",
        ),
        ("Geachte heer, u schreef: “we are sorry for the delay”. Dat klopt.", "nl"),
        ("Thank you", "nl"),  # too short to tell: Dutch
        ("", "nl"),
        ("12345 — €", "nl"),
        ("The course, de cursus; the teacher, de docent; your room, uw lokaal.", "nl"),
    ],
)
def test_the_language_of_a_text_is_read_from_its_function_words(text: str, language: str) -> None:
    """A text is English only when English function words clearly outnumber Dutch ones;
    short and mixed texts are Dutch."""
    assert language_of(text) == language


_PIECES = st.one_of(
    st.sampled_from(sorted(DUTCH | ENGLISH)),
    st.sampled_from(["_", "2", "²", "é", "ß", "İ", "-", " ", "\n", ".", "de_", "the2", "ünd"]),
    st.text(max_size=4),
)


@given(st.lists(_PIECES, max_size=40), st.lists(st.sampled_from(["", " ", "_", "1"]), max_size=40))
def test_the_language_counts_the_words_a_letter_is_read_by(
    pieces: list[str], glue: list[str]
) -> None:
    """The language is read from the words of ``[^\\W\\d_]+``, one by one, as it always was:
    reading runs of word characters first changes no answer (digits, underscores, accents and
    letters that change length in lower case included)."""
    text = "".join(p + g for p, g in zip(pieces, glue + [""] * len(pieces), strict=False))
    english = dutch = 0
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        if word in ENGLISH:
            english += 1
        elif word in DUTCH:
            dutch += 1
    expected = "en" if english >= MIN_ENGLISH and english > ENGLISH_RATIO * dutch else "nl"
    assert language_of(text) == expected


def test_the_word_lists_do_not_overlap() -> None:
    """No function word counts for both languages."""
    assert not DUTCH & ENGLISH
    assert MIN_ENGLISH >= 2
    assert ENGLISH_RATIO > 1


@given(st.text(max_size=300))
def test_the_language_is_always_one_the_guard_knows(text: str) -> None:
    """Every text gets "nl" or "en", the same answer each time."""
    assert language_of(text) in {"nl", "en"}
    assert language_of(text) == language_of(text)
