"""Which deadline needs attention, and how urgent it is (R3, R16).

UX.md shows each deadline as a colour and a word: "op tijd", "bijna", "te laat".

Pure functions: the complaint's facts and the clock come in, a verdict goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final

from klachten.domain.workdays import AMSTERDAM, end_of_day, require_aware

# How long before a deadline it counts as "bijna" (soon). The contact clock is short, so its
# warning is short too (R3: 24 working hours); the 3- and 4-week terms warn three days ahead.
CONTACT_WARNING: Final = timedelta(hours=4)
TERM_WARNING: Final = timedelta(days=3)


class Urgency(StrEnum):
    """The state of one deadline, shown as a colour *and* a word (UX.md)."""

    MET = "met"  # done in time
    MET_LATE = "met_late"  # done, but after the deadline
    ON_TIME = "on_time"  # op tijd
    SOON = "soon"  # bijna
    LATE = "late"  # te laat


@dataclass(frozen=True)
class OpenDeadlines:
    """What is still to be met for one complaint; ``None`` where it was met or does not apply."""

    contact_due: datetime | None
    delay_notice_due: datetime | None
    settlement_due: datetime | None
    agreed_term_due: datetime | None


def open_deadlines(
    *,
    contact_due: datetime,
    delay_notice_due: datetime,
    settlement_due: datetime,
    contacted: bool,
    delay_notice_sent: bool,
    closed: bool,
    agreed_term: date | None,
    extended_until: date | None,
) -> OpenDeadlines:
    """The deadlines a complaint still has to meet (R3, R16).

    Contact is met by the first contact; the delay-notice deadline by sending the notice or by
    closing; settlement by closing, and an extension (R16, only after a timely delay notice)
    moves it to the end of the expected date. The agreed term (R3) is a date the customer was
    told: it counts until closing and never moves by itself.
    """
    if closed:
        return OpenDeadlines(None, None, None, None)
    settlement = end_of_day(extended_until) if extended_until else settlement_due
    return OpenDeadlines(
        contact_due=None if contacted else contact_due,
        delay_notice_due=None if delay_notice_sent else delay_notice_due,
        settlement_due=settlement,
        agreed_term_due=end_of_day(agreed_term) if agreed_term else None,
    )


def attention_due(deadlines: OpenDeadlines) -> datetime | None:
    """The nearest deadline still to be met: what the overview sorts by. None once closed."""
    moments = [
        moment
        for moment in (
            deadlines.contact_due,
            deadlines.delay_notice_due,
            deadlines.settlement_due,
            deadlines.agreed_term_due,
        )
        if moment is not None
    ]
    return min(moments, default=None)


def urgency(
    due: datetime, now: datetime, *, met_at: datetime | None = None, warning: timedelta
) -> Urgency:
    """How a deadline stands at ``now``: met (in time or late), on time, soon, or late."""
    require_aware(due, "due")
    require_aware(now, "now")
    if met_at is not None:
        require_aware(met_at, "met_at")
        return Urgency.MET if met_at <= due else Urgency.MET_LATE
    if now > due:
        return Urgency.LATE
    if due - now <= warning:
        return Urgency.SOON
    return Urgency.ON_TIME


class TimeUnit(StrEnum):
    """The unit a remaining (or exceeded) time is told in."""

    MINUTES = "minutes"
    HOURS = "hours"
    WORKING_HOURS = "working_hours"
    DAYS = "days"


@dataclass(frozen=True)
class Remaining:
    """How long until a deadline, or how long past it, in one whole unit (UX.md: one urgency
    cue with relative time, "3 dagen te laat", "nog 5 werkuren")."""

    late: bool
    amount: int
    unit: TimeUnit


def remaining(due: datetime, now: datetime, *, working: timedelta | None = None) -> Remaining:
    """The time left until ``due`` (or past it), rounded down to whole units.

    Past the deadline: minutes under an hour, hours under a day, else days. Before it: when
    ``working`` is given (the working time left, for a deadline counted in working hours, R3)
    whole working hours, minutes under one; otherwise hours under a day, else calendar days
    between the two dates (so a deadline tomorrow is "1 day" whatever the hour).
    """
    require_aware(due, "due")
    require_aware(now, "now")
    if now > due:
        past = now - due
        if past < timedelta(hours=1):
            return Remaining(True, max(1, int(past / timedelta(minutes=1))), TimeUnit.MINUTES)
        if past < timedelta(days=1):
            return Remaining(True, int(past / timedelta(hours=1)), TimeUnit.HOURS)
        return Remaining(True, past.days, TimeUnit.DAYS)
    left = due - now
    if working is not None:
        if working < timedelta(hours=1):
            return Remaining(False, int(working / timedelta(minutes=1)), TimeUnit.MINUTES)
        return Remaining(False, int(working / timedelta(hours=1)), TimeUnit.WORKING_HOURS)
    days = (due.astimezone(AMSTERDAM).date() - now.astimezone(AMSTERDAM).date()).days
    if days == 0:
        if left < timedelta(hours=1):
            return Remaining(False, int(left / timedelta(minutes=1)), TimeUnit.MINUTES)
        return Remaining(False, int(left / timedelta(hours=1)), TimeUnit.HOURS)
    return Remaining(False, days, TimeUnit.DAYS)
