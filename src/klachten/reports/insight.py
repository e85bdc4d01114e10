"""What the dashboard and the annual report show, put together from the selectors.

One place builds the figures, the charts and the tables, so the page, the PDF and the CSV say
the same thing. The kept month figures are brought up to date first (``services``); everything
else is added up from them, plus a few live counts over indexes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from klachten.complaints.models import Channel, Complaint
from klachten.domain.figures import DAY, HOUR, month_of, whole_units_between
from klachten.domain.workdays import WorkCalendar
from klachten.domain.working_time import working_time_between
from klachten.organisation.selectors import organisation_settings, work_calendar
from klachten.organisation.texts import working_hours_text
from klachten.reports import charts, selectors, services
from klachten.reports.models import ImprovementMeasure, MonthFigures
from klachten.reports.selectors import (
    Headline,
    MonthLine,
    OpenByDeadline,
    Period,
    PeriodFigures,
    Satisfaction,
)


@dataclass(frozen=True)
class Chart:
    """A chart and the same numbers as a table (for screen readers and for checking)."""

    key: str
    title: str
    svg: str
    headers: list[str]
    rows: list[list[str]]
    description: str = ""  # what the chart shows, in words (its alternative text in the PDF)


@dataclass(frozen=True)
class Insight:
    """The figures of a period, the same months a year earlier, and their charts."""

    period: Period
    figures: PeriodFigures
    previous: PeriodFigures
    satisfaction: Satisfaction | None
    charts: list[Chart]

    @property
    def months_with_year_before(self) -> list[tuple[MonthLine, MonthLine]]:
        """Each month of the period beside the same month a year earlier."""
        return list(zip(self.figures.months, self.previous.months, strict=True))


def decimal(value: float | None, places: int = 1) -> str:
    """A number the Dutch way: 91,7 (empty when there is none)."""
    if value is None:
        return ""
    return f"{value:.{places}f}".replace(".", ",")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{decimal(value, 0)}%"


def _months_for(period: Period, now: datetime) -> list[date]:
    return sorted({*period.months, *period.year_before().months, *selectors.headline_months(now)})


def _month_label(month: date, with_year: bool) -> str:
    return date_format(month, "M Y" if with_year else "M")


def _axis_month(month: date, with_year: bool) -> str:
    """A month under a chart: short ("mrt"), with the year below where a year starts."""
    return f"{date_format(month, 'M')}\n{month.year}" if with_year else date_format(month, "M")


def period_insight(*, period: Period, now: datetime) -> Insight:
    """The figures of ``period`` against a year earlier, with their charts, at ``now``."""
    months = sorted({*period.months, *period.year_before().months})
    return _insight(period, services.figures_refresh(months=months, now=now), None)


def _insight(
    period: Period, kept: Mapping[date, MonthFigures], open_: OpenByDeadline | None
) -> Insight:
    categories, root_causes = selectors.category_names(), selectors.root_cause_names()
    figures = selectors.period_figures(
        period=period, kept=kept, categories=categories, root_causes=root_causes
    )
    previous = selectors.period_figures(
        period=period.year_before(), kept=kept, categories=categories, root_causes=root_causes
    )
    chart_list = period_charts(figures, previous)
    if open_ is not None:
        chart_list.insert(0, open_chart(open_))
    return Insight(
        period=period,
        figures=figures,
        previous=previous,
        satisfaction=selectors.satisfaction(figures),
        charts=chart_list,
    )


def period_numbers(*, period: Period, now: datetime) -> PeriodFigures:
    """The figures of ``period`` alone, without charts (for the drill-down's count)."""
    kept = services.figures_refresh(months=period.months, now=now)
    return selectors.period_figures(
        period=period,
        kept=kept,
        categories=selectors.category_names(),
        root_causes=selectors.root_cause_names(),
    )


@dataclass(frozen=True)
class Dashboard:
    insight: Insight
    headline: Headline
    open: OpenByDeadline
    kept: Mapping[date, MonthFigures]  # the kept months it was added up from


def dashboard_figures_keep(*, now: datetime) -> int:
    """Keep the figures of the dashboard as it opens (this year, a year earlier, the headline
    months) current, so no visitor waits for them (#14: the first visit must not take
    seconds), and the whole of last year and of the year before, which last year's annual
    report shows and compares with (#17 item 1: at 1,000,000 complaints its first request
    computed those twelve months, 2.3 s before the PDF). Returns how many months are kept."""
    this_year = Period.this_year(now)
    last_year = Period.year(this_year.first.year - 1)
    months = sorted(
        {*_months_for(this_year, now), *last_year.months, *last_year.year_before().months}
    )
    return len(services.figures_refresh(months=months, now=now, verify=True))


def dashboard(*, period: Period, now: datetime) -> Dashboard:
    """Everything on the dashboard: a constant number of queries whatever the number of
    complaints (once the kept month figures are current)."""
    kept = services.figures_refresh(months=_months_for(period, now), now=now)
    open_ = selectors.open_by_deadline(now=now)
    return Dashboard(
        insight=_insight(period, kept, open_),
        headline=selectors.headline(now=now, kept=kept),
        open=open_,
        kept=kept,
    )


# --- Charts ---------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return f"chart-{name}"


def open_chart(open_: OpenByDeadline) -> Chart:
    labels = (_("Te laat"), _("Bijna te laat"), _("Op tijd"))
    values = (open_.late, open_.soon, open_.on_time)
    title = _("Open meldingen naar termijn")
    description = _("%(late)s te laat, %(soon)s bijna te laat, %(on_time)s op tijd.") % {
        "late": open_.late,
        "soon": open_.soon,
        "on_time": open_.on_time,
    }
    svg = charts.bar_chart(
        key=_key("open"),
        title=title,
        description=description,
        labels=labels,
        series=(charts.series(_("Open meldingen"), values),),
        horizontal=True,
    )
    return Chart(
        _key("open"),
        title,
        svg,
        [_("Termijn"), _("Aantal")],
        [[label, str(value)] for label, value in zip(labels, values, strict=True)],
        description,
    )


def period_charts(figures: PeriodFigures, previous: PeriodFigures) -> list[Chart]:
    """The charts of a period (dashboard and annual report alike)."""
    period = figures.period
    spans_years = period.first.year != period.last.year
    labels = tuple(
        _axis_month(line.month, spans_years and (index == 0 or line.month.month == 1))
        for index, line in enumerate(figures.months)
    )
    language = get_language() or ""
    made: list[Chart] = []

    # Received per month, against the same month a year earlier: within one year the bars are
    # named by their years, so last year's bars say which year they are.
    if spans_years:
        this_name, before_name = _("Deze periode"), _("Een jaar eerder")
    else:
        this_name, before_name = str(period.first.year), str(period.first.year - 1)
    title = _("Meldingen per maand")
    description = _(
        "Aantal ontvangen meldingen per maand, %(first)s tot en met %(last)s, naast dezelfde "
        "maand een jaar eerder. In totaal %(total)s, een jaar eerder %(before)s."
    ) % {
        "first": _month_label(period.first, True),
        "last": _month_label(period.last, True),
        "total": figures.counts["received"],
        "before": previous.counts["received"],
    }
    received = [line.received for line in figures.months]
    received_before = [line.received for line in previous.months]
    made.append(
        Chart(
            _key("received"),
            title,
            charts.bar_chart(
                key=_key("received") + language,
                title=title,
                description=description,
                labels=labels,
                series=(
                    charts.series(this_name, received),
                    charts.series(before_name, received_before),
                ),
            ),
            [_("Maand"), this_name, before_name],
            [
                [_month_label(line.month, True), str(line.received), str(before.received)]
                for line, before in zip(figures.months, previous.months, strict=True)
            ],
            description,
        )
    )

    # Compliance over time: the three deadlines (R3, R16).
    names = (
        _("Contact binnen 24 werkuren"),
        _("Afgehandeld binnen 4 weken"),
        _("Uitstelbericht op tijd"),
    )
    columns = [
        [line.contact_in_time for line in figures.months],
        [line.settled_in_4_weeks for line in figures.months],
        [line.delay_notice_in_time for line in figures.months],
    ]
    title = _("Termijnen gehaald per maand")
    description = _(
        "Aandeel meldingen per maand van ontvangst: contact binnen 24 werkuren (R3), "
        "afgehandeld binnen 4 weken en uitstelbericht op tijd (R16). Over de hele periode: "
        "%(r3)s, %(settled)s en %(delay)s."
    ) % {
        "r3": percent(figures.compliance["r3"].share),
        "settled": percent(figures.compliance["settled_in_4_weeks"].share),
        "delay": percent(figures.compliance["delay_notice_in_time"].share),
    }
    made.append(
        Chart(
            _key("deadlines"),
            title,
            charts.line_chart(
                key=_key("deadlines") + language,
                title=title,
                description=description,
                labels=labels,
                series=tuple(
                    charts.series(name, values) for name, values in zip(names, columns, strict=True)
                ),
            ),
            [_("Maand"), *names],
            [
                [_month_label(line.month, True), *(percent(column[index]) for column in columns)]
                for index, line in enumerate(figures.months)
            ],
            description,
        )
    )

    # Compliance per rule.
    lines = figures.rule_lines()
    title = _("Naleving per regel")
    description = "; ".join(f"{line.rule} {line.label}: {percent(line.share)}" for line in lines)
    made.append(
        Chart(
            _key("rules"),
            title,
            charts.bar_chart(
                key=_key("rules") + language,
                title=title,
                description=description,
                labels=tuple(line.rule for line in lines),
                series=(charts.series(_("Nageleefd"), [line.share for line in lines]),),
                percent=True,
                horizontal=True,
            ),
            [_("Regel"), _("Omschrijving"), _("Nageleefd")],
            [[line.rule, line.label, percent(line.share)] for line in lines],
            description,
        )
    )

    for name, title, tally in (
        ("categories", _("Meldingen per categorie"), figures.by_category),
        ("causes", _("Meldingen per oorzaak"), figures.by_root_cause),
    ):
        description = "; ".join(f"{item.name}: {item.count}" for item in tally) or _(
            "Geen meldingen in deze periode."
        )
        made.append(
            Chart(
                _key(name),
                title,
                charts.bar_chart(
                    key=_key(name) + language,
                    title=title,
                    description=description,
                    labels=tuple(item.name for item in tally) or (_("Geen"),),
                    series=(charts.series(_("Meldingen"), [item.count for item in tally] or [0]),),
                    horizontal=True,
                ),
                [_("Naam"), _("Aantal")],
                [[item.name, str(item.count)] for item in tally],
                description,
            )
        )
    return made


# --- The annual report -------------------------------------------------------------------------

SUMMARY_LIMIT = 250


@dataclass(frozen=True)
class Summary:
    """One complaint in a few words, without anything that identifies the customer or a
    colleague (R2): only the month, the category, the root cause, the channel and how it went."""

    month: date
    text: str


def _summary_text(values: Mapping[str, Any], calendar: WorkCalendar) -> str:
    received_at = values["received_at"]
    assert isinstance(received_at, datetime)  # noqa: S101 - a stored complaint
    parts = [str(values["category__name"] or _("zonder categorie"))]
    if values["root_cause__name"]:
        parts.append(_("oorzaak: %(cause)s") % {"cause": values["root_cause__name"]})
    channel = dict(Channel.choices).get(str(values["channel"]), str(values["channel"]))
    parts.append(_("via %(channel)s") % {"channel": str(channel).lower()})
    text = ", ".join(parts) + ". "
    contacted_at, contact_due = values["contacted_at"], values["contact_due"]
    if isinstance(contacted_at, datetime):
        # R3 counts the contact term in working hours, so the time to contact is told in them.
        worked = working_time_between(received_at, contacted_at, calendar)
        hours = int(worked.total_seconds() // HOUR)
        text += (
            ngettext(
                "Contact na %(hours)s werkuur, binnen de termijn. ",
                "Contact na %(hours)s werkuren, binnen de termijn. ",
                hours,
            )
            if contacted_at <= contact_due
            else ngettext(
                "Contact na %(hours)s werkuur, te laat. ",
                "Contact na %(hours)s werkuren, te laat. ",
                hours,
            )
        ) % {"hours": hours}
    ended = values["dispute_referred_at"] or values["closed_at"]
    if values["dispute_referred_at"]:
        text += _("Voorgelegd aan de onafhankelijke derde")
        text += _(", uitspraak gedaan. ") if values["ruling_at"] else _(", uitspraak volgt. ")
    if isinstance(ended, datetime):
        days = whole_units_between(received_at, ended, DAY)
        outcome = {
            "solved": _("opgelost"),
            "unsolved": _("niet opgelost"),
            "withdrawn": _("ingetrokken"),
            "ruling": _("afgehandeld na de uitspraak"),
        }.get(str(values["outcome"]), "")
        text += ngettext("Na %(days)s dag", "Na %(days)s dagen", days) % {"days": days}
        text += (": " + outcome + ".") if outcome else "."
    elif values["closed_at"] is None:
        text += _("Nog in behandeling.")
    return text.strip()


def annual_summaries(*, year: int, now: datetime) -> tuple[list[Summary], int]:
    """Short anonymised summaries of the year's complaints (the first ``SUMMARY_LIMIT`` by
    receipt) and how many there were in all. Built from recorded facts only, never from the
    report's or the solution's free text, which can hold names (R2)."""
    period = Period.year(year)
    complaints = Complaint.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
    rows = complaints.order_by("received_at", "id").values(
        "received_at",
        "category__name",
        "root_cause__name",
        "channel",
        "contact_due",
        "contacted_at",
        "closed_at",
        "outcome",
        "dispute_referred_at",
        "ruling_at",
    )[:SUMMARY_LIMIT]
    calendar = work_calendar()
    summaries = [
        Summary(month_of(row["received_at"]), _summary_text(row, calendar)) for row in rows
    ]
    total = len(summaries)
    if total == SUMMARY_LIMIT:
        total = complaints.count()
    return summaries, total


@dataclass(frozen=True)
class AnnualReport:
    year: int
    made_at: datetime
    insight: Insight
    measures: list[ImprovementMeasure]
    summaries: list[Summary]
    complaints: int
    organisation: str = ""  # the name in Instellingen, never a fixed one
    contact_term: str = ""  # R3 in words, "24 werkuren", as the settings say now


def annual_report(*, year: int, now: datetime) -> AnnualReport:
    """The annual complaints report of ``year``: figures, charts, summaries and measures."""
    period = Period.year(year)
    insight = period_insight(period=period, now=now)
    summaries, total = annual_summaries(year=year, now=now)
    organisation = organisation_settings()
    return AnnualReport(
        year=year,
        made_at=now,
        insight=insight,
        measures=selectors.improvement_measures(
            taken_from=period.first, taken_until=period.last_day
        ),
        summaries=summaries,
        complaints=total,
        organisation=organisation.name,
        contact_term=working_hours_text(organisation.contact_working_hours),
    )


def report_pdf(report: AnnualReport) -> bytes:
    """The annual report as a PDF (WeasyPrint, from the same charts as the page)."""
    from klachten.core.pdf import render_pdf

    return render_pdf("reports/annual_report.html", {"report": report})


@dataclass(frozen=True)
class CsvStyle:
    """How numbers and dates are written in the CSV, for the spreadsheet of the reader's
    language: Dutch Excel splits on semicolons and reads 60,0 and 31-12-2026; English
    spreadsheets split on commas and read 60.0 and 2026-12-31 (ISO 8601)."""

    delimiter: str
    decimal_point: str
    date_format: str

    def number(self, value: float | None, places: int = 1) -> str:
        if value is None:
            return ""
        return f"{value:.{places}f}".replace(".", self.decimal_point)

    def day(self, value: date) -> str:
        return value.strftime(self.date_format)


DUTCH_CSV = CsvStyle(delimiter=";", decimal_point=",", date_format="%d-%m-%Y")
ENGLISH_CSV = CsvStyle(delimiter=",", decimal_point=".", date_format="%Y-%m-%d")

# OWASP, "CSV Injection": a cell a spreadsheet would read as a formula starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text: one that would start a formula
    (a category named ``=HYPERLINK(…)``) gets a leading apostrophe (OWASP)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_style(language: str | None) -> CsvStyle:
    return ENGLISH_CSV if (language or "").startswith("en") else DUTCH_CSV


def report_csv(report: AnnualReport) -> bytes:
    """The annual report's figures for a spreadsheet, one figure per line, UTF-8 with BOM, in
    the active language: Dutch with semicolons, decimal commas and dd-mm-jjjj; English with
    commas, decimal points and ISO dates. Every share stands beside its count and the number
    it is out of; no cell can start a formula."""
    style = csv_style(get_language())
    figures, previous = report.insight.figures, report.insight.previous
    period = figures.period
    first, last = style.day(period.first), style.day(period.last_day)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator="\r\n")

    def line(cells: list[object]) -> None:
        writer.writerow([spreadsheet_cell(cell) for cell in cells])

    line(
        [
            _("Onderdeel"),
            _("Omschrijving"),
            _("Regel"),
            _("Van"),
            _("Tot en met"),
            _("Aantal"),
            _("Van toepassing"),
            _("Percentage"),
        ]
    )

    def row(
        part: str,
        what: str,
        rule: str = "",
        *,
        start: str = first,
        end: str = last,
        count: int | str = "",
        applicable: int | str = "",
        pct: float | None = None,
    ) -> None:
        line([part, what, rule, start, end, count, applicable, style.number(pct)])

    counts = figures.counts
    row(_("Meldingen"), _("Ontvangen"), count=counts["received"])
    row(
        _("Meldingen"),
        _("Ontvangen, een jaar eerder"),
        start=style.day(previous.period.first),
        end=style.day(previous.period.last_day),
        count=previous.counts["received"],
    )
    row(_("Meldingen"), _("Nog open"), count=counts["still_open"])
    for outcome, label in (
        ("solved", _("Afgesloten: opgelost")),
        ("unsolved", _("Afgesloten: niet opgelost")),
        ("withdrawn", _("Afgesloten: ingetrokken")),
        ("ruling", _("Afgesloten: na uitspraak")),
    ):
        row(_("Uitkomst"), label, count=counts[f"closed_{outcome}"])
    for key, label in (
        ("disputes_referred", _("Voorgelegd aan de onafhankelijke derde")),
        ("disputes_awaiting_ruling", _("Wacht op uitspraak")),
        ("disputes_ruled", _("Uitspraak gedaan")),
        ("disputes_closed_after_ruling", _("Afgesloten na uitspraak")),
    ):
        row(_("Geschillen"), label, "R11", count=counts[key])
    for measure in figures.compliance.values():
        row(
            _("Naleving"),
            measure.label,
            measure.rule,
            count=measure.met,
            applicable=measure.applicable,
            pct=measure.share,
        )
    row(
        _("Doorlooptijd"),
        _("Mediane tijd tot contact (uren)"),
        "R3",
        count=style.number(figures.median_contact_hours),
        applicable=figures.contacted,
    )
    row(
        _("Doorlooptijd"),
        _("Mediane tijd tot afhandeling (dagen)"),
        "R16",
        count=style.number(figures.median_settle_days),
        applicable=figures.settled,
    )
    sat = report.insight.satisfaction
    if sat is None:
        row(_("Tevredenheid"), _("Nog geen gegevens"), "R1")
    else:
        row(
            _("Tevredenheid"),
            _("Gemiddeld cijfer na afsluiten (1-5)"),
            "R1",
            count=style.number(sat.average_score),
            applicable=sat.answers,
        )
        row(
            _("Tevredenheid"),
            _("Voor de klant afgehandeld"),
            "R1",
            count=sat.settled,
            applicable=sat.answers,
            pct=sat.settled_share,
        )
        row(
            _("Tevredenheid"),
            _("Opnieuw geboekt, waar bekend"),
            "R1",
            count=sat.booked_again,
            applicable=sat.booked_again_known,
            pct=sat.booked_again_share,
        )
    for month in figures.months:
        start, end = style.day(month.month), style.day(Period(month.month, month.month).last_day)
        row(_("Per maand"), _("Ontvangen"), start=start, end=end, count=month.received)
        for label, measure in (
            (_("Contact binnen 24 werkuren"), month.contact),
            (_("Afgehandeld binnen 4 weken"), month.settled),
            (_("Uitstelbericht op tijd"), month.delay_notice),
        ):
            row(
                _("Per maand"),
                label,
                measure.rule,
                start=start,
                end=end,
                count=measure.met,
                applicable=measure.applicable,
                pct=measure.share,
            )
    for item in figures.by_category:
        row(_("Categorie"), item.name, count=item.count)
    for item in figures.by_root_cause:
        row(_("Oorzaak"), item.name, count=item.count)
    for taken in report.measures:
        # #16 item 2: what it addresses, who owns it, where it stands and whether it worked.
        causes = ", ".join(cause.name for cause in taken.root_causes.all())
        courses = ", ".join(course.name for course in taken.courses.all())
        topics = f"{_('oorzaken')}: {causes}" if causes else ""
        if courses:
            topics += f"{'; ' if topics else ''}{_('cursussen')}: {courses}"
        effect = (
            f"{taken.get_check_result_display()} ({style.day(taken.checked_on)})"
            if taken.check_result and taken.checked_on
            else _("nog niet gecontroleerd")
        )
        row(
            _("Verbetermaatregel"),
            f"{taken.title} ({topics}); {_('eigenaar')}: {taken.owner}; "
            f"{_('status')}: {taken.get_status_display()}; {_('effect')}: {effect}",
            start=style.day(taken.taken_on) if taken.taken_on else "",
            end="",
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_filename(year: int, file_format: str) -> str:
    return f"jaarverslag-meldingen-{year}.{file_format}"
