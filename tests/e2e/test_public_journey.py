"""A report from the website in a real Chromium, from the customer's form to their own view on
the proposed solution, seen by the employee on the complaint page (R3, R7, R9, R14, R15).

The live server runs on the real clock, so dates are chosen relative to today.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import WAIT_MS
from tests.e2e.test_complaint_journey import _log_in, _next_step, _serious


@pytest.fixture
def customer(browser, live_server):
    """A second browser, without any login: the customer's own."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def _fill_the_form(page) -> None:
    page.goto("/melding/")
    page.get_by_role("heading", name="Laat het ons weten").wait_for()
    page.get_by_label("Naam", exact=True).fill("Mevrouw J. Brouwer")
    page.get_by_label("Straat").fill("Lange Nieuwstraat")
    page.get_by_label("Huisnummer").fill("21")
    page.get_by_label("Postcode").fill("3512 pd")
    page.get_by_label("Woonplaats").fill("Utrecht")
    page.get_by_label("E-mailadres").fill("j.brouwer@example.nl")
    page.get_by_label("Om welke cursus of training gaat het?").fill("Excel voor gevorderden")
    page.get_by_label("Wat is er misgegaan?").fill(
        "De lesdag van dinsdag ging niet door en niemand had mij dat laten weten."
    )
    page.get_by_label("Wat zou u graag willen? (niet verplicht)").fill("Een nieuwe datum.")
    page.get_by_label(re.compile("Ik geef toestemming")).check()


def test_a_customer_reports_an_employee_takes_it_up_and_sees_the_customers_view(
    page, customer, employee, manager
):
    """The customer sends the form (no login) → management is alerted (R3) → an employee
    takes it up and becomes receiver (R15) → contact, plan (R9) and solution → the customer
    opens the status link from the confirmation, sees the plan and the card (R14) and gives
    their view (R7) → the employee sees it on the complaint page."""
    from klachten.complaints.models import Complaint
    from klachten.complaints.services import (
        ActionData,
        complaint_plan_actions,
        complaint_propose_solution,
    )
    from klachten.mail.models import OutboxMessage

    employee.job_title = "Cursuscoördinator"
    employee.phone = "030 760 22 11"
    employee.save()

    _fill_the_form(customer)
    customer.get_by_role("button", name="Versturen").click()
    customer.get_by_role("heading", name="Dank u wel").wait_for()
    complaint = Complaint.objects.get()
    assert complaint.channel == "web"
    assert complaint.receiver is None
    assert OutboxMessage.objects.filter(to=manager.email, subject__contains=complaint.reference)
    confirmation = OutboxMessage.objects.get(to="j.brouwer@example.nl")
    link = re.search(r"http\S+/status/(\S+)/", confirmation.body)
    assert link

    # The employee finds it on the overview, still to be taken up, and takes it up.
    _log_in(page, employee)
    page.get_by_role("link", name="Mijn meldingen", exact=True).click()
    page.get_by_role("link", name=re.compile("nog op te pakken")).click()
    row = page.get_by_role("row").filter(has_text=complaint.reference)
    assert "Nog op te pakken" in row.inner_text()
    row.get_by_role("link", name=complaint.reference).click()
    page.get_by_role("button", name="Oppakken").click()
    page.get_by_text("U heeft deze melding opgepakt").wait_for()

    _next_step(page, "Contact opnemen en termijn afspreken")
    page.get_by_label("Verslag van het gesprek").fill("Gebeld; excuses aangeboden.")
    page.get_by_label("Afgesproken termijn").fill(
        (timezone.localdate() + timedelta(days=10)).isoformat()
    )
    page.get_by_label("Stuur dit ook aan de klant").uncheck()
    page.get_by_role("button", name="Contact vastleggen").click()
    page.get_by_text("Het contact en de afgesproken termijn staan in het dossier.").wait_for()

    # The plan and the proposal through the services, as another screen would.
    now = timezone.now()
    complaint = Complaint.objects.get()
    complaint = complaint_plan_actions(
        complaint=complaint,
        actor=employee,
        actions=[
            ActionData(
                what="Nieuwe lesdag inplannen",
                who=employee,
                due=timezone.localdate() + timedelta(days=3),
            )
        ],
        now=now,
    )
    complaint_propose_solution(
        complaint=complaint,
        actor=employee,
        solution="U volgt de gemiste lesdag kosteloos op een datum naar keuze.",
        now=now,
    )

    # The customer opens their status page and gives their view (R7).
    customer.goto(f"/status/{link.group(1)}/")
    customer.get_by_role("heading", name=f"Uw melding {complaint.reference}").wait_for()
    customer.get_by_role("cell", name="Nieuwe lesdag inplannen").wait_for()
    card = customer.locator("#visitekaartje").inner_text()
    for part in ("Petra de Vries", "Cursuscoördinator", "+31 30 760 2211", "petra@kerngroep.nl"):
        assert part in card
    assert _serious(customer) == []
    customer.get_by_label("Nee, daar ben ik het niet mee eens").check()
    customer.get_by_label("Toelichting (niet verplicht)").fill("Liever op een zaterdag.")
    customer.get_by_role("button", name="Verstuur mijn mening").click()
    customer.get_by_text("Dank u wel, we hebben uw antwoord ontvangen.").wait_for()

    # The employee sees the customer's own view on the complaint page.
    page.reload()
    page.get_by_text("Zelf gegeven door de klant op de statuspagina").wait_for()
    assert "Liever op een zaterdag." in page.locator("main").inner_text()
    complaint.refresh_from_db()
    assert complaint.customer_view == "disagrees"
    assert complaint.status == "in_progress"


def test_a_report_with_mistakes_keeps_what_was_typed_and_says_what_to_fix(customer, db):
    _fill_the_form(customer)
    customer.get_by_label("Postcode").fill("35")
    customer.get_by_label(re.compile("Ik geef toestemming")).uncheck()
    customer.get_by_role("button", name="Versturen").click()
    customer.locator(".error-summary").wait_for()
    summary = customer.locator(".error-summary").inner_text()
    assert "Zonder uw toestemming" in summary
    assert customer.get_by_label("Straat").input_value() == "Lange Nieuwstraat"
    assert customer.get_by_label("Wat is er misgegaan?").input_value().startswith("De lesdag")
    assert _serious(customer) == []
