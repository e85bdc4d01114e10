"""A complaint from the phone call to closed, in a real Chromium (UX.md), and axe on the screens.

The live server runs on the real clock, so dates are chosen relative to today.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from tests.conftest import PASSWORD


@pytest.fixture
def complaint(employee, manager):
    """A complaint registered a moment ago (the live server runs on the real clock)."""
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


def _log_in(page, staff) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(staff.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name=f"Goedendag, {staff.first_name}").wait_for()


def _log_out(page) -> None:
    page.locator("details.user-menu > summary").click()  # the user's menu in the app bar
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("button", name="Inloggen").wait_for()


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _register_by_phone(page) -> str:
    """The employee on the phone fills the one intake page and registers (R3–R6, R8, R14)."""
    page.get_by_role("link", name="Nieuwe melding", exact=True).click()
    page.get_by_role("heading", name="Nieuwe melding registreren").wait_for()
    page.get_by_label("Niet onderbroken").check()
    page.get_by_label("Stoom laten afblazen").check()
    page.get_by_label("Naam", exact=True).fill("Mevrouw L. Visser")
    page.get_by_label("Straat").fill("Kerkstraat")
    page.get_by_label("Huisnummer").fill("7")
    page.get_by_label("Postcode").fill("3511 lk")
    page.get_by_label("Woonplaats").fill("Utrecht")
    page.get_by_label("E-mailadres").fill("l.visser@example.nl")
    page.get_by_label("Verslag", exact=True).fill(
        "Klacht: de cursusmap voor Leidinggeven ontbrak op de eerste lesdag."
    )
    # R13: the report is internal, but the live check says how to say it to the customer.
    page.get_by_text("Het verslag is intern en mag zo blijven.").wait_for()
    page.get_by_label("Op het gemak gesteld").check()
    page.get_by_label("Excuses aangeboden").check()
    page.get_by_label("Visitekaartje gegeven").check()
    page.get_by_label("NAW gecontroleerd met de klant").check()
    # Every complaint is acknowledged in writing (#10, item 9a): ticked unless unticked.
    assert page.get_by_label("Ontvangstbevestiging sturen").is_checked()
    page.get_by_role("button", name="Registreren").click()
    # R3: the alert is on its way; "ingelicht" once a mail server accepted it (#10, item 20).
    page.get_by_text("Directie wordt ingelicht").first.wait_for()
    page.get_by_text("De ontvangstbevestiging gaat per e-mail naar l.visser@example.nl.").wait_for()
    heading = page.get_by_role("heading", level=1).inner_text()
    return heading.removeprefix("Melding ").strip()


def _next_step(page, name: str) -> None:
    """The complaint page offers the next step as its one primary button (UX.md)."""
    page.locator("a.primary-step", has_text=name).click()
    page.get_by_role("heading", level=1, name=name).wait_for()


def test_a_complaint_from_the_phone_call_to_closed(page, employee, manager):
    """R3: management hears of it at once and sees it on the overview; then R3 contact and
    term, R9 actions, R7 solution and the customer's view, R10 follow-up check, closed."""
    from klachten.complaints.models import Complaint
    from klachten.mail.models import OutboxMessage

    _log_in(page, employee)
    reference = _register_by_phone(page)
    assert re.fullmatch(r"KG-\d{4}-\d{5}", reference)
    assert OutboxMessage.objects.filter(to=manager.email, subject__contains=reference).exists()
    _log_out(page)

    _log_in(page, manager)
    page.get_by_role("link", name="Overzicht").first.click()
    page.get_by_role("heading", name="Overzicht").wait_for()
    row = page.get_by_role("row").filter(has_text=reference)
    assert "Mevrouw L. Visser" in row.inner_text()
    assert "op tijd" in row.inner_text()
    row.get_by_role("link", name=reference).click()

    _next_step(page, "Contact opnemen en termijn afspreken")
    page.get_by_label("Verslag van het gesprek").fill("Teruggebeld; excuses herhaald.")
    page.get_by_label("Afgesproken termijn").fill(_day(10))
    page.get_by_label("Overleg met de directie").fill("Afgestemd met Marco.")
    assert page.get_by_label("Stuur dit ook aan de klant").is_checked()
    page.get_by_role("button", name="Contact vastleggen").click()
    # R3: the agreed term goes to the customer in the standard message, read before it goes.
    page.get_by_text("Het contact en de afgesproken termijn staan in het dossier.").wait_for()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_text("Het bericht is verstuurd naar l.visser@example.nl.").wait_for()
    sent = page.locator("#tijdlijn li.kind-out").first
    sent.wait_for()
    assert "Verslag van het contact" in sent.inner_text()

    _next_step(page, "Actieplan maken")
    page.get_by_label("Wat, regel 1").fill("Cursusmap per koerier nasturen")
    page.get_by_label("Wie, regel 1").select_option(label="Petra de Vries")
    page.get_by_label("Wanneer, regel 1").fill(_day(2))
    page.get_by_label("Stuur dit ook aan de klant").uncheck()
    page.get_by_role("button", name="Actieplan opslaan").click()
    page.get_by_role("cell", name="Cursusmap per koerier nasturen", exact=True).wait_for()

    _next_step(page, "Oplossing voorleggen")
    page.get_by_label("Voorgestelde oplossing").fill("Wij sturen de cursusmap vandaag per koerier.")
    page.get_by_text("Geen opmerkingen: deze tekst kan naar de klant.").wait_for()
    page.get_by_label("Stuur dit ook aan de klant").uncheck()
    page.get_by_role("button", name="Oplossing voorleggen").click()

    _next_step(page, "Mening van de klant vastleggen")
    page.get_by_label("Akkoord", exact=True).check()
    page.get_by_label("Toelichting van de klant").fill("Fijn, dank u.")
    page.get_by_role("button", name="Mening vastleggen").click()

    page.get_by_role("button", name=re.compile("^Gedaan")).click()
    page.get_by_text("✓ gedaan op").wait_for()

    _next_step(page, "Nacontrole")
    page.get_by_label("Ja", exact=True).check()
    page.get_by_label("Verslag van de nacontrole").fill("Map is aangekomen, mevrouw is tevreden.")
    page.get_by_role("button", name="Nacontrole vastleggen").click()

    _next_step(page, "Afsluiten")
    page.get_by_role("button", name="Melding afsluiten").click()
    page.get_by_text("Deze melding is afgesloten: opgelost.").wait_for()

    complaint = Complaint.objects.get(reference=reference)
    assert complaint.status == "closed"
    assert complaint.outcome == "solved"
    assert complaint.receiver == employee  # R15: the receiver stays attached


def test_the_intake_finds_an_existing_customer_file_while_typing(page, employee, complaint):
    """R5: a new complaint of a known customer lands in the same customer file (htmx search)."""
    from klachten.complaints.models import Complaint

    _log_in(page, employee)
    page.goto("/meldingen/nieuw/")
    page.get_by_label("Zoek een klantmap").press_sequentially(
        "3512 AB 12a", delay=20
    )  # what the customer confirms (#15)
    page.get_by_text("1 klantmap gevonden.").wait_for()
    page.get_by_label(re.compile("Mevrouw A. Bakker")).check()
    assert not page.get_by_label("Straat").is_visible()  # no NAW needed for a known customer
    page.get_by_label("Verslag", exact=True).fill("Tweede melding: certificaat niet ontvangen.")
    page.get_by_role("button", name="Registreren").click()
    page.get_by_text("Directie wordt ingelicht").first.wait_for()
    newest = Complaint.objects.order_by("-id").first()
    assert newest.customer_id == complaint.customer_id


@pytest.mark.parametrize("screen", ["intake", "complaint", "overview", "step"])
def test_the_complaint_screens_are_accessible(page, employee, complaint, screen):
    """UX.md: keyboard and screen-reader usable — axe finds nothing serious or critical."""
    _log_in(page, employee)
    path = {
        "intake": "/meldingen/nieuw/",
        "complaint": f"/meldingen/{complaint.reference}/",
        "overview": "/meldingen/?mijn=1",
        "step": f"/meldingen/{complaint.reference}/contact/",
    }[screen]
    page.goto(path)
    if screen == "intake":
        page.get_by_role("button", name="Registreren").click()  # with its errors shown
        page.locator(".error-summary").wait_for()
    assert _serious(page) == []
