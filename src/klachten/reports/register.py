"""The register of complaints (#16 item 3): one row per complaint received in a period.

What an auditor of the quality mark (CRKBO, NRTO, ISO 10002) asks to see, and what management
hands over: each complaint's reference, receipt, channel, what it concerns (course, trainer,
location and date of the training), category and root cause, each deadline and whether it was
met (R3, R16), the delay notice, the outcome, the dispute and the ruling (R11), the customer's
satisfaction (R1), the closing, and whether it came from the institute's old register.

*Whether a deadline was met* is the dashboard's own verdict, computed by the same database
conditions (``reports.measures.verdict``, defined once in ``domain.figures``): met ("ja"),
not met ("nee"), or not (yet) applicable (an empty cell: a contact deadline still to come, a
delay notice that was not needed). The register never decides it another way, so its rows add
up to the dashboard's counts. The number of days to settle is the dashboard's too
(``WholeUnitsBetween``, up to the referral or the closing).

*Who sees what (R2).* A register holds the complaints its reader may see
(``complaints.selectors.complaints_for``) and the customers' names only for management
(``Staff.is_management``); without names the column is left out, not left empty. For now the
page, the API and the command are for management only (``register_require_access``); the
command is the installation's operator, who reads everything. Every register handed out is
written to the audit log (``register_exported``; no complaint, the period, the format and the
number of rows). Trainers are named, or "Trainer A" where management chose so (#16 item 1,
``organisation.pseudonyms``), the same letters as on the dashboard.

*Files.* XLSX (openpyxl in write-only mode: rows go to disk as they come) with typed cells: a
date is an Excel date with a date format, a moment of receipt or contact an Excel date-time in
Amsterdam local time (Excel knows no time zones), a number a number, a yes/no the words "ja"
and "nee" (a verdict also has "not yet", which an Excel boolean cannot say); the header row is
bold and frozen, with an autofilter and column widths, and a second sheet says what the
register covers. CSV for Dutch Excel: UTF-8 with BOM, semicolons, ISO dates (2026-03-02) and
moments (2026-03-02 10:00, Amsterdam time); a cell that would start a formula gets an
apostrophe (OWASP). Headers in the active language. The deadlines for the delay notice and the
settlement are always the end of a day (PROCEDURE.md, "Deadlines, exactly"): the register
gives that day. The contact deadline is a moment in working time, given as one; one that falls
at the end of a day shows as 00:00 of the next, the instant the API gives too.

One query for the rows whatever the length of the period (plus one count), read in chunks
(``iterator``): no per-row query, and memory stays flat for a year of a large institute.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import IO, Any, Final

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.complaints.models import OUTCOME_CHOICES, Channel, Complaint
from klachten.complaints.selectors import STATUS_LABELS, complaints_for
from klachten.core.errors import Forbidden, InvalidInput
from klachten.core.files import written_file
from klachten.core.timeparse import check_supported_year, parse_day
from klachten.domain.deadlines import deadline_day
from klachten.domain.figures import DAY, day_start
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation.models import Trainer
from klachten.organisation.pseudonyms import trainer_label, trainers_pseudonymised
from klachten.organisation.selectors import regulation_version_at, regulation_versions
from klachten.reports.insight import spreadsheet_cell
from klachten.reports.measures import WholeUnitsBetween, verdict, with_aliases

FORMATS: Final = ("xlsx", "csv")
CHUNK: Final = 2000  # rows read from the database at a time
EXCEL_MAX_ROWS: Final = 1_048_575  # a worksheet's 1,048,576 rows, less the header
CONTENT_TYPES: Final = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
EXPORTED: Final = "register_exported"  # the audit log's action


# --- Who may have it -----------------------------------------------------------------------------


def register_require_access(staff: Staff) -> None:
    """The register is management's, and the auditor's without customers' names (R2, #16
    item 4): an employee or an admin who is not management is refused (403), never handed a
    register."""
    if not staff.may_see_figures:
        raise Forbidden(
            "management_only",
            gettext_lazy("Het register van meldingen is alleen voor de directie."),
        )


# --- The period ----------------------------------------------------------------------------------


def register_period(
    first: date, last: date, *, first_field: str = "from", last_field: str = "to"
) -> tuple[date, date]:
    """The period from ``first`` to ``last``, both included (Amsterdam dates of receipt), or a
    refusal naming the field: a year the calendar does not know, or the end before the start."""
    check_supported_year(first.year, field=first_field)
    check_supported_year(last.year, field=last_field)
    if last < first:
        raise InvalidInput(
            "period_reversed",
            gettext_lazy("De einddatum (%(last)s) ligt vóór de begindatum (%(first)s)."),
            {"first": first.isoformat(), "last": last.isoformat()},
            field=last_field,
        )
    return first, last


def register_period_parse(
    first: str, last: str, *, first_field: str = "from", last_field: str = "to"
) -> tuple[date, date]:
    """``YYYY-MM-DD`` twice (the API and the command); every problem at once is not needed
    here: the first one found is refused with its field."""
    return register_period(
        parse_day(first, field=first_field),
        parse_day(last, field=last_field),
        first_field=first_field,
        last_field=last_field,
    )


def register_format(value: str, *, field: str = "format") -> str:
    """``xlsx`` or ``csv``; anything else is refused, naming both."""
    chosen = value.strip().lower()
    if chosen not in FORMATS:
        raise InvalidInput(
            "invalid_format",
            gettext_lazy("%(field)s moet xlsx of csv zijn."),
            {"field": field},
            field=field,
        )
    return chosen


# --- The rows ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One complaint as the register shows it. Moments are aware; a verdict is True (met),
    False (not met) or None (not applicable, or not yet)."""

    reference: str
    customer: str | None  # None when the reader may not see customers' names
    received_at: datetime
    channel: str
    course: str
    trainer: str
    training_location: str
    training_date: date | None
    category: str
    root_cause: str
    status: str
    contact_due: datetime
    contacted_at: datetime | None
    contact_in_time: bool | None  # R3
    delay_notice_due: date  # the end of this day
    delay_notice_sent: date | None
    delay_notice_in_time: bool | None  # R16
    delay_expected_date: date | None
    settlement_due: date  # the end of this day
    settled_in_time: bool | None  # R16, by the settlement deadline
    settled_as_promised: bool | None  # R16, or told in time and settled by the date given
    outcome: str
    dispute_referred: date | None  # R11
    ruling: date | None
    satisfaction_score: int | None  # R1, 1–5
    satisfaction_settled: bool | None
    closed: date | None
    days_to_settle: int | None
    imported: bool
    regulation_version: int | None  # R17: the version in force when it was received


TEXT, DATE, MOMENT, NUMBER, YES_NO = "text", "date", "moment", "number", "yes_no"


@dataclass(frozen=True)
class Column:
    """A column of the register: the row's field, its header, the kind of cell, its width."""

    field: str
    header: Promise
    kind: str
    width: int


COLUMNS: Final = (
    Column("reference", gettext_lazy("Kenmerk"), TEXT, 15),
    Column("customer", gettext_lazy("Klant"), TEXT, 28),
    Column("received_at", gettext_lazy("Ontvangen"), MOMENT, 17),
    Column("channel", gettext_lazy("Kanaal"), TEXT, 10),
    Column("course", gettext_lazy("Cursus"), TEXT, 28),
    Column("trainer", gettext_lazy("Trainer"), TEXT, 20),
    Column("training_location", gettext_lazy("Locatie training"), TEXT, 18),
    Column("training_date", gettext_lazy("Datum training"), DATE, 12),
    Column("category", gettext_lazy("Categorie"), TEXT, 18),
    Column("root_cause", gettext_lazy("Oorzaak"), TEXT, 18),
    Column("status", gettext_lazy("Status"), TEXT, 16),
    Column("contact_due", gettext_lazy("Contact uiterlijk"), MOMENT, 17),
    Column("contacted_at", gettext_lazy("Eerste contact"), MOMENT, 17),
    Column("contact_in_time", gettext_lazy("Contact op tijd (R3)"), YES_NO, 11),
    Column("delay_notice_due", gettext_lazy("Uitstelbericht uiterlijk"), DATE, 12),
    Column("delay_notice_sent", gettext_lazy("Uitstelbericht verstuurd"), DATE, 12),
    Column("delay_notice_in_time", gettext_lazy("Uitstelbericht op tijd (R16)"), YES_NO, 11),
    Column("delay_expected_date", gettext_lazy("Verwachte datum na uitstel"), DATE, 12),
    Column("settlement_due", gettext_lazy("Afhandeling uiterlijk"), DATE, 12),
    Column("settled_in_time", gettext_lazy("Afgehandeld op tijd (R16)"), YES_NO, 11),
    Column("settled_as_promised", gettext_lazy("Afgehandeld zoals beloofd (R16)"), YES_NO, 11),
    Column("outcome", gettext_lazy("Uitkomst"), TEXT, 16),
    Column("dispute_referred", gettext_lazy("Voorgelegd aan derde"), DATE, 12),
    Column("ruling", gettext_lazy("Datum uitspraak"), DATE, 12),
    Column("satisfaction_score", gettext_lazy("Tevredenheid (1-5)"), NUMBER, 10),
    Column("satisfaction_settled", gettext_lazy("Voor de klant afgehandeld"), YES_NO, 11),
    Column("closed", gettext_lazy("Afgesloten"), DATE, 12),
    Column("days_to_settle", gettext_lazy("Dagen tot afhandeling"), NUMBER, 10),
    Column("imported", gettext_lazy("Geïmporteerd"), YES_NO, 11),
    Column("regulation_version", gettext_lazy("Versie regeling (R17)"), NUMBER, 10),
)
assert [column.field for column in COLUMNS] == [  # noqa: S101 - one order, checked on import
    field.name for field in fields(RegisterRow)
]


@dataclass(frozen=True)
class Register:
    """The complaints received from ``first`` to ``last`` (Amsterdam dates, both included) that
    a reader may see, as they stand at ``now``; the rows are read when asked for."""

    first: date
    last: date
    now: datetime
    names: bool
    complaints: QuerySet[Complaint]
    pseudonymise_trainers: bool = False  # "Trainer A" instead of names (#16 item 1)

    @property
    def columns(self) -> list[Column]:
        return [column for column in COLUMNS if self.names or column.field != "customer"]

    def _in_period(self) -> QuerySet[Complaint]:
        return self.complaints.filter(
            received_at__gte=day_start(self.first),
            received_at__lt=day_start(self.last + timedelta(days=1)),
        )

    def count(self) -> int:
        """How many rows (one index range count)."""
        return self._in_period().count()

    def rows(self) -> Iterator[RegisterRow]:
        """The rows, oldest receipt first, in one query read ``CHUNK`` rows at a time."""
        values = (
            with_aliases(self._in_period())
            .annotate(
                contact_verdict=verdict("r3", self.now),
                delay_verdict=verdict("delay_notice_in_time", self.now),
                settled_verdict=verdict("settled_in_4_weeks", self.now),
                promised_verdict=verdict("r16", self.now),
                days=Case(
                    When(
                        ended_at__isnull=False,
                        then=WholeUnitsBetween("received_at", "ended_at", DAY),
                    ),
                    default=Value(None),
                    output_field=IntegerField(),
                ),
            )
            .order_by("received_at", "id")
            .values(*_VALUES, *(("customer__name",) if self.names else ()))
        )
        channels = {key: str(label) for key, label in Channel.choices}
        outcomes = {key: str(label) for key, label in OUTCOME_CHOICES}
        statuses = {key: str(label) for key, label in STATUS_LABELS.items()}
        versions = regulation_versions()  # a handful; each row looks its own up (R17)
        for found in values.iterator(chunk_size=CHUNK):
            version = regulation_version_at(found["received_at"], versions)
            yield _row(
                found,
                self.names,
                channels,
                outcomes,
                statuses,
                self.pseudonymise_trainers,
                version.number if version else None,
            )


_VALUES: Final = (
    "reference",
    "received_at",
    "channel",
    "course__name",
    "course_text",
    "trainer_id",
    "trainer__name",
    "training_location",
    "training_date",
    "category__name",
    "root_cause__name",
    "status",
    "contact_due",
    "contacted_at",
    "contact_verdict",
    "delay_notice_due",
    "delay_notice_sent_at",
    "delay_verdict",
    "delay_expected_date",
    "settlement_due",
    "settled_verdict",
    "promised_verdict",
    "outcome",
    "dispute_referred_at",
    "ruling_on",
    "ruling_at",
    "satisfaction__score",
    "satisfaction__settled",
    "satisfaction__answered_at",
    "closed_at",
    "days",
    "imported_at",
)


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(AMSTERDAM).date()


def _verdict(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _row(
    found: dict[str, Any],
    names: bool,
    channels: dict[str, str],
    outcomes: dict[str, str],
    statuses: dict[str, str],
    pseudonymise: bool = False,
    regulation_version: int | None = None,
) -> RegisterRow:
    answered = found["satisfaction__answered_at"] is not None
    return RegisterRow(
        reference=found["reference"],
        customer=found["customer__name"] if names else None,
        received_at=found["received_at"],
        channel=channels.get(found["channel"], found["channel"]),
        # The course from the list, else the customer's own words for it (the public form).
        course=found["course__name"] or found["course_text"] or "",
        # #16 item 1: "Trainer A" where management chose so (``organisation.pseudonyms``).
        trainer=trainer_label(
            Trainer(pk=found["trainer_id"], name=found["trainer__name"] or ""), pseudonymise
        ),
        training_location=found["training_location"],
        training_date=found["training_date"],
        category=found["category__name"] or "",
        root_cause=found["root_cause__name"] or "",
        status=statuses.get(found["status"], found["status"]),
        contact_due=found["contact_due"],
        contacted_at=found["contacted_at"],
        contact_in_time=_verdict(found["contact_verdict"]),
        delay_notice_due=deadline_day(found["delay_notice_due"]).day,
        delay_notice_sent=_day(found["delay_notice_sent_at"]),
        delay_notice_in_time=_verdict(found["delay_verdict"]),
        delay_expected_date=found["delay_expected_date"],
        settlement_due=deadline_day(found["settlement_due"]).day,
        settled_in_time=_verdict(found["settled_verdict"]),
        settled_as_promised=_verdict(found["promised_verdict"]),
        outcome=outcomes.get(found["outcome"], found["outcome"]),
        dispute_referred=_day(found["dispute_referred_at"]),
        ruling=found["ruling_on"] or _day(found["ruling_at"]),
        satisfaction_score=found["satisfaction__score"] if answered else None,
        satisfaction_settled=found["satisfaction__settled"] if answered else None,
        closed=_day(found["closed_at"]),
        days_to_settle=found["days"],
        imported=found["imported_at"] is not None,
        regulation_version=regulation_version,
    )


def register_for(
    *, staff: Staff, first: date, last: date, now: datetime, names: bool = True
) -> Register:
    """The register as ``staff`` may read it (R2): the complaints they may see, and customers'
    names only for management (and only when ``names``: management may leave them out of a
    register it hands on). An auditor reads every complaint's row, never a name (#16 item 4)."""
    return Register(
        first=first,
        last=last,
        now=now,
        names=names and staff.is_management,
        pseudonymise_trainers=trainers_pseudonymised(),
        complaints=Complaint.objects.all() if staff.is_auditor else complaints_for(staff),
    )


def register_all(*, first: date, last: date, now: datetime, names: bool = True) -> Register:
    """Every complaint of the period: for the command line, run by the installation's operator
    (who holds the database and its backups)."""
    return Register(
        first=first,
        last=last,
        now=now,
        names=names,
        complaints=Complaint.objects.all(),
        pseudonymise_trainers=trainers_pseudonymised(),
    )


# --- Writing it ----------------------------------------------------------------------------------


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("ja") if value else _("nee")


def _local(moment: datetime) -> datetime:
    """Amsterdam wall-clock time without a zone: what a spreadsheet can hold."""
    return moment.astimezone(AMSTERDAM).replace(tzinfo=None)


def _csv_cell(kind: str, value: Any) -> str:
    """A cell as CSV text: ISO dates, Amsterdam moments to the minute, "ja"/"nee"."""
    if kind == YES_NO:
        return _yes_no(value)
    if value is None:
        return ""
    if kind == MOMENT:
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if kind == DATE:
        return str(value.isoformat())
    if kind == NUMBER:
        return str(value)
    return spreadsheet_cell(value)


def register_csv(register: Register, target: IO[bytes]) -> int:
    """The register as CSV for Dutch Excel into ``target``; returns the number of rows."""
    columns = register.columns
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(column.header) for column in columns])
    count = 0
    for row in register.rows():
        writer.writerow([_csv_cell(column.kind, getattr(row, column.field)) for column in columns])
        count += 1
    text.flush()
    text.detach()  # leave ``target`` open for the caller
    return count


def _formats() -> tuple[str, str]:
    """Excel's number formats for a date and a moment, in the reader's language's order."""
    if (get_language() or "nl").startswith("en"):
        return "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
    return "dd-mm-yyyy", "dd-mm-yyyy hh:mm"


def register_xlsx(register: Register, target: IO[bytes]) -> int:
    """The register as an XLSX workbook into ``target``; returns the number of rows.

    Refused (``too_many_rows``) before anything is written when the period holds more
    complaints than a worksheet has rows: a CSV or a shorter period then.
    """
    from openpyxl import Workbook  # only when a workbook is made
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    expected = register.count()
    if expected > EXCEL_MAX_ROWS:
        raise InvalidInput(
            "too_many_rows",
            gettext_lazy(
                "De periode heeft %(count)s meldingen; een Excel-werkblad past er %(max)s. "
                "Kies CSV of een kortere periode."
            ),
            {"count": expected, "max": EXCEL_MAX_ROWS},
            field="format",
        )
    date_format, moment_format = _formats()
    columns = register.columns
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Register"))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header(text: str) -> Any:
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        cell.font = bold
        return cell

    def cell(column: Column, value: Any) -> Any:
        if value is None:
            return None
        if column.kind == TEXT:
            if not value:
                return None
            found = WriteOnlyCell(sheet, value=value)
            found.data_type = "s"  # text, never a formula, whatever it starts with
            return found
        if column.kind == YES_NO:
            return _yes_no(value)
        if column.kind == NUMBER:
            return value
        found = WriteOnlyCell(sheet, value=_local(value) if column.kind == MOMENT else value)
        found.number_format = moment_format if column.kind == MOMENT else date_format
        return found

    sheet.append([header(str(column.header)) for column in columns])
    count = 0
    for row in register.rows():
        sheet.append([cell(column, getattr(row, column.field)) for column in columns])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"

    about = workbook.create_sheet(_("Toelichting"))
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    for label, value in _about(register, count):
        first = WriteOnlyCell(about, value=label)
        first.font = bold
        if isinstance(value, date | datetime):
            second = WriteOnlyCell(
                about, value=_local(value) if isinstance(value, datetime) else value
            )
            second.number_format = moment_format if isinstance(value, datetime) else date_format
        else:
            second = WriteOnlyCell(about, value=value)
            if isinstance(value, str):
                second.data_type = "s"
        about.append([first, second])
    workbook.save(target)
    return count


def _about(register: Register, count: int) -> list[tuple[str, object]]:
    """What the workbook's second sheet says about the register."""
    return [
        (_("Meldingen ontvangen van"), register.first),
        (_("tot en met"), register.last),
        (_("Aantal meldingen"), count),
        (_("Gemaakt op"), register.now),
        (_("Namen van klanten"), _("ja") if register.names else _("nee")),
        (
            _("Termijnen"),
            _(
                "ja: gehaald; nee: niet gehaald; leeg: (nog) niet van toepassing, zoals een "
                "termijn die nog loopt of een uitstelbericht dat niet nodig was. Zoals het "
                "dashboard telt."
            ),
        ),
        (
            _("Tijden"),
            _(
                "Nederlandse tijd. Het uitstelbericht en de afhandeling zijn uiterlijk aan het "
                "eind van de genoemde dag nodig; contact op het genoemde moment."
            ),
        ),
        (
            _("Dagen tot afhandeling"),
            _("Hele kalenderdagen van ontvangst tot afsluiten of voorleggen aan de derde."),
        ),
    ]


WRITERS: Final = {"xlsx": register_xlsx, "csv": register_csv}


def register_filename(first: date, last: date, file_format: str) -> str:
    return f"register-meldingen-{first:%Y-%m-%d}-{last:%Y-%m-%d}.{file_format}"


# --- Handing it out (logged) ---------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFile:
    """A register written to a file (a temporary one at its start, unless the caller gave
    one), with what a download needs."""

    file: IO[bytes]
    rows: int
    filename: str
    content_type: str


def register_export(
    *,
    register: Register,
    file_format: str,
    actor: Staff | None,
    now: datetime,
    target: IO[bytes] | None = None,
) -> RegisterFile:
    """Write ``register`` as ``file_format`` into ``target`` (by default a temporary file, on
    disk, not in memory, rewound for reading; the caller closes it, as a ``FileResponse``
    does) and log that it was handed out (R2: ``register_exported``, no complaint, with the
    period, the format, the number of rows and whether names were in it). Nothing is logged
    when writing fails."""
    with written_file(target) as out:
        rows = WRITERS[file_format](register, out)
    audit_append(
        complaint=None,
        actor=actor,
        action=EXPORTED,
        now=now,
        after={
            "from": register.first.isoformat(),
            "to": register.last.isoformat(),
            "format": file_format,
            "rows": rows,
            "names": register.names,
        },
    )
    return RegisterFile(
        file=out,
        rows=rows,
        filename=register_filename(register.first, register.last, file_format),
        content_type=CONTENT_TYPES[file_format],
    )
