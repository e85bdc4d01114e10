"""Management opens the dashboard in Chromium: the charts are drawn, the drill-down works.

R3 and R16 through the browser: the figures of March 2026 (tests/reports/conftest.py) show as
SVG charts with a title, and "te laat" leads to the complaints where contact came too late.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from klachten.organisation.models import Category, RootCause
from tests.conftest import PASSWORD
from tests.reports.conftest import build_a, build_b, build_c


@pytest.fixture
def march(employee, manager):
    planning = Category.objects.create(name="Planning")
    material = Category.objects.create(name="Lesmateriaal")
    timetable = RootCause.objects.create(name="Roosterwijziging")
    return (
        build_a(employee, manager, planning, timetable),
        build_b(employee, material),
        build_c(employee),
    )


def _log_in(page, manager) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(manager.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()


def test_the_dashboard_draws_its_charts_and_the_drill_down_lists_the_late_ones(
    page, manager, march
):
    _a, b, c = march
    _log_in(page, manager)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("heading", name="Dashboard", exact=True).wait_for()
    page.get_by_label("Van maand").fill("2026-03")
    page.get_by_label("Tot en met maand").fill("2026-03")
    page.get_by_role("button", name="Periode tonen").click()
    page.get_by_text("Meldingen ontvangen van maart 2026 tot en met maart 2026").wait_for()

    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 6
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None
        assert box["width"] > 300
        assert box["height"] > 100
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []
    rules = page.get_by_role("img", name="Naleving per regel")
    rules.scroll_into_view_if_needed()
    assert rules.locator("text", has_text="R3").count() >= 1

    # R3 in March: A in time, B too late, C never contacted: "1 van 3 meldingen".
    page.get_by_role("link", name="Bekijk de 2 meldingen die te laat waren").click()
    page.get_by_role("heading", name="R3: Contact binnen 24 werkuren").wait_for()
    rows = page.locator("table.failures tbody tr")
    assert rows.count() == 2
    assert {rows.nth(i).locator("th").inner_text() for i in range(2)} == {
        b.reference,
        c.reference,
    }
    page.get_by_role("link", name=b.reference).click()
    page.get_by_role("heading", name=f"Melding {b.reference}").wait_for()
