"""Improvement measures as a cycle (issue #16 item 2; R1): plan, do, check the effect.

A measure management takes against the root causes and courses complaints point at has an
owner, a due date and a status; once done, it is *in effect from* a date, and on a planned date
its effect is checked (effective or not, how, with a note). Pure rules: what counts as open,
overdue or awaiting its check, and the windows of the *recurrence watch* — how many complaints
of the measure's root causes and courses came in before it took effect and how many since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class CheckResult(StrEnum):
    EFFECTIVE = "effective"
    NOT_EFFECTIVE = "not_effective"


OPEN_STATUSES: Final = frozenset({MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS})

RECURRENCE_DAYS: Final = 90
"""The recurrence watch compares the 90 days before a measure took effect with the (at most)
90 days from then on."""

RATE_DAYS: Final = 30
"""Counts are also given per 30 days, so a window still running compares with a full one."""

DEFAULT_CHECK_AFTER: Final = timedelta(days=90)
"""When a measure is done, its effect is checked this long after it took effect, unless
management plans another date: long enough for complaints to show whether it worked."""


def is_open(status: str) -> bool:
    """Planned or in progress: still to be carried out."""
    return status in OPEN_STATUSES


def is_overdue(status: str, due_on: date, today: date) -> bool:
    """Open past its due date (the due date itself is still in time)."""
    return is_open(status) and due_on < today


def check_is_due(status: str, check_due_on: date | None, check_result: str, today: date) -> bool:
    """Done, its effect check planned for today or earlier, and no result recorded yet."""
    return (
        status == MeasureStatus.DONE
        and check_due_on is not None
        and not check_result
        and check_due_on <= today
    )


@dataclass(frozen=True)
class Windows:
    """The days before and after ``pivot`` (the day a measure took effect) the watch counts.

    ``before`` is ``[pivot - days, pivot)``; ``after`` is ``[pivot, after_end)``, with
    ``after_end`` at most ``days`` after ``pivot`` and never beyond today (today included).
    """

    before_start: date
    pivot: date
    after_end: date

    @property
    def before_days(self) -> int:
        return (self.pivot - self.before_start).days

    @property
    def after_days(self) -> int:
        return (self.after_end - self.pivot).days

    @property
    def complete(self) -> bool:
        """The after-window has run its full length."""
        return self.after_days == self.before_days


def recurrence_windows(
    taken_on: date | None, today: date, days: int = RECURRENCE_DAYS
) -> Windows | None:
    """The windows of a measure in effect from ``taken_on``; None when it has no date yet or
    takes effect after today (nothing to compare)."""
    if taken_on is None or taken_on > today:
        return None
    after_end = min(taken_on + timedelta(days=days), today + timedelta(days=1))
    return Windows(
        before_start=taken_on - timedelta(days=days), pivot=taken_on, after_end=after_end
    )


def per_period(count: int, days: int, period: int = RATE_DAYS) -> float | None:
    """``count`` complaints in ``days`` days, as a number per ``period`` days (one decimal)."""
    if days <= 0:
        return None
    return round(count * period / days, 1)
