"""A message to the customer in a real Chromium: the live guard, one click on a suggestion,
sending, and the message opened as it was sent (R13, R14); axe on the editor.

The live server runs on the real clock, so the complaint is registered a moment ago.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.test_complaint_journey import _log_in, _serious


@pytest.fixture
def complaint(employee, manager):
    from klachten.complaints.services import Checklist, complaint_register
    from tests.complaints.conftest import customer_data

    now = timezone.now()
    return complaint_register(
        receiver=employee,
        customer=customer_data(),
        naw_checked=True,
        received_at=now - timedelta(minutes=5),
        channel="phone",
        report="Cursusmap voor de training Leidinggeven ontbrak bij de start.",
        checklist=Checklist(not_interrupted=True, apologised=True),
        now=now,
    )


def test_an_employee_rephrases_a_forbidden_word_with_one_click_and_sends(page, employee, complaint):
    """R13: the employee types "probleem", sees the finding with its suggestions as they type,
    clicks "punt", and the message goes — with the employee's card (R14)."""
    from klachten.mail.models import OutboxMessage
    from klachten.messaging.models import CustomerMessage

    _log_in(page, employee)
    page.goto(f"/meldingen/{complaint.reference}/")
    page.locator("#berichten > summary").click()  # the menu "Bericht aan de klant"
    page.get_by_role("link", name="Vrij bericht").click()
    page.get_by_role("heading", level=1, name="Vrij bericht").wait_for()
    body = page.get_by_label("Tekst", exact=True)
    body.fill(
        "Geachte mevrouw Bakker,\n\nExcuses voor het probleem met de cursusmap. Wij sturen "
        "vandaag een nieuwe.\n\nMet vriendelijke groet,"
    )
    check = page.locator("#id_body_check")
    check.get_by_text("Zo kan de tekst niet naar de klant: herformuleer eerst.").wait_for()
    assert "probleem" in check.inner_text()

    check.get_by_role("button", name="punt", exact=True).click()
    check.get_by_text("Geen opmerkingen: deze tekst kan naar de klant.").wait_for()
    assert "Excuses voor het punt met de cursusmap." in body.input_value()

    page.get_by_role("button", name="Versturen").click()
    page.get_by_text("Het bericht is verstuurd naar a.bakker@example.nl.").wait_for()
    # Back on the complaint (#14): the message is on its timeline and opens as it was sent.
    page.locator("#tijdlijn li.kind-out").first.get_by_role("link").click()
    page.get_by_text("Direct: +31 30 760 2211").wait_for()

    message = CustomerMessage.objects.get()
    assert "Excuses voor het punt met de cursusmap." in message.body
    assert message.card["name"] == "Petra de Vries"
    assert OutboxMessage.objects.filter(to="a.bakker@example.nl").exists()


def test_the_message_editor_is_accessible(page, employee, complaint):
    """UX.md: keyboard and screen-reader usable, with the findings shown."""
    _log_in(page, employee)
    page.goto(f"/meldingen/{complaint.reference}/berichten/vrij/")
    page.get_by_label("Tekst", exact=True).fill("Uw klacht is door de computer vergeten.")
    page.locator("#id_body_check .finding").first.wait_for()
    assert _serious(page) == []
