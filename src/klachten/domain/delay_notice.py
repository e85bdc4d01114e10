"""Where a complaint stands with its delay notice (R16): ask for it, or flag the breach.

R16: every complaint is settled within 4 weeks of receipt; if more time is needed, the customer
is told within 3 weeks, with the reason and an expected date. From day 14 after receipt the
complaint page asks the handler whether a notice is needed; once the 3-week deadline passed
without one while the complaint is open, that is a breach.

Pure functions; the clock is an argument. Days are Europe/Amsterdam days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from klachten.domain.workdays import AMSTERDAM, WorkCalendar, end_of_day, require_aware

#: From this calendar day after the day of receipt the page asks for a delay notice.
ASK_FROM_DAY: Final = 14


class DelayNoticeState(StrEnum):
    """The delay notice as the complaint page and the overview show it (R16)."""

    NOT_YET = "not_yet"  # too early to ask
    ASK = "ask"  # from day 14: is more time needed? then send the notice before the deadline
    LATE = "late"  # breach: the deadline passed without a notice
    SENT = "sent"  # sent in time
    SENT_LATE = "sent_late"  # sent, but after the deadline
    NOT_NEEDED = "not_needed"  # settled within 4 weeks: no notice was owed


def ask_from(received_at: datetime) -> datetime:
    """The start (00:00) of the 14th calendar day after the day of receipt."""
    require_aware(received_at, "received_at")
    day = received_at.astimezone(AMSTERDAM).date() + timedelta(days=ASK_FROM_DAY)
    return datetime.combine(day, time(0, 0), tzinfo=AMSTERDAM)


def delay_notice_state(
    *,
    received_at: datetime,
    delay_notice_due: datetime,
    settlement_due: datetime,
    sent_at: datetime | None,
    closed_at: datetime | None,
    now: datetime,
) -> DelayNoticeState:
    """R16: ask for the notice from day 14, a breach after the deadline without one.

    A complaint closed within 4 weeks owed no notice; closed later without one, it did.
    """
    for name, moment in (
        ("delay_notice_due", delay_notice_due),
        ("settlement_due", settlement_due),
        ("now", now),
    ):
        require_aware(moment, name)
    if sent_at is not None:
        return DelayNoticeState.SENT if sent_at <= delay_notice_due else DelayNoticeState.SENT_LATE
    if closed_at is not None:
        return DelayNoticeState.NOT_NEEDED if closed_at <= settlement_due else DelayNoticeState.LATE
    if now > delay_notice_due:
        return DelayNoticeState.LATE
    if now >= ask_from(received_at):
        return DelayNoticeState.ASK
    return DelayNoticeState.NOT_YET


def settlement_goal(settlement_due: datetime, extended_until: date | None) -> datetime:
    """R16: the settlement deadline in force: the end of the extended date, else the end of the
    fourth week; never earlier than the deadline computed at registration, so an extension
    stored before this rule existed cannot have shortened it."""
    require_aware(settlement_due, "settlement_due")
    if extended_until is None:
        return settlement_due
    return max(settlement_due, end_of_day(extended_until))


def settlement_goal_day(settlement_due: datetime, extended_until: date | None) -> date:
    """The last day of the settlement deadline in force (its 24:00 is the deadline)."""
    goal = settlement_goal(settlement_due, extended_until).astimezone(AMSTERDAM)
    day = goal.date()
    return day - timedelta(days=1) if goal.time() == time(0, 0) else day


class ExpectedDateProblem(StrEnum):
    """Why a delay notice's expected date cannot be told to the customer (R16)."""

    NOT_IN_FUTURE = "expected_date_in_past"
    NOT_AFTER_DEADLINE = "expected_date_not_after_deadline"
    NOT_A_WORKING_DAY = "expected_date_not_working_day"


def expected_date_problems(
    expected: date,
    *,
    settlement_due: datetime,
    extended_until: date | None,
    today: date,
    calendar: WorkCalendar,
) -> tuple[ExpectedDateProblem, ...]:
    """Every reason ``expected`` cannot be the expected date of a delay notice (R16).

    A delay notice says more time is needed than the settlement deadline in force gives, so
    its date lies after that deadline (after an extended one too); it is a promise to the
    customer, so it falls on a working day of the organisation (PROCEDURE.md: "no promise to a
    customer lapses on a holiday"); and it lies after today. Of the last two only the later
    one is named (a date before the deadline is before today too, or the other way round).
    Empty when the date can be used.
    """
    problems: list[ExpectedDateProblem] = []
    last_day = settlement_goal_day(settlement_due, extended_until)
    # The later of today and the deadline is the one the date must pass; name that one.
    if expected <= max(today, last_day):
        problems.append(
            ExpectedDateProblem.NOT_AFTER_DEADLINE
            if last_day > today
            else ExpectedDateProblem.NOT_IN_FUTURE
        )
    if not calendar.is_working_day(expected):
        problems.append(ExpectedDateProblem.NOT_A_WORKING_DAY)
    return tuple(problems)
