"""Changed terms reach every place that computes or names a deadline, and a complaint keeps the
terms it was registered with (R3, R16; PROCEDURE.md "Deadlines, exactly")."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from klachten.complaints.services import Checklist, complaint_register
from klachten.domain.workdays import AMSTERDAM
from klachten.mail.models import OutboxMessage
from klachten.organisation import services
from tests.complaints.conftest import customer_data
from tests.conftest import logged_in

# Monday 2 November 2026, 10:00.
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)
SHORTER = {"contact_working_hours": 8, "delay_notice_days": 14, "settlement_days": 20}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _register(receiver, minutes_ago: int = 5):
    return complaint_register(
        receiver=receiver,
        customer=customer_data(),
        received_at=NOW - timedelta(minutes=minutes_ago),
        channel="phone",
        report="De cursusmap ontbrak.",
        checklist=Checklist(),
        now=NOW,
    )


def test_a_complaint_keeps_the_terms_it_was_registered_with(employee, manager):
    """R3, R16: stored with the deadlines, unchanged by a later change of the terms."""
    before = _register(employee)
    services.organisation_settings_update(actor=manager, changes=SHORTER, now=NOW)
    after = _register(employee)
    before.refresh_from_db()
    assert (before.contact_working_hours, before.delay_notice_days, before.settlement_days) == (
        24,
        21,
        28,
    )
    assert (after.contact_working_hours, after.delay_notice_days, after.settlement_days) == (
        8,
        14,
        20,
    )


def test_the_complaint_page_names_the_complaints_own_terms(employee, manager):
    """UX.md: contact (24 werkuren), uitstelbericht (3 weken), afhandeling (4 weken) — or the
    terms in force when that complaint was registered."""
    before = _register(employee)
    services.organisation_settings_update(actor=manager, changes=SHORTER, now=NOW)
    after = _register(employee)
    client = logged_in(employee)
    old_page = client.get(f"/meldingen/{before.reference}/").content.decode()
    assert "24 werkuren na ontvangst" in old_page
    assert "3 weken na ontvangst" in old_page
    assert "4 weken na ontvangst" in old_page
    new_page = client.get(f"/meldingen/{after.reference}/").content.decode()
    assert "8 werkuren na ontvangst" in new_page
    assert "2 weken na ontvangst" in new_page
    assert "20 dagen na ontvangst" in new_page


def test_the_step_pages_name_the_complaints_own_terms(employee, manager):
    services.organisation_settings_update(actor=manager, changes=SHORTER, now=NOW)
    complaint = _register(employee)
    client = logged_in(employee)
    contact = client.get(f"/meldingen/{complaint.reference}/contact/").content.decode()
    assert "binnen 8 werkuren contact op met de klant" in contact
    delay = client.get(f"/meldingen/{complaint.reference}/uitstelbericht/").content.decode()
    assert "meer tijd nodig dan 20 dagen" in delay
    assert "binnen 2 weken na ontvangst" in delay


def test_the_management_alert_names_the_contact_term(employee, manager):
    """R3: the alert tells management within which term the customer is contacted."""
    services.organisation_settings_update(
        actor=manager, changes={"contact_working_hours": 16}, now=NOW
    )
    _register(employee)
    [alert] = OutboxMessage.objects.all()
    assert "binnen 16 werkuren contact opgenomen" in alert.body


def test_the_deadline_calculator_uses_the_terms_in_force(employee, manager):
    """R3, R16: Termijnen computes as registering would, and says which terms."""
    services.organisation_settings_update(actor=manager, changes=SHORTER, now=NOW)
    html = (
        logged_in(employee).get("/termijnen/", {"received_at": "2026-03-02T10:00"}).content.decode()
    )
    assert "Contact met de klant (8 werkuren)" in html
    assert "Uitstelbericht (2 weken)" in html
    assert "Afhandeling (20 dagen)" in html
    assert "maandag 2 maart 2026, 18:00" in html  # 8 working hours after 10:00


def test_the_start_page_names_the_terms_in_force(employee, manager):
    services.organisation_settings_update(actor=manager, changes=SHORTER, now=NOW)
    # Start is a work queue (#14); the terms in force are one click away, in the calculator.
    html = logged_in(employee).get("/").content.decode()
    assert 'href="/termijnen/"' in html


def test_the_api_answers_with_the_terms_in_force(api, manager):
    """CONTRACT.md: same endpoint and fields; the deadlines follow the organisation's terms."""
    url = "/api/v1/calendar/deadlines"
    moment = "2026-03-02T10:00:00+01:00"
    assert api.get(url, received_at=moment).json() == {
        "received_at": "2026-03-02T10:00:00+01:00",
        "contact_due": "2026-03-03T10:00:00+01:00",
        "delay_notice_due": "2026-03-24T00:00:00+01:00",
        "settlement_due": "2026-03-31T00:00:00+02:00",
    }
    services.organisation_settings_update(actor=manager, changes=SHORTER, now=NOW)
    assert api.get(url, received_at=moment).json() == {
        "received_at": "2026-03-02T10:00:00+01:00",
        "contact_due": "2026-03-02T18:00:00+01:00",
        "delay_notice_due": "2026-03-17T00:00:00+01:00",
        "settlement_due": "2026-03-21T00:00:00+01:00",  # day 20 is a Sunday
    }
