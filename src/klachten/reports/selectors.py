"""Every read of management insight (STYLE.md, 2): figures, compliance, feeds, measures.

The figures of a period are added up from the kept figures of its months (``MonthFigures``,
the sums of their days, kept current by ``services.figures_refresh``). Figures are computed
here by aggregate queries, three for any run of days whatever the number of complaints in it,
never by reading complaints into Python. Who may see what (R2): the dashboard and its
drill-down are for management and admins; a calendar feed shows only a staff member's own
complaints they may see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Role, Staff
from klachten.audit.models import AuditEntry
from klachten.complaints.models import ActionItem, Complaint
from klachten.complaints.selectors import STATUS_LABELS, visible_to
from klachten.core.clock import local_today
from klachten.core.errors import NotAllowed, NotFound
from klachten.domain.figures import (
    DAY,
    HOUR,
    MEASURES,
    add_counts,
    day_start,
    median_of_counts,
    month_of,
    month_start,
    months_back,
    months_between,
    next_month,
    share,
)
from klachten.domain.improvement import (
    OPEN_STATUSES,
    MeasureStatus,
    Windows,
    check_is_due,
    is_open,
    is_overdue,
    per_period,
    recurrence_windows,
)
from klachten.domain.urgency import TERM_WARNING
from klachten.domain.workdays import AMSTERDAM, end_of_day
from klachten.organisation.models import Category, Course, RootCause
from klachten.reports.measures import WholeUnitsBetween, conditions, verdict, with_aliases
from klachten.reports.models import (
    CalendarFeed,
    FiguresWatermark,
    ImprovementMeasure,
    MonthFigures,
)

# --- Who may look ------------------------------------------------------------------------------


def require_figures(staff: Staff) -> None:
    """Reading the dashboard, the measures and the annual report: management, and the
    auditor, who reads and changes nothing (#16 item 4)."""
    if not staff.may_see_figures:
        raise NotAllowed(
            "management_only", _("Het dashboard is alleen voor de directie en beheerders.")
        )


def require_management(staff: Staff) -> None:
    """The dashboard, the drill-down, the measures and the annual report are for management
    and admins (UX.md, "Management"); an employee gets a refusal, never the figures."""
    if not staff.is_management:
        raise NotAllowed(
            "management_only", _("Het dashboard is alleen voor de directie en beheerders.")
        )


# --- Figures of days and months, by aggregate queries --------------------------------------------

OUTCOMES = ("solved", "unsolved", "withdrawn", "ruling")
COUNT_KEYS = (
    "received",
    "still_open",
    *(f"closed_{outcome}" for outcome in OUTCOMES),
    "disputes_referred",
    "disputes_awaiting_ruling",
    "disputes_ruled",
    "disputes_closed_after_ruling",
    *(f"{measure.key}_{part}" for measure in MEASURES for part in ("met", "applicable")),
    # R1: the answers after closing (their number, the sum of their scores, how many said
    # "settled for me"), and whether the customer booked again where staff know it.
    "satisfaction_answers",
    "satisfaction_score_sum",
    "satisfaction_settled",
    "booked_again_known",
    "booked_again_yes",
)
"""Every count kept per month; a period's count is the sum over its months. A kept month that
lacks one of them (kept before it was added) is computed again."""

NONE_KEY = "-"  # the key of "no category" / "no root cause" in the kept counts

# Courses and trainers as dimensions of the dashboard (#16 item 1): per day and course (trainer)
# the complaints received and the met and applicable counts of contact in time (R3) and settled
# as promised (R16), kept as one list per key in this order (``reports.dimensions`` reads them).
DIMENSION_MEASURES: Final = ("r3", "r16")
DIMENSION_COUNTS: Final = ("received", "r3_met", "r3_applicable", "r16_met", "r16_applicable")
DIMENSION_TALLIES: Final = {"course": "by_course", "trainer": "by_trainer"}


@dataclass(frozen=True)
class Computed:
    """The figures of one day (or month) as computed now, ready to keep."""

    complaints: int
    figures: dict[str, Any]
    fresh_until: datetime | None


EMPTY = Computed(complaints=0, figures={}, fresh_until=None)


def days_figures_compute(*, first: date, last: date, now: datetime) -> dict[date, Computed]:
    """The figures of the complaints received on each day from ``first`` to ``last``
    (Amsterdam days), as they stand at ``now``.

    Three aggregate queries, whatever the number of days or complaints: the counts per (day,
    category, root cause) with every measure's met and applicable counts and the next moment
    a pending deadline decides a verdict; the time to contact in whole hours per day; the time
    to settle in whole days per day. The day of a complaint is found by comparing its moment of
    receipt with the days' starts, so no row goes through a function.
    """
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    bucket = Case(
        *(
            When(received_at__lt=day_start(day), then=Value(index))
            for index, day in enumerate(days[1:])
        ),
        default=Value(len(days) - 1),
        output_field=IntegerField(),
    )
    complaints = with_aliases(
        Complaint.objects.filter(
            received_at__gte=day_start(first), received_at__lt=day_start(last + timedelta(days=1))
        )
    ).annotate(day=bucket)
    today = local_today(now)
    open_ = Q(ended_at__isnull=True)
    answered = Q(satisfaction__answered_at__isnull=False)
    counts: dict[str, Any] = {
        "received": Count("pk"),
        "still_open": Count("pk", filter=Q(closed_at__isnull=True)),
        **{
            f"closed_{outcome}": Count("pk", filter=Q(closed_at__isnull=False, outcome=outcome))
            for outcome in OUTCOMES
        },
        "disputes_referred": Count("pk", filter=Q(dispute_referred_at__isnull=False)),
        "disputes_awaiting_ruling": Count(
            "pk", filter=Q(dispute_referred_at__isnull=False, ruling_at__isnull=True)
        ),
        "disputes_ruled": Count("pk", filter=Q(ruling_at__isnull=False)),
        "disputes_closed_after_ruling": Count(
            "pk", filter=Q(closed_at__isnull=False, outcome="ruling")
        ),
        "satisfaction_answers": Count("satisfaction", filter=answered),
        "satisfaction_score_sum": Coalesce(Sum("satisfaction__score", filter=answered), 0),
        "satisfaction_settled": Count(
            "satisfaction", filter=answered & Q(satisfaction__settled=True)
        ),
        "booked_again_known": Count("pk", filter=Q(booked_again__isnull=False)),
        "booked_again_yes": Count("pk", filter=Q(booked_again=True)),
    }
    for measure in MEASURES:
        rule = conditions(measure.key, now)
        counts[f"{measure.key}_met"] = Count("pk", filter=rule.met)
        counts[f"{measure.key}_applicable"] = Count("pk", filter=rule.met | rule.failed)
    pending = {
        # The next moment a verdict changes by time alone (R3, R16): an open complaint's
        # contact or settlement deadline passes, or the date a delay notice gave runs out.
        "next_contact_due": Min(
            "contact_due", filter=open_ & Q(contacted_at__isnull=True, contact_due__gte=now)
        ),
        "next_settlement_due": Min("settlement_due", filter=open_ & Q(settlement_due__gte=now)),
        "next_expected_date": Min(
            "delay_expected_date",
            filter=open_
            & Q(
                delay_notice_sent_at__isnull=False,
                delay_notice_sent_at__lte=F("delay_notice_due"),
                delay_expected_date__gte=today,
            ),
        ),
    }
    parts: dict[int, list[dict[str, Any]]] = {}
    groups = (
        complaints.values("day", "category_id", "root_cause_id")
        .annotate(**counts, **pending)
        .order_by()
    )
    for group in groups:  # one row per (day, category, root cause), never per complaint
        parts.setdefault(group["day"], []).append(group)
    contact_hours = _histogram(
        complaints.filter(contacted_at__isnull=False),
        WholeUnitsBetween("received_at", "contacted_at", HOUR),
    )
    settle_days = _histogram(
        complaints.filter(Q(ended_at__isnull=False)),
        WholeUnitsBetween("received_at", "ended_at", DAY),
    )
    dimensions = {
        DIMENSION_TALLIES[dimension]: _per_dimension(complaints, dimension, now)
        for dimension in DIMENSION_TALLIES
    }
    return {
        day: _day(
            parts.get(index, []),
            contact_hours.get(index, {}),
            settle_days.get(index, {}),
            {name: found.get(index, {}) for name, found in dimensions.items()},
        )
        for index, day in enumerate(days)
    }


def _per_dimension(
    complaints: QuerySet[Complaint], dimension: str, now: datetime
) -> dict[int, dict[str, list[int]]]:
    """Per day and course (trainer): ``DIMENSION_COUNTS`` as a list, by the id as text
    (``NONE_KEY`` for none). One aggregate query; one row per (day, course), never per
    complaint."""
    counts: dict[str, Any] = {"received": Count("pk")}
    for key in DIMENSION_MEASURES:
        rule = conditions(key, now)
        counts[f"{key}_met"] = Count("pk", filter=rule.met)
        counts[f"{key}_applicable"] = Count("pk", filter=rule.met | rule.failed)
    found: dict[int, dict[str, list[int]]] = {}
    rows = complaints.values("day", f"{dimension}_id").annotate(**counts).order_by()
    for row in rows:
        key = str(row[f"{dimension}_id"] or NONE_KEY)
        found.setdefault(row["day"], {})[key] = [row[name] for name in DIMENSION_COUNTS]
    return found


def _day(
    groups: list[dict[str, Any]],
    contact_hours: dict[str, int],
    settle_days: dict[str, int],
    dimensions: dict[str, dict[str, list[int]]],
) -> Computed:
    if not groups:
        return EMPTY
    totals = dict.fromkeys(COUNT_KEYS, 0)
    by_category: dict[str, int] = {}
    by_root_cause: dict[str, int] = {}
    moments: list[datetime] = []
    for group in groups:
        for key in COUNT_KEYS:
            totals[key] += group[key]
        category = str(group["category_id"] or NONE_KEY)
        root_cause = str(group["root_cause_id"] or NONE_KEY)
        by_category[category] = by_category.get(category, 0) + group["received"]
        by_root_cause[root_cause] = by_root_cause.get(root_cause, 0) + group["received"]
        moments.extend(
            moment
            for moment in (group["next_contact_due"], group["next_settlement_due"])
            if moment is not None
        )
        if group["next_expected_date"] is not None:
            moments.append(end_of_day(group["next_expected_date"]) - timedelta(microseconds=1))
    return Computed(
        complaints=totals["received"],
        figures={
            "counts": totals,
            "by_category": by_category,
            "by_root_cause": by_root_cause,
            "contact_hours": contact_hours,
            "settle_days": settle_days,
            **dimensions,
        },
        fresh_until=min(moments, default=None),
    )


def _histogram(
    queryset: QuerySet[Complaint], duration: WholeUnitsBetween
) -> dict[int, dict[str, int]]:
    """How many complaints per day and per whole unit of ``duration`` (keys as in JSON)."""
    rows = (
        queryset.annotate(units=duration).values("day", "units").annotate(n=Count("pk")).order_by()
    )
    found: dict[int, dict[str, int]] = {}
    for row in rows:  # one row per (day, unit)
        found.setdefault(row["day"], {})[str(row["units"])] = row["n"]
    return found


def add_up(parts: Iterable[Computed]) -> Computed:
    """Days (or months) added up: every count, tally and histogram; the earliest fresh_until."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    tallies: dict[str, dict[str, int]] = {
        "by_category": {},
        "by_root_cause": {},
        "contact_hours": {},
        "settle_days": {},
    }
    vectors: dict[str, dict[str, list[int]]] = {name: {} for name in DIMENSION_TALLIES.values()}
    complaints, moments = 0, []
    for part in parts:  # one per day
        complaints += part.complaints
        if part.fresh_until is not None:
            moments.append(part.fresh_until)
        for key, value in part.figures.get("counts", {}).items():
            if key in counts:
                counts[key] += value
        for name, tally in tallies.items():
            for key, value in part.figures.get(name, {}).items():
                tally[key] = tally.get(key, 0) + value
        for name, sums in vectors.items():
            for key, values in part.figures.get(name, {}).items():
                sums[key] = [
                    a + b for a, b in zip(sums.get(key) or [0] * len(values), values, strict=True)
                ]
    figures = {"counts": counts, **tallies, **vectors} if complaints else {}
    return Computed(complaints=complaints, figures=figures, fresh_until=min(moments, default=None))


def month_figures_compute(*, month: date, now: datetime) -> Computed:
    """The figures of the complaints received in ``month`` (three aggregate queries)."""
    days = days_figures_compute(first=month, last=next_month(month) - timedelta(days=1), now=now)
    return add_up(days.values())


# --- What the refresh needs to know --------------------------------------------------------------


@dataclass
class FiguresState:
    """What ``services.figures_refresh`` found: what is stale, and the new watermark."""

    kept: dict[date, MonthFigures]
    whole: set[date] = field(default_factory=set)  # months to compute day by day from scratch
    days: dict[date, set[date]] = field(default_factory=dict)  # months → days that changed
    timed: set[date] = field(default_factory=set)  # months with a deadline passed since
    dirty_elsewhere: set[date] = field(default_factory=set)  # kept months to forget
    watermark: int = 0
    new_watermark: int = 0
    complaint_id: int = 0
    new_complaint_id: int = 0

    @property
    def stale(self) -> set[date]:
        return self.whole | set(self.days) | self.timed

    @property
    def current(self) -> bool:
        return (
            not self.stale
            and not self.dirty_elsewhere
            and self.watermark == self.new_watermark
            and self.complaint_id == self.new_complaint_id
        )

    def day_changed(self, received_at: datetime, wanted: set[date]) -> None:
        day = received_at.astimezone(AMSTERDAM).date()
        month = day.replace(day=1)
        if month in wanted:
            self.days.setdefault(month, set()).add(day)
        else:
            self.dirty_elsewhere.add(month)


def figures_state(*, months: Sequence[date], now: datetime, verify: bool = False) -> FiguresState:
    """Which of the kept figures of ``months`` no longer hold at ``now``, in a few queries.

    A kept month is stale when it is missing or was computed after ``now`` (a clock turned
    back: computed from scratch), when the audit log shows a change to one of its complaints
    since the last look (R2: every change is logged; the days of those complaints are computed
    again), when a complaint was added since (an id above the watermark's: found by the
    primary key, never by counting the table), or when it has passed its ``fresh_until`` (the
    days whose pending deadline passed). With ``verify`` (the background worker) each kept
    month's number of complaints is counted too, so complaints removed without a trace (R5)
    leave the figures within the worker's round.
    """
    wanted = set(months)
    mark = FiguresWatermark.objects.filter(pk=1).values_list("audit_id", "complaint_id").first()
    top = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    newest = Complaint.objects.order_by("-id").values_list("id", flat=True).first() or 0
    state = FiguresState(
        kept={row.month: row for row in MonthFigures.objects.filter(month__in=wanted)},
        watermark=mark[0] if mark else 0,
        new_watermark=max(mark[0] if mark else 0, top),
        complaint_id=mark[1] if mark else 0,
        new_complaint_id=max(mark[1] if mark else 0, newest),
    )
    # Without a watermark nothing was ever kept, so no change can have made anything stale.
    if mark is not None and top > state.watermark:
        changes = AuditEntry.objects.filter(
            id__gt=state.watermark, id__lte=top, complaint__isnull=False
        ).exclude(action="viewed")
        # One row per changed complaint since the last look: bounded by activity, not by the
        # number of complaints.
        received = changes.values_list("complaint__received_at", flat=True).distinct()
        for received_at in received:
            state.day_changed(received_at, wanted)
    if mark is not None and newest > state.complaint_id:
        # Complaints added since, also by a path that left no trace: bounded by what came in.
        added = Complaint.objects.filter(id__gt=state.complaint_id, id__lte=newest)
        for received_at in added.values_list("received_at", flat=True).distinct():
            state.day_changed(received_at, wanted)
    for month in wanted:
        kept = state.kept.get(month)
        if kept is None or kept.computed_at > now or not _has_every_count(kept):
            state.whole.add(month)
        elif kept.fresh_until and now > kept.fresh_until:
            state.timed.add(month)
    if verify:
        # Complaints removed without a trace: count each kept month (by the receipt index).
        state.whole.update(
            month
            for month, row in state.kept.items()
            if month not in state.whole and _count_in(month) != row.complaints
        )
    for month in state.whole:
        state.days.pop(month, None)
    state.timed -= state.whole
    return state


def _has_every_count(kept: MonthFigures) -> bool:
    """Whether a kept month has every count of ``COUNT_KEYS`` and the tallies per course and
    trainer (an empty month has none); a month kept before they existed is computed again."""
    return not kept.complaints or (
        set(COUNT_KEYS) <= set(kept.figures.get("counts", {}))
        and all(name in kept.figures for name in DIMENSION_TALLIES.values())
    )


def _count_in(month: date) -> int:
    return Complaint.objects.filter(
        received_at__gte=month_start(month), received_at__lt=month_start(next_month(month))
    ).count()


# --- A period's figures, added up from its months ------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole calendar months by receipt, ``first`` to ``last`` included (first days)."""

    first: date
    last: date

    @property
    def months(self) -> list[date]:
        return months_between(self.first, self.last)

    @property
    def start(self) -> datetime:
        return month_start(self.first)

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        return month_start(next_month(self.last))

    @property
    def last_day(self) -> date:
        return next_month(self.last) - timedelta(days=1)

    def year_before(self) -> Period:
        return Period(months_back(self.first, 12), months_back(self.last, 12))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 1))

    @classmethod
    def this_year(cls, now: datetime) -> Period:
        """January up to and including the current month (the dashboard's default)."""
        month = month_of(now)
        return cls(month.replace(month=1), month)


@dataclass(frozen=True)
class Compliance:
    """One measure over a period: how often it was met out of how often it applied."""

    key: str
    rule: str
    met: int
    applicable: int

    @property
    def not_met(self) -> int:
        return self.applicable - self.met

    @property
    def share(self) -> float | None:
        return share(self.met, self.applicable)

    @property
    def label(self) -> str:
        return str(MEASURE_LABELS[self.key])

    @property
    def slug(self) -> str:
        return self.key.replace("_", "-")


MEASURE_LABELS = {
    "r3": _("Contact binnen 24 werkuren"),
    "r4": _("Klant niet onderbroken"),
    "r6": _("NAW gecontroleerd met de klant"),
    "r8": _("Stoom laten afblazen, op het gemak gesteld en excuses aangeboden"),
    "r9": _("Actieplan (wat, wie, wanneer) vóór de oplossing"),
    "r10": _("Nacontrole vóór afsluiten als opgelost"),
    "r14": _("Visitekaartje gegeven"),
    "r16": _("Binnen 4 weken afgehandeld, of op tijd uitgesteld en binnen de genoemde datum"),
    "settled_in_4_weeks": _("Afgehandeld binnen 4 weken"),
    "delay_notice_in_time": _("Uitstelbericht op tijd (binnen 3 weken)"),
}
RULE_MEASURES = ("r3", "r4", "r6", "r8", "r9", "r10", "r14", "r16")
"""The compliance table: one line per rule (issue: R3, R4, R6, R8, R9, R10, R14, R16)."""


@dataclass(frozen=True)
class Named:
    """A category or root cause with its number of complaints in the period."""

    name: str
    count: int


@dataclass(frozen=True)
class MonthLine:
    """One month of the trend: how many were received, and the three deadlines as counts
    (met out of applicable) with their shares."""

    month: date
    received: int
    contact: Compliance  # R3
    settled: Compliance  # R16, within 4 weeks
    delay_notice: Compliance  # R16, delay notice in time

    @property
    def contact_in_time(self) -> float | None:
        return self.contact.share

    @property
    def settled_in_4_weeks(self) -> float | None:
        return self.settled.share

    @property
    def delay_notice_in_time(self) -> float | None:
        return self.delay_notice.share


@dataclass(frozen=True)
class PeriodFigures:
    """Everything the dashboard and the annual report say about one period."""

    period: Period
    counts: dict[str, int]
    compliance: dict[str, Compliance]
    by_category: list[Named]
    by_root_cause: list[Named]
    months: list[MonthLine]
    median_contact_hours: float | None
    median_settle_days: float | None
    contacted: int  # how many complaints the contact median is over
    settled: int  # how many the settlement median is over

    def rule_lines(self) -> list[Compliance]:
        return [self.compliance[key] for key in RULE_MEASURES]


def _counts_of(rows: Iterable[MonthFigures]) -> dict[str, int]:
    total = dict.fromkeys(COUNT_KEYS, 0)
    for row in rows:  # one row per month
        for key, value in row.figures.get("counts", {}).items():
            if key in total:
                total[key] += value
    return total


def _tally(rows: Iterable[MonthFigures], part: str) -> dict[str, int]:
    total: dict[str, int] = {}
    for row in rows:
        for key, value in row.figures.get(part, {}).items():
            total[key] = total.get(key, 0) + value
    return total


def _named(tally: Mapping[str, int], names: Mapping[str, str]) -> list[Named]:
    lines = [Named(names.get(key, str(_("Onbekend"))), n) for key, n in tally.items() if n]
    return sorted(lines, key=lambda line: (-line.count, line.name))


def _histogram_of(rows: Iterable[MonthFigures], part: str) -> dict[int, int]:
    return add_counts(
        {int(units): n for units, n in row.figures.get(part, {}).items()} for row in rows
    )


def period_figures(
    *,
    period: Period,
    kept: Mapping[date, MonthFigures],
    categories: Mapping[str, str],
    root_causes: Mapping[str, str],
) -> PeriodFigures:
    """Add up the kept figures of the period's months (no query: ``kept`` comes from the
    refresh, the names from :func:`category_names` and :func:`root_cause_names`)."""
    rows = [kept[month] for month in period.months if month in kept]
    counts = _counts_of(rows)
    contact_hours = _histogram_of(rows, "contact_hours")
    settle_days = _histogram_of(rows, "settle_days")
    months = []
    for month in period.months:
        month_counts = _counts_of([kept[month]] if month in kept else [])
        line = {
            key: Compliance(
                key=key,
                rule=rule,
                met=month_counts[f"{key}_met"],
                applicable=month_counts[f"{key}_applicable"],
            )
            for key, rule in (
                ("r3", "R3"),
                ("settled_in_4_weeks", "R16"),
                ("delay_notice_in_time", "R16"),
            )
        }
        months.append(
            MonthLine(
                month=month,
                received=month_counts["received"],
                contact=line["r3"],
                settled=line["settled_in_4_weeks"],
                delay_notice=line["delay_notice_in_time"],
            )
        )
    return PeriodFigures(
        period=period,
        counts=counts,
        compliance={
            measure.key: Compliance(
                key=measure.key,
                rule=measure.rule,
                met=counts[f"{measure.key}_met"],
                applicable=counts[f"{measure.key}_applicable"],
            )
            for measure in MEASURES
        },
        by_category=_named(
            _tally(rows, "by_category"), {**categories, NONE_KEY: str(_("Geen categorie"))}
        ),
        by_root_cause=_named(
            _tally(rows, "by_root_cause"), {**root_causes, NONE_KEY: str(_("Nog niet bepaald"))}
        ),
        months=months,
        median_contact_hours=median_of_counts(contact_hours),
        median_settle_days=median_of_counts(settle_days),
        contacted=sum(contact_hours.values()),
        settled=sum(settle_days.values()),
    )


def category_names() -> dict[str, str]:
    """Every category by id (also those no longer in use: old figures keep their names)."""
    return {str(pk): name for pk, name in Category.objects.values_list("pk", "name")}


def root_cause_names() -> dict[str, str]:
    """Every root cause by id (also those no longer in use)."""
    return {str(pk): name for pk, name in RootCause.objects.values_list("pk", "name")}


# --- Live figures: open complaints and this month/year ---------------------------------------


@dataclass(frozen=True)
class OpenByDeadline:
    """Open complaints by the state of their nearest deadline (as on the overview)."""

    late: int
    soon: int
    on_time: int

    @property
    def total(self) -> int:
        return self.late + self.soon + self.on_time


def open_by_deadline(*, now: datetime) -> OpenByDeadline:
    """One query over the open complaints' (attention_due) index: late, soon and on time."""
    result = Complaint.objects.filter(attention_due__isnull=False).aggregate(
        total=Count("pk"),
        late=Count("pk", filter=Q(attention_due__lt=now)),
        soon=Count("pk", filter=Q(attention_due__gte=now, attention_due__lt=now + TERM_WARNING)),
    )
    return OpenByDeadline(
        late=result["late"],
        soon=result["soon"],
        on_time=result["total"] - result["late"] - result["soon"],
    )


def _a_year_earlier(moment: datetime) -> datetime:
    local = moment.astimezone(AMSTERDAM)
    try:
        earlier = local.replace(year=local.year - 1)
    except ValueError:  # 29 February
        earlier = local.replace(year=local.year - 1, day=28)
    return earlier


def received_between(start: datetime, end: datetime) -> int:
    """Complaints received from ``start`` up to ``end`` (an index range count)."""
    return Complaint.objects.filter(received_at__gte=start, received_at__lt=end).count()


@dataclass(frozen=True)
class Headline:
    """This month and this year so far, each against the same stretch a year earlier."""

    this_month: int
    this_month_last_year: int
    this_year: int
    this_year_last_year: int
    last_year: int


def headline(*, now: datetime, kept: Mapping[date, MonthFigures]) -> Headline:
    """The whole months come from the kept figures; only the current month and the same part
    of that month a year earlier are counted live (two small index range counts)."""
    month = month_of(now)
    earlier_now = _a_year_earlier(now)
    earlier_month = months_back(month, 12)
    this_month = received_between(month_start(month), now)
    this_month_last_year = received_between(month_start(earlier_month), earlier_now)

    def whole(months: list[date]) -> int:
        return sum(kept[m].complaints for m in months if m in kept)

    before_this_month = months_between(month.replace(month=1), months_back(month, 1))
    before_that_month = months_between(
        earlier_month.replace(month=1), months_back(earlier_month, 1)
    )
    return Headline(
        this_month=this_month,
        this_month_last_year=this_month_last_year,
        this_year=this_month + (whole(before_this_month) if month.month > 1 else 0),
        this_year_last_year=this_month_last_year
        + (whole(before_that_month) if month.month > 1 else 0),
        last_year=whole(
            months_between(earlier_month.replace(month=1), earlier_month.replace(month=12))
        ),
    )


def headline_months(now: datetime) -> list[date]:
    """The kept months :func:`headline` needs: January last year up to the current month."""
    month = month_of(now)
    return months_between(date(month.year - 1, 1, 1), month)


# --- Satisfaction (R1) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    """The customers' satisfaction after closing and how many booked again (R1)."""

    answers: int
    average_score: float | None  # 1–5
    settled: int  # "settled for you?" yes
    settled_share: float | None  # the same, in % of the answers
    booked_again_known: int
    booked_again: int  # booked again, where known
    booked_again_share: float | None  # the same, in % of those known


def satisfaction(figures: PeriodFigures) -> Satisfaction | None:
    """R1: over the complaints received in the period, the answers to the satisfaction question
    after closing and the share of customers who booked again where staff know it, from the
    kept counts (no query); None while neither is recorded."""
    counts = figures.counts
    answers, known = counts["satisfaction_answers"], counts["booked_again_known"]
    if not answers and not known:
        return None
    return Satisfaction(
        answers=answers,
        average_score=round(counts["satisfaction_score_sum"] / answers, 1) if answers else None,
        settled=counts["satisfaction_settled"],
        settled_share=share(counts["satisfaction_settled"], answers),
        booked_again_known=known,
        booked_again=counts["booked_again_yes"],
        booked_again_share=share(counts["booked_again_yes"], known),
    )


# --- The drill-down: the complaints where a measure was not met ------------------------------


@dataclass(frozen=True)
class FailureRow:
    reference: str
    received_at: datetime
    status: str
    handler: str
    category: str
    contact_due: datetime
    contacted_at: datetime | None
    settlement_due: datetime
    closed_at: datetime | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


def compliance_failures(
    *, staff: Staff, key: str, period: Period, now: datetime, limit: int, offset: int
) -> list[FailureRow]:
    """The complaints of ``period`` where measure ``key`` was not met, newest first (R2: through
    ``visible_to``). One query; the number comes from the period's figures."""
    require_management(staff)
    rows = (
        with_aliases(
            Complaint.objects.filter(
                visible_to(staff), received_at__gte=period.start, received_at__lt=period.end
            )
        )
        .alias(verdict=verdict(key, now))
        .filter(verdict=0)
        .order_by("-received_at", "-id")
        .values_list(
            "reference",
            "received_at",
            "status",
            "handler__username",
            "handler__first_name",
            "handler__last_name",
            "category__name",
            "contact_due",
            "contacted_at",
            "settlement_due",
            "closed_at",
        )[offset : offset + limit]
    )
    return [
        FailureRow(
            reference=reference,
            received_at=received_at,
            status=status,
            handler=f"{first} {last}".strip() or username,
            category=category or "",
            contact_due=contact_due,
            contacted_at=contacted_at,
            settlement_due=settlement_due,
            closed_at=closed_at,
        )
        for (
            reference,
            received_at,
            status,
            username,
            first,
            last,
            category,
            contact_due,
            contacted_at,
            settlement_due,
            closed_at,
        ) in rows
    ]


# --- Improvement measures (#16 item 2: the cycle) ------------------------------------------------


def _measures() -> QuerySet[ImprovementMeasure]:
    """Measures with their people, root causes and courses: three queries for any number."""
    return ImprovementMeasure.objects.select_related(
        "owner", "recorded_by", "checked_by"
    ).prefetch_related("root_causes", "courses")


def improvement_measures(
    *, taken_from: date | None = None, taken_until: date | None = None, limit: int | None = None
) -> list[ImprovementMeasure]:
    """The improvement measures, newest first, with their people, root causes and courses
    (three queries). A period (the annual report) holds the measures that took effect in it,
    and those not in effect yet whose due date lies in it."""
    measures = _measures()
    if taken_from is not None:
        measures = measures.filter(
            Q(taken_on__gte=taken_from) | Q(taken_on__isnull=True, due_on__gte=taken_from)
        )
    if taken_until is not None:
        measures = measures.filter(
            Q(taken_on__lte=taken_until) | Q(taken_on__isnull=True, due_on__lte=taken_until)
        )
    ordered = measures.order_by(F("taken_on").desc(nulls_first=True), "-due_on", "-id")
    return list(ordered[:limit] if limit is not None else ordered)


def root_causes_all() -> list[RootCause]:
    """The root causes in use, for the measures form."""
    return list(RootCause.objects.filter(active=True).order_by("name"))


def courses_all() -> list[Course]:
    """The courses in use, for the measures form."""
    return list(Course.objects.filter(active=True).order_by("name"))


def measure_owners() -> list[Staff]:
    """Who can own a measure: every active staff member but an auditor (a trainer coordinator
    as well as management), by name."""
    return list(
        Staff.objects.filter(is_active=True)
        .exclude(role=Role.AUDITOR)  # reads only (#16 item 4)
        .order_by("first_name", "last_name", "username")
    )


def measure_get(measure_id: int) -> ImprovementMeasure:
    """One measure with its people, root causes and courses; not found when it is not there."""
    measure = _measures().filter(pk=measure_id).first()
    if measure is None:
        raise NotFound("measure_not_found", _("Deze maatregel bestaat niet (meer)."))
    return measure


@dataclass(frozen=True)
class Recurrence:
    """The recurrence watch of one measure: the complaints of its root causes and courses in
    the days before it took effect and in as many days since (fewer while they run)."""

    windows: Windows
    before: int
    after: int

    @property
    def before_rate(self) -> float | None:
        return per_period(self.before, self.windows.before_days)

    @property
    def after_rate(self) -> float | None:
        return per_period(self.after, self.windows.after_days)

    @property
    def trend(self) -> str:
        """``down``, ``up`` or ``same``: the rate per 30 days after against before."""
        before, after = self.before_rate or 0.0, self.after_rate or 0.0
        return "down" if after < before else "up" if after > before else "same"


# At most this many measures per aggregate query: two counts each keeps a query well inside
# SQLite's 2,000 result columns. A list of up to 250 measures costs one query.
RECURRENCE_CHUNK = 250


def _topic(measure: ImprovementMeasure) -> Q | None:
    """Complaints about one of the measure's root causes or courses (prefetched)."""
    causes = [cause.pk for cause in measure.root_causes.all()]
    courses = [course.pk for course in measure.courses.all()]
    parts = [Q(root_cause_id__in=causes)] if causes else []
    parts += [Q(course_id__in=courses)] if courses else []
    if not parts:
        return None
    return parts[0] | parts[1] if len(parts) == 2 else parts[0]


def measures_recurrence(
    measures: Sequence[ImprovementMeasure], *, today: date
) -> dict[int, Recurrence]:
    """The recurrence watch of every measure that took effect by ``today``, by measure id.

    One aggregate query for the whole list (per ``RECURRENCE_CHUNK`` measures), never a query
    per measure: each measure adds two conditional counts, over the complaints received in
    the span of all windows that concern any of the root causes or courses. A complaint with
    no root cause yet (still being handled) counts only by its course.
    """
    watched: list[tuple[ImprovementMeasure, Windows, Q]] = []
    for measure in measures:
        windows = recurrence_windows(measure.taken_on, today)
        topic = _topic(measure)
        if windows is not None and topic is not None:
            watched.append((measure, windows, topic))
    found: dict[int, Recurrence] = {}
    for first in range(0, len(watched), RECURRENCE_CHUNK):
        chunk = watched[first : first + RECURRENCE_CHUNK]
        counts: dict[str, Any] = {}
        for measure, windows, topic in chunk:
            pivot = day_start(windows.pivot)
            counts[f"before_{measure.pk}"] = Count(
                "pk",
                filter=topic
                & Q(received_at__gte=day_start(windows.before_start), received_at__lt=pivot),
            )
            counts[f"after_{measure.pk}"] = Count(
                "pk",
                filter=topic
                & Q(received_at__gte=pivot, received_at__lt=day_start(windows.after_end)),
            )
        causes = {cause.pk for measure, _w, _t in chunk for cause in measure.root_causes.all()}
        courses = {course.pk for measure, _w, _t in chunk for course in measure.courses.all()}
        totals = Complaint.objects.filter(
            Q(root_cause_id__in=causes) | Q(course_id__in=courses),
            received_at__gte=day_start(min(windows.before_start for _m, windows, _t in chunk)),
            received_at__lt=day_start(max(windows.after_end for _m, windows, _t in chunk)),
        ).aggregate(**counts)
        for measure, windows, _topic_q in chunk:
            found[measure.pk] = Recurrence(
                windows=windows,
                before=totals[f"before_{measure.pk}"] or 0,
                after=totals[f"after_{measure.pk}"] or 0,
            )
    return found


@dataclass(frozen=True)
class MeasureRow:
    """A measure as the list shows it: where it stands in its cycle, and its recurrence."""

    measure: ImprovementMeasure
    overdue: bool
    check_due: bool
    recurrence: Recurrence | None

    @property
    def open(self) -> bool:
        return is_open(self.measure.status)


def _list_order(row: MeasureRow) -> tuple[int, int, int]:
    """What needs attention first: overdue, effect check due, open by due date; then the
    done ones, newest first; cancelled last."""
    measure = row.measure
    if row.overdue:
        return (0, measure.due_on.toordinal(), -measure.pk)
    if row.check_due:
        return (1, (measure.check_due_on or measure.due_on).toordinal(), -measure.pk)
    if row.open:
        return (2, measure.due_on.toordinal(), -measure.pk)
    if measure.status == MeasureStatus.DONE:
        return (3, -(measure.taken_on or measure.due_on).toordinal(), -measure.pk)
    return (4, -measure.due_on.toordinal(), -measure.pk)


def measure_rows(*, today: date) -> list[MeasureRow]:
    """Every measure for the measures page (and the API), what needs attention first, each with
    its recurrence watch: four queries however many measures (up to ``RECURRENCE_CHUNK``)."""
    measures = list(_measures())
    recurrence = measures_recurrence(measures, today=today)
    rows = [
        MeasureRow(
            measure=measure,
            overdue=is_overdue(measure.status, measure.due_on, today),
            check_due=check_is_due(
                measure.status, measure.check_due_on, measure.check_result, today
            ),
            recurrence=recurrence.get(measure.pk),
        )
        for measure in measures
    ]
    return sorted(rows, key=_list_order)


@dataclass(frozen=True)
class MeasurePanel:
    """The dashboard's panel: how many measures are open, overdue, awaiting their effect
    check, and the first few of those that need attention."""

    open: int
    overdue: int
    check_due: int
    attention: list[MeasureRow]


PANEL_ROWS = 5


def measure_panel(*, today: date) -> MeasurePanel:
    """Two queries: the counts (one aggregate) and the measures needing attention."""
    open_ = Q(status__in=[status.value for status in OPEN_STATUSES])
    overdue = open_ & Q(due_on__lt=today)
    check_due = Q(status=MeasureStatus.DONE, check_result="", check_due_on__lte=today)
    counts = ImprovementMeasure.objects.aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=overdue),
        check_due=Count("pk", filter=check_due),
    )
    attention = (
        ImprovementMeasure.objects.filter(overdue | check_due)
        .select_related("owner")
        .annotate(late=Case(When(overdue, then=Value(0)), default=Value(1)))
        .order_by("late", "due_on", "id")[:PANEL_ROWS]
    )
    return MeasurePanel(
        open=counts["open"],
        overdue=counts["overdue"],
        check_due=counts["check_due"],
        attention=[
            MeasureRow(
                measure=measure,
                overdue=is_overdue(measure.status, measure.due_on, today),
                check_due=check_is_due(
                    measure.status, measure.check_due_on, measure.check_result, today
                ),
                recurrence=None,
            )
            for measure in attention
        ],
    )


# --- Calendar feeds ------------------------------------------------------------------------------


def feed_for_token(digest: str) -> CalendarFeed | None:
    """The live feed with this token digest, of an active staff member; None otherwise."""
    return (
        CalendarFeed.objects.select_related("staff")
        .filter(digest=digest, revoked_at__isnull=True, staff__is_active=True)
        .first()
    )


def complaints_last_changed() -> datetime | None:
    """The moment of the latest recorded change of any complaint (reads left out): a feed's
    ``Last-Modified``. Every change of a deadline, term, action item or assignment is written
    to the audit log (R2), so no feed changed after it; one query, backwards over the primary
    key, stopping at the first change."""
    return (
        AuditEntry.objects.filter(complaint__isnull=False)
        .exclude(action="viewed")
        .order_by("-pk")
        .values_list("at", flat=True)
        .first()
    )


def feed_current(staff: Staff) -> CalendarFeed | None:
    """The staff member's live feed, if any."""
    return (
        CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class FeedComplaint:
    reference: str
    received_at: datetime  # the events' DTSTAMP: stable, so an unchanged feed is byte-identical
    contact_due: datetime | None  # None once contacted
    delay_notice_due: datetime | None  # None once sent
    settlement_due: datetime
    extended_until: date | None
    agreed_term: date | None


@dataclass(frozen=True)
class FeedAction:
    pk: int
    reference: str
    created_at: datetime
    due: date
    from_ruling: bool


def feed_items(staff: Staff) -> tuple[list[FeedComplaint], list[FeedAction]]:
    """What a staff member's calendar shows: the deadlines and agreed terms of the open
    complaints they received or handle (R3, R15, R16), and their own open action items (R9,
    R11) on complaints they may see (R2: an action alone gives no sight of a complaint).

    Two queries over indexes (receiver/handler with attention_due, action items per person).
    """
    complaints = (
        Complaint.objects.filter(Q(receiver=staff) | Q(handler=staff))
        .filter(attention_due__isnull=False)
        .order_by("attention_due", "id")
        .values_list(
            "reference",
            "received_at",
            "contact_due",
            "contacted_at",
            "delay_notice_due",
            "delay_notice_sent_at",
            "settlement_due",
            "extended_until",
            "agreed_term",
        )
    )
    actions = (
        ActionItem.objects.filter(
            who=staff, done_at__isnull=True, complaint__attention_due__isnull=False
        )
        .filter(complaint__in=Complaint.objects.filter(visible_to(staff)))
        .order_by("due", "id")
        .values_list("pk", "complaint__reference", "created_at", "due", "from_ruling")
    )
    return (
        [
            FeedComplaint(
                reference=reference,
                received_at=received_at,
                contact_due=None if contacted_at else contact_due,
                delay_notice_due=None if delay_sent else delay_due,
                settlement_due=settlement_due,
                extended_until=extended_until,
                agreed_term=agreed_term,
            )
            for (
                reference,
                received_at,
                contact_due,
                contacted_at,
                delay_due,
                delay_sent,
                settlement_due,
                extended_until,
                agreed_term,
            ) in complaints
        ],
        [
            FeedAction(
                pk=pk, reference=reference, created_at=created_at, due=due, from_ruling=from_ruling
            )
            for pk, reference, created_at, due, from_ruling in actions
        ],
    )
