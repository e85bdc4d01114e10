"""Courses and trainers in Chromium (#16 item 1): the public form's picker used by keyboard
alone, with JavaScript off, and the screens that carry the new fields pass axe."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from klachten.complaints.models import Complaint
from klachten.organisation.models import Course, Trainer
from tests.conftest import PASSWORD


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def courses(db):
    excel = Course.objects.create(name="Excel voor gevorderden")
    Course.objects.create(name="Word basis")
    excel.trainers.add(Trainer.objects.create(name="Jan Smit"))
    return excel


def _log_in(page, staff) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(staff.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name=re.compile("Goedendag")).wait_for()


def test_the_picker_works_by_keyboard_without_javascript(browser, live_server, courses, manager):
    """A customer picks "Anders, namelijk", types the name, and sends — no script involved."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/melding/")
        page.get_by_label("Naam", exact=True).fill("Mevrouw J. Brouwer")
        page.get_by_label("Straat").fill("Lange Nieuwstraat")
        page.get_by_label("Huisnummer").fill("21")
        page.get_by_label("Postcode").fill("3512 pd")
        page.get_by_label("Woonplaats").fill("Utrecht")
        page.get_by_label("E-mailadres").fill("j.brouwer@example.nl")
        picker = page.get_by_label("Om welke cursus of training gaat het?")
        picker.focus()
        page.keyboard.press("End")  # the last option, "Anders, namelijk …"
        assert picker.input_value() == "anders"
        page.keyboard.press("Tab")
        page.keyboard.type("Excel op maat")
        page.get_by_label("Wat is er misgegaan?").fill("De lesdag ging niet door.")
        page.get_by_label(re.compile("Ik geef toestemming")).check()
        page.get_by_role("button", name="Versturen").click()
        page.get_by_role("heading", name="Dank u wel").wait_for()
    finally:
        context.close()
    complaint = Complaint.objects.get()
    assert complaint.course is None
    assert complaint.course_text == "Excel op maat"


@pytest.mark.parametrize("screen", ["form", "form-errors"])
def test_the_form_with_its_picker_is_accessible(page, courses, screen):
    page.goto("/melding/")
    if screen == "form-errors":
        page.get_by_role("button", name="Versturen").click()
        page.locator(".error-summary").wait_for()
        assert "Kies een cursus of training" in page.content()
    assert _serious(page) == []


def test_the_settings_intake_and_training_pages_are_accessible(page, courses, manager):
    from datetime import timedelta

    from django.utils import timezone

    from klachten.complaints.services import Checklist, Training, complaint_register
    from klachten.customers.validation import CustomerData

    complaint = complaint_register(
        receiver=manager,
        customer=CustomerData(
            name="Mevrouw A. Bakker",
            street="Lindenlaan",
            house_number="12a",
            postcode="3512 AB",
            town="Utrecht",
        ),
        received_at=timezone.now() - timedelta(hours=1),
        channel="phone",
        report="Cursusmap ontbrak.",
        checklist=Checklist(),
        training=Training(course=courses, course_text="Excel, tweede dag"),
        now=timezone.now(),
    )
    _log_in(page, manager)
    for path in (
        "/instellingen/cursussen/",
        "/meldingen/nieuw/",
        f"/meldingen/{complaint.reference}/",
        f"/meldingen/{complaint.reference}/training/",
    ):
        page.goto(path)
        assert _serious(page) == [], path
