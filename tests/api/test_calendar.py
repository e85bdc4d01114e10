"""GET /api/v1/calendar/deadlines (CONTRACT.md; PROCEDURE.md, "Deadlines, exactly")."""

from __future__ import annotations

from datetime import date

import pytest

from klachten.organisation.models import CalendarSettings, ClosingDay

URL = "/api/v1/calendar/deadlines"


def test_the_easter_example_of_the_procedure_comes_out_exactly(api):
    """R3: received Thursday 14:00 before the long Easter weekend → contact due Tuesday 14:00."""
    response = api.get(URL, received_at="2026-04-02T14:00:00+02:00")
    assert response.status_code == 200
    assert response.json()["contact_due"] == "2026-04-07T14:00:00+02:00"


def test_the_saturday_example_of_the_procedure_comes_out_exactly(api):
    """R3: received on a Saturday → the clock starts Monday 00:00 → due Monday 24:00."""
    response = api.get(URL, received_at="2026-11-21T10:30:00+01:00")
    assert response.json()["contact_due"] == "2026-11-24T00:00:00+01:00"


def test_delay_notice_and_settlement_are_the_end_of_day_21_and_28(api):
    """R16: Monday 2 November 2026 → end of Monday 23 and end of Monday 30 November."""
    body = api.get(URL, received_at="2026-11-02T09:15:00+01:00").json()
    assert body["delay_notice_due"] == "2026-11-24T00:00:00+01:00"
    assert body["settlement_due"] == "2026-12-01T00:00:00+01:00"


def test_a_deadline_on_a_holiday_moves_back_to_the_last_working_day(api):
    """R16: received Thu 4 Dec 2025. Day 21 is Christmas Day → end of Wednesday 24 December;
    day 28 is New Year's Day → end of Wednesday 31 December."""
    body = api.get(URL, received_at="2025-12-04T11:00:00+01:00").json()
    assert body["delay_notice_due"] == "2025-12-25T00:00:00+01:00"
    assert body["settlement_due"] == "2026-01-01T00:00:00+01:00"


def test_utc_input_is_answered_in_amsterdam_time(api):
    """Times are ISO 8601 with offset; answers carry the Amsterdam offset of that moment."""
    body = api.get(URL, received_at="2026-07-01T12:00:00Z").json()
    assert body["received_at"] == "2026-07-01T14:00:00+02:00"
    assert body["contact_due"] == "2026-07-02T14:00:00+02:00"


def test_an_unencoded_plus_in_the_query_string_is_understood(api):
    """A '+' sent unencoded arrives as a space; the offset is still unambiguous."""
    response = api.client.get(URL + "?received_at=2026-04-02T14:00:00+02:00", headers=api.headers)
    assert response.json()["contact_due"] == "2026-04-07T14:00:00+02:00"


def test_closing_days_of_the_organisation_are_not_working_days(api):
    """R3: a closing day that management entered stops the contact clock."""
    ClosingDay.objects.create(day=date(2026, 4, 7), description="Teamdag")
    body = api.get(URL, received_at="2026-04-02T14:00:00+02:00").json()
    assert body["contact_due"] == "2026-04-08T14:00:00+02:00"


def test_calendar_settings_decide_good_friday(api):
    """Good Friday is a setting: when Kerngroep works on Good Friday, the clock runs then."""
    CalendarSettings.objects.create(pk=1, good_friday_off=False)
    body = api.get(URL, received_at="2026-04-02T14:00:00+02:00").json()
    assert body["contact_due"] == "2026-04-03T14:00:00+02:00"


def test_without_received_at_the_deadlines_are_for_now(api):
    body = api.get(URL).json()
    assert set(body) == {"received_at", "contact_due", "delay_notice_due", "settlement_due"}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2026-04-02T14:00:00", "offset_required"),
        ("2026-04-02", "offset_required"),
        ("gisteren", "invalid_datetime"),
        ("2026-13-40T25:00:00+02:00", "invalid_datetime"),
        ("", "invalid_datetime"),
        ("9999-12-31T23:59:59-14:00", "out_of_range"),
        ("0001-01-01T00:00:00+14:00", "out_of_range"),
    ],
)
def test_bad_moments_get_a_clear_422(api, value, code):
    """Bad input gets a JSON {detail, code} with a 4xx, never a 500."""
    response = api.get(URL, received_at=value)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert "received_at" in body["detail"]


def test_the_calendar_needs_a_staff_member(anonymous_api):
    response = anonymous_api.get(URL, received_at="2026-04-02T14:00:00+02:00")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"
