"""Forms as a careful product answers them, in a real Chromium (UX.md, issue #10).

The error summary takes the focus (GOV.UK's pattern) and lists every error; a date on a day
off gets a warning while typing; "Ik heb de waarschuwing gelezen" appears only with an R12
warning. The live server runs on the real clock, so dates are chosen relative to today.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import WAIT_MS


def _log_in(page, staff) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(staff.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name=f"Goedendag, {staff.first_name}").wait_for()


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def _next(weekday: int, after: date) -> date:
    """The first day with ``weekday`` (Monday 0) at least two weeks after ``after``."""
    day = after + timedelta(days=14)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def contacted(employee, manager):
    """A complaint registered and contacted a moment ago, on the real clock."""
    from klachten.complaints.services import Checklist, complaint_contact, complaint_register
    from tests.complaints.conftest import customer_data

    now = timezone.now()
    complaint = complaint_register(
        receiver=employee,
        customer=customer_data(),
        naw_checked=True,
        received_at=now - timedelta(minutes=5),
        channel="phone",
        report="Cursusmap voor de training Leidinggeven ontbrak bij de start.",
        checklist=Checklist(not_interrupted=True, apologised=True),
        now=now,
    )
    return complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Teruggebeld.",
        agreed_term=_next(2, timezone.localdate()),
        now=now,
    )


def test_the_error_summary_takes_the_focus_and_names_every_error(page, employee):
    """R6: a missing name, a wrong postcode and a wrong e-mail address in one round; the
    summary has the focus, so a screen reader reads it first; each line links to its field."""
    _log_in(page, employee)
    page.goto("/meldingen/nieuw/")
    page.get_by_label("Straat").fill("Kerkstraat")
    page.get_by_label("Huisnummer").fill("7")
    page.get_by_label("Postcode").fill("35110")
    page.get_by_label("Woonplaats").fill("Utrecht")
    page.get_by_label("E-mailadres").fill("l.visser@")
    page.get_by_label("Verslag", exact=True).fill("De cursusmap ontbrak op de eerste lesdag.")
    page.get_by_role("button", name="Registreren").click()
    summary = page.locator("#foutmeldingen")
    summary.wait_for()
    expect(summary).to_be_focused(timeout=WAIT_MS)
    text = summary.inner_text()
    assert "Naam: Vul de naam in." in text
    assert "Postcode: Een Nederlandse postcode" in text
    assert "E-mailadres: Dit e-mailadres klopt niet." in text
    assert page.get_by_label("Straat").input_value() == "Kerkstraat"
    summary.get_by_role("link", name=re.compile("^Postcode")).click()
    # Locator expectations, not a predicate evaluated as a string: the CSP forbids eval (#15).
    expect(page.locator("#id_postcode")).to_be_focused(timeout=WAIT_MS)
    assert _serious(page) == []


def test_a_date_on_a_day_off_is_warned_about_while_typing(page, employee, contacted):
    """R9: a Saturday for an action item gets a warning next to it (not a refusal); a working
    day takes the warning away."""
    saturday = _next(5, timezone.localdate())
    _log_in(page, employee)
    page.goto(f"/meldingen/{contacted.reference}/acties/")
    due = page.get_by_label("Wanneer, regel 1")
    due.fill(saturday.isoformat())
    due.dispatch_event("change")
    warning = page.locator(".date-warning").first
    warning.get_by_text("valt in het weekend").wait_for()
    assert "geen werkdag" in warning.inner_text()
    due.fill((saturday + timedelta(days=2)).isoformat())
    due.dispatch_event("change")
    expect(page.locator(".date-warning").first).to_have_text("", timeout=WAIT_MS)
    # A line added with "Nog een regel" has the live check too.
    page.get_by_role("button", name="Nog een regel").click()
    added = page.get_by_label("Wanneer, nieuwe regel")
    added.fill(saturday.isoformat())
    added.dispatch_event("change")
    page.locator(".date-warning").nth(3).get_by_text("valt in het weekend").wait_for()


def test_the_confirmation_appears_only_while_there_is_a_warning(page, employee, contacted):
    """R12: no "Ik heb de waarschuwing gelezen" for a text without a warning; it appears as
    soon as the live check finds one, and goes when it is rephrased."""
    _log_in(page, employee)
    page.goto(f"/meldingen/{contacted.reference}/berichten/vrij/")
    confirm = page.get_by_label(re.compile("Ik heb de waarschuwing gelezen"))
    page.get_by_text("Geen opmerkingen: deze tekst kan naar de klant.").first.wait_for()
    assert not confirm.is_visible()
    body = page.get_by_label("Tekst", exact=True)
    body.fill("Geachte mevrouw Bakker,\n\nHet inschrijfsysteem lag eruit.")
    confirm.wait_for(state="visible")
    body.fill("Geachte mevrouw Bakker,\n\nHierbij de nieuwe cursusmap.")
    confirm.wait_for(state="hidden")


def test_the_message_editor_explains_a_blame_warning_while_typing(page, employee, contacted):
    """R12 (#11): the live check names the party blamed and the words that weighed most."""
    _log_in(page, employee)
    page.goto(f"/meldingen/{contacted.reference}/berichten/vrij/")
    body = page.get_by_label("Tekst", exact=True)
    body.fill("Geachte mevrouw Bakker,\n\nDe planner is vergeten u in te plannen.")
    warning = page.locator(".wording-check .finding.warning").first
    warning.wait_for()
    text = warning.inner_text()
    assert "legt de schuld bij een collega (“planner”; het zwaarst wogen:" in text
    assert "vergeten" in text
    assert "De planner is vergeten u in te plannen." in text


def test_correcting_a_customer_file_from_the_message_page(page, employee, contacted):
    """R6: from the message page's hint to the customer file's form and back; its errors in a
    focused summary; the page passes axe."""
    from klachten.customers.models import CustomerFile

    CustomerFile.objects.filter(pk=contacted.customer_id).update(email="")
    _log_in(page, employee)
    page.goto(f"/meldingen/{contacted.reference}/berichten/vrij/")
    page.get_by_role("link", name="vul het adres eerst aan in de klantmap").click()
    page.get_by_role("heading", name="Gegevens van de klant corrigeren").wait_for()
    page.get_by_label("Postcode").fill("351")
    page.get_by_label("E-mailadres").fill("a.bakker@example.nl")
    page.get_by_role("button", name="Klantmap opslaan").click()
    expect(page.locator("#foutmeldingen")).to_be_focused(timeout=WAIT_MS)
    assert page.get_by_label("E-mailadres").input_value() == "a.bakker@example.nl"
    assert _serious(page) == []
    page.get_by_label("Postcode").fill("3512 AB")
    page.get_by_label(re.compile("NAW gecontroleerd met de klant")).check()
    page.get_by_role("button", name="Klantmap opslaan").click()
    page.get_by_text("De klantmap is bijgewerkt.").wait_for()
    page.get_by_text("Per e-mail naar a.bakker@example.nl").wait_for()
    assert page.url.endswith(f"/meldingen/{contacted.reference}/berichten/vrij/")
