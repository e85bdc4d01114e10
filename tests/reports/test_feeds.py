"""Private calendar feeds: a staff member's deadlines, agreed terms and action dates.

The feed is parsed back with icalendar. It shows only what its owner may see (R2), carries no
customer's name or text, and its address stops working when revoked or replaced.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from klachten.complaints.services import (
    ActionData,
    Checklist,
    complaint_assign,
    complaint_contact,
    complaint_plan_actions,
)
from klachten.domain.workdays import AMSTERDAM
from klachten.reports.services import feed_create, feed_revoke
from tests.conftest import PASSWORD
from tests.reports.conftest import _register, at

NOW = at(3, 3, 12)  # Tuesday 3 March 2026


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def colleague(make_staff):
    return make_staff("joris", "employee", first_name="Joris", last_name="Bakker")


@pytest.fixture
def cases(employee, colleague, manager):
    """Petra's own complaint (received Mon 2 March 10:00, contact due Tue 3 March 10:00), one
    contacted with an agreed term and an action for Joris, and Joris's own complaint in
    which Petra has an action item but no sight of the complaint."""
    own = _register(employee, "Mevrouw Eigen", at(3, 2, 10), Checklist(), naw_checked=True)
    contacted = _register(employee, "De heer Termijn", at(3, 2, 11), Checklist(), naw_checked=True)
    contacted = complaint_contact(
        complaint=contacted,
        actor=employee,
        at=at(3, 2, 15),
        channel="phone",
        summary="Gebeld.",
        agreed_term=date(2026, 3, 20),
        now=at(3, 2, 15),
    )
    contacted = complaint_plan_actions(
        complaint=contacted,
        actor=employee,
        actions=[
            ActionData(what="Mevrouw Termijn terugbellen", who=employee, due=date(2026, 3, 9)),
            ActionData(what="Factuur aanpassen", who=colleague, due=date(2026, 3, 10)),
        ],
        now=at(3, 2, 16),
    )
    others = _register(colleague, "Mevrouw Ander", at(3, 2, 9), Checklist(), naw_checked=True)
    others = complaint_contact(
        complaint=others,
        actor=colleague,
        at=at(3, 2, 12),
        channel="phone",
        summary="Gebeld.",
        agreed_term=date(2026, 3, 13),
        now=at(3, 2, 12),
    )
    complaint_plan_actions(
        complaint=others,
        actor=colleague,
        actions=[ActionData(what="Geheim nazoeken", who=employee, due=date(2026, 3, 11))],
        now=at(3, 2, 13),
    )
    return own, contacted, others


def _feed(token: str):
    response = Client().get(f"/agenda/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content, Calendar.from_ical(response.content)


def _events(calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_holds_the_staff_members_deadlines_terms_and_actions(employee, cases):
    own, contacted, _others = cases
    _, token = feed_create(staff=employee, now=NOW)
    _, calendar = _feed(token)
    events = _events(calendar)
    domain = "klachten.kerngroep"
    assert set(events) == {
        f"{own.reference}-contact@{domain}",
        f"{own.reference}-delay-notice@{domain}",
        f"{own.reference}-settlement@{domain}",
        f"{contacted.reference}-delay-notice@{domain}",
        f"{contacted.reference}-settlement@{domain}",
        f"{contacted.reference}-agreed-term@{domain}",
        f"action-{contacted.actions.get(who=employee).pk}@{domain}",
    }
    # R3: contact due Tue 3 March 10:00, a half-hour event ending then.
    contact = events[f"{own.reference}-contact@{domain}"]
    assert contact.decoded("DTEND") == datetime(2026, 3, 3, 10, 0, tzinfo=AMSTERDAM)
    assert contact.decoded("DTSTART") == datetime(2026, 3, 3, 9, 30, tzinfo=AMSTERDAM)
    assert "R3" in str(contact["SUMMARY"])
    # R16: settlement at the end of day 28 (Monday 30 March): an all-day event on that day.
    settlement = events[f"{own.reference}-settlement@{domain}"]
    assert settlement.decoded("DTSTART") == date(2026, 3, 30)
    assert settlement.decoded("DTEND") == date(2026, 3, 31)
    delay = events[f"{own.reference}-delay-notice@{domain}"]
    assert delay.decoded("DTSTART") == date(2026, 3, 23)
    agreed = events[f"{contacted.reference}-agreed-term@{domain}"]
    assert agreed.decoded("DTSTART") == date(2026, 3, 20)
    action = events[f"action-{contacted.actions.get(who=employee).pk}@{domain}"]
    assert action.decoded("DTSTART") == date(2026, 3, 9)
    assert str(action["URL"]).endswith(f"/meldingen/{contacted.reference}/#actieplan")


def test_the_feed_shows_nothing_its_owner_may_not_see(employee, cases):
    """R2: Petra's action in Joris's complaint does not give her sight of it, so the feed
    leaves it out; no customer's name and no action text goes to the calendar service."""
    _own, _contacted, others = cases
    _, token = feed_create(staff=employee, now=NOW)
    body, _calendar = _feed(token)
    text = body.decode()
    assert others.reference not in text
    for private in ("Mevrouw", "De heer", "terugbellen", "Geheim", "Factuur", "Lindenlaan"):
        assert private not in text


def test_management_sees_its_own_work_and_a_handed_over_complaint(manager, employee, cases):
    """A manager may see everything (R2) but their calendar holds their own complaints only."""
    own, _contacted, _others = cases
    _, token = feed_create(staff=manager, now=NOW)
    _, calendar = _feed(token)
    assert _events(calendar) == {}
    complaint_assign(complaint=own, actor=manager, handler=manager, now=NOW)
    _, calendar = _feed(token)
    assert {str(uid).split("-")[-1] for uid in _events(calendar)} >= {"contact@klachten.kerngroep"}


def test_a_revoked_or_replaced_address_stops_working(employee, cases):
    _, first = feed_create(staff=employee, now=NOW)
    _, second = feed_create(staff=employee, now=NOW)
    assert Client().get(f"/agenda/{first}.ics").status_code == 404
    assert Client().get(f"/agenda/{second}.ics").status_code == 200
    assert feed_revoke(staff=employee, now=NOW) == 1
    assert Client().get(f"/agenda/{second}.ics").status_code == 404


def test_an_unknown_address_or_an_inactive_staff_member_gets_nothing(employee, cases):
    assert Client().get("/agenda/ag_nietbestaand.ics").status_code == 404
    _, token = feed_create(staff=employee, now=NOW)
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    assert Client().get(f"/agenda/{token}.ics").status_code == 404


def test_the_settings_page_shows_a_new_address_once_and_revokes_it(employee, cases):
    client = Client()
    assert client.login(username=employee.username, password=PASSWORD)
    page = client.get("/agenda/").content.decode()
    assert "U heeft nu geen werkende agenda-link." in page
    made = client.post("/agenda/", {"nieuw": "1"}).content.decode()
    url = re.search(r'value="http://127\.0\.0\.1:8000(/agenda/ag_[^"]+\.ics)"', made)
    assert url is not None  # KLACHTEN_BASE_URL, the address calendar services can reach
    assert Client().get(url[1]).status_code == 200
    again = client.get("/agenda/").content.decode()
    assert url[1] not in again  # shown once
    assert "Er is een werkende link" in again
    response = client.post("/agenda/", {"intrekken": "1"})
    assert response.status_code == 302
    assert Client().get(url[1]).status_code == 404


def test_a_fetch_is_remembered_at_most_once_an_hour(employee, cases):
    feed, token = feed_create(staff=employee, now=NOW)
    Client().get(f"/agenda/{token}.ics")
    feed.refresh_from_db()
    assert feed.last_used_at == NOW
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        Client().get(f"/agenda/{token}.ics")
    feed.refresh_from_db()
    assert feed.last_used_at == NOW
