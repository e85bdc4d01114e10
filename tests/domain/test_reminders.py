"""When reminders come and when a deadline counts as missed (issue #5; R3, R9, R16)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.deadlines import contact_due, delay_notice_due, settlement_due
from klachten.domain.reminders import (
    ReminderLeads,
    contact_reminder_at,
    date_reminder_at,
    day_reminder_at,
    is_due,
    settlement_reminder_at,
    subtract_working_time,
)
from klachten.domain.terms import Terms
from klachten.domain.workdays import AMSTERDAM, WorkCalendar

CALENDAR = WorkCalendar()
TERMS = Terms()
LEADS = ReminderLeads()


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=AMSTERDAM)


def test_the_contact_reminder_comes_four_working_hours_before_the_deadline():
    """R3: received Monday 10:00, contact due Tuesday 10:00, reminded Tuesday 06:00."""
    due = contact_due(at("2026-11-02T10:00"), CALENDAR, TERMS)

    assert contact_reminder_at(due, LEADS, CALENDAR) == at("2026-11-03T06:00")


def test_the_contact_reminder_skips_back_over_the_easter_weekend():
    """R3: received Thursday 2 April 2026 02:00, due Tuesday 7 April 02:00 (Good Friday and
    Easter Monday are off): four working hours before is Thursday 22:00."""
    due = contact_due(at("2026-04-02T02:00"), CALENDAR, TERMS)

    assert due == at("2026-04-07T02:00")
    assert contact_reminder_at(due, LEADS, CALENDAR) == at("2026-04-02T22:00")


def test_a_contact_due_at_midnight_is_reminded_the_evening_before():
    """R3: received on a Saturday, due Monday 24:00 (Tuesday 00:00): reminded Monday 20:00."""
    due = contact_due(at("2026-11-07T11:00"), CALENDAR, TERMS)

    assert due == at("2026-11-10T00:00")
    assert contact_reminder_at(due, LEADS, CALENDAR) == at("2026-11-09T20:00")


def test_counting_back_from_a_day_off_starts_at_the_end_of_the_working_day_before():
    assert subtract_working_time(at("2026-11-08T15:00"), timedelta(hours=2), CALENDAR) == at(
        "2026-11-06T22:00"
    )


def test_closing_days_are_skipped_counting_back_too():
    calendar = WorkCalendar(closing_days=frozenset({date(2026, 11, 9)}))

    assert subtract_working_time(at("2026-11-10T01:00"), timedelta(hours=4), calendar) == at(
        "2026-11-06T21:00"
    )


working_moments = st.builds(
    lambda day, minutes: (
        datetime.combine(day, datetime.min.time(), tzinfo=AMSTERDAM) + timedelta(minutes=minutes)
    ),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)).filter(
        CALENDAR.is_working_day
    ),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)


@given(start=working_moments, hours=st.integers(min_value=0, max_value=200))
def test_counting_back_undoes_counting_forward(start, hours):
    """From any moment in working time, forward and back by the same working time is a no-op."""
    duration = timedelta(hours=hours)

    assert (
        subtract_working_time(CALENDAR.add_working_time(start, duration), duration, CALENDAR)
        == start
    )


@given(received=working_moments, hours=st.integers(min_value=1, max_value=23))
def test_the_contact_reminder_always_leaves_exactly_the_lead_time(received, hours):
    """R3: from the reminder, exactly the lead in working time remains until the deadline."""
    leads = ReminderLeads(contact_working_hours=hours)
    end = contact_due(received, CALENDAR, TERMS)

    reminder = contact_reminder_at(end, leads, CALENDAR)

    assert reminder < end
    assert CALENDAR.add_working_time(reminder, timedelta(hours=hours)) == end


def test_the_delay_notice_reminder_comes_on_day_14():
    """R16: received Monday 2 November; day 14 is Monday 16 November, 00:00."""
    received = at("2026-11-02T10:00")
    deadline = delay_notice_due(received, CALENDAR, TERMS)

    assert day_reminder_at(received.date(), LEADS.delay_notice_day, deadline) == at(
        "2026-11-16T00:00"
    )


def test_the_settlement_reminder_comes_on_day_25_and_after_an_extension_as_early():
    """R16: day 25 after receipt; after an extension to 15 January, on 12 January."""
    received = at("2026-11-02T10:00")
    deadline = settlement_due(received, CALENDAR, TERMS)

    assert settlement_reminder_at(received.date(), deadline, None, LEADS, 28) == at(
        "2026-11-27T00:00"
    )
    assert settlement_reminder_at(received.date(), deadline, date(2027, 1, 15), LEADS, 28) == at(
        "2027-01-12T00:00"
    )


def test_a_day_reminder_comes_at_least_a_day_before_its_deadline():
    """With a term shorter than the lead (a setting), the reminder still comes in time."""
    deadline = at("2026-11-10T00:00")

    assert day_reminder_at(date(2026, 11, 1), 14, deadline) == at("2026-11-09T00:00")


def test_an_action_is_reminded_at_the_start_of_the_working_day_before_its_date():
    """R9: an action for Monday 9 November is reminded on Friday 6 November, 00:00; one for
    the Tuesday after Easter on the Thursday before Good Friday."""
    assert date_reminder_at(date(2026, 11, 9), LEADS, CALENDAR) == at("2026-11-06T00:00")
    assert date_reminder_at(date(2026, 4, 7), LEADS, CALENDAR) == at("2026-04-02T00:00")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-03T05:59", (False, False)),
        ("2026-11-03T06:00", (True, False)),
        ("2026-11-03T09:59", (True, False)),
        ("2026-11-03T10:00", (False, True)),
    ],
)
def test_before_the_deadline_a_reminder_after_it_only_the_breach(now, expected):
    assert is_due(at("2026-11-03T06:00"), at("2026-11-03T10:00"), at(now)) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"contact_working_hours": 0},
        {"contact_working_hours": 24},
        {"delay_notice_day": 21},
        {"settlement_day": 28},
        {"action_working_days": 0},
    ],
)
def test_lead_times_stay_inside_their_terms(changes):
    with pytest.raises(ValueError, match="between"):
        ReminderLeads(**changes)
