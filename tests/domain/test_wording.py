"""The wording guard for customer-facing texts: R13 (forbidden words) and R12 (blame)."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.wording import (
    CHECKS,
    CODES,
    Finding,
    blame,
    check,
    forbidden_words,
    is_sendable,
    rephrase,
)

STEM = re.compile(r"klacht|fout|proble?em")


def r13(text: str) -> list[Finding]:
    return [f for f in check(text) if f.rule == "R13"]


def r12(text: str) -> list[Finding]:
    return [f for f in check(text) if f.rule == "R12"]


def only_r13(text: str) -> Finding:
    findings = r13(text)
    assert len(findings) == 1, findings
    return findings[0]


# --- R13: the forbidden words and their forms ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "passage", "best", "also"),
    [
        ("Wij hebben uw klacht goed ontvangen.", "klacht", "klacht", "melding", "reactie"),
        (
            "De klachten over het rooster zijn besproken.",
            "klachten",
            "klachten",
            "meldingen",
            "reacties",
        ),
        ("Het probleem met uw inlog is verholpen.", "probleem", "probleem", "euvel", "knelpunt"),
        ("Dit probleem lossen wij deze week op.", "probleem", "probleem", "knelpunt", None),
        (
            "Dat probleem hebben wij met de docent besproken.",
            "probleem",
            "probleem",
            "punt",
            "knelpunt",
        ),
        (
            "Wij begrijpen dat dit een vervelend probleem is.",
            "probleem",
            "vervelend probleem",
            "vervelende kwestie",
            "vervelende situatie",
        ),
        (
            "Het probleem dat u noemt, is bekend.",
            "probleem",
            "Het probleem dat",
            "De kwestie die",
            None,
        ),
        (
            "Hetzelfde probleem speelt elders.",
            "probleem",
            "Hetzelfde probleem",
            "Dezelfde kwestie",
            None,
        ),
        ("Geen probleem, wij passen het graag aan.", "probleem", "probleem", "punt", "bezwaar"),
        ("Dat is geen enkel probleem.", "probleem", "probleem", "bezwaar", None),
        ("Excuses voor het probleem met de map.", "probleem", "probleem", "ongemak", "punt"),
        ("Wij helpen u graag met uw probleem.", "probleem", "probleem", "vraag", "situatie"),
        ("Er is een probleem met uw inschrijving.", "probleem", "een probleem", "iets mis", None),
        (
            "De problemen met de leeromgeving zijn verholpen.",
            "problemen",
            "problemen",
            "storingen",
            "moeilijkheden",
        ),
        (
            "Wij verwachten geen problemen bij het examen.",
            "problemen",
            "problemen",
            "moeilijkheden",
            None,
        ),
        ("Heeft u problemen met inloggen?", "problemen", "problemen", "moeite", None),
        ("Het examen verliep zonder problemen.", "problemen", "problemen", "haperingen", None),
        (
            "Een klein probleempje: de zaal is anders.",
            "probleempje",
            "klein probleempje",
            "kleinigheid",
            None,
        ),
        (
            "Er was een probleempje met de inlog.",
            "probleempje",
            "een probleempje",
            "iets mis",
            None,
        ),
        (
            "Dat maakt de planning problematisch.",
            "problematisch",
            "problematisch",
            "lastig",
            "ingewikkeld",
        ),
        (
            "Het was een problematische periode.",
            "problematische",
            "problematische",
            "lastige",
            "ingewikkelde",
        ),
        (
            "Wij kennen deze problematiek goed.",
            "problematiek",
            "problematiek",
            "kwestie",
            "situatie",
        ),
        ("De overstap verliep probleemloos.", "probleemloos", "probleemloos", "soepel", "vlot"),
        ("Het verliep problemloos.", "problemloos", "problemloos", "soepel", "vlot"),
        ("Excuses voor de fout in uw factuur.", "fout", "fout", "vergissing", "onjuistheid"),
        ("Wij hebben een fout gemaakt.", "fout", "fout", "vergissing", "onjuistheid"),
        ("Onze excuses voor deze kleine fout.", "fout", "fout", "vergissing", "onjuistheid"),
        ("Er is een fout opgetreden.", "fout", "fout", "storing", "vergissing"),
        ("Het adres op de envelop was fout.", "fout", "fout", "onjuist", "niet juist"),
        ("De gegevens in uw dossier zijn fout.", "fout", "fout", "onjuist", "verkeerd"),
        ("Wat is er fout aan deze factuur?", "fout", "fout", "mis", "verkeerd"),
        (
            "Er is iets fout gegaan bij de inschrijving.",
            "fout",
            "fout gegaan",
            "misgegaan",
            "verkeerd gegaan",
        ),
        (
            "Wij willen niet dat het weer fout gaat.",
            "fout",
            "fout gaat",
            "misgaat",
            "verkeerd gaat",
        ),
        ("Helaas ging het fout bij het versturen.", "fout", "fout", "mis", "verkeerd"),
        ("Uw naam is fout gespeld.", "fout", "fout", "verkeerd", "onjuist"),
        ("Er stond een fout bedrag op de factuur.", "fout", "fout", "verkeerd", "onjuist"),
        ("Wij zijn in de fout gegaan.", "fout", "in de fout gegaan", "tekortgeschoten", None),
        (
            "De fouten in het rooster zijn hersteld.",
            "fouten",
            "fouten",
            "vergissingen",
            "onjuistheden",
        ),
        ("Er stond een foutief bedrag op de factuur.", "foutief", "foutief", "onjuist", "verkeerd"),
        ("U ontving een foutieve factuur.", "foutieve", "foutieve", "onjuiste", "verkeerde"),
        ("Een foute datum in de bevestiging.", "foute", "foute", "onjuiste", "verkeerde"),
        ("Een klein foutje in het rooster.", "foutje", "klein foutje", "kleine vergissing", None),
        ("Het foutje in uw naam is hersteld.", "foutje", "Het foutje", "De vergissing", None),
        (
            "U zag een foutmelding bij het inloggen.",
            "foutmelding",
            "foutmelding",
            "storingsmelding",
            "melding",
        ),
        (
            "Het klachtenformulier staat op de website.",
            "klachtenformulier",
            "klachtenformulier",
            "meldingsformulier",
            "formulier",
        ),
        (
            "Lees ook onze klachtenregeling.",
            "klachtenregeling",
            "klachtenregeling",
            "regeling",
            None,
        ),
        (
            "Er zat een rekenfout in de factuur.",
            "rekenfout",
            "rekenfout",
            "misrekening",
            "vergissing",
        ),
        ("Door een typefout ging de mail mis.", "typefout", "typefout", "verschrijving", None),
        (
            "Door een invoerfout ging het mis.",
            "invoerfout",
            "invoerfout",
            "vergissing bij de invoer",
            None,
        ),
        ("Dat was geen beroepsfout.", "beroepsfout", "beroepsfout", "vergissing", "onjuistheid"),
        (
            "Het cursusprobleem is opgelost.",
            "cursusprobleem",
            "Het cursusprobleem",
            "De kwestie met de cursus",
            "Het knelpunt",
        ),
        (
            "Heeft u een computerprobleem?",
            "computerprobleem",
            "computerprobleem",
            "computerstoring",
            None,
        ),
        ("U had last van buikklachten.", "buikklachten", "buikklachten", "buikpijn", "ongemakken"),
        (
            "Het ging niet om een aanklacht.",
            "aanklacht",
            "aanklacht",
            "beschuldiging",
            "aantijging",
        ),
    ],
)
def test_every_form_of_the_forbidden_words_gets_replacements_that_fit(
    text: str, word: str, passage: str, best: str, also: str | None
) -> None:
    """R13: each form is found as a whole word and the best suggestion fits the sentence; the
    finding grows to the words that have to agree with it (determiner, adjective, verb)."""
    finding = only_r13(text)
    assert finding.params["word"] == word
    assert finding.text == passage
    assert text[finding.start : finding.end] == passage
    assert finding.suggestions[0] == best
    if also is not None:
        assert also in finding.suggestions
    assert finding.code == "forbidden_word"
    assert finding.blocks


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Uw e-mail-klacht is doorgestuurd.", "e-mail-klacht"),
        ("Uw e-mailklacht is doorgestuurd.", "e-mailklacht"),
        ("Het cursus-probleem is bekend.", "cursus-probleem"),
        ("Het ICT-probleem is verholpen.", "ICT-probleem"),
        ("Een RSI-klachten-spreekuur.", "RSI-klachten-spreekuur"),
        ("Kijk in de klachtenprocedure.", "klachtenprocedure"),
        ("Dit is geen klachtwaardig punt.", "klachtwaardig"),
        ("Wij serveren clafoutis na de les.", "clafoutis"),
        ("Het afvalprobleem in de kantine.", "afvalprobleem"),
        ("Een fout-positieve uitslag.", "fout-positieve"),
        ("Het zijn allerfoutste keuzes.", "allerfoutste"),
        ("Het woord 'klacht' tussen aanhalingstekens.", "klacht"),
    ],
)
def test_forbidden_words_are_found_inside_compounds_and_after_hyphens(text: str, word: str) -> None:
    """R13: the finding holds the whole word (letters joined by hyphens) around the stem."""
    finding = only_r13(text)
    assert finding.params["word"] == word
    assert finding.start <= text.index(word)
    assert text.index(word) + len(word) <= finding.end
    assert not STEM.search(finding.suggestions[0].lower())


def test_a_compound_is_replaced_by_a_real_word_or_rephrased() -> None:
    """R13: no coined compounds (e-mail-melding, cursus-punt): a listed word, or a phrase that
    says what the modifier said; an acronym in front (ICT-) stays."""
    assert only_r13("Uw e-mail-klacht.").suggestions[:2] == ("melding per e-mail", "melding")
    assert only_r13("Het cursus-probleem.").suggestions[0] == "De kwestie met de cursus"
    assert only_r13("De ICT-problemen.").suggestions[:2] == ("ICT-storingen", "storingen")
    assert only_r13("Een drukfout.").suggestions[0] == "verschrijving"
    assert only_r13("Het afzetprobleem.").suggestions[0] == "De kwestie"


def test_digits_break_a_word() -> None:
    """R13: in CO2-probleem only the letters after the digit form the word."""
    text = "Het CO2-probleem, 12klachten en de 3e-klacht."
    assert [f.text for f in r13(text)] == ["probleem", "klachten", "e-klacht"]


@pytest.mark.parametrize(
    "text",
    [
        "U mag altijd bij ons klagen; wij horen het graag.",
        "Probeer het morgen nog eens.",
        "Wij proberen het rooster aan te passen.",
        "Bij het examen wordt niet gefouilleerd.",
        "De probe van de meter is vervangen.",
        "Zij klaagde terecht over de koffie.",
        "Het foto-album van de cursus staat online.",
    ],
)
def test_words_that_only_look_alike_are_not_flagged(text: str) -> None:
    """R13: klagen, probeer, fouilleren, probe contain no stem and pass."""
    assert r13(text) == []


# --- R13: capitalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Klacht ontvangen.", "Melding"),
        ("KLACHT ONTVANGEN.", "MELDING"),
        ("Uw KLACHTEN zijn behandeld.", "MELDINGEN"),
        ("Probleem opgelost.", "Kwestie"),
        ("Het probleem is bekend.", "De kwestie"),
        ("HET PROBLEEM IS BEKEND.", "DE KWESTIE"),
        ("Fout gegaan?", "Misgegaan"),
        ("PROBLEMATISCH", "LASTIG"),
        ("Fouten zijn hersteld.", "Vergissingen"),
        ("Klachtenregeling", "Regeling"),
        ("E-mailklacht doorgestuurd.", "Melding per e-mail"),
    ],
)
def test_suggestions_take_the_capitalisation_of_the_original(text: str, best: str) -> None:
    """R13: Capitalised stays Capitalised, ALL CAPS stays ALL CAPS."""
    assert only_r13(text).suggestions[0] == best


def test_an_acronym_in_front_does_not_capitalise_the_bare_suggestion() -> None:
    """R13: RSI-klachten keeps "RSI-"; the suggestion without it stays lower case."""
    assert only_r13("RSI-klachten").suggestions == ("RSI-ongemakken", "ongemakken")


# --- R13: several findings, offsets, rephrasing ---------------------------------------------------


def test_several_findings_in_one_letter_carry_correct_offsets() -> None:
    """R13: every forbidden word in a letter is found at its own offset, in order."""
    text = (
        "Geachte heer Bakker,\n\n"
        "Naar aanleiding van uw klacht over het probleem met de foutieve factuur: "
        "de fout is hersteld. Het Klachtenformulier is niet meer nodig."
    )
    findings = r13(text)
    assert [f.params["word"] for f in findings] == [
        "klacht",
        "probleem",
        "foutieve",
        "fout",
        "Klachtenformulier",
    ]
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    assert findings[1].start == text.index("het probleem")  # "de kwestie": the article agrees
    assert findings[3].start == text.index(" fout ") + 1
    assert dict(findings[0].params) == {"word": "klacht", "stem": "klacht"}
    assert dict(findings[1].params) == {"word": "probleem", "stem": "probleem"}


def test_rephrase_applies_the_best_suggestion_of_every_forbidden_word() -> None:
    """R13: one click turns the letter into one without klacht, probleem or fout."""
    text = "Wij hebben uw klacht over het probleem ontvangen. Er is iets fout gegaan."
    assert rephrase(text, check(text)) == (
        "Wij hebben uw melding over de kwestie ontvangen. Er is iets misgegaan."
    )


def test_rephrase_refuses_findings_of_another_text() -> None:
    """R13: stale findings would corrupt the letter, so they are refused."""
    findings = check("Uw klacht is ontvangen.")
    with pytest.raises(ValueError, match="does not match"):
        rephrase("Uw vraag is ontvangen.", findings)


def test_rephrase_can_apply_the_blame_suggestions_too() -> None:
    """R12: asked for, the blaming sentence is replaced as a whole, R13 words inside it too."""
    text = "Door een fout van de fabrikant ontbrak een onderdeel. Wij sturen het na."
    result = rephrase(text, check(text), rules=("R12", "R13"))
    assert result == (
        "Het spijt ons dat het niet is gegaan zoals u mocht verwachten. Wij sturen het na."
    )
    assert check(result) == []


# --- R12: blame ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dit komt door de leverancier.", "blames_supplier"),
        ("De vertraging is te wijten aan PostNL.", "blames_supplier"),
        ("De vertraging werd veroorzaakt door de uitgever.", "blames_supplier"),
        ("De drukkerij heeft de boeken te laat geleverd.", "blames_supplier"),
        ("Dat komt door de drukte bij de vervoerder.", "blames_supplier"),
        ("Door een vergissing van de fabrikant ontbrak een onderdeel.", "blames_supplier"),
        ("Mijn collega is vergeten u te bellen.", "blames_colleague"),
        ("Onze collega heeft uw aanmelding verkeerd ingevoerd.", "blames_colleague"),
        ("De docent heeft zich vergist.", "blames_colleague"),
        ("De medewerker van de balie was slordig.", "blames_colleague"),
        ("Mijn collega heeft de stukken laten liggen.", "blames_colleague"),
        ("Dat ligt aan de planning.", "blames_organisation"),
        ("Het is de schuld van de directie.", "blames_organisation"),
        ("Door een vergissing van de administratie is uw factuur te hoog.", "blames_organisation"),
        ("Kerngroep heeft uw betaling niet verwerkt.", "blames_organisation"),
        ("De website lag eruit.", "blames_system"),
        ("De server lag plat.", "blames_system"),
        ("Het netwerk werkte niet.", "blames_system"),
        ("De printer deed het niet.", "blames_system"),
        ("De computer liet het afweten.", "blames_system"),
        ("Het systeem haperde gisteren.", "blames_system"),
        ("Het inschrijfsysteem is gecrasht.", "blames_system"),
        ("Er was een storing in de software.", "blames_system"),
    ],
)
def test_a_sentence_that_blames_a_party_is_a_warning(text: str, code: str) -> None:
    """R12: a party plus a blaming cue in one sentence is a warning with the party's code."""
    [finding] = r12(text)
    assert finding.code == code
    assert finding.text == text
    assert not finding.blocks
    assert finding.params["party"].lower() in text.lower()
    assert finding.params["cue"] in text


@pytest.mark.parametrize(
    "text",
    [
        "Mijn collega Petra neemt morgen contact met u op.",
        "De software van de cursus staat nu voor u klaar.",
        "Door de drukte duurde het even.",
        "Onze organisatie helpt u graag verder.",
        "Kerngroep biedt u excuses aan.",
        "Onze collega heeft uw inschrijving verwerkt.",
        "Wij zijn vergeten u terug te bellen; dat spijt ons.",
        "De docent heeft de opdracht voor u klaargezet.",
        "U kunt de website dag en nacht bezoeken.",
        "De leverancier stuurt de boeken morgen opnieuw.",
        "Het ligt niet aan u.",
        "Wij hebben uw mail niet goed gelezen; dat spijt ons.",
    ],
)
def test_ordinary_sentences_about_colleagues_and_systems_pass(text: str) -> None:
    """R12: naming a colleague, the organisation or the website without blame is fine."""
    assert check(text) == []


def test_the_blame_finding_spans_only_its_own_sentence() -> None:
    """R12: in a letter the finding spans the blaming sentence, trimmed, not the salutation."""
    text = (
        "Geachte mevrouw Jansen,\n\nDank voor uw bericht.  De website lag eruit, o.a. "
        "bij het inschrijven.  Wij helpen u graag verder."
    )
    [finding] = blame(text)
    assert finding.text == "De website lag eruit, o.a. bij het inschrijven."
    assert text[finding.start : finding.end] == finding.text


def test_a_salutation_line_is_not_part_of_the_first_sentence() -> None:
    """R12: "Geachte heer Jansen," on its own line ends before the first sentence."""
    text = "Geachte heer Jansen,\nDe server lag plat."
    [finding] = blame(text)
    assert finding.text == "De server lag plat."


def test_the_blame_suggestions_themselves_pass_both_checks() -> None:
    """R12: the neutral rephrasings take responsibility and contain no R12 or R13 wording."""
    [finding] = blame("Dit komt door de leverancier.")
    assert len(finding.suggestions) >= 1
    for suggestion in finding.suggestions:
        assert check(suggestion) == []


# --- The guard as a whole -------------------------------------------------------------------------


def test_a_friendly_letter_has_no_findings() -> None:
    """R12, R13: a letter in the procedure's own wording passes."""
    text = (
        "Geachte heer De Boer,\n\n"
        "Hartelijk dank voor uw melding over de cursus Projectmatig Werken. Het spijt ons dat "
        "het niet is gegaan zoals u mocht verwachten. Mijn collega Petra neemt morgen contact "
        "met u op; zij zorgt dat u uiterlijk vrijdag de juiste materialen ontvangt.\n\n"
        "Met vriendelijke groet,\nJan de Vries"
    )
    assert check(text) == []
    assert is_sendable(check(text))


def test_an_empty_text_has_no_findings() -> None:
    """R12, R13: nothing to say, nothing to find."""
    assert check("") == []


def test_all_findings_come_back_at_once_sorted_by_start() -> None:
    """R12, R13: the caller gets the warnings and the blocks together, in text order."""
    text = "Uw klacht is ontvangen. De website lag eruit. Excuses voor de fout."
    findings = check(text)
    assert [(f.rule, f.text) for f in findings] == [
        ("R13", "klacht"),
        ("R12", "De website lag eruit."),
        ("R13", "fout"),
    ]


def test_sending_is_blocked_by_r13_and_needs_confirmation_for_r12() -> None:
    """R13 blocks even when confirmed; R12 blocks only until confirmed."""
    assert not is_sendable(check("Uw klacht."), confirmed_warnings=True)
    warnings = check("De website lag eruit.")
    assert not is_sendable(warnings)
    assert is_sendable(warnings, confirmed_warnings=True)
    assert is_sendable([])


def test_a_finding_cannot_be_changed_after_the_check() -> None:
    """R12, R13: findings are frozen, parameters included."""
    finding = only_r13("Uw klacht.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        finding.params["word"] = "x"  # type: ignore[index]
    assert hash(finding) == hash(only_r13("Uw klacht."))


def test_every_code_is_listed() -> None:
    """R12, R13: callers can map every code to a translated message."""
    assert set(CODES) == {
        "forbidden_word",
        "blames_colleague",
        "blames_organisation",
        "blames_system",
        "blames_supplier",
    }


def test_callers_can_add_a_check_of_their_own() -> None:
    """R12, R13: the checks are a list like Django's password validators; it can be extended."""

    def no_shouting(text: str, language: str) -> list[Finding]:
        return [
            Finding(m.start(), m.end(), m.group(), "R13", "shouting", ("!",))
            for m in re.finditer("!!+", text)
        ]

    assert (forbidden_words, blame) == CHECKS
    findings = check("Uw klacht!!", checks=(*CHECKS, no_shouting))
    assert [f.code for f in findings] == ["forbidden_word", "shouting"]


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
    "foutmelding",
    "rekenfout",
    "aanklacht",
    "e-mailklacht",
    "cursus-probleem",
    "klachtenregeling",
]
VOCABULARY = [
    "wij",
    "u",
    "uw",
    "de",
    "het",
    "een",
    "geen",
    "dit",
    "cursus",
    "docent",
    "collega",
    "Kerngroep",
    "website",
    "leverancier",
    "bericht",
    "melding",
    "graag",
    "morgen",
    "lag",
    "eruit",
    "komt",
    "door",
    "vergeten",
    "heeft",
    "is",
    "niet",
    "gegaan",
    "klagen",
    "probeer",
    "excuses",
    "factuur",
    "zo'n",
    "e-mail",
    "één",
    "Ĳsselmeer",
    *FORBIDDEN,
]
SEPARATORS = [" ", " ", " ", ", ", ". ", "; ", "\n", "\n\n", ": ", " - ", "? ", " 12 "]

dutchish_words = st.lists(st.sampled_from(VOCABULARY), max_size=40)


@st.composite
def dutchish_text(draw: st.DrawFn) -> str:
    words = draw(dutchish_words)
    pieces = []
    for word in words:
        pieces.append(word)
        pieces.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(pieces)


any_text = st.one_of(dutchish_text(), st.text(max_size=300))


@given(any_text)
def test_offsets_always_point_at_the_finding_text(text: str) -> None:
    """R12, R13: text[start:end] == finding.text for every finding of every text."""
    for finding in check(text):
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text


@given(any_text)
def test_findings_are_sorted_and_do_not_overlap_within_a_rule(text: str) -> None:
    """R12, R13: sorted by start; within one rule no two findings share a character."""
    findings = check(text)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    for rule in ("R12", "R13"):
        spans = [(f.start, f.end) for f in findings if f.rule == rule]
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


@given(any_text)
def test_every_r13_finding_has_a_suggestion_free_of_forbidden_words(text: str) -> None:
    """R13: at least one suggestion, none of them with klacht, probleem or fout in it."""
    for finding in r13(text):
        assert finding.suggestions
        for suggestion in finding.suggestions:
            assert suggestion
            assert not STEM.search(suggestion.lower())


@given(any_text)
def test_rephrasing_leaves_no_forbidden_word(text: str) -> None:
    """R13: applying the first suggestion of every finding leaves nothing to block."""
    assert r13(rephrase(text, check(text))) == []


@given(dutchish_words, st.integers(min_value=0), st.sampled_from(FORBIDDEN), st.data())
def test_a_forbidden_word_inserted_between_words_is_found_where_it_was_put(
    words: list[str], index: int, forbidden: str, data: st.DataObject
) -> None:
    """R13: wherever a forbidden word stands between other words, a finding holds it there."""
    index %= len(words) + 1
    before = "".join(w + data.draw(st.sampled_from(SEPARATORS)) for w in words[:index])
    after = "".join(data.draw(st.sampled_from(SEPARATORS)) + w for w in words[index:])
    text = before + forbidden + after
    where = len(before), len(before) + len(forbidden)
    assert any(
        f.params["word"] == forbidden and f.start <= where[0] and where[1] <= f.end
        for f in r13(text)
    )


@given(st.text())
def test_check_never_raises_on_any_unicode_text(text: str) -> None:
    """R12, R13: whatever is typed or pasted, the guard answers with findings, not errors."""
    findings = check(text)
    assert all(f.rule in {"R12", "R13"} and f.code in CODES for f in findings)
    rephrase(text, findings, rules=("R12", "R13"))
