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

from klachten.accounts.models import Staff
from klachten.complaints.models import Complaint
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


# --- What calendar programs need of the file and of HTTP (issue #10) --------------------------


def _tzids(calendar) -> set[str]:
    """Every TZID parameter used by a property of an event."""
    return {
        str(value.params["TZID"])
        for event in calendar.walk("VEVENT")
        for value in event.values()
        if hasattr(value, "params") and "TZID" in value.params
    }


def test_every_tzid_in_the_feed_has_its_vtimezone(employee, cases):
    """RFC 5545, 3.6.5: a TZID names a VTIMEZONE in the same file; Outlook refuses or shifts
    events without it. The VTIMEZONE gives the right offsets in winter and in summer."""
    _, token = feed_create(staff=employee, now=NOW)
    body, calendar = _feed(token)
    used = _tzids(calendar)
    assert used == {"Europe/Amsterdam"}  # the contact deadline (R3) has a time of day
    zones = {str(zone["TZID"]): zone for zone in calendar.walk("VTIMEZONE")}
    assert used <= set(zones)
    assert body.index(b"BEGIN:VTIMEZONE") < body.index(b"BEGIN:VEVENT")
    tz = zones["Europe/Amsterdam"].to_tz()
    assert datetime(2026, 3, 3, 10, 0, tzinfo=tz).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 7, 3, 10, 0, tzinfo=tz).utcoffset() == timedelta(hours=2)


def test_a_feed_whose_dates_are_all_whole_days_needs_no_timezone(employee, cases):
    own, _contacted, _others = cases
    complaint_contact(
        complaint=own,
        actor=employee,
        at=NOW,
        channel="phone",
        summary="Gebeld.",
        agreed_term=date(2026, 3, 20),
        now=NOW,
    )
    Complaint.objects.exclude(pk=own.pk).update(attention_due=None)
    _, token = feed_create(staff=employee, now=NOW)
    _, calendar = _feed(token)
    assert _events(calendar)
    assert _tzids(calendar) == set()
    assert calendar.walk("VTIMEZONE") == []


def test_head_is_answered_like_get_without_a_body(employee, cases):
    _, token = feed_create(staff=employee, now=NOW)
    got = Client().get(f"/agenda/{token}.ics")
    head = Client().head(f"/agenda/{token}.ics")
    assert head.status_code == 200
    assert head.content == b""
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control"):
        assert head[header] == got[header]


def test_an_unchanged_feed_answers_304_to_its_etag_and_its_date(employee, cases):
    """Calendar services poll with If-None-Match / If-Modified-Since; an unchanged feed is
    byte-identical, whenever it is fetched, so they get 304 until something changes."""
    own, _contacted, _others = cases
    _, token = feed_create(staff=employee, now=NOW)
    path = f"/agenda/{token}.ics"
    first = Client().get(path)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert "no-store" not in first["Cache-Control"]
    later = NOW + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        again = Client().get(path)
        assert again.content == first.content
        assert again["ETag"] == etag
        unchanged = Client().get(path, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        assert unchanged["ETag"] == etag
        assert Client().get(path, headers={"If-Modified-Since": modified}).status_code == 304
        assert Client().head(path, headers={"If-None-Match": etag}).status_code == 304
        # R3: the contact is made: the contact deadline leaves the feed.
        complaint_contact(
            complaint=own,
            actor=employee,
            at=later,
            channel="phone",
            summary="Gebeld.",
            agreed_term=date(2026, 3, 20),
            now=later,
        )
        changed = Client().get(path, headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed["ETag"] != etag
        assert f"{own.reference}-contact".encode() not in changed.content
        since = Client().get(path, headers={"If-Modified-Since": modified})
        assert since.status_code == 200
        assert Client().get(path, headers={"If-None-Match": changed["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    "first_name",
    ["Petra\r\nAnn", "Petra\nAnn", "Petra\x07\x1b\x7fAnn", "Petra\u2028Ann", "Pétra Ånn 😀"],
)
def test_a_staff_name_with_odd_characters_never_breaks_the_feed(employee, cases, first_name):
    """Issue #10, 19: a name stored before names refused control characters still gives a
    valid feed on one line, with its letters kept."""
    Staff.objects.filter(pk=employee.pk).update(first_name=first_name)
    _, token = feed_create(staff=employee, now=NOW)
    response = Client().get(f"/agenda/{token}.ics")
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]
    assert "\r" not in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    name = str(calendar["X-WR-CALNAME"])
    assert not any(ord(char) < 32 or char == "\u2028" for char in name)
    assert name.endswith("Ann de Vries") or name.endswith("Pétra Ånn 😀 de Vries")
    assert len(_events(calendar)) == 7
    for line in response.content.split(b"\r\n"):
        assert not any(byte < 32 and byte != 9 for byte in line)
