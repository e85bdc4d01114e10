"""The first-run checklist (issue #14, item 5): what management still has to fill in before
customers are told who to reach, each with the settings page where that is done."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from klachten.domain.workdays import AMSTERDAM
from klachten.organisation import services
from klachten.organisation.selectors import setup_checklist

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)
CONTACT = {
    "street": "Oudegracht 100",
    "postcode": "3511 AB",
    "town": "Utrecht",
    "phone": "030 123 4567",
    "email": "info@kerngroep.nl",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _codes() -> list[str]:
    return [item.code for item in setup_checklist()]


def test_a_fresh_installation_has_all_three_items_each_with_its_page(db):
    items = setup_checklist()
    assert [(item.code, item.url) for item in items] == [
        ("contact_details", "/instellingen/organisatie/"),
        ("third_party", "/instellingen/organisatie/"),
        ("calendar", "/instellingen/termijnen/"),
    ]
    assert items[0].label == "Contactgegevens van de organisatie invullen"
    assert "telefoonnummer, e-mailadres, adres" in items[0].detail


def test_the_contact_item_names_what_is_still_empty_and_goes_when_all_is_there(manager):
    services.organisation_settings_update(actor=manager, changes={"phone": "030 123 4567"}, now=NOW)
    assert "Nog leeg: e-mailadres, adres." in setup_checklist()[0].detail
    services.organisation_settings_update(actor=manager, changes={**CONTACT, "street": ""}, now=NOW)
    assert "Nog leeg: adres." in setup_checklist()[0].detail
    services.organisation_settings_update(actor=manager, changes=CONTACT, now=NOW)
    assert "contact_details" not in _codes()


def test_the_third_party_is_open_until_management_has_saved_it(manager):
    """R11: the procedure's third party is the default, but management confirms it once."""
    assert "third_party" in _codes()
    services.organisation_settings_update(
        actor=manager, changes={"third_party_name": "Sandra Kok"}, now=NOW
    )
    assert "third_party" not in _codes()


def test_the_calendar_is_open_without_closing_days_this_year_or_next(manager):
    services.closing_days_add(actor=manager, first=date(2026, 10, 30), description="Oud", now=NOW)
    services.closing_days_add(actor=manager, first=date(2028, 1, 3), description="Te ver", now=NOW)
    assert "calendar" in _codes()  # one past, one after next year
    services.closing_days_add(
        actor=manager, first=date(2027, 12, 27), description="Kerstsluiting", now=NOW
    )
    assert "calendar" not in _codes()


def test_all_done_means_an_empty_list_and_nothing_on_the_page(manager):
    services.organisation_settings_update(actor=manager, changes=CONTACT, now=NOW)
    services.closing_days_add(
        actor=manager, first=date(2026, 12, 28), description="Kerstsluiting", now=NOW
    )
    assert setup_checklist() == []
    request = RequestFactory().get("/")
    html = render_to_string("organisation/_setup_checklist.html", {"user": manager}, request)
    assert html.strip() == ""


def test_the_partial_lists_the_open_items_for_management_only(manager, employee):
    request = RequestFactory().get("/")
    html = render_to_string("organisation/_setup_checklist.html", {"user": manager}, request)
    assert "Nog in te vullen" in html
    assert 'href="/instellingen/organisatie/"' in html
    assert 'href="/instellingen/termijnen/"' in html
    html = render_to_string("organisation/_setup_checklist.html", {"user": employee}, request)
    assert html.strip() == ""


def test_the_checklist_costs_two_queries(db):
    with CaptureQueriesContext(connection) as captured:
        setup_checklist()
    assert len(captured.captured_queries) == 2
