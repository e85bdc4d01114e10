"""R13: the first suggestion reads as correct Dutch in its sentence (issue #11, item 5).

Measured on the suggestion set in ``data/r13_suggestions.tsv`` (see ``r13_set``): sentences as
staff write them, each with the corrected sentences a Dutch editor accepts. The shares are
pinned at what was measured, so a change that makes suggestions worse fails here.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.wording import check, forbidden_words, rephrase
from klachten.domain.wording.suggest import memory, suggestions_for
from tests.domain import r13_set

# Measured when the set was last changed; raise them when suggestions improve.
PINNED = {"tuned": 0.985, "held-out": 0.90}
PINNED_OVERALL = 0.96


@pytest.fixture(scope="module")
def outcomes() -> dict[str, list[r13_set.Outcome]]:
    items = r13_set.load()
    return {split: r13_set.evaluate([i for i in items if i.split == split]) for split in PINNED}


def test_the_set_is_large_varied_and_its_answers_are_clean() -> None:
    """At least 200 sentences, a held-out part of at least 100; every sentence holds a word of
    R13 and no accepted answer does (the key itself obeys R13)."""
    items = r13_set.load()
    assert len(items) >= 200
    assert sum(i.split == "held-out" for i in items) >= 100
    assert {i.split for i in items} == set(r13_set.SPLITS)
    assert len({i.id for i in items}) == len(items)
    assert len({i.sentence for i in items}) == len(items)
    assert len({i.kind for i in items}) >= 10
    for item in items:
        assert forbidden_words(item.sentence), item.sentence
        assert item.acceptable
        for answer in item.acceptable:
            assert forbidden_words(answer) == [], (item.id, answer)


@pytest.mark.parametrize("split", list(PINNED))
def test_first_suggestions_are_correct_dutch_in_their_sentence(
    outcomes: dict[str, list[r13_set.Outcome]], split: str
) -> None:
    """R13: applying the first suggestions gives a sentence an editor accepts, for at least the
    pinned share of each part (tuned 98.9 %, held-out 90.8 % when measured)."""
    share = r13_set.share(outcomes[split])
    wrong = [(o.item.id, o.rephrased) for o in outcomes[split] if not o.correct]
    assert share >= PINNED[split], wrong


def test_at_least_nine_in_ten_first_suggestions_are_correct(
    outcomes: dict[str, list[r13_set.Outcome]],
) -> None:
    """Issue #11: at least 90 % of first suggestions correct over the whole set."""
    everything = [o for part in outcomes.values() for o in part]
    assert r13_set.share(everything) >= max(0.90, PINNED_OVERALL)


def test_the_set_compares_whole_sentences() -> None:
    """The measure is not lenient: one wrong word, or one left as it was, counts as wrong."""
    item = r13_set.Item(
        0, "tuned", "test", "Er is een probleem.", r13_set.expand("Er is {iets mis|x}.")
    )
    assert r13_set.Outcome(item, "Er is iets mis.").correct
    assert r13_set.Outcome(item, "Er is  iets mis. ").correct  # spaces do not count
    assert not r13_set.Outcome(item, "Er is een kwestie.").correct
    assert r13_set.expand("a {b|} c || d") == {"a b c", "a c", "d"}


# --- Agreement: determiner, adjective, relative pronoun -----------------------------------------

# Written out here, independently of the code: each determiner's form before a de-word, and
# each adjective's inflected form.
DE_FORM = {
    "het": "de",
    "dit": "deze",
    "dat": "die",
    "elk": "elke",
    "ieder": "iedere",
    "welk": "welke",
    "ons": "onze",
    "hetzelfde": "dezelfde",
    "een": "een",
    "geen": "geen",
    "uw": "uw",
    "zo'n": "zo'n",
}
DEFINITE = {"het", "dit", "dat", "ons", "uw", "hetzelfde"}
INFLECTED = {
    "groot": "grote",
    "klein": "kleine",
    "vervelend": "vervelende",
    "ernstig": "ernstige",
    "nieuw": "nieuwe",
    "tijdelijk": "tijdelijke",
    "praktisch": "praktische",
    "administratief": "administratieve",
    "financieel": "financiële",
    "serieus": "serieuze",
    "bekend": "bekende",
    "ander": "andere",
    "eigen": "eigen",
    "echt": "echte",
    "concreet": "concrete",
    "opgelost": "opgeloste",
}
# The replacement nouns a test may meet, with their gender.
GENDER = {
    "kwestie": "c",
    "situatie": "c",
    "storing": "c",
    "moeilijkheid": "c",
    "onjuistheid": "c",
    "vergissing": "c",
    "opmerking": "c",
    "kleinigheid": "c",
    "oorzaak": "c",
    "vraag": "c",
    "punt": "n",
    "knelpunt": "n",
    "euvel": "n",
    "voorval": "n",
    "bezwaar": "n",
    "ongemak": "n",
    "puntje": "n",
    "vergissinkje": "n",
}


@given(
    st.sampled_from(sorted(DE_FORM)),
    st.sampled_from(sorted(INFLECTED)),
    st.sampled_from(["probleem", "foutje", "klachtje"]),
    st.sampled_from(
        [
            ("Wij bespraken ", " uitgebreid."),
            ("Volgens ons is ", " nu voorbij."),
            ("", " staat in de bijlage."),
            ("Het ging om ", " met de planning."),
        ]
    ),
)
def test_determiner_and_adjective_agree_with_the_replacement(
    det: str, adjective: str, noun: str, frame: tuple[str, str]
) -> None:
    """R13: whatever noun replaces a het-word, the determiner and adjective before it agree."""
    form = adjective if det not in DEFINITE else INFLECTED[adjective]
    if det in DEFINITE or det in {"een", "geen", "zo'n", "elk", "ieder", "welk"}:
        phrase = f"{det} {form} {noun}"
    else:
        return
    before, after = frame
    text = before + (phrase[:1].upper() + phrase[1:] if not before else phrase) + after
    result = rephrase(text, check(text))
    changed = result[len(before) : len(result) - len(after)].lower().split()
    if changed[0] in {"iets"}:  # "een probleem met" → "iets mis met": no agreement to check
        return
    new_det, new_adjective, new_noun = changed[0], changed[-2], changed[-1]
    assert new_noun in GENDER, result
    if GENDER[new_noun] == "c":
        assert new_det == DE_FORM[det], result
        assert new_adjective in {INFLECTED[adjective], "kleine"}, result
    else:
        assert new_det == det, result
        assert new_adjective == form, result


@pytest.mark.parametrize(
    ("text", "rephrased"),
    [
        ("Dat is een groot probleem.", "Dat is een grote kwestie."),
        ("Het probleem dat u noemt, lossen wij op.", "Het knelpunt dat u noemt, lossen wij op."),
        ("Het probleem dat u noemt, kennen wij.", "De kwestie die u noemt, kennen wij."),
        ("Hetzelfde probleem speelde vorig jaar.", "Dezelfde kwestie speelde vorig jaar."),
        ("Dat is een heel groot probleem.", "Dat is een heel grote kwestie."),
        ("Een klein foutje is hersteld.", "Een kleine vergissing is hersteld."),
        ("Dit foutje spijt ons.", "Deze vergissing spijt ons."),
        ("Geen enkel probleem.", "Geen enkel bezwaar."),
        ("Het foutieve probleem is bekend.", "Het onjuiste knelpunt is bekend."),
        ("Wij verwachten geen enkel probleem.", "Wij verwachten geen enkele moeilijkheid."),
        ("Een klein klachtje over de koffie.", "Een kleine opmerking over de koffie."),
        ("Het is fout gegaan.", "Het is misgegaan."),
        ("Dat het fout ging, spijt ons.", "Dat het misging, spijt ons."),
        ("Het ging fout.", "Het ging mis."),
        ("De problemen zijn opgelost.", "De moeilijkheden zijn opgelost."),
        ("Alles verliep zonder problemen.", "Alles verliep zonder haperingen."),
        ("U kunt zonder problemen ruilen.", "U kunt zonder moeite ruilen."),
    ],
)
def test_sentences_read_as_correct_dutch_after_one_click(text: str, rephrased: str) -> None:
    """R13: examples of the rules of agreement and the fixed phrases, whole sentences."""
    assert rephrase(text, check(text)) == rephrased


def test_an_unknown_word_before_the_noun_keeps_the_gender() -> None:
    """R13: a word we cannot inflect stands before the noun: only a het-word replaces probleem,
    so nothing around it has to change ("een knots probleem" never becomes "een knots
    kwestie")."""
    [finding] = forbidden_words("Het was een knots probleem.")
    assert finding.text == "probleem"
    assert finding.suggestions[0] in {"knelpunt", "punt", "euvel", "voorval"}


@pytest.mark.parametrize(
    ("text", "rephrased"),
    [
        ("Het was een knots probleem.", "Het was een knots knelpunt."),
        ("Het was een x-een probleem.", "Het was een x-een knelpunt."),
        ("Het 😀 probleem blijft.", "Het 😀 knelpunt blijft."),
        ("Zo'n groot\tprobleem.", "Zo'n grote\tkwestie."),
        ("Dat probleem dat probleem.", "Die kwestie die kwestie."),
        ("Het woord probleem is een groot probleem.", "Het woord knelpunt is een grote kwestie."),
    ],
)
def test_what_cannot_be_read_keeps_the_gender(text: str, rephrased: str) -> None:
    """R13: an unknown word or a symbol before the noun may be an adjective or determiner we
    cannot make agree, so the replacement keeps probleem's gender there; a "dat" that starts
    the next noun phrase is not a relative pronoun."""
    assert rephrase(text, check(text)) == rephrased


def test_a_passage_never_spans_a_line_break_or_an_earlier_finding() -> None:
    """R13: "een groot⏎probleem" is changed only on its own line; two findings never overlap."""
    [finding] = forbidden_words("Dat is een groot\nprobleem.")
    assert finding.text == "probleem"
    findings = forbidden_words("Het foutieve probleem.")
    assert [f.params["word"] for f in findings] == ["foutieve", "probleem"]
    assert findings[0].end <= findings[1].start


def test_the_word_only_suggestions_leave_the_words_around_it() -> None:
    """R13: suggestions_for (the word alone) offers only what fits without other changes."""
    assert suggestions_for("probleem", "Het ", " is groot.")[0] == "knelpunt"
    assert suggestions_for("klacht", "uw ", ".")[0] == "melding"
    assert "misgegaan" not in suggestions_for("fout", "Het is ", " gegaan.")


# --- R2: nothing of the letter is remembered ---------------------------------------------------


def test_remembered_suggestions_hold_no_word_of_the_letter() -> None:
    """R2: plans are remembered by closed classes of words only; a customer's name, an
    adjective or a noun from the letter is not among them."""
    letters = [
        "Beste mevrouw Zwaanswijk, het vreselijke probleem met uw Quirinusmodule is opgelost.",
        "Wij begrijpen dat de Kolibrieklachten over docent Xandervoort terecht zijn.",
        "Het fladderige foutje in de Pimpernelroute is hersteld; het is fout gegaan.",
        "Een Zebrafinkprobleem? Geen probleem, meneer Oudkerkenveld.",
    ]
    for letter in letters:
        check(letter)
    held = " ".join(memory()).lower()
    for private in (
        "zwaanswijk",
        "vreselijk",
        "quirinus",
        "kolibrie",
        "xandervoort",
        "fladder",
        "pimpernel",
        "zebrafink",
        "oudkerkenveld",
        "module",
        "route",
        "docent",
    ):
        assert private not in held
