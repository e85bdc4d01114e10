"""The delay notice on the complaint page: asked for from day 14, a breach once late (R16)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.delay_notice import (
    DelayNoticeState,
    ExpectedDateProblem,
    ask_from,
    delay_notice_state,
    expected_date_problems,
    settlement_goal,
    settlement_goal_day,
)
from klachten.domain.lifecycle import Facts, ReasonCode, Status, Step, decide
from klachten.domain.workdays import AMSTERDAM, NaiveDatetimeError, WorkCalendar, end_of_day

# Received Monday 2 November 2026, 09:55: the notice is due at the end of Monday 23 November
# (24:00, i.e. Tuesday 00:00), settlement at the end of Monday 30 November.
RECEIVED = datetime(2026, 11, 2, 9, 55, tzinfo=AMSTERDAM)
DELAY_DUE = datetime(2026, 11, 24, 0, 0, tzinfo=AMSTERDAM)
SETTLEMENT_DUE = datetime(2026, 12, 1, 0, 0, tzinfo=AMSTERDAM)


def state(now: datetime, **changes: object) -> DelayNoticeState:
    facts: dict[str, object] = {
        "received_at": RECEIVED,
        "delay_notice_due": DELAY_DUE,
        "settlement_due": SETTLEMENT_DUE,
        "sent_at": None,
        "closed_at": None,
        "now": now,
    }
    facts.update(changes)
    return delay_notice_state(**facts)  # type: ignore[arg-type]


def test_the_page_asks_from_the_start_of_day_14_after_receipt():
    """R16: from Monday 16 November 00:00 the handler is asked whether more time is needed."""
    assert ask_from(RECEIVED) == datetime(2026, 11, 16, 0, 0, tzinfo=AMSTERDAM)
    assert state(datetime(2026, 11, 15, 23, 59, tzinfo=AMSTERDAM)) is DelayNoticeState.NOT_YET
    assert state(datetime(2026, 11, 16, 0, 0, tzinfo=AMSTERDAM)) is DelayNoticeState.ASK


def test_the_last_moment_of_day_21_is_still_in_time_and_after_it_is_a_breach():
    """R16: the deadline is the end (24:00) of day 21; after it, without a notice, a breach."""
    assert state(DELAY_DUE) is DelayNoticeState.ASK
    assert state(DELAY_DUE + timedelta(seconds=1)) is DelayNoticeState.LATE


def test_a_notice_sent_in_time_or_late_is_told_apart():
    now = DELAY_DUE + timedelta(days=3)
    assert state(now, sent_at=DELAY_DUE - timedelta(hours=1)) is DelayNoticeState.SENT
    assert state(now, sent_at=DELAY_DUE + timedelta(hours=1)) is DelayNoticeState.SENT_LATE


def test_a_complaint_settled_within_four_weeks_owed_no_notice():
    """R16: the notice is only owed when more than 4 weeks are needed."""
    later = SETTLEMENT_DUE + timedelta(days=30)
    assert state(later, closed_at=SETTLEMENT_DUE - timedelta(days=1)) is DelayNoticeState.NOT_NEEDED
    assert state(later, closed_at=SETTLEMENT_DUE + timedelta(days=1)) is DelayNoticeState.LATE


def test_a_naive_clock_is_refused():
    with pytest.raises(NaiveDatetimeError):
        state(datetime(2026, 11, 20, 12, 0))


# --- The expected date of a delay notice, and the extension it allows (R16, issue #10) ---------

TODAY = date(2026, 11, 20)  # Friday, day 18 after receipt: a notice is still in time
CALENDAR = WorkCalendar()

days = st.dates(min_value=date(2026, 11, 1), max_value=date(2027, 3, 31))
calendars = st.builds(
    WorkCalendar,
    good_friday_off=st.booleans(),
    liberation_day_every_year=st.booleans(),
    closing_days=st.frozensets(days, max_size=20),
)


def problems(expected: date, *, extended_until: date | None = None, **changes: object):
    arguments: dict[str, object] = {
        "settlement_due": SETTLEMENT_DUE,
        "extended_until": extended_until,
        "today": TODAY,
        "calendar": CALENDAR,
    }
    arguments.update(changes)
    return expected_date_problems(expected, **arguments)  # type: ignore[arg-type]


def test_an_expected_date_before_the_settlement_deadline_is_refused():
    """R16: settlement is due at the end of Monday 30 November; a notice that promises a
    decision on Thursday 26 November would shorten the term, not extend it (issue #10)."""
    assert problems(date(2026, 11, 26)) == (ExpectedDateProblem.NOT_AFTER_DEADLINE,)
    assert problems(date(2026, 11, 30)) == (ExpectedDateProblem.NOT_AFTER_DEADLINE,)
    assert problems(date(2026, 12, 1)) == ()


def test_an_expected_date_on_a_weekend_holiday_or_closing_day_is_refused():
    """R16: the date is a promise to the customer, so it falls on a working day."""
    assert problems(date(2026, 12, 5)) == (ExpectedDateProblem.NOT_A_WORKING_DAY,)  # Saturday
    assert problems(date(2026, 12, 25)) == (ExpectedDateProblem.NOT_A_WORKING_DAY,)  # Christmas
    closed = WorkCalendar(closing_days=frozenset({date(2026, 12, 2)}))
    assert problems(date(2026, 12, 2), calendar=closed) == (ExpectedDateProblem.NOT_A_WORKING_DAY,)


def test_after_an_extension_the_next_date_must_lie_after_the_extended_deadline():
    """R16: a further notice after "Termijn verlengen" gives a date after the new deadline."""
    extended = date(2026, 12, 10)
    assert settlement_goal_day(SETTLEMENT_DUE, extended) == extended
    assert problems(date(2026, 12, 9), extended_until=extended) == (
        ExpectedDateProblem.NOT_AFTER_DEADLINE,
    )
    assert problems(date(2026, 12, 11), extended_until=extended) == ()


def test_every_problem_with_a_date_is_named_at_once():
    """A Sunday before the deadline: both reasons, in one round; of "in the past" and "before
    the deadline" only the one that binds, the later of the two."""
    assert problems(date(2026, 11, 15)) == (
        ExpectedDateProblem.NOT_AFTER_DEADLINE,
        ExpectedDateProblem.NOT_A_WORKING_DAY,
    )
    late = date(2026, 12, 3)  # after the deadline: a notice sent late
    assert problems(date(2026, 12, 2), today=late) == (ExpectedDateProblem.NOT_IN_FUTURE,)


@given(expected=days, extended=st.none() | days, today=days, calendar=calendars)
def test_an_accepted_expected_date_is_a_later_working_day(
    expected: date, extended: date | None, today: date, calendar: WorkCalendar
):
    """R16, for any calendar: a date is accepted exactly when it is after today, after the
    settlement deadline in force and a working day; a date the deadline refuses is named so."""
    found = problems(expected, extended_until=extended, today=today, calendar=calendar)
    goal = settlement_goal(SETTLEMENT_DUE, extended)
    later = end_of_day(expected) > goal
    assert (found == ()) == (expected > today and later and calendar.is_working_day(expected))
    if not later and goal > end_of_day(today):
        assert ExpectedDateProblem.NOT_AFTER_DEADLINE in found
    assert (ExpectedDateProblem.NOT_A_WORKING_DAY in found) == (
        not calendar.is_working_day(expected)
    )


@given(expected=days, extended=st.none() | days, sent_days=st.integers(0, 21))
def test_an_extension_never_shortens_the_settlement_deadline(
    expected: date, extended: date | None, sent_days: int
):
    """R16: "Termijn verlengen" is allowed only when it moves the deadline in force later;
    allowed or not, the deadline after it is never earlier than before (issue #10)."""
    facts = Facts(
        delay_notice_due=DELAY_DUE,
        settlement_due=SETTLEMENT_DUE,
        delay_notice_sent_at=RECEIVED + timedelta(days=sent_days),
        delay_expected_date=expected,
        extended_until=extended,
    )
    before = settlement_goal(SETTLEMENT_DUE, extended)
    decision = decide(Status.IN_PROGRESS, Step.EXTEND, facts, RECEIVED + timedelta(days=21))
    after = settlement_goal(SETTLEMENT_DUE, expected if decision.allowed else extended)
    assert after >= before
    assert decision.allowed == (end_of_day(expected) > before)
    if not decision.allowed:
        assert [reason.code for reason in decision.reasons] == [ReasonCode.EXTENSION_NOT_LATER]


def test_an_extension_stored_too_early_never_counts_as_the_deadline():
    """An extension saved before this rule, to a date before the 4 weeks, leaves the
    deadline computed at registration in force."""
    assert settlement_goal(SETTLEMENT_DUE, date(2026, 11, 25)) == SETTLEMENT_DUE
