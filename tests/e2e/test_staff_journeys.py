"""An employee logs in and uses the live wording check and the deadline calculator."""

from __future__ import annotations

from tests.conftest import PASSWORD


def _log_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Petra").wait_for()


def test_a_forbidden_word_is_flagged_while_typing_and_fixed_in_one_click(page, employee):
    """R13: the check runs as the employee types; one click applies the suggestion."""
    _log_in(page, employee.username)
    page.get_by_role("link", name="Tekst controleren").click()
    textarea = page.get_by_label("Tekst voor de klant")
    textarea.press_sequentially("Wij hebben uw klacht ontvangen.", delay=5)
    finding = page.locator(".finding").first
    finding.wait_for()
    assert "klacht" in finding.inner_text()
    assert "R13" in finding.inner_text()

    finding.locator("button[data-suggestion]").first.click()
    assert "klacht" not in textarea.input_value()
    page.get_by_text("Geen opmerkingen: deze tekst kan naar de klant.").wait_for()


def test_a_suggestion_that_makes_the_article_agree_replaces_the_whole_passage(page, employee):
    """R13: "een groot probleem" is marked as a whole and one click makes it "een grote
    kwestie"; "fout gegaan" becomes "misgegaan" — correct Dutch, nothing else touched."""
    _log_in(page, employee.username)
    page.goto("/tekstcontrole/")
    textarea = page.get_by_label("Tekst voor de klant")
    textarea.fill("Dat is een groot probleem. Er is iets fout gegaan.")
    page.get_by_role("button", name="Controleren").click()
    page.locator("mark", has_text="groot probleem").wait_for()

    page.get_by_role("button", name="grote kwestie", exact=True).click()
    page.get_by_role("button", name="grote kwestie", exact=True).wait_for(state="detached")
    page.get_by_role("button", name="misgegaan", exact=True).click()
    page.get_by_text("Geen opmerkingen: deze tekst kan naar de klant.").wait_for()
    assert textarea.input_value() == "Dat is een grote kwestie. Er is iets misgegaan."


def test_blame_is_a_warning_in_the_browser(page, employee):
    """R12: blaming the computer shows a warning, not a block."""
    _log_in(page, employee.username)
    page.goto("/tekstcontrole/")
    page.get_by_label("Tekst voor de klant").fill(
        "Dat de uitnodiging te laat kwam, ligt aan het computersysteem."
    )
    page.get_by_role("button", name="Controleren").click()
    page.get_by_text("Let op: controleer de waarschuwingen").wait_for()


def test_the_deadline_calculator_in_the_browser(page, employee):
    """R3/R16: the Easter example of the procedure, through the page."""
    _log_in(page, employee.username)
    page.goto("/termijnen/")
    page.get_by_label("Ontvangen op").fill("2026-04-02T14:00")
    page.get_by_role("button", name="Berekenen").click()
    page.get_by_text("dinsdag 7 april 2026, 14:00").wait_for()


def test_a_hidden_word_after_an_emoji_is_replaced_exactly_in_one_click(page, employee):
    """R13 (#11): a word hidden by a soft hyphen is found behind an emoji (two UTF-16 units
    in the browser, one character for the server), and the suggestion replaces exactly it."""
    _log_in(page, employee.username)
    page.goto("/tekstcontrole/")
    textarea = page.get_by_label("Tekst voor de klant")
    textarea.fill("Dank 🙂 voor uw kla\u00adcht over de f\u043eut.")
    page.get_by_role("button", name="Controleren").click()
    finding = page.locator(".finding").first
    finding.wait_for()
    assert "leest als “klacht”" in finding.inner_text()
    finding.locator("button[data-suggestion]").first.click()
    assert textarea.input_value() == "Dank 🙂 voor uw melding over de f\u043eut."
