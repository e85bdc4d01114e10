"""Every staff page passes axe without serious or critical violations (UX.md: keyboard and
screen-reader usable)."""

from __future__ import annotations

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
