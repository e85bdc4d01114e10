"""When to remind the people handling a complaint, and when a deadline counts as missed.

Issue: no deadline passes without the right people having been warned (R3, R9, R16). The
handler and the receiver (R15) are reminded before each deadline; once a deadline has passed
unmet, management is alerted (a *breach*). Each reminder and each breach happens at most once
per complaint, kind and target; the service keeps a unique record of each.

Pure functions: the complaint's facts, the calendar, the lead times and the clock come in; the
moments come out. "Day N" is the N-th calendar day after the day of receipt (day 0), and a
reminder "on day N" is due at 00:00 of that day, Amsterdam time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from klachten.domain.terms import Bounds
from klachten.domain.workdays import AMSTERDAM, WorkCalendar, end_of_day, require_aware

ONE_DAY: Final = timedelta(days=1)


class Kind(StrEnum):
    """What a reminder is about."""

    CONTACT = "contact"  # R3: contact within 24 working hours
    DELAY_NOTICE = "delay_notice"  # R16: the delay notice within 3 weeks
    SETTLEMENT = "settlement"  # R16: settled within 4 weeks (or by the extended date)
    AGREED_TERM = "agreed_term"  # R3: the term agreed with the customer
    ACTION = "action"  # R9, R11: an action item's date


class Stage(StrEnum):
    REMINDER = "reminder"  # before the deadline, to the handler and the receiver
    BREACH = "breach"  # after it, unmet: management is alerted


@dataclass(frozen=True)
class ReminderLeads:
    """How early each reminder comes; management sets these (defaults from the issue)."""

    contact_working_hours: int = 4
    delay_notice_day: int = 14
    settlement_day: int = 25
    action_working_days: int = 1

    def __post_init__(self) -> None:
        for name, limits in LEAD_BOUNDS.items():
            value = getattr(self, name)
            if not limits.minimum <= value <= limits.maximum:
                raise ValueError(
                    f"{name} must be between {limits.minimum} and {limits.maximum}: {value}"
                )


LEAD_BOUNDS: Final = {
    "contact_working_hours": Bounds(1, 23),
    "delay_notice_day": Bounds(1, 20),
    "settlement_day": Bounds(1, 27),
    "action_working_days": Bounds(1, 5),
}
"""How far ahead each reminder may come: always before its deadline, never absurdly early."""


def start_of_day(day: date) -> datetime:
    """00:00 of ``day`` in Amsterdam."""
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)


def subtract_working_time(end: datetime, duration: timedelta, calendar: WorkCalendar) -> datetime:
    """The latest moment from which ``duration`` of working time runs out at ``end`` (R3).

    The inverse of :meth:`WorkCalendar.add_working_time`: 4 working hours before Tuesday 14:00
    is Tuesday 10:00; before Tuesday 02:00 after a long weekend it is the Friday before, 22:00.
    An ``end`` outside working time counts back from the end of the last working day before it.
    """
    require_aware(end, "end")
    if duration < timedelta(0):
        raise ValueError(f"duration must not be negative, got {duration}")
    local = end.astimezone(AMSTERDAM)
    day = local.date()
    midnight = start_of_day(day)
    if calendar.is_working_day(day):
        available = local - midnight  # wall-clock time since 00:00 of a working day
    else:
        day = calendar.previous_working_day(day)
        available = ONE_DAY
    remaining = duration
    while remaining > available:
        remaining -= available
        day = calendar.previous_working_day(day)
        available = ONE_DAY
    # `day` is a working day; the moment lies `available - remaining` after its 00:00.
    return start_of_day(day) + (available - remaining)


def contact_reminder_at(
    contact_due: datetime, leads: ReminderLeads, calendar: WorkCalendar
) -> datetime:
    """R3: the contact reminder, ``contact_working_hours`` of working time before the deadline."""
    return subtract_working_time(
        contact_due, timedelta(hours=leads.contact_working_hours), calendar
    )


def day_reminder_at(receipt_day: date, day_number: int, deadline: datetime) -> datetime:
    """A reminder "on day N" after receipt (R16): 00:00 of that day, and at the latest a day
    before the deadline (when management made the term shorter than the lead)."""
    return min(start_of_day(receipt_day + timedelta(days=day_number)), deadline - ONE_DAY)


def settlement_deadline(settlement_due: datetime, extended_until: date | None) -> datetime:
    """R16: the settlement deadline, or the end of the extended date after a delay notice."""
    return end_of_day(extended_until) if extended_until else settlement_due


def settlement_reminder_at(
    receipt_day: date,
    settlement_due: datetime,
    extended_until: date | None,
    leads: ReminderLeads,
    settlement_days: int,
) -> datetime:
    """R16: on day 25; after an extension, as many days before the extended date."""
    if extended_until is None:
        return day_reminder_at(receipt_day, leads.settlement_day, settlement_due)
    days_before = max(settlement_days - leads.settlement_day, 1)
    return start_of_day(extended_until - timedelta(days=days_before))


def date_reminder_at(day: date, leads: ReminderLeads, calendar: WorkCalendar) -> datetime:
    """R3, R9: an agreed term or an action's date: 00:00 of the working day(s) before it."""
    reminder_day = day
    for _ in range(leads.action_working_days):
        reminder_day = calendar.previous_working_day(reminder_day)
    return start_of_day(reminder_day)


def is_due(remind_at: datetime, deadline: datetime, now: datetime) -> tuple[bool, bool]:
    """(reminder due now, breach due now) for one deadline.

    A reminder is only sent while the deadline is still ahead; once it has passed, only the
    breach is: a late reminder would tell the handler what management is already told.
    """
    require_aware(now, "now")
    if now >= deadline:
        return False, True
    return now >= remind_at, False
