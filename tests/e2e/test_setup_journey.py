"""The first run in Chromium (issue #10): a fresh data dir, ``klachten serve``, the one-time
link it prints, and the newcomer is logged in on the start page — with an account of their
own, or in the demo. A real serve process; the browser opens exactly what it printed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import WAIT_MS
from tests.ops.serving import Serve, environment, shared_static_root

PASSWORD = "Klachten-inrichten-2026"


@pytest.fixture
def serve(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    env = environment(
        tmp_path / "data", KLACHTEN_STATIC_ROOT=str(shared_static_root(tmp_path_factory))
    )
    running = Serve(env, tmp_path)
    running.ready()
    yield running
    assert running.stop() == 0, running.output


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)  # the demo is made while the browser waits, too
    yield page
    context.close()


def _serious(page: Any) -> list[str]:
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_a_newcomer_creates_the_first_account_and_is_logged_in(serve: Serve, page: Any) -> None:
    """R3: the first account is a manager with an e-mail address for every alert."""
    link = serve.setup_link()
    page.goto(link)
    page.get_by_role("heading", name="Kerngroep Klachten inrichten").wait_for()
    assert _serious(page) == []

    # Everything wrong at once, in a summary that takes the focus; nothing typed is lost.
    page.get_by_label("Voornaam").fill("Marieke")
    page.get_by_label("Gebruikersnaam").fill("marieke")
    page.get_by_role("button", name="Account aanmaken en inloggen").click()
    summary = page.locator("#foutmeldingen")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert "Vul een e-mailadres in" in summary.inner_text()
    assert "Vul uw achternaam in." in summary.inner_text()
    assert page.get_by_label("Voornaam").input_value() == "Marieke"
    assert _serious(page) == []

    page.get_by_label("Achternaam").fill("de Boer")
    page.get_by_label("E-mailadres").fill("marieke@kerngroep.nl")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord nogmaals").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken en inloggen").click()
    page.get_by_role("heading", name="Goedendag, Marieke").wait_for()
    page.locator("details.user-menu > summary").click()
    assert page.get_by_role("button", name="Uitloggen").is_visible()

    # The link is spent: opened again, it says so calmly.
    response = page.goto(link)
    assert response is not None
    assert response.status == 404
    page.get_by_role("heading", name="Deze link werkt niet meer").wait_for()


def test_a_newcomer_looks_around_in_the_demo(serve: Serve, page: Any) -> None:
    """The demo from the browser; its mails link to the port serve listens on (issue #10)."""
    page.goto(serve.setup_link())
    page.get_by_role("button", name="Demogegevens invullen").click()
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()
    notice = page.get_by_text("De demogegevens staan klaar").inner_text()
    assert "petra" in notice
    page.get_by_role("link", name="Overzicht", exact=True).click()
    page.get_by_role("heading", name="Overzicht").first.wait_for()

    # The demo's mails (in the outbox, as they go out) link to the port serve listens on,
    # not to :8000.
    database = serve.data_dir / "klachten.sqlite3"
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        bodies = [row[0] for row in connection.execute("SELECT body FROM messaging_outboxmessage")]
    assert any(f"http://127.0.0.1:{serve.port}/status/" in body for body in bodies)
    assert not any("127.0.0.1:8000" in body for body in bodies)
