"""The deadlines of a complaint (R3, R16; PROCEDURE.md, "Deadlines, exactly").

Expected moments are written as ISO strings with their UTC offset, so every test also pins
summer or winter time.
"""

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.deadlines import (
    Deadlines,
    contact_due,
    day_of_receipt,
    deadlines_for,
    delay_notice_due,
    settlement_due,
)
from klachten.domain.terms import DEFAULT_TERMS, Terms
from klachten.domain.workdays import AMSTERDAM, NaiveDatetimeError, WorkCalendar

DEFAULT = WorkCalendar()
ONE_DAY = timedelta(days=1)


def at(moment: str) -> datetime:
    """An instant from an ISO string with an explicit offset."""
    parsed = datetime.fromisoformat(moment)
    assert parsed.tzinfo is not None, "test moments carry their offset"
    return parsed


def contact(moment: str, calendar: WorkCalendar = DEFAULT) -> str:
    """The contact deadline for a receipt at `moment`, as an ISO string in Amsterdam."""
    due = contact_due(at(moment), calendar, DEFAULT_TERMS)
    assert due.tzinfo is AMSTERDAM
    return due.isoformat()


def delay_notice(moment: str, calendar: WorkCalendar = DEFAULT) -> str:
    """The delay-notice deadline for a receipt at `moment`, as an ISO string in Amsterdam."""
    due = delay_notice_due(at(moment), calendar, DEFAULT_TERMS)
    assert due.tzinfo is AMSTERDAM
    return due.isoformat()


def settlement(moment: str, calendar: WorkCalendar = DEFAULT) -> str:
    """The settlement deadline for a receipt at `moment`, as an ISO string in Amsterdam."""
    due = settlement_due(at(moment), calendar, DEFAULT_TERMS)
    assert due.tzinfo is AMSTERDAM
    return due.isoformat()


# --- Contact within 24 working hours (R3) ----------------------------------------------------


def test_contact_deadline_skips_the_easter_weekend():
    """R3: received Thursday 14:00 before the long Easter weekend → due Tuesday 14:00."""
    assert contact("2026-04-02T14:00:00+02:00") == "2026-04-07T14:00:00+02:00"


def test_contact_deadline_for_a_saturday_receipt_is_the_end_of_monday():
    """R3: received on a Saturday → the clock starts Monday 00:00 → due Monday 24:00."""
    assert contact("2026-03-14T10:00:00+01:00") == "2026-03-17T00:00:00+01:00"


def test_contact_deadline_on_an_ordinary_weekday_is_the_next_day_same_time():
    """R3: received Tuesday 09:15 → due Wednesday 09:15."""
    assert contact("2026-03-03T09:15:00+01:00") == "2026-03-04T09:15:00+01:00"


def test_contact_deadline_ends_at_the_end_of_monday_even_when_tuesday_is_a_holiday():
    """R3: received Monday 00:00, Tuesday is New Year's Day → due Monday 24:00, not Wednesday."""
    assert contact("2029-12-31T00:00:00+01:00") == "2030-01-01T00:00:00+01:00"


def test_contact_deadline_ends_at_the_end_of_monday_even_when_tuesday_is_a_closing_day():
    """R3: the same with a closing day: the clock has run out before the day off starts."""
    calendar = WorkCalendar(closing_days=frozenset({date(2026, 3, 3)}))
    assert contact("2026-03-02T00:00:00+01:00", calendar) == "2026-03-03T00:00:00+01:00"


def test_contact_deadline_skips_good_friday_by_default():
    """R3: received Thursday before Easter 2025 at 10:00 → due Tuesday after Easter 10:00."""
    assert contact("2025-04-17T10:00:00+02:00") == "2025-04-22T10:00:00+02:00"


def test_contact_deadline_counts_good_friday_when_it_is_a_working_day():
    """R3: with good_friday_off=False, received Thursday 14:00 → due Good Friday 14:00."""
    calendar = WorkCalendar(good_friday_off=False)
    assert contact("2026-04-02T14:00:00+02:00", calendar) == "2026-04-03T14:00:00+02:00"


def test_contact_deadline_skips_kings_day_on_a_monday():
    """R3: received Friday 24 April 2026 14:00; Monday 27 April is King's Day → Tuesday 14:00."""
    assert contact("2026-04-24T14:00:00+02:00") == "2026-04-28T14:00:00+02:00"


def test_contact_deadline_skips_kings_day_on_a_monday_in_2020():
    """R3: received Friday 24 April 2020 16:00 → due Tuesday 28 April 16:00."""
    assert contact("2020-04-24T16:00:00+02:00") == "2020-04-28T16:00:00+02:00"


def test_contact_deadline_skips_kings_day_on_a_thursday():
    """R3: received Wednesday 26 April 2028 10:00 → due Friday 28 April 10:00."""
    assert contact("2028-04-26T10:00:00+02:00") == "2028-04-28T10:00:00+02:00"


def test_contact_deadline_runs_on_the_monday_after_a_kings_day_moved_to_saturday():
    """R3: 27 April 2025 is a Sunday, King's Day is Saturday 26th → Monday 28th is worked."""
    assert contact("2025-04-25T09:00:00+02:00") == "2025-04-28T09:00:00+02:00"


def test_contact_deadline_runs_on_the_monday_after_kings_day_2031():
    """R3: 27 April 2031 is a Sunday too; Monday 28 April 2031 is a working day."""
    assert contact("2031-04-25T11:00:00+02:00") == "2031-04-28T11:00:00+02:00"


def test_contact_deadline_skips_ascension_day():
    """R3: received Wednesday 13 May 2026 16:30; Thursday is Ascension Day → Friday 16:30."""
    assert contact("2026-05-13T16:30:00+02:00") == "2026-05-15T16:30:00+02:00"


def test_contact_deadline_skips_a_closing_day_after_ascension_day():
    """R3: with Friday 15 May 2026 a closing day, the same receipt is due Monday 16:30."""
    calendar = WorkCalendar(closing_days=frozenset({date(2026, 5, 15)}))
    assert contact("2026-05-13T16:30:00+02:00", calendar) == "2026-05-18T16:30:00+02:00"


def test_contact_deadline_skips_whit_monday():
    """R3: received Friday 22 May 2026 11:00; Monday is Whit Monday → Tuesday 11:00."""
    assert contact("2026-05-22T11:00:00+02:00") == "2026-05-26T11:00:00+02:00"


def test_contact_deadline_skips_christmas_and_boxing_day():
    """R3: received Wednesday 24 December 2025 15:00 → due Monday 29 December 15:00."""
    assert contact("2025-12-24T15:00:00+01:00") == "2025-12-29T15:00:00+01:00"


def test_contact_deadline_skips_new_years_day():
    """R3: received Wednesday 31 December 2025 10:00 → due Friday 2 January 2026 10:00."""
    assert contact("2025-12-31T10:00:00+01:00") == "2026-01-02T10:00:00+01:00"


def test_contact_deadline_skips_liberation_day_in_2025():
    """R3: 5 May 2025 (a Monday, lustrum year) is off: received Friday 12:00 → Tuesday 12:00."""
    assert contact("2025-05-02T12:00:00+02:00") == "2025-05-06T12:00:00+02:00"


def test_contact_deadline_counts_liberation_day_in_2026_by_default():
    """R3: 5 May 2026 is a working day by default: received Monday 12:00 → Tuesday 12:00."""
    assert contact("2026-05-04T12:00:00+02:00") == "2026-05-05T12:00:00+02:00"


def test_contact_deadline_skips_liberation_day_in_2026_with_the_setting_on():
    """R3: with liberation_day_every_year, received Monday 4 May 2026 12:00 → Wednesday 12:00."""
    calendar = WorkCalendar(liberation_day_every_year=True)
    assert contact("2026-05-04T12:00:00+02:00", calendar) == "2026-05-06T12:00:00+02:00"


def test_contact_deadline_keeps_the_wall_clock_across_the_change_to_summer_time():
    """R3: received Friday 27 March 2026 14:00 CET → due Monday 30 March 14:00 CEST."""
    assert contact("2026-03-27T14:00:00+01:00") == "2026-03-30T14:00:00+02:00"


def test_contact_deadline_keeps_the_wall_clock_across_the_change_to_winter_time():
    """R3: received Friday 23 October 2026 14:00 CEST → due Monday 26 October 14:00 CET."""
    assert contact("2026-10-23T14:00:00+02:00") == "2026-10-26T14:00:00+01:00"


def test_contact_deadline_for_a_receipt_given_in_utc():
    """R3: 13:00 UTC on Friday 27 March 2026 is 14:00 in Amsterdam → Monday 14:00 CEST."""
    assert contact("2026-03-27T13:00:00+00:00") == "2026-03-30T14:00:00+02:00"


def test_contact_deadline_uses_the_amsterdam_day_for_a_receipt_just_before_utc_midnight():
    """R3: 2026-03-01T23:30Z is Monday 00:30 in Amsterdam, not Sunday → due Tuesday 00:30."""
    assert contact("2026-03-01T23:30:00+00:00") == "2026-03-03T00:30:00+01:00"


# --- Delay notice within 3 weeks, settlement within 4 weeks (R16) ----------------------------


def test_delay_notice_and_settlement_are_due_at_the_end_of_the_21st_and_28th_day():
    """R16: received Monday 2 March 2026 → delay notice by 23 March 24:00, settled by 30th."""
    assert delay_notice("2026-03-02T10:00:00+01:00") == "2026-03-24T00:00:00+01:00"
    assert settlement("2026-03-02T10:00:00+01:00") == "2026-03-31T00:00:00+02:00"


def test_delay_notice_on_easter_monday_moves_back_to_the_thursday_before_easter():
    """R16: received 16 March 2026; day 21 is Easter Monday → end of Thursday 2 April."""
    assert delay_notice("2026-03-16T11:00:00+01:00") == "2026-04-03T00:00:00+02:00"
    assert settlement("2026-03-16T11:00:00+01:00") == "2026-04-14T00:00:00+02:00"


def test_settlement_on_christmas_day_moves_back_to_christmas_eve():
    """R16: received Friday 27 November 2026; day 28 is Christmas → end of 24 December."""
    assert delay_notice("2026-11-27T09:00:00+01:00") == "2026-12-19T00:00:00+01:00"
    assert settlement("2026-11-27T09:00:00+01:00") == "2026-12-25T00:00:00+01:00"


def test_settlement_on_liberation_day_2025_moves_back_to_the_friday_before():
    """R16: received Monday 7 April 2025; day 28 is 5 May 2025 → end of Friday 2 May."""
    assert delay_notice("2025-04-07T09:00:00+02:00") == "2025-04-29T00:00:00+02:00"
    assert settlement("2025-04-07T09:00:00+02:00") == "2025-05-03T00:00:00+02:00"


def test_delay_notice_on_a_closing_day_moves_back_to_the_working_day_before():
    """R16: day 21 after Monday 2 March 2026 is Monday 23 March; closed → end of Friday 20th."""
    calendar = WorkCalendar(closing_days=frozenset({date(2026, 3, 23)}))
    assert delay_notice("2026-03-02T10:00:00+01:00", calendar) == "2026-03-21T00:00:00+01:00"


def test_deadlines_for_a_weekend_receipt_move_back_from_the_weekend():
    """R16: received Sunday 1 March 2026 → days 21 and 28 are Sundays → the Fridays before."""
    assert delay_notice("2026-03-01T15:00:00+01:00") == "2026-03-21T00:00:00+01:00"
    assert settlement("2026-03-01T15:00:00+01:00") == "2026-03-28T00:00:00+01:00"


def test_the_day_of_receipt_is_the_amsterdam_date():
    """R16: 2026-01-31T23:30:00+00:00 is Sunday 1 February in Amsterdam."""
    received_at = at("2026-01-31T23:30:00+00:00")
    assert day_of_receipt(received_at) == date(2026, 2, 1)
    assert delay_notice("2026-01-31T23:30:00+00:00") == "2026-02-21T00:00:00+01:00"
    assert settlement("2026-01-31T23:30:00+00:00") == "2026-02-28T00:00:00+01:00"
    assert contact("2026-01-31T23:30:00+00:00") == "2026-02-03T00:00:00+01:00"


def test_deadlines_count_from_the_amsterdam_date_not_the_utc_date():
    """R16: 2026-03-01T23:30Z is Monday 2 March locally; counted from Sunday it would be 21st.

    Counting from the UTC date (Sunday 1 March) would land on Sunday 22 March and move back to
    Friday 20 March; counting from the Amsterdam date gives Monday 23 March.
    """
    assert delay_notice("2026-03-01T23:30:00+00:00") == "2026-03-24T00:00:00+01:00"
    assert settlement("2026-03-01T23:30:00+00:00") == "2026-03-31T00:00:00+02:00"


def test_a_christmas_closing_week_can_make_both_deadlines_the_same_moment():
    """R16: received Friday 4 December 2026, closed 28-31 December: both end on 24 December.

    Day 21 is Christmas Day and day 28 New Year's Day; every working day in between is a
    closing day, so both deadlines move back to the end of Thursday 24 December.
    """
    closing_week = frozenset(date(2026, 12, day) for day in range(28, 32))
    calendar = WorkCalendar(closing_days=closing_week)
    assert delay_notice("2026-12-04T10:00:00+01:00", calendar) == "2026-12-25T00:00:00+01:00"
    assert settlement("2026-12-04T10:00:00+01:00", calendar) == "2026-12-25T00:00:00+01:00"


def test_deadlines_for_gives_all_three():
    """R3, R16: deadlines_for bundles contact, delay-notice and settlement deadlines."""
    received_at = at("2026-04-02T14:00:00+02:00")
    assert deadlines_for(received_at, DEFAULT, DEFAULT_TERMS) == Deadlines(
        contact_due=at("2026-04-07T14:00:00+02:00"),
        delay_notice_due=at("2026-04-24T00:00:00+02:00"),
        settlement_due=at("2026-05-01T00:00:00+02:00"),
    )


@pytest.mark.parametrize("compute", [contact_due, delay_notice_due, settlement_due, deadlines_for])
def test_a_receipt_time_without_time_zone_is_refused(compute):
    """R3, R16: a naive receipt time is refused with a clear, coded error."""
    with pytest.raises(NaiveDatetimeError, match="received_at must be timezone-aware"):
        compute(datetime(2026, 4, 2, 14), DEFAULT, DEFAULT_TERMS)


# --- Properties ------------------------------------------------------------------------------

NEW_YORK_WINTER = timezone(timedelta(hours=-5))


@st.composite
def receipts(draw: st.DrawFn) -> tuple[datetime, WorkCalendar]:
    """A receipt instant in 2024-2032 and a calendar with closing days near it."""
    received_at = draw(
        st.datetimes(
            min_value=datetime(2024, 1, 1),
            max_value=datetime(2032, 12, 31, 23, 59, 59),
            timezones=st.sampled_from([UTC, AMSTERDAM, NEW_YORK_WINTER]),
            allow_imaginary=False,
        )
    )
    receipt_day = received_at.astimezone(AMSTERDAM).date()
    offsets = draw(st.frozensets(st.integers(min_value=-3, max_value=35), max_size=10))
    calendar = WorkCalendar(
        good_friday_off=draw(st.booleans()),
        liberation_day_every_year=draw(st.booleans()),
        closing_days=frozenset(receipt_day + timedelta(days=k) for k in offsets),
    )
    return received_at, calendar


def working_time_between(calendar: WorkCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time in [start, end], counted day by day: an independent check of R3."""
    first = start.astimezone(AMSTERDAM).replace(tzinfo=None)
    last = end.astimezone(AMSTERDAM).replace(tzinfo=None)
    total = timedelta(0)
    day = first.date()
    while day <= last.date():
        if calendar.is_working_day(day):
            begin = max(first, datetime.combine(day, time()))
            finish = min(last, datetime.combine(day + ONE_DAY, time()))
            total += max(finish - begin, timedelta(0))
        day += ONE_DAY
    return total


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two instants (in UTC, since same-zone subtraction is wall-clock)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


@given(receipts())
def test_contact_deadline_is_exactly_24_working_hours_after_receipt(
    receipt: tuple[datetime, WorkCalendar],
):
    """R3: between receipt and contact deadline lie exactly 24 hours of working time."""
    received_at, calendar = receipt
    assert working_time_between(
        calendar, received_at, contact_due(received_at, calendar, DEFAULT_TERMS)
    ) == (timedelta(hours=24))


@given(receipts())
def test_contact_deadline_falls_in_working_time_or_at_the_end_of_a_working_day(
    receipt: tuple[datetime, WorkCalendar],
):
    """R3: the deadline is on a working day, or exactly 00:00 right after a working day."""
    received_at, calendar = receipt
    due = contact_due(received_at, calendar, DEFAULT_TERMS)
    assert due.tzinfo is AMSTERDAM
    if due.time() == time(0):
        assert calendar.is_working_day(due.date() - ONE_DAY)
    else:
        assert calendar.is_working_day(due.date())


@given(receipts())
def test_contact_deadline_is_at_least_24_real_hours_after_receipt(
    receipt: tuple[datetime, WorkCalendar],
):
    """R3: never less than 24 hours of real time, also over summer-time nights."""
    received_at, calendar = receipt
    assert elapsed(received_at, contact_due(received_at, calendar, DEFAULT_TERMS)) >= timedelta(
        hours=24
    )


@given(receipts(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=6, hours=23)))
def test_a_later_receipt_never_gets_an_earlier_deadline(
    receipt: tuple[datetime, WorkCalendar], later_by: timedelta
):
    """R3, R16: all deadlines are non-decreasing in the receipt time."""
    received_at, calendar = receipt
    earlier = deadlines_for(received_at, calendar, DEFAULT_TERMS)
    later = deadlines_for(received_at + later_by, calendar, DEFAULT_TERMS)
    assert earlier.contact_due <= later.contact_due
    assert earlier.delay_notice_due <= later.delay_notice_due
    assert earlier.settlement_due <= later.settlement_due


@given(receipts())
def test_delay_notice_and_settlement_end_a_working_day_in_amsterdam(
    receipt: tuple[datetime, WorkCalendar],
):
    """R16: both are 00:00 Amsterdam time, ending a working day at or before day 21 or 28."""
    received_at, calendar = receipt
    receipt_day = day_of_receipt(received_at)
    deadlines = deadlines_for(received_at, calendar, DEFAULT_TERMS)
    for due, days in ((deadlines.delay_notice_due, 21), (deadlines.settlement_due, 28)):
        assert due.tzinfo is AMSTERDAM
        assert due.time() == time(0)
        last_day = due.date() - ONE_DAY
        assert calendar.is_working_day(last_day)
        term_end = receipt_day + timedelta(days=days)
        assert last_day <= term_end
        gap = (term_end - last_day).days
        assert not any(calendar.is_working_day(term_end - timedelta(k)) for k in range(gap))


@given(receipts())
def test_the_delay_notice_is_due_before_the_settlement(receipt: tuple[datetime, WorkCalendar]):
    """R16: the delay notice is due before the settlement whenever days 22-28 hold a working day.

    Only a week of closing days after day 21 (a Christmas closing week) can make them equal.
    """
    received_at, calendar = receipt
    deadlines = deadlines_for(received_at, calendar, DEFAULT_TERMS)
    receipt_day = day_of_receipt(received_at)
    fourth_week = [receipt_day + timedelta(days=k) for k in range(22, 29)]
    if any(calendar.is_working_day(day) for day in fourth_week):
        assert deadlines.delay_notice_due < deadlines.settlement_due
    else:
        assert deadlines.delay_notice_due == deadlines.settlement_due


@given(receipts())
def test_without_closing_days_the_delay_notice_is_always_due_before_the_settlement(
    receipt: tuple[datetime, WorkCalendar],
):
    """R16: public holidays alone never fill a whole week, so the order is strict."""
    received_at, calendar = receipt
    calendar = WorkCalendar(
        good_friday_off=calendar.good_friday_off,
        liberation_day_every_year=calendar.liberation_day_every_year,
    )
    deadlines = deadlines_for(received_at, calendar, DEFAULT_TERMS)
    assert deadlines.delay_notice_due < deadlines.settlement_due


# --- Other terms (R3, R16: management may change them; docs/decisions.md) ---------------------


@st.composite
def other_terms(draw: st.DrawFn) -> Terms:
    """Any terms within their bounds, the delay notice before the settlement."""
    settlement_days = draw(st.integers(min_value=14, max_value=56))
    return Terms(
        contact_working_hours=draw(st.integers(min_value=8, max_value=72)),
        delay_notice_days=draw(st.integers(min_value=7, max_value=min(28, settlement_days - 1))),
        settlement_days=settlement_days,
    )


def test_the_default_terms_are_the_procedures():
    """R3, R16: 24 working hours, 21 and 28 days, unless management changes them."""
    assert (
        Terms(contact_working_hours=24, delay_notice_days=21, settlement_days=28) == DEFAULT_TERMS
    )


def test_contact_within_48_working_hours_skips_the_easter_weekend_twice_as_far():
    """R3: with 48 working hours, Thursday 14:00 before Easter 2026 → Wednesday 14:00."""
    terms = Terms(contact_working_hours=48)
    due = contact_due(at("2026-04-02T14:00:00+02:00"), DEFAULT, terms)
    assert due.isoformat() == "2026-04-08T14:00:00+02:00"


def test_contact_within_8_working_hours_is_the_same_day():
    """R3: with 8 working hours, Tuesday 09:15 → Tuesday 17:15."""
    terms = Terms(contact_working_hours=8)
    due = contact_due(at("2026-03-03T09:15:00+01:00"), DEFAULT, terms)
    assert due.isoformat() == "2026-03-03T17:15:00+01:00"


def test_two_week_delay_notice_and_six_week_settlement():
    """R16: received Monday 2 March 2026 with 14 and 42 days → 16 March and 13 April 24:00.

    Day 42 is Monday 13 April, the week after Easter Monday: a working day.
    """
    terms = Terms(delay_notice_days=14, settlement_days=42)
    due = deadlines_for(at("2026-03-02T10:00:00+01:00"), DEFAULT, terms)
    assert due.delay_notice_due.isoformat() == "2026-03-17T00:00:00+01:00"
    assert due.settlement_due.isoformat() == "2026-04-14T00:00:00+02:00"


def test_a_settlement_on_easter_monday_moves_back_with_other_terms_too():
    """R16: received 2 March 2026 with 35 days: day 35 is Easter Monday 6 April → Thursday 2nd."""
    terms = Terms(settlement_days=35)
    due = settlement_due(at("2026-03-02T10:00:00+01:00"), DEFAULT, terms)
    assert due.isoformat() == "2026-04-03T00:00:00+02:00"


@given(receipts(), other_terms())
def test_contact_deadline_is_exactly_the_terms_working_hours_after_receipt(
    receipt: tuple[datetime, WorkCalendar], terms: Terms
):
    """R3: between receipt and contact deadline lie exactly the term's working hours."""
    received_at, calendar = receipt
    due = contact_due(received_at, calendar, terms)
    assert working_time_between(calendar, received_at, due) == timedelta(
        hours=terms.contact_working_hours
    )


@given(receipts(), other_terms())
def test_other_terms_end_a_working_day_at_or_before_their_last_day(
    receipt: tuple[datetime, WorkCalendar], terms: Terms
):
    """R16: the deadlines end the last working day on or before day N after receipt."""
    received_at, calendar = receipt
    receipt_day = day_of_receipt(received_at)
    deadlines = deadlines_for(received_at, calendar, terms)
    for due, days in (
        (deadlines.delay_notice_due, terms.delay_notice_days),
        (deadlines.settlement_due, terms.settlement_days),
    ):
        assert due.time() == time(0)
        last_day = due.date() - ONE_DAY
        assert calendar.is_working_day(last_day)
        term_end = receipt_day + timedelta(days=days)
        assert last_day <= term_end
        assert not any(
            calendar.is_working_day(term_end - timedelta(k))
            for k in range((term_end - last_day).days)
        )


@given(receipts(), other_terms())
def test_with_other_terms_the_delay_notice_is_never_due_after_the_settlement(
    receipt: tuple[datetime, WorkCalendar], terms: Terms
):
    """R16: the delay notice comes first, or both coincide when only days off lie between."""
    received_at, calendar = receipt
    deadlines = deadlines_for(received_at, calendar, terms)
    receipt_day = day_of_receipt(received_at)
    between = [
        receipt_day + timedelta(days=k)
        for k in range(terms.delay_notice_days + 1, terms.settlement_days + 1)
    ]
    if any(calendar.is_working_day(day) for day in between):
        assert deadlines.delay_notice_due < deadlines.settlement_due
    else:
        assert deadlines.delay_notice_due == deadlines.settlement_due


@given(receipts(), other_terms(), other_terms())
def test_longer_terms_never_give_earlier_deadlines(
    receipt: tuple[datetime, WorkCalendar], first: Terms, second: Terms
):
    """R3, R16: each deadline grows with its term, whatever the calendar."""
    received_at, calendar = receipt
    a = deadlines_for(received_at, calendar, first)
    b = deadlines_for(received_at, calendar, second)
    if first.contact_working_hours <= second.contact_working_hours:
        assert a.contact_due <= b.contact_due
    if first.delay_notice_days <= second.delay_notice_days:
        assert a.delay_notice_due <= b.delay_notice_due
    if first.settlement_days <= second.settlement_days:
        assert a.settlement_due <= b.settlement_due
