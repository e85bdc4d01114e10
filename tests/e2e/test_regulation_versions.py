"""The regulation's versions in Chromium (#16 item 7; R17): management adds a closing day in
*Instellingen*, the regulation says it is a new version, and the version before it stays
readable as it was, marked as no longer in force."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from klachten.organisation.selectors import regulation_versions
from tests.e2e.test_accessibility import _serious
from tests.e2e.test_complaint_journey import _log_in


def test_a_settings_change_makes_a_new_version_and_the_old_one_stays_readable(page, manager):
    from playwright.sync_api import expect

    before = [version.number for version in regulation_versions()]
    assert before == [1]  # kept by migrate
    day = timezone.localdate() + timedelta(days=10)
    while day.weekday() >= 5:
        day += timedelta(days=1)

    _log_in(page, manager)
    page.goto("/instellingen/termijnen/")
    page.get_by_label("Datum (of eerste dag)").fill(day.isoformat())
    page.get_by_label("Omschrijving").fill("Studiedag")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("De sluitingsdagen zijn toegevoegd.").wait_for()

    page.goto("/regeling/")
    expect(page.get_by_text("Studiedag")).to_be_visible()
    expect(page.get_by_text("Versie 2, geldig sinds")).to_be_visible()
    page.get_by_role("link", name="Eerdere versies").click()
    expect(page.get_by_role("heading", name="Versies van de regeling")).to_be_visible()
    assert _serious(page) == []
    rows = page.locator("table.regulation-versions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("geldt nu")

    rows.nth(1).get_by_role("link", name="Lezen").click()
    expect(page.get_by_role("note")).to_contain_text("Deze versie geldt niet meer.")
    expect(page.get_by_text("Studiedag")).to_have_count(0)  # not in the old text
    assert _serious(page) == []
    page.get_by_role("link", name="Lees de regeling die nu geldt.").click()
    expect(page.get_by_text("Studiedag")).to_be_visible()
