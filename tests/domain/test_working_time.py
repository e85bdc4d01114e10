"""Working time between two moments (R3): the contact term counts working hours, so the annual
report says how many working hours a contact took."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from klachten.domain.workdays import AMSTERDAM, WorkCalendar
from klachten.domain.working_time import working_time_between

DEFAULT = WorkCalendar()


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def test_a_weekend_does_not_count():
    """Friday 14:00 to Monday 10:00: 10 + 10 working hours, although 68 hours passed."""
    assert working_time_between(at(3, 6, 14), at(3, 9, 10), DEFAULT) == timedelta(hours=20)


def test_the_long_easter_weekend_does_not_count():
    """Thursday 2 April 14:00 to Tuesday 7 April 14:00: Good Friday, the weekend and Easter
    Monday are no working days, so exactly the 24 working hours of R3 (PROCEDURE.md)."""
    assert working_time_between(at(4, 2, 14), at(4, 7, 14), DEFAULT) == timedelta(hours=24)


def test_a_closing_day_does_not_count():
    closed = WorkCalendar(closing_days=frozenset({date(2026, 3, 10)}))
    assert working_time_between(at(3, 9, 12), at(3, 11, 12), closed) == timedelta(hours=24)


def test_received_on_a_saturday_the_clock_starts_on_monday():
    assert working_time_between(at(3, 7, 11), at(3, 9, 9, 30), DEFAULT) == timedelta(hours=9.5)


def test_an_end_before_the_start_is_no_time():
    assert working_time_between(at(3, 9, 12), at(3, 9, 11), DEFAULT) == timedelta(0)


calendars = st.builds(
    WorkCalendar,
    good_friday_off=st.booleans(),
    liberation_day_every_year=st.booleans(),
    closing_days=st.frozensets(
        st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31)), max_size=40
    ),
)
starts = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2032, 12, 31, 23, 59),
    timezones=st.just(AMSTERDAM),
    allow_imaginary=False,
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10))


@settings(deadline=None)  # the first look-up of a year's holidays may take a while
@given(calendar=calendars, start=starts, duration=durations)
def test_it_undoes_adding_working_time(calendar: WorkCalendar, start: datetime, duration):
    """R3: the working time from a moment to that moment plus d of working time is d."""
    end = calendar.add_working_time(start, duration)
    assert working_time_between(start, end, calendar) == duration


@settings(deadline=None)  # the first look-up of a year's holidays may take a while
@given(calendar=calendars, start=starts, duration=durations)
def test_it_is_never_more_than_the_time_that_passed(
    calendar: WorkCalendar, start: datetime, duration
):
    end = start + duration
    assert timedelta(0) <= working_time_between(start, end, calendar) <= end - start
