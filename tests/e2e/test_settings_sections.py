"""*Instellingen* in Chromium (issue #14, item 5): management walks through every section by
the section navigation, saves one with its single button, sees the confirmation, and each
page passes axe; a refusal shows the error summary with the focus on it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from klachten.organisation.selectors import organisation_settings
from tests.e2e.test_accessibility import _serious
from tests.e2e.test_complaint_journey import _log_in

SECTIONS = [
    ("Organisatie", "Organisatie"),
    ("Termijnen en kalender", "Termijnen en kalender"),
    ("Herinneringen", "Herinneringen"),
    ("Categorieën en oorzaken", "Categorieën en oorzaken"),
    ("Berichtsjablonen", "Berichtsjablonen"),
    ("Medewerkers", "Medewerkers"),
]


def _section_nav(page):
    return page.get_by_role("navigation", name="Onderdelen van de instellingen")


def test_management_opens_every_section_and_saves_one(page, manager):
    _log_in(page, manager)
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_role("heading", name="Instellingen", exact=True).wait_for()
    assert _serious(page) == []

    for link, heading in SECTIONS:
        _section_nav(page).get_by_role("link", name=link, exact=True).click()
        page.get_by_role("heading", name=heading, exact=True, level=1).wait_for()
        current = _section_nav(page).locator('[aria-current="page"]')
        assert current.inner_text() == link
        assert page.locator("button.settings-save").count() <= 1
        assert _serious(page) == [], link

    _section_nav(page).get_by_role("link", name="Organisatie", exact=True).click()
    page.get_by_label("Telefoon").fill("030 123 4567")
    page.get_by_label("E-mail").fill("info@kerngroep.nl")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De gegevens van de organisatie zijn opgeslagen.").wait_for()
    assert page.get_by_label("Telefoon").input_value() == "030 123 4567"
    assert organisation_settings().email == "info@kerngroep.nl"
    assert _serious(page) == []


def test_a_refused_save_takes_the_focus_to_the_error_summary(page, manager):
    _log_in(page, manager)
    page.goto("/instellingen/herinneringen/")
    page.get_by_label("Herinnering voor de afhandeling op dag").fill("30")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.locator("#foutmeldingen")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert "Kies een waarde van 1 tot en met 27." in summary.inner_text()
    assert page.get_by_label("Herinnering voor de afhandeling op dag").input_value() == "30"
    assert _serious(page) == []


def test_the_checklist_on_the_index_leads_to_the_page_that_fixes_it(page, manager):
    _log_in(page, manager)
    page.goto("/instellingen/")
    checklist = page.locator("#inrichten")
    checklist.get_by_role("link", name="Sluitingsdagen in de kalender zetten").click()
    page.get_by_role("heading", name="Termijnen en kalender", level=1).wait_for()
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() >= 5:  # a Saturday or Sunday is never a working day anyway
        day += timedelta(days=1)
    page.get_by_label("Datum (of eerste dag)").fill(day.isoformat())
    page.get_by_label("Omschrijving").fill("Kerstsluiting")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("De sluitingsdagen zijn toegevoegd.").wait_for()
    page.goto("/instellingen/")
    page.get_by_role("heading", name="Instellingen", exact=True).wait_for()
    assert "Sluitingsdagen in de kalender zetten" not in page.content()
