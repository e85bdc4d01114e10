"""Management asks for the annual report in Chromium: while the PDF is made the button is busy
and a status line says so (issue #14, 7); the file arrives as a download, with script or
without."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import WAIT_MS


def _log_in(page, manager) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(manager.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Marco").wait_for()


def test_the_report_button_is_busy_until_the_pdf_arrives(page, manager):
    held = []  # the report's request, held back so the busy state can be seen
    page.route("**/dashboard/jaarverslag/**", lambda route: held.append(route))
    _log_in(page, manager)
    page.goto("/dashboard/")
    form = page.get_by_role("form", name="Jaarverslag")
    button = form.get_by_role("button")
    button.click()

    status = form.get_by_role("status")
    expect(status).to_have_text("Het PDF-bestand wordt gemaakt…")
    expect(button).to_have_attribute("aria-busy", "true")
    expect(button).to_have_text("Het PDF-bestand wordt gemaakt…")
    deadline = time.monotonic() + WAIT_MS / 1000
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # the route handler runs while Playwright waits
    assert len(held) == 1

    with page.expect_download() as download:
        held[0].continue_()
    name = download.value.suggested_filename
    assert name.startswith("jaarverslag-meldingen-")
    assert name.endswith(".pdf")
    expect(status).to_have_text("Het bestand is klaar en wordt gedownload.")
    expect(button).not_to_have_attribute("aria-busy", "true")
    expect(button).to_have_text("Jaarverslag maken")


def test_without_script_the_form_still_downloads_the_report(browser, live_server, manager):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        _log_in(page, manager)
        page.goto("/dashboard/")
        page.get_by_role("combobox", name="Formaat").select_option("csv")
        with page.expect_download() as download:
            page.get_by_role("button", name="Jaarverslag maken").click()
        assert download.value.suggested_filename.endswith(".csv")
    finally:
        context.close()
