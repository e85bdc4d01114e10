"""Working days and working time (R3, R16; PROCEDURE.md, "Deadlines, exactly")."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.domain import workdays
from klachten.domain.workdays import (
    AMSTERDAM,
    DayOff,
    DayOffKind,
    NaiveDatetimeError,
    WorkCalendar,
)

DEFAULT = WorkCalendar()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock moment in Amsterdam."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


# --- Which days are working days -------------------------------------------------------------


def test_an_ordinary_weekday_is_a_working_day():
    """R3: Monday to Friday are working days when nothing else applies."""
    assert all(DEFAULT.is_working_day(date(2026, 3, day)) for day in range(2, 7))


def test_saturdays_and_sundays_are_never_working_days():
    """R3: weekends are excluded, also when they are closing days or holidays."""
    assert not DEFAULT.is_working_day(date(2026, 3, 7))
    assert not DEFAULT.is_working_day(date(2026, 3, 8))


def test_a_closing_day_of_the_organisation_is_not_a_working_day():
    """R3: management's closing days count as days off."""
    calendar = WorkCalendar(closing_days=frozenset({date(2026, 5, 15)}))
    assert not calendar.is_working_day(date(2026, 5, 15))
    assert DEFAULT.is_working_day(date(2026, 5, 15))


def test_kings_day_on_a_weekday_is_a_day_off():
    """R3: King's Day, 27 April, is a public holiday (Monday in 2020 and 2026, Thursday 2028)."""
    for day in (date(2020, 4, 27), date(2026, 4, 27), date(2028, 4, 27)):
        assert not DEFAULT.is_working_day(day)
        assert DEFAULT.holidays(day.year)[day] == "Koningsdag"


def test_kings_day_on_a_sunday_moves_to_the_saturday_before_not_to_the_monday():
    """R3: when 27 April is a Sunday King's Day is Saturday 26 April, so Monday is worked."""
    for year in (2025, 2031):
        assert DEFAULT.holidays(year)[date(year, 4, 26)] == "Koningsdag"
        assert date(year, 4, 27) not in DEFAULT.holidays(year)
        assert DEFAULT.is_working_day(date(year, 4, 28))


def test_liberation_day_is_a_day_off_only_in_years_divisible_by_five_by_default():
    """R3: 5 May is a holiday in 2025 (a Monday) but a working day in 2026 (a Tuesday)."""
    assert not DEFAULT.is_working_day(date(2025, 5, 5))
    assert DEFAULT.is_working_day(date(2026, 5, 5))


def test_liberation_day_can_be_a_day_off_every_year():
    """R3: with the setting on, 5 May 2026 is a holiday too."""
    calendar = WorkCalendar(liberation_day_every_year=True)
    assert not calendar.is_working_day(date(2026, 5, 5))
    assert calendar.holidays(2026)[date(2026, 5, 5)] == "Bevrijdingsdag"


def test_liberation_day_on_ascension_day_is_listed_once_with_both_names():
    """R3: in 2005 Liberation Day and Ascension Day fell together; the date appears once."""
    for calendar in (DEFAULT, WorkCalendar(liberation_day_every_year=True)):
        assert calendar.holidays(2005)[date(2005, 5, 5)] == "Bevrijdingsdag; Hemelvaartsdag"


def test_good_friday_is_a_day_off_by_default():
    """R3: Good Friday 2026 (3 April) is a holiday by default."""
    assert not DEFAULT.is_working_day(date(2026, 4, 3))


def test_good_friday_can_be_a_working_day():
    """R3: with good_friday_off=False, Good Friday is an ordinary Friday."""
    calendar = WorkCalendar(good_friday_off=False)
    assert calendar.is_working_day(date(2026, 4, 3))
    assert date(2026, 4, 3) not in calendar.holidays(2026)
    assert not calendar.is_working_day(date(2026, 4, 6)), "Easter Monday stays a holiday"


def test_the_sunday_holidays_are_not_listed():
    """R3: Easter Sunday and Whit Sunday are not in the procedure's list (always Sundays)."""
    names = set(DEFAULT.holidays(2026).values())
    assert "Eerste paasdag" not in names
    assert "Eerste pinksterdag" not in names


def test_the_holidays_of_a_year_can_be_changed_by_the_caller_without_harm():
    """R3: holidays() gives a fresh dict; changing it does not change the calendar."""
    listed = DEFAULT.holidays(2026)
    listed.clear()
    assert DEFAULT.holidays(2026)
    assert not DEFAULT.is_working_day(date(2026, 1, 1))


def test_holiday_names_are_dutch_whatever_the_server_locale(monkeypatch: pytest.MonkeyPatch):
    """R3: the package follows LANGUAGE/LANG unless told otherwise; we always ask for Dutch."""
    monkeypatch.setenv("LANGUAGE", "en_US")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    workdays._public_holidays.cache_clear()
    try:
        assert WorkCalendar(good_friday_off=False).holidays(2026)[date(2026, 1, 1)] == (
            "Nieuwjaarsdag"
        )
        assert date(2026, 4, 3) not in WorkCalendar(good_friday_off=False).holidays(2026)
    finally:
        workdays._public_holidays.cache_clear()


# --- Moving between working days -------------------------------------------------------------


def test_the_next_working_day_skips_the_easter_weekend():
    """R3: after Thursday 2 April 2026 comes Tuesday 7 April (Good Friday, Easter Monday)."""
    assert DEFAULT.next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)


def test_the_previous_working_day_skips_the_easter_weekend():
    """R16: before Tuesday 7 April 2026 comes Thursday 2 April."""
    assert DEFAULT.previous_working_day(date(2026, 4, 7)) == date(2026, 4, 2)


def test_next_and_previous_working_day_are_strictly_after_and_before():
    """R3: a working day itself is never its own next or previous working day."""
    assert DEFAULT.next_working_day(date(2026, 3, 3)) == date(2026, 3, 4)
    assert DEFAULT.previous_working_day(date(2026, 3, 3)) == date(2026, 3, 2)


def test_five_working_days_after_the_thursday_before_easter():
    """R3: 5 working days after Thursday 2 April 2026 is Monday 13 April."""
    assert DEFAULT.working_days_after(date(2026, 4, 2), 5) == date(2026, 4, 13)


def test_working_days_are_counted_from_the_day_after_a_weekend_day():
    """R3: the first working day after Saturday 7 March 2026 is Monday 9 March."""
    assert DEFAULT.working_days_after(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_a_term_of_zero_working_days_is_refused():
    """R3: "the 0th working day after" has no meaning, so it is an error."""
    with pytest.raises(ValueError, match="at least 1"):
        DEFAULT.working_days_after(date(2026, 3, 2), 0)


# --- Working time ----------------------------------------------------------------------------


def test_working_time_ends_at_the_end_of_a_working_day_not_at_the_next_one():
    """R3: 24 h from Monday 31 December 2029 00:00 ends Monday 24:00, though Tuesday is off."""
    due = DEFAULT.add_working_time(local(2029, 12, 31), timedelta(hours=24))
    assert due.isoformat() == "2030-01-01T00:00:00+01:00"


def test_working_time_waits_for_the_next_working_day():
    """R3: from Saturday 14:00, 1 hour of working time ends Monday 01:00."""
    due = DEFAULT.add_working_time(local(2026, 3, 7, 14), timedelta(hours=1))
    assert due.isoformat() == "2026-03-09T01:00:00+01:00"


def test_working_time_spans_several_working_days():
    """R3: 48 h from Thursday 2 April 2026 09:30 ends Wednesday 8 April 09:30."""
    due = DEFAULT.add_working_time(local(2026, 4, 2, 9, 30), timedelta(hours=48))
    assert due.isoformat() == "2026-04-08T09:30:00+02:00"


def test_working_time_is_counted_in_amsterdam_time_whatever_the_input_zone():
    """R3: a UTC start is converted first; the result is in Europe/Amsterdam."""
    start = datetime.fromisoformat("2026-03-02T09:00:00+00:00")
    due = DEFAULT.add_working_time(start, timedelta(hours=2))
    assert due.isoformat() == "2026-03-02T12:00:00+01:00"
    assert due.tzinfo is AMSTERDAM


def test_no_working_time_is_the_start_itself():
    """R3: adding nothing changes nothing, also outside working time."""
    start = local(2026, 3, 7, 14)
    assert DEFAULT.add_working_time(start, timedelta(0)) == start


def test_negative_working_time_is_refused():
    """R3: a duration cannot run backwards."""
    with pytest.raises(ValueError, match="negative"):
        DEFAULT.add_working_time(local(2026, 3, 2), timedelta(hours=-1))


def test_a_start_without_time_zone_is_refused():
    """R3: a naive datetime is not an instant; the error has a stable code for the API."""
    with pytest.raises(NaiveDatetimeError, match="timezone-aware") as raised:
        DEFAULT.add_working_time(datetime(2026, 3, 2, 9), timedelta(hours=1))
    assert raised.value.code == "naive_datetime"
    assert isinstance(raised.value, ValueError)


# --- Properties ------------------------------------------------------------------------------

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31))
calendars = st.builds(
    WorkCalendar,
    good_friday_off=st.booleans(),
    liberation_day_every_year=st.booleans(),
    closing_days=st.frozensets(days, max_size=40),
)
starts = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2032, 12, 31, 23, 59),
    timezones=st.just(AMSTERDAM),
    allow_imaginary=False,
)
durations = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=10))


@given(calendar=calendars, start=starts, first=durations, second=durations)
def test_working_time_can_be_added_in_parts(
    calendar: WorkCalendar, start: datetime, first: timedelta, second: timedelta
):
    """R3: a + b hours of working time end where a hours and then b hours end."""
    in_one_go = calendar.add_working_time(start, first + second)
    in_parts = calendar.add_working_time(calendar.add_working_time(start, first), second)
    assert in_one_go == in_parts


@given(calendar=calendars, day=days)
def test_only_days_off_lie_between_a_day_and_its_next_working_day(
    calendar: WorkCalendar, day: date
):
    """R3: the next working day is the first working day after; going back returns."""
    following = calendar.next_working_day(day)
    assert following > day
    assert calendar.is_working_day(following)
    back = calendar.previous_working_day(following)
    assert back == day if calendar.is_working_day(day) else back < day
    gap = (following - day).days
    assert not any(calendar.is_working_day(day + timedelta(k)) for k in range(1, gap))


# --- Why a day is not a working day (issue #10: a warning for such a date) ---------------------


@given(calendar=calendars, day=days)
def test_a_day_is_off_exactly_when_it_is_not_a_working_day(calendar: WorkCalendar, day: date):
    """The warning's reason and the deadline computation never disagree."""
    off = calendar.day_off(day)
    assert (off is None) == calendar.is_working_day(day)
    if off is not None:
        assert off.day == day
        assert bool(off.name) == (off.kind is DayOffKind.HOLIDAY)


def test_a_day_off_says_why():
    """A Saturday, Christmas Day by its Dutch name, and the organisation's closing day."""
    calendar = WorkCalendar(closing_days=frozenset({date(2026, 12, 28)}))
    assert calendar.day_off(date(2026, 12, 5)) == DayOff(date(2026, 12, 5), DayOffKind.WEEKEND)
    assert calendar.day_off(date(2026, 12, 25)) == DayOff(
        date(2026, 12, 25), DayOffKind.HOLIDAY, "Eerste kerstdag"
    )
    assert calendar.day_off(date(2026, 12, 28)) == DayOff(
        date(2026, 12, 28), DayOffKind.CLOSING_DAY
    )
    assert calendar.day_off(date(2026, 12, 29)) is None
