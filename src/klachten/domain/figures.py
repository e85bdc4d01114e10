"""The figures management reads: when a rule counts as met, months, medians and shares.

Every compliance measure of the dashboard and the annual report (R3, R4, R6, R8, R9, R10, R14,
R16) is defined here once, as a pure function of one complaint's facts and the moment of
looking (``now``). The reports app computes the same definitions as aggregate queries in the
database; a test checks that both agree on every combination it can think of.

A measure gives each complaint one of three verdicts: *met*, *not met*, or *not applicable*
(the rule does not apply, or it is too early to tell: a contact deadline still to come is not
yet a failure). Shares are "met" out of "met + not met".

Periods are whole calendar months in Europe/Amsterdam, by the moment a complaint was received
(PROCEDURE.md: all times are local). Durations count whole seconds between two moments and are
rounded down to whole hours (time to contact) or whole days (time to settle), so the median of a
period can be taken from counts per hour or per day without reading every complaint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from klachten.domain.workdays import AMSTERDAM, require_aware

# --- Months ------------------------------------------------------------------------------------


def month_of(moment: datetime) -> date:
    """The first day of the Amsterdam calendar month ``moment`` falls in."""
    require_aware(moment, "moment")
    return moment.astimezone(AMSTERDAM).date().replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after ``month``."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_start(month: date) -> datetime:
    """00:00 on the first day of ``month`` in Amsterdam, as an aware moment."""
    return datetime.combine(month.replace(day=1), time(), tzinfo=AMSTERDAM)


def day_start(day: date) -> datetime:
    """00:00 on ``day`` in Amsterdam, as an aware moment."""
    return datetime.combine(day, time(), tzinfo=AMSTERDAM)


def days_of(month: date) -> list[date]:
    """Every day of ``month``."""
    first = month.replace(day=1)
    return [first + timedelta(days=n) for n in range((next_month(first) - first).days)]


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last``, both included (first days of the months)."""
    months: list[date] = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def months_back(month: date, count: int) -> date:
    """The month ``count`` months before ``month`` (``count`` may be negative)."""
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


# --- Medians and shares ------------------------------------------------------------------------


def whole_units_between(start: datetime, end: datetime, unit_seconds: int) -> int:
    """Whole ``unit_seconds`` between two moments, counted in whole seconds; never below 0."""
    require_aware(start, "start")
    require_aware(end, "end")
    seconds = int(end.timestamp()) - int(start.timestamp())
    return max(0, seconds // unit_seconds)


HOUR: Final = 3600
DAY: Final = 86400


def median_of_counts(counts: Mapping[int, int]) -> float | None:
    """The median of values given as ``{value: how many times}``; None when there are none.

    With an even number of values it is the mean of the two middle ones.
    """
    total = sum(n for n in counts.values() if n > 0)
    if total == 0:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2  # 0-based ranks of the middle
    seen, lower, upper = 0, None, None
    for value in sorted(counts):
        seen += max(0, counts[value])
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            upper = value
            break
    assert lower is not None  # noqa: S101 - total > 0 guarantees it
    assert upper is not None  # noqa: S101
    return (lower + upper) / 2


def add_counts(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    """Counts per value added up over several months."""
    total: dict[int, int] = {}
    for histogram in histograms:
        for value, n in histogram.items():
            total[value] = total.get(value, 0) + n
    return total


def share(part: int, whole: int) -> float | None:
    """``part`` out of ``whole`` as a percentage; None when ``whole`` is zero."""
    return None if whole == 0 else 100.0 * part / whole


# --- The compliance measures -------------------------------------------------------------------


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, kw_only=True)
class CaseFacts:
    """What the measures need to know about one complaint (fields as stored with it)."""

    received_at: datetime
    contact_due: datetime
    contacted_at: datetime | None = None
    delay_notice_due: datetime
    delay_notice_sent_at: datetime | None = None
    delay_expected_date: date | None = None
    settlement_due: datetime
    closed_at: datetime | None = None
    dispute_referred_at: datetime | None = None
    not_interrupted: bool = False
    vented: bool = False
    put_at_ease: bool = False
    apologised: bool = False
    business_card_given: bool = False
    naw_checked: bool = False  # the customer file's NAW was checked with the customer (R6)
    solution_proposed_at: datetime | None = None
    action_before_solution: bool = False  # an action item (not from a ruling) made by then (R9)
    outcome: str = ""  # "" while open; "solved", "unsolved", "withdrawn" or "ruling"
    follow_up_solved: bool | None = None
    follow_up_at: datetime | None = None
    # Taken over from an institute's old register (#16 item 5): only its dates of receipt and
    # closing are known, so only the measure that needs nothing else judges it.
    imported: bool = False

    @property
    def ended_at(self) -> datetime | None:
        """When the organisation's own handling ended: the referral to the third party (R11)
        if there was one, else the closing."""
        return self.dispute_referred_at or self.closed_at

    @property
    def told_in_time(self) -> bool:
        """R16: a delay notice was sent by the 3-week deadline."""
        return (
            self.delay_notice_sent_at is not None
            and self.delay_notice_sent_at <= self.delay_notice_due
        )


def _verdict(met: bool, failed: bool) -> Verdict:
    if met:
        return Verdict.MET
    return Verdict.NOT_MET if failed else Verdict.NOT_APPLICABLE


def contact_in_time(case: CaseFacts, now: datetime) -> Verdict:
    """R3: contacted within 24 working hours (by ``contact_due``).

    Not met: contacted late, or not contacted once the deadline has passed while the complaint
    was still open then. A complaint withdrawn before its contact deadline without contact is
    not applicable.
    """
    met = case.contacted_at is not None and case.contacted_at <= case.contact_due
    ended = case.ended_at
    failed = case.contacted_at is not None or (
        case.contact_due < now and (ended is None or ended > case.contact_due)
    )
    return _verdict(met, failed)


def not_interrupted(case: CaseFacts, now: datetime) -> Verdict:
    """R4: the intake checklist records that the customer was not interrupted."""
    return _verdict(case.not_interrupted, True)


def naw_checked(case: CaseFacts, now: datetime) -> Verdict:
    """R6: the customer file's name and address were checked with the customer."""
    return _verdict(case.naw_checked, True)


def customer_oriented(case: CaseFacts, now: datetime) -> Verdict:
    """R8: the customer could vent, was put at ease and heard apologies (all three ticked)."""
    return _verdict(case.vented and case.put_at_ease and case.apologised, True)


def actions_before_solution(case: CaseFacts, now: datetime) -> Verdict:
    """R9: before a solution was put to the customer, the plan said what, who and when.

    Applies to complaints for which a solution was proposed; met when an action item (not a
    consequence of a ruling) existed by the moment of the (last) proposal.
    """
    proposed = case.solution_proposed_at is not None
    return _verdict(proposed and case.action_before_solution, proposed)


def follow_up_before_closing(case: CaseFacts, now: datetime) -> Verdict:
    """R10: a complaint closed as solved had a follow-up check that confirmed it, before closing."""
    solved = case.outcome == "solved"
    met = (
        solved
        and case.follow_up_solved is True
        and case.follow_up_at is not None
        and case.closed_at is not None
        and case.follow_up_at <= case.closed_at
    )
    return _verdict(met, solved)


def business_card(case: CaseFacts, now: datetime) -> Verdict:
    """R14: the intake records that the customer got the employee's business card."""
    return _verdict(case.business_card_given, True)


def settled_in_four_weeks(case: CaseFacts, now: datetime) -> Verdict:
    """R16, first half: the own handling ended by the 4-week deadline (``settlement_due``).

    Not met once it ended later, or while it is still open after the deadline.
    """
    ended = case.ended_at
    met = ended is not None and ended <= case.settlement_due
    return _verdict(met, ended is not None or case.settlement_due < now)


def delay_notice_in_time(case: CaseFacts, now: datetime) -> Verdict:
    """R16, second half: when more than 4 weeks were needed, the customer was told by week 3.

    Applies to complaints that got a delay notice or were not settled within 4 weeks; met when
    the notice was sent by ``delay_notice_due``.
    """
    ended = case.ended_at
    needed = (
        case.delay_notice_sent_at is not None
        or (ended is not None and ended > case.settlement_due)
        or (ended is None and case.settlement_due < now)
    )
    return _verdict(case.told_in_time, needed)


def settled_as_promised(case: CaseFacts, now: datetime) -> Verdict:
    """R16 as a whole: settled within 4 weeks, or told in time and settled by the date given.

    The date given is the expected date of the delay notice (a date the customer was told, so
    "settled by" means on that Amsterdam calendar day or before). Still open and still within
    that date is not yet a verdict.
    """
    ended = case.ended_at
    expected = case.delay_expected_date
    extended_ok = (
        case.told_in_time
        and expected is not None
        and ended is not None
        and ended.astimezone(AMSTERDAM).date() <= expected
    )
    met = (ended is not None and ended <= case.settlement_due) or extended_ok
    today = now.astimezone(AMSTERDAM).date()
    waiting = case.told_in_time and expected is not None and expected >= today
    failed = ended is not None or (case.settlement_due < now and not waiting)
    return _verdict(met, failed)


@dataclass(frozen=True)
class Measure:
    """One compliance measure: a stable key, the rule it serves, and its definition.

    ``dates_alone``: the measure needs only the moments of receipt and of the end of the own
    handling, which an imported complaint has too. Every other measure is not applicable to an
    imported complaint: whether its customer was called back in time (R3), heard out (R4, R8),
    given a card (R14) or told of a delay (R16) is not in the old register, and counting it as
    "not met" would blame the past for what was merely not written down.
    """

    key: str
    rule: str
    decide: Callable[[CaseFacts, datetime], Verdict]
    dates_alone: bool = False

    def verdict(self, case: CaseFacts, now: datetime) -> Verdict:
        """This measure's verdict on one complaint, looked at at ``now``."""
        require_aware(now, "now")
        if case.imported and not self.dates_alone:
            return Verdict.NOT_APPLICABLE
        return self.decide(case, now)


MEASURES: Final = (
    Measure("r3", "R3", contact_in_time),
    Measure("r4", "R4", not_interrupted),
    Measure("r6", "R6", naw_checked),
    Measure("r8", "R8", customer_oriented),
    Measure("r9", "R9", actions_before_solution),
    Measure("r10", "R10", follow_up_before_closing),
    Measure("r14", "R14", business_card),
    Measure("r16", "R16", settled_as_promised),
    Measure("settled_in_4_weeks", "R16", settled_in_four_weeks, dates_alone=True),
    Measure("delay_notice_in_time", "R16", delay_notice_in_time),
)
"""Every measure, in the order the dashboard shows them."""

MEASURE_KEYS: Final = tuple(measure.key for measure in MEASURES)
