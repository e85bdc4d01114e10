"""The main screens at a laptop's width (1366×768) and a phone's (390×844), on believable data
(``klachten demo``), in a real Chromium (#14, item 9).

Per page and width: nothing scrolls sideways, axe finds nothing serious or critical, and a
screenshot is taken — into ``KLACHTEN_SCREENSHOT_DIR`` when set (``docs/screenshots.py`` keeps
the README's), otherwise into the test's own directory. The work tool's promises are measured
where they are made: the app bar is one row on a laptop, the overview shows at least fifteen
complaints on a 1366×768 screen, and the complaint page keeps its next step in view.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.e2e.conftest import WAIT_MS
from tests.e2e.test_accessibility import _serious

PASSWORD = "Demo-Kerngroep-2026!"
WIDTHS = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def demo(transactional_db: None) -> dict[str, str]:
    """The demo installation: every role, forty customers, complaints in every state."""
    from klachten.complaints.models import Complaint
    from klachten.complaints.selectors import status_token_for

    call_command("demo", seed=7, password=PASSWORD, stdout=open(os.devnull, "w"))  # noqa: SIM115
    busy = (
        Complaint.objects.filter(status="in_progress", actions__isnull=False).order_by("pk").first()
    )
    shown = Complaint.objects.filter(status_token_digest__isnull=False).order_by("-pk").first()
    assert busy is not None
    assert shown is not None
    return {"complaint": busy.reference, "status_token": str(status_token_for(shown))}


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KLACHTEN_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser: Any, live_server: Any, width: str, user: str | None) -> Any:
    size = WIDTHS[width]
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": size[0], "height": size[1]}
    )
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    if user:
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("heading", name="Goedendag").wait_for()
    return page


def _check(page: Any, width: str, name: str, folder: Path) -> None:
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= WIDTHS[width][0], f"{name} at {width}: {overflow} px wide"
    assert _serious(page) == [], f"{name} at {width}"
    suffix = "" if width == "laptop" else "-390"
    page.screenshot(path=str(folder / f"{name}{suffix}.png"), full_page=width == "phone")


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_the_staff_screens(browser, live_server, demo, width, tmp_path) -> None:
    folder = _shots(tmp_path)
    page = _page(browser, live_server, width, "marco")
    try:
        if width == "laptop":
            # One row of navigation: the bar is no taller than a single line of it.
            assert page.locator(".app-bar").bounding_box()["height"] < 70
        _check(page, width, "start", folder)

        page.goto("/meldingen/")
        page.locator("table.overview tbody tr").first.wait_for()
        if width == "laptop":
            visible = page.evaluate(
                "[...document.querySelectorAll('table.overview tbody tr')]"
                ".filter(row => row.getBoundingClientRect().bottom <= window.innerHeight).length"
            )
            assert visible >= 15, f"only {visible} complaints in view on 1366×768"
        _check(page, width, "overzicht", folder)

        page.goto(f"/meldingen/{demo['complaint']}/")
        page.locator("#tijdlijn").wait_for()
        if width == "laptop":
            # The next step and "Meer acties" stay in view however far the page is scrolled.
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            box = page.locator(".case-bar .case-actions").bounding_box()
            assert box is not None
            assert 0 <= box["y"] < 200, box
            page.evaluate("window.scrollTo(0, 0)")
        _check(page, width, "melding", folder)

        page.goto("/meldingen/nieuw/")
        _check(page, width, "nieuwe-melding", folder)
        page.goto("/instellingen/")
        _check(page, width, "instellingen", folder)
        page.goto("/dashboard/")
        _check(page, width, "dashboard", folder)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", ["laptop", "phone"])
def test_the_customer_screens(browser, live_server, demo, width, tmp_path) -> None:
    folder = _shots(tmp_path)
    page = _page(browser, live_server, width, None)
    try:
        page.goto("/melding/")
        _check(page, width, "publiek-formulier", folder)
        page.goto(f"/status/{demo['status_token']}/")
        _check(page, width, "statuspagina", folder)
    finally:
        page.context.close()
