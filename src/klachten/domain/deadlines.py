"""The deadlines of a complaint, computed once at registration (R3, R16).

PROCEDURE.md, "Deadlines, exactly". All deadlines are aware datetimes in Europe/Amsterdam. They
are stored with the complaint when it is registered; a later change of the calendar or of the
organisation's terms does not move them, which is why the calendar and the terms are arguments
here and not looked up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from klachten.domain.terms import Terms
from klachten.domain.workdays import AMSTERDAM, WorkCalendar, end_of_day, require_aware

RULING_CONSEQUENCE_WORKING_DAYS: Final = 5
"""R11: Kerngroep handles the consequences of a binding ruling quickly: by default within
5 working days."""


def ruling_consequence_due(
    day: date, calendar: WorkCalendar, working_days: int = RULING_CONSEQUENCE_WORKING_DAYS
) -> date:
    """R11: the date by which a consequence of a ruling recorded on ``day`` is done: the
    ``working_days``-th working day after it (the organisation's setting, default 5). It is
    the default date of a consequence, and the latest one allowed."""
    return calendar.working_days_after(day, working_days)


@dataclass(frozen=True)
class Deadlines:
    """The three deadlines of one complaint, as aware datetimes in Europe/Amsterdam (R3, R16)."""

    contact_due: datetime
    delay_notice_due: datetime
    settlement_due: datetime


def contact_due(received_at: datetime, calendar: WorkCalendar, terms: Terms) -> datetime:
    """R3: ``terms.contact_working_hours`` (24) hours of working time after receipt.

    PROCEDURE.md, "Deadlines, exactly". With the default 24 hours: received Thursday 14:00
    before the long Easter weekend, due Tuesday 14:00; received on a Saturday, the clock starts
    Monday 00:00 and the contact is due Monday 24:00, given as Tuesday 00:00.
    """
    require_aware(received_at, "received_at")
    return calendar.add_working_time(received_at, terms.contact_working_time)


def delay_notice_due(received_at: datetime, calendar: WorkCalendar, terms: Terms) -> datetime:
    """R16: the end of the ``terms.delay_notice_days``-th (21st) day after the day of receipt.

    The day of receipt is the Amsterdam date of `received_at`, also on a weekend or holiday.
    If that day is not a working day the deadline moves back to the end of the last
    working day before it, so no promise to the customer lapses on a day off.
    """
    return _end_of_calendar_term(received_at, terms.delay_notice_days, calendar)


def settlement_due(received_at: datetime, calendar: WorkCalendar, terms: Terms) -> datetime:
    """R16: the end of the ``terms.settlement_days``-th (28th) day after the day of receipt.

    Moves back to the end of the last working day before it like `delay_notice_due`.
    """
    return _end_of_calendar_term(received_at, terms.settlement_days, calendar)


def deadlines_for(received_at: datetime, calendar: WorkCalendar, terms: Terms) -> Deadlines:
    """All deadlines of a complaint received at `received_at` under `terms` (R3, R16).

    The terms are an argument without a default: every caller passes the organisation's terms
    (``organisation.selectors.organisation_terms``), so a changed term can never be overlooked.
    """
    return Deadlines(
        contact_due=contact_due(received_at, calendar, terms),
        delay_notice_due=delay_notice_due(received_at, calendar, terms),
        settlement_due=settlement_due(received_at, calendar, terms),
    )


def day_of_receipt(received_at: datetime) -> date:
    """The Amsterdam calendar date on which a complaint was received (R16).

    2026-01-31T23:30:00+00:00 is 1 February in Amsterdam, so 1 February is the day of receipt.
    """
    require_aware(received_at, "received_at")
    return received_at.astimezone(AMSTERDAM).date()


@dataclass(frozen=True)
class DeadlineDay:
    """The day a deadline falls on as people say it, and its clock time unless it is the end
    of that day (item 9 of issue #10: never "zaterdag 00:00")."""

    day: date
    at: time | None  # None: the end (24:00) of ``day``

    @property
    def end_of_day(self) -> bool:
        return self.at is None


def deadline_day(moment: datetime) -> DeadlineDay:
    """The Amsterdam day of a deadline; the end of a day, stored as 00:00 of the next day, is
    that day itself (PROCEDURE.md, "Deadlines, exactly").

    ``2026-12-05T00:00+01:00`` is the end of Friday 4 December, not Saturday 00:00;
    ``2026-12-04T18:30+01:00`` is Friday 4 December at 18:30.
    """
    require_aware(moment, "moment")
    local = moment.astimezone(AMSTERDAM)
    if local.time() == time(0, 0):
        return DeadlineDay(local.date() - timedelta(days=1), None)
    return DeadlineDay(local.date(), local.time().replace(second=0, microsecond=0))


def _end_of_calendar_term(received_at: datetime, days: int, calendar: WorkCalendar) -> datetime:
    """The end of the `days`-th day after receipt, or of the last working day before it (R16)."""
    last_day = day_of_receipt(received_at) + timedelta(days=days)
    if not calendar.is_working_day(last_day):
        last_day = calendar.previous_working_day(last_day)
    return end_of_day(last_day)
