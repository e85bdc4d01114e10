"""The day a deadline falls on, as people say it (#10, item 9; PROCEDURE.md "Deadlines, exactly").

The end of a day is stored as 00:00 of the next day; every text names it as the day itself.
"""

from datetime import UTC, date, datetime, time, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.deadlines import DeadlineDay, deadline_day
from klachten.domain.workdays import AMSTERDAM, end_of_day

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
OFFSETS = st.sampled_from(
    [UTC, AMSTERDAM, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))]
)


def test_the_end_of_friday_is_friday_not_saturday_midnight() -> None:
    """R16: settlement "by the end of Friday 4 December" is stored as Saturday 00:00."""
    moment = datetime(2026, 12, 5, 0, 0, tzinfo=AMSTERDAM)
    assert deadline_day(moment) == DeadlineDay(date(2026, 12, 4), None)
    assert deadline_day(moment).end_of_day


def test_a_moment_during_the_day_keeps_its_day_and_time() -> None:
    """R3: a contact deadline 24 working hours after receipt keeps its clock time."""
    moment = datetime(2026, 12, 4, 18, 30, tzinfo=AMSTERDAM)
    assert deadline_day(moment) == DeadlineDay(date(2026, 12, 4), time(18, 30))


def test_the_day_is_the_amsterdam_day_whatever_offset_the_moment_carries() -> None:
    """23:00 UTC on 4 December in winter is 00:00 in Amsterdam: the end of 4 December."""
    assert deadline_day(datetime(2026, 12, 4, 23, 0, tzinfo=UTC)).day == date(2026, 12, 4)
    assert deadline_day(datetime(2026, 7, 4, 22, 0, tzinfo=UTC)).day == date(2026, 7, 4)


@given(DAYS)
def test_the_end_of_any_day_is_that_day(day: date) -> None:
    """Every end of day, in summer and winter time, names the day before the stored 00:00."""
    found = deadline_day(end_of_day(day))
    assert found.day == day
    assert found.at is None


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)), OFFSETS)
def test_any_moment_is_its_amsterdam_day_unless_it_is_exactly_midnight(
    naive: datetime, offset: timezone
) -> None:
    moment = naive.replace(tzinfo=offset)
    local = moment.astimezone(AMSTERDAM)
    found = deadline_day(moment)
    if local.time() == time(0, 0):
        assert (found.day, found.at) == (local.date() - timedelta(days=1), None)
    else:
        assert found.day == local.date()
        assert found.at == local.time().replace(second=0, microsecond=0)
