"""Courses and trainers as dimensions of the dashboard (#16 item 1).

Management's first question about a complaint is which course and which trainer it concerns,
so the dashboard shows, for its period, a table per course and one per trainer: the complaints
received, and how often contact came in time (R3) and the complaint was settled as promised
(R16: within 4 weeks, or after a timely delay notice by the date it gave). The verdicts are the
dashboard's own (``reports.measures.conditions``). The ten largest are named, the rest summed as
"Overige"; complaints without a course (or trainer) from the list under "Geen cursus" ("Geen
trainer") — a course the customer typed on the website's form is not on the list.

Trainers are named, or shown as "Trainer A" when management chose so
(``organisation.pseudonyms``). The drill-down lists the complaints behind a count (R2:
management only, through ``visible_to``), 50 to a page, in one query plus a count.

The counts are added up from the kept month figures, like the rest of the dashboard: per day
and course (trainer) ``reports.selectors.days_figures_compute`` keeps the complaints received
and the met and applicable counts of R3 and R16, so the dashboard reads no complaint rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klachten.accounts.models import Staff
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import STATUS_LABELS, visible_to
from klachten.core.errors import NotFound
from klachten.domain.figures import share
from klachten.organisation.models import Course, Trainer
from klachten.organisation.pseudonyms import trainer_label, trainers_pseudonymised
from klachten.reports import charts
from klachten.reports.insight import Chart
from klachten.reports.measures import verdict, with_aliases
from klachten.reports.models import MonthFigures
from klachten.reports.selectors import (
    DIMENSION_COUNTS,
    DIMENSION_TALLIES,
    Period,
    require_management,
)
from klachten.reports.selectors import NONE_KEY as NONE_KEY_KEPT
from klachten.reports.services import figures_refresh

Dimension = Literal["course", "trainer"]
DIMENSIONS: Final[dict[str, Dimension]] = {"cursus": "course", "trainer": "trainer"}
"""The dimensions by their (Dutch) URL segment."""
SEGMENT: Final = {dimension: segment for segment, dimension in DIMENSIONS.items()}

TOP: Final = 10  # named lines of a table; the rest is summed as "Overige"
OVER_TIME: Final = 5  # courses in the chart per month
NONE_KEY: Final = "geen"  # the line of complaints without a course (trainer)
REST_KEY: Final = "overige"  # the line of the courses (trainers) after the first ten


def none_label(dimension: Dimension) -> str:
    return _("Geen cursus") if dimension == "course" else _("Geen trainer")


def rest_label() -> str:
    return _("Overige")


@dataclass(frozen=True)
class DimensionLine:
    """One course or trainer (or "Geen", "Overige") with its figures in the period."""

    key: str  # the id as text, NONE_KEY or REST_KEY: the drill-down's address
    label: str
    received: int
    r3_met: int
    r3_applicable: int
    r16_met: int
    r16_applicable: int

    @property
    def r3_share(self) -> float | None:
        return share(self.r3_met, self.r3_applicable)

    @property
    def r3_not_met(self) -> int:
        return self.r3_applicable - self.r3_met

    @property
    def r16_share(self) -> float | None:
        return share(self.r16_met, self.r16_applicable)

    @property
    def r16_not_met(self) -> int:
        return self.r16_applicable - self.r16_met


@dataclass(frozen=True)
class DimensionTable:
    dimension: Dimension
    lines: list[DimensionLine]
    top_ids: tuple[int, ...]  # the named lines' ids: "Overige" is everything else with one

    @property
    def segment(self) -> str:
        return SEGMENT[self.dimension]

    @property
    def received(self) -> int:
        return sum(line.received for line in self.lines)


_COUNTS: Final = DIMENSION_COUNTS


def _in_period(period: Period) -> QuerySet[Complaint]:
    return Complaint.objects.filter(received_at__gte=period.start, received_at__lt=period.end)


def _label(dimension: Dimension, pk: int, name: str, pseudonymise: bool) -> str:
    if dimension == "trainer":
        return trainer_label(Trainer(pk=pk, name=name), pseudonymise)
    return name


def _tally(
    kept: Mapping[date, MonthFigures], months: list[date], dimension: Dimension
) -> dict[str, list[int]]:
    """The kept counts per course (trainer) of ``months`` added up."""
    name = DIMENSION_TALLIES[dimension]
    sums: dict[str, list[int]] = {}
    for month in months:
        row = kept.get(month)
        for key, values in (row.figures.get(name, {}) if row is not None else {}).items():
            before = sums.get(key) or [0] * len(values)
            sums[key] = [a + b for a, b in zip(before, values, strict=True)]
    return sums


def _names(dimension: Dimension, ids: list[int]) -> dict[int, str]:
    model = Course if dimension == "course" else Trainer
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))


def dimension_table(
    *,
    dimension: Dimension,
    period: Period,
    kept: Mapping[date, MonthFigures],
    pseudonymise: bool,
) -> DimensionTable:
    """The complaints of ``period`` per course (trainer) and their compliance with R3 and
    R16, largest first: the first ``TOP`` named, then "Overige", then "Geen".

    Added up from the kept month figures of the period (``kept``, made current by the caller
    through ``services.figures_refresh``), so it costs one query, for the names, however many
    complaints there are (#17: the dashboard reads no complaint rows).
    """
    tally = _tally(kept, period.months, dimension)
    ids = [int(key) for key in tally if key != NONE_KEY_KEPT]
    names = _names(dimension, ids)
    named: list[DimensionLine] = []
    without: DimensionLine | None = None
    for key, values in tally.items():
        figures = dict(zip(_COUNTS, values, strict=True))
        if key == NONE_KEY_KEPT:
            without = DimensionLine(NONE_KEY, none_label(dimension), **figures)
        else:
            pk = int(key)
            label = _label(dimension, pk, names.get(pk, f"#{pk}"), pseudonymise)
            named.append(DimensionLine(key, label, **figures))
    named.sort(key=lambda line: (-line.received, line.label.casefold(), int(line.key)))
    lines = named[:TOP]
    rest = named[TOP:]
    if rest:
        sums = {name: sum(getattr(line, name) for line in rest) for name in _COUNTS}
        lines.append(DimensionLine(REST_KEY, rest_label(), **sums))
    if without is not None:
        lines.append(without)
    return DimensionTable(
        dimension=dimension,
        lines=lines,
        top_ids=tuple(int(line.key) for line in named[:TOP]),
    )


# --- Over time: the largest courses per month ---------------------------------------------------


def courses_over_time(
    *, table: DimensionTable, period: Period, kept: Mapping[date, MonthFigures]
) -> Chart | None:
    """The complaints per month of the (up to) five largest courses of ``table``, from the
    kept month figures: no query. None when no course from the list has complaints."""
    top = [line for line in table.lines if line.key not in (NONE_KEY, REST_KEY)][:OVER_TIME]
    if not top:
        return None
    months = period.months
    per_line = [
        [_tally(kept, [month], "course").get(line.key, [0])[0] for month in months] for line in top
    ]
    spans_years = period.first.year != period.last.year
    labels = tuple(
        date_format(month, "M")
        + (f"\n{month.year}" if spans_years and (index == 0 or month.month == 1) else "")
        for index, month in enumerate(months)
    )
    title = _("Meldingen per maand van de grootste cursussen")
    description = _(
        "Aantal ontvangen meldingen per maand, %(first)s tot en met %(last)s, van de %(n)s "
        "cursussen met de meeste meldingen in de periode: %(names)s."
    ) % {
        "first": date_format(period.first, "M Y"),
        "last": date_format(period.last, "M Y"),
        "n": len(top),
        "names": ", ".join(line.label for line in top),
    }
    key = "chart-courses"
    svg = charts.bar_chart(
        key=key + (get_language() or ""),
        title=title,
        description=description,
        labels=labels,
        series=tuple(
            charts.series(line.label, values) for line, values in zip(top, per_line, strict=True)
        ),
    )
    return Chart(
        key,
        title,
        svg,
        [_("Maand"), *(line.label for line in top)],
        [
            [date_format(month, "M Y"), *(str(values[index]) for values in per_line)]
            for index, month in enumerate(months)
        ],
        description,
    )


@dataclass(frozen=True)
class Dimensions:
    """What the dashboard shows per course and per trainer (three queries, and the setting)."""

    courses: DimensionTable
    trainers: DimensionTable
    over_time: Chart | None
    pseudonymised: bool


def dashboard_dimensions(*, period: Period, kept: Mapping[date, MonthFigures]) -> Dimensions:
    """The tables per course and per trainer and the chart, from the kept month figures of
    ``period`` (three queries: the names of each and the setting)."""
    pseudonymise = trainers_pseudonymised()
    courses = dimension_table(dimension="course", period=period, kept=kept, pseudonymise=False)
    return Dimensions(
        courses=courses,
        trainers=dimension_table(
            dimension="trainer", period=period, kept=kept, pseudonymise=pseudonymise
        ),
        over_time=courses_over_time(table=courses, period=period, kept=kept),
        pseudonymised=pseudonymise,
    )


# --- The drill-down -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillRow:
    """A complaint behind a count: what it concerns and whether R3 and R16 were met."""

    reference: str
    received_at: datetime
    status: str
    handler: str
    category: str
    course: str
    trainer: str
    contact_in_time: bool | None
    settled_as_promised: bool | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


@dataclass(frozen=True)
class Drill:
    """The complaints of one line of a table: its name, how many, one page of them."""

    dimension: Dimension
    key: str
    label: str
    count: int
    rows: list[DrillRow]


def _drill_filter(
    dimension: Dimension, key: str, period: Period, now: datetime, pseudonymise: bool
) -> tuple[Q, str]:
    """Which complaints a line holds, and its label; NotFound for an unknown key."""
    field = f"{dimension}_id"
    if key == NONE_KEY:
        return Q(**{f"{field}__isnull": True}), none_label(dimension)
    if key == REST_KEY:
        table = dimension_table(
            dimension=dimension,
            period=period,
            kept=figures_refresh(months=period.months, now=now),
            pseudonymise=pseudonymise,
        )
        return (
            Q(**{f"{field}__isnull": False}) & ~Q(**{f"{field}__in": table.top_ids}),
            rest_label(),
        )
    model = Course if dimension == "course" else Trainer
    pk = int(key) if key.isdigit() and len(key) < 12 else None
    name = (
        model.objects.filter(pk=pk).values_list("name", flat=True).first()
        if pk is not None
        else None
    )
    if pk is None or name is None:
        raise NotFound("not_found", _("Deze cursus of trainer bestaat niet."))
    return Q(**{field: pk}), _label(dimension, pk, name, pseudonymise)


def _verdict(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def dimension_complaints(
    *,
    staff: Staff,
    dimension: Dimension,
    key: str,
    period: Period,
    now: datetime,
    pseudonymise: bool,
    limit: int,
    offset: int,
) -> Drill:
    """The complaints of ``period`` of one course (trainer), "Geen" or "Overige", newest
    first (R2: management only, through ``visible_to``): a count and a page."""
    require_management(staff)
    which, label = _drill_filter(dimension, key, period, now, pseudonymise)
    found = _in_period(period).filter(visible_to(staff)).filter(which)
    count = found.count()
    values = (
        with_aliases(found)
        .annotate(contact_verdict=verdict("r3", now), promised_verdict=verdict("r16", now))
        .order_by("-received_at", "-id")
        .values(
            "reference",
            "received_at",
            "status",
            "handler__username",
            "handler__first_name",
            "handler__last_name",
            "category__name",
            "course__name",
            "course_text",
            "trainer_id",
            "trainer__name",
            "contact_verdict",
            "promised_verdict",
        )[offset : offset + limit]
    )
    rows = [
        DrillRow(
            reference=row["reference"],
            received_at=row["received_at"],
            status=row["status"],
            handler=f"{row['handler__first_name']} {row['handler__last_name']}".strip()
            or (row["handler__username"] or ""),
            category=row["category__name"] or "",
            course=row["course__name"] or row["course_text"] or "",
            trainer=trainer_label(
                Trainer(pk=row["trainer_id"], name=row["trainer__name"] or ""), pseudonymise
            ),
            contact_in_time=_verdict(row["contact_verdict"]),
            settled_as_promised=_verdict(row["promised_verdict"]),
        )
        for row in values
    ]
    return Drill(dimension=dimension, key=key, label=label, count=count, rows=rows)
