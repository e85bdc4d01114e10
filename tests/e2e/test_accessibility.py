"""Every staff page passes axe without serious or critical violations (UX.md: keyboard and
screen-reader usable)."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_the_login_page_is_accessible(page, db):
    page.goto("/")
    assert _serious(page) == []


@pytest.mark.parametrize(
    "path",
    ["/", "/tekstcontrole/", "/termijnen/?received_at=2026-04-02T14%3A00"],
)
def test_staff_pages_are_accessible(page, employee, path):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(employee.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Petra").wait_for()
    page.goto(path)
    if path == "/tekstcontrole/":
        page.get_by_label("Tekst voor de klant").fill("Uw klacht is door de computer vergeten.")
        page.get_by_role("button", name="Controleren").click()
        page.locator(".finding").first.wait_for()
    assert _serious(page) == []


def test_the_regulation_is_accessible_without_logging_in(page, db):
    """R17: the public regulation passes axe too."""
    page.goto("/regeling/")
    page.get_by_role("heading", name="Klachtenregeling Kerngroep").wait_for()
    assert _serious(page) == []


def test_the_settings_page_is_accessible_also_with_errors(page, manager):
    """Instellingen, for management: as it opens, and with refusals next to the fields."""
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(manager.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_role("heading", name="Instellingen", exact=True).wait_for()
    assert _serious(page) == []
    page.get_by_role("link", name="Termijnen en kalender").first.click()
    page.get_by_label("Contact met de klant binnen (werkuren)").fill("100")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Nog niet opgeslagen").wait_for()


@pytest.fixture
def status_token(manager, employee):
    """A report from the website, taken up, with a plan and a solution waiting for the view."""
    from datetime import timedelta

    from django.utils import timezone

    from klachten.complaints.selectors import status_token_for
    from klachten.complaints.services import (
        ActionData,
        Checklist,
        complaint_contact,
        complaint_plan_actions,
        complaint_propose_solution,
        complaint_register,
        complaint_take_up,
    )
    from tests.complaints.conftest import customer_data

    now = timezone.now()
    today = timezone.localdate()
    c = complaint_register(
        receiver=None,
        customer=customer_data(),
        received_at=now - timedelta(hours=2),
        channel="web",
        report="Cursus of training: Excel",
        checklist=Checklist(),
        now=now - timedelta(hours=2),
    )
    c = complaint_take_up(complaint=c, actor=employee, now=now - timedelta(hours=1))
    c = complaint_contact(
        complaint=c,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=today + timedelta(days=10),
        now=now - timedelta(minutes=50),
    )
    c = complaint_plan_actions(
        complaint=c,
        actor=employee,
        actions=[ActionData(what="Nieuwe lesdag", who=employee, due=today + timedelta(days=2))],
        now=now - timedelta(minutes=40),
    )
    c = complaint_propose_solution(
        complaint=c, actor=employee, solution="Een nieuwe lesdag.", now=now - timedelta(minutes=30)
    )
    return status_token_for(c)


@pytest.mark.parametrize("screen", ["form", "form-errors", "sent", "status", "status-en", "gone"])
def test_the_public_pages_are_accessible(page, status_token, screen):
    """UX.md: the customer's pages, without login, pass axe: the form (also with its errors),
    the thank-you page, the status page with its question (also in English) and a dead link."""
    if screen in {"form", "form-errors", "sent"}:
        page.goto("/melding/")
        if screen == "form-errors":
            page.get_by_role("button", name="Versturen").click()
            page.locator(".error-summary").wait_for()
        if screen == "sent":
            page.get_by_label("Naam", exact=True).fill("Mevrouw J. Brouwer")
            page.get_by_label("Straat").fill("Lange Nieuwstraat")
            page.get_by_label("Huisnummer").fill("21")
            page.get_by_label("Postcode").fill("3512 pd")
            page.get_by_label("Woonplaats").fill("Utrecht")
            page.get_by_label("E-mailadres").fill("j.brouwer@example.nl")
            page.get_by_label("Om welke cursus of training gaat het?").fill("Excel")
            page.get_by_label("Wat is er misgegaan?").fill("De lesdag ging niet door.")
            page.get_by_label(re.compile("Ik geef toestemming")).check()
            page.get_by_role("button", name="Versturen").click()
            page.get_by_role("heading", name="Dank u wel").wait_for()
    elif screen == "gone":
        page.goto("/status/" + "x" * 43 + "/")
    else:
        page.goto(f"/status/{status_token}/")
        if screen == "status-en":
            page.get_by_role("button", name="English").click()
            page.get_by_role("button", name="Nederlands").wait_for()  # switched, same page
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.url.endswith(f"/status/{status_token}/")
    assert _serious(page) == []


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/dashboard/naleving/r3/", "/dashboard/maatregelen/", "/agenda/"]
)
def test_management_pages_are_accessible(page, manager, path):
    """The dashboard with its charts, the measures and the calendar page (#6)."""
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(manager.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()
    page.goto(path)
    assert _serious(page) == []


def _log_in(page, staff, greeting: str) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(staff.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name=greeting).wait_for()


def test_the_pages_new_in_issue_10_are_accessible(page, status_token, employee):
    """The customer's short-code page, the not-found pages (public and staff), the staff
    member's own details and the customer file's correction form pass axe (#10, R2, R6)."""
    from klachten.complaints.models import Complaint

    page.goto("/status/")
    page.get_by_role("heading", level=1).wait_for()
    assert _serious(page) == []
    page.goto("/bestaat-niet/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert _serious(page) == []

    _log_in(page, employee, "Goedendag, Petra")
    for path in (
        "/bestaat-niet/",
        "/mijn-gegevens/",
        f"/meldingen/klantmap/{Complaint.objects.get().customer_id}/wijzigen/",
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == (404 if path == "/bestaat-niet/" else 200), path
        assert _serious(page) == [], path


def test_the_measure_pages_are_accessible(page, manager):
    """#16 item 2: the measures list with rows that need attention, the form (also with its
    errors) and the effect check pass axe."""
    from datetime import timedelta

    from django.utils import timezone

    from klachten.core.clock import local_today
    from klachten.organisation.models import RootCause
    from klachten.reports.models import ImprovementMeasure
    from klachten.reports.services import MeasureData, measure_create

    today = local_today()
    cause = RootCause.objects.create(name="Roosterwijziging")
    late = measure_create(
        actor=manager,
        data=MeasureData(
            title="Nieuw rooster",
            description="",
            owner=manager,
            due_on=today,
            status="planned",
            root_causes=[cause],
        ),
        now=timezone.now(),
    )
    ImprovementMeasure.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=3))
    taken = measure_create(
        actor=manager,
        data=MeasureData(
            title="Vaste wijzigingsdag",
            description="",
            owner=manager,
            due_on=today - timedelta(days=40),
            status="done",
            root_causes=[cause],
            taken_on=today - timedelta(days=40),
            check_due_on=today,
        ),
        now=timezone.now(),
    )
    _log_in(page, manager, "Goedendag, Marco")
    for path in (
        "/dashboard/maatregelen/",
        "/dashboard/maatregelen/nieuw/",
        f"/dashboard/maatregelen/{late.pk}/",
        f"/dashboard/maatregelen/{taken.pk}/effect/",
    ):
        page.goto(path)
        assert _serious(page) == [], path
    page.goto("/dashboard/maatregelen/nieuw/")
    page.get_by_role("button", name="Maatregel opslaan").click()
    page.locator(".error-summary").wait_for()
    assert _serious(page) == []
