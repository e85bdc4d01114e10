"""Taking over an institute's own complaints register (#16 item 5; ``klachten import``).

An institute that switches to this product brings the register it kept until now, as a CSV or
XLSX file (``klachten.core.tabular`` reads it, ``register_columns`` maps its columns). Every row
is checked with the intake's own rules — NAW, postcode, phone and e-mail (R6) through
``customer_data_problems``, a report (R5), a moment of receipt not in the future — and the
report says, row by row, what would be imported and why a row is refused.

What an import does, and why (docs/decisions.md, "Courses, trainers and importing a register"):

* Nothing half: the real run imports every row in one transaction, and only when no row is
  refused — unless ``skip_invalid``, which imports the good rows and names the others.
* Dates as the institute recorded them: a complaint is received when the register says (a date
  without a time at 09:00, the start of an office day), and its deadlines are computed from
  that receipt by ``complaint_register``, like any other (R3, R16). A row with a closing date
  is closed then (a date alone: at 17:00); the others are open, late as they may be.
* History, not news: an imported complaint is marked (``imported_at``) and logged as
  ``imported`` from its file and row; management is not alerted, no mail goes to anyone, and
  deadlines that had passed before the import raise no breach alerts.
* R2, R15: every imported complaint gets a receiver — the staff member the import names — who
  stays attached and can hand it on; without one, an old register would be every employee's.
* Customers: the customer file with the same e-mail address, or with the same postcode, house
  number and name (a household shares an address), or a new one, shared by the rows of the
  same customer. An existing file is never overwritten with the register's data.
* Courses, trainers and categories are matched by name (case and spaces do not matter, one
  out of use too); a name that is in no list is listed by the dry run and added by the real
  one — as management would in *Instellingen* — with the trainer added to the course.
* R5: retention applies by the complaint's own closing date: a row closed longer ago than the
  term is named in the report, and the next retention run anonymises it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Final, TypeVar

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.complaints import register_columns as columns
from klachten.complaints.models import Complaint
from klachten.complaints.services import Checklist, Imported, Training, complaint_register
from klachten.core.errors import ApplicationError
from klachten.core.tabular import Table, UnreadableTable, table_read
from klachten.core.timeparse import SUPPORTED_YEARS
from klachten.core.validation import MAX_TEXT
from klachten.customers.models import CustomerFile
from klachten.customers.validation import CustomerData, customer_data_problems
from klachten.domain import retention
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation.models import Category, Course, Trainer
from klachten.organisation.selectors import organisation_settings, settings_read_once

RECEIVED_TIME: Final = time(9, 0)  # a date without a time: the start of an office day
CLOSED_TIME: Final = time(17, 0)  # a closing date without a time: the end of one
HEADER_SEARCH: Final = 10  # the header line is the first of these that names two fields
CHUNK: Final = 500  # values per IN (...) of a look-up
LIST_NAME_MAX: Final = 100
DEFAULT_CHANNEL: Final = "phone"

LABELS: Final = {
    "received": _("ontvangen"),
    "reference": _("kenmerk"),
    "name": _("naam"),
    "first_name": _("voornaam"),
    "infix": _("tussenvoegsel"),
    "last_name": _("achternaam"),
    "street": _("straat"),
    "house_number": _("huisnummer"),
    "addition": _("toevoeging"),
    "postcode": _("postcode"),
    "town": _("plaats"),
    "country": _("land"),
    "email": _("e-mail"),
    "phone": _("telefoon"),
    "channel": _("kanaal"),
    "report": _("verslag"),
    "course": _("cursus"),
    "trainer": _("trainer"),
    "location": _("locatie"),
    "training_date": _("datum van de training"),
    "category": _("categorie"),
    "closed": _("afgehandeld"),
    "outcome": _("uitkomst"),
}
COUNTRIES: Final = {
    "nederland": "NL",
    "netherlands": "NL",
    "thenetherlands": "NL",
    "holland": "NL",
    "belgie": "BE",
    "belgium": "BE",
    "duitsland": "DE",
    "germany": "DE",
    "deutschland": "DE",
    "luxemburg": "LU",
    "luxembourg": "LU",
    "frankrijk": "FR",
    "france": "FR",
}
LISTS: Final[dict[str, type[Course] | type[Trainer] | type[Category]]] = {
    "course": Course,
    "trainer": Trainer,
    "category": Category,
}

T = TypeVar("T")


class RegisterUnreadable(ApplicationError):
    """The file cannot be read as a register: not a table, or its columns say too little."""

    status = 422


class ImportAborted(ApplicationError):
    """A row was refused while importing after all: nothing was imported (one transaction)."""

    status = 422


@dataclass
class Planned:
    """A row that can be imported, as it will be."""

    row: int
    received_at: datetime
    customer: CustomerData
    channel: str
    report: str
    names: dict[str, str]  # "course", "trainer", "category": the register's words
    location: str
    training_date: date | None
    closed_at: datetime | None
    outcome: str
    reference: str  # the register's own, if it had one
    customer_file: CustomerFile | None = None  # an existing file, matched
    shares_with: int | None = None  # the earlier row whose new customer file this row shares
    past_retention: bool = False


@dataclass(frozen=True)
class Refused:
    """A row that cannot be imported, and every reason why (in Dutch)."""

    row: int
    reasons: list[str]


@dataclass
class RegisterReport:
    """What an import did, or — dry — would do: per row, and for the file."""

    file: str
    table: Table
    columns: list[tuple[str, str]]  # (the file's header, the field it holds)
    ignored: list[str]
    planned: list[Planned] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    new_items: dict[str, list[str]] = field(default_factory=dict)
    retention_years: int = 2
    dry_run: bool = True
    skip_invalid: bool = False
    imported: dict[int, str] = field(default_factory=dict)  # row → the new reference

    @property
    def past_retention(self) -> list[Planned]:
        return [plan for plan in self.planned if plan.past_retention]

    @property
    def refused_all(self) -> bool:
        """Nothing is imported because a row was refused (without ``skip_invalid``)."""
        return bool(self.refused) and not self.skip_invalid


# --- Reading the file --------------------------------------------------------------------------


def register_read(path: Path) -> tuple[Table, int, columns.ColumnMap]:
    """The table, the index of its header line and what its columns hold.

    RegisterUnreadable when the file is no table, has no header line naming at least two of
    the register's columns among its first lines, names one field twice, or lacks a column a
    complaint cannot do without (received, name, street, postcode, town, report).
    """
    try:
        table = table_read(path, header_score=columns.header_score)
    except UnreadableTable as error:
        raise RegisterUnreadable(error.code, error.message, error.params) from None
    header_at = next(
        (
            index
            for index, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH])
            if columns.header_score(cells) >= 2
        ),
        None,
    )
    if header_at is None:
        raise RegisterUnreadable(
            "no_header",
            _(
                "%(file)s heeft geen kopregel met kolomnamen die het register noemen, zoals "
                "ontvangen, naam, postcode, plaats en verslag."
            ),
            {"file": path.name},
        )
    mapped = columns.columns_map(table.rows[header_at][1])
    if mapped.doubled:
        name, headers = next(iter(mapped.doubled.items()))
        raise RegisterUnreadable(
            "doubled_column",
            _("De kolommen %(headers)s betekenen allebei %(field)s: hernoem of verwijder er één."),
            {"headers": ", ".join(f"“{header}”" for header in headers), "field": LABELS[name]},
        )
    missing = mapped.missing()
    if missing:
        raise RegisterUnreadable(
            "missing_columns",
            _("Deze kolommen ontbreken in %(file)s: %(columns)s."),
            {"file": path.name, "columns": ", ".join(str(LABELS[name]) for name in missing)},
        )
    return table, header_at, mapped


# --- Checking the rows -------------------------------------------------------------------------


def _aware(moment: date | datetime, default: time) -> datetime:
    """A moment from the register in Europe/Amsterdam; a date alone at ``default``."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=AMSTERDAM)
    return datetime.combine(moment, default, tzinfo=AMSTERDAM)


def _date_problem(error: ValueError, value: Any) -> str:
    reason = str(error)
    if reason == "two_digit_year":
        return str(_("schrijf het jaar voluit, bijvoorbeeld 3-4-2025."))
    if reason in {"not_a_date", "unknown_month"}:
        return str(
            _("“%(value)s” is geen datum; schrijf bijvoorbeeld 3-4-2025 of 2025-04-03.")
            % {"value": columns.cell_text(value)}
        )
    return str(_("“%(value)s” bestaat niet.") % {"value": columns.cell_text(value)})


class _Row:
    """One row of the register, read field by field, collecting every reason to refuse it."""

    def __init__(self, number: int, cells: Sequence[Any], mapped: columns.ColumnMap) -> None:
        self.number, self.cells, self.mapped = number, cells, mapped
        self.reasons: list[str] = []

    def cell(self, name: str) -> Any:
        index = self.mapped.columns.get(name)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def text(self, name: str) -> str:
        return columns.cell_text(self.cell(name))

    def label(self, name: str) -> str:
        """The column as the file names it, or the field's Dutch name."""
        if name in self.mapped.columns:
            return self.mapped.header(name)
        return str(LABELS.get(name, name))

    def refuse(self, name: str, message: str) -> None:
        self.reasons.append(f"{self.label(name)}: {message}")

    def moment(self, name: str) -> date | datetime | None:
        value = self.cell(name)
        try:
            moment = columns.parse_moment(value)
        except ValueError as error:
            self.refuse(name, _date_problem(error, value))
            return None
        if moment is not None and moment.year not in SUPPORTED_YEARS:
            self.refuse(name, str(_("“%(value)s” ligt te ver weg.") % {"value": value}))
            return None
        return moment

    def limited(self, name: str, limit: int) -> str:
        value = self.text(name)
        if len(value) > limit:
            self.refuse(name, str(_("te lang (maximaal %(max)s tekens).") % {"max": limit}))
            return ""
        return value

    def is_empty(self) -> bool:
        return not any(columns.cell_text(self.cell(name)) for name in self.mapped.columns)


def _received(row: _Row, now: datetime) -> datetime | None:
    known = len(row.reasons)
    moment = row.moment("received")
    if moment is None:
        if len(row.reasons) == known:
            row.refuse("received", str(_("vul de datum van ontvangst in.")))
        return None
    received_at = _aware(moment, RECEIVED_TIME)
    if received_at > now:
        if isinstance(moment, datetime) or moment > now.astimezone(AMSTERDAM).date():
            row.refuse("received", str(_("ligt in de toekomst.")))
            return None
        received_at = now  # today, before the office day began
    return received_at


def _closed(row: _Row, received_at: datetime | None, now: datetime) -> datetime | None:
    """The closing moment; a date alone at the end of the office day, never before receipt
    nor after now."""
    moment = row.moment("closed")
    if moment is None or received_at is None:
        return None
    if isinstance(moment, datetime):
        closed_at = _aware(moment, CLOSED_TIME)
    elif not received_at.astimezone(AMSTERDAM).date() <= moment <= now.astimezone(AMSTERDAM).date():
        closed_at = _aware(moment, time())  # before receipt or after today: refused below
    else:
        closed_at = min(max(_aware(moment, CLOSED_TIME), received_at), now)
    if closed_at < received_at:
        row.refuse("closed", str(_("ligt vóór de datum van ontvangst.")))
        return None
    if closed_at > now:
        row.refuse("closed", str(_("ligt in de toekomst.")))
        return None
    return closed_at


def _customer(row: _Row) -> CustomerData | None:
    """The customer's NAW and contact details, checked as the intake checks them (R6)."""
    name = row.text("name") or columns.full_name(
        row.text(part) for part in ("first_name", "infix", "last_name")
    )
    street, number = row.text("street"), row.text("house_number")
    if street and not number:  # "Lindenlaan 12a" in one column
        street, number = columns.split_street(street)
    if addition := row.text("addition"):
        number = f"{number}{'' if addition[:1].isalpha() else '-'}{addition}"
    country = row.text("country")
    country = COUNTRIES.get(columns.header_key(country), country) or "NL"
    data = CustomerData(
        name=name,
        street=street,
        house_number=number,
        postcode=row.text("postcode"),
        town=row.text("town"),
        country=country,
        email=row.text("email"),
        phone=row.text("phone"),
    )
    cleaned, problems = customer_data_problems(data)
    for problem in problems:
        field_name = (problem.field or "").removeprefix("customer.")
        if field_name == "name" and "name" not in row.mapped.columns:
            field_name = "last_name"
        row.refuse(field_name, problem.detail)
    return cleaned


def _row_plan(row: _Row, now: datetime) -> Planned | None:
    """The row as it would be imported, or None with its reasons noted."""
    received_at = _received(row, now)
    closed_at = _closed(row, received_at, now)
    customer = _customer(row)
    report = str(row.cell("report") or "").replace("\r\n", "\n").strip()
    if not report:
        row.refuse("report", str(_("vul het verslag in: wat vertelde de klant?")))
    elif len(report) > MAX_TEXT:
        row.refuse("report", str(_("te lang (maximaal %(max)s tekens).") % {"max": MAX_TEXT}))
    channel = DEFAULT_CHANNEL
    if written := row.text("channel"):
        found = columns.parse_channel(written)
        if found is None:
            row.refuse(
                "channel",
                str(
                    _(
                        "“%(value)s” is geen kanaal; gebruik telefoon, balie, e-mail, brief of "
                        "website."
                    )
                    % {"value": written}
                ),
            )
        channel = found or channel
    outcome = ""
    if written := row.text("outcome"):
        outcome = columns.parse_outcome(written) or ""
        if not outcome:
            row.refuse(
                "outcome",
                str(
                    _(
                        "“%(value)s” is geen uitkomst; gebruik opgelost, niet opgelost, "
                        "ingetrokken of uitspraak."
                    )
                    % {"value": written}
                ),
            )
        elif closed_at is None and not row.text("closed"):
            row.refuse("outcome", str(_("een uitkomst hoort bij een afgehandelde melding.")))
    names = {kind: row.limited(kind, LIST_NAME_MAX) for kind in LISTS}
    location = row.limited("location", 200)
    day = row.moment("training_date")
    if isinstance(day, datetime):
        day = day.date()
    if row.reasons or received_at is None or customer is None:
        return None
    return Planned(
        row=row.number,
        received_at=received_at,
        customer=customer,
        channel=channel,
        report=report,
        names=names,
        location=location,
        training_date=day,
        closed_at=closed_at,
        outcome=outcome,
        reference=row.text("reference"),
    )


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _address_key(data: CustomerData) -> tuple[str, str, str]:
    return (data.postcode.upper(), data.house_number.casefold(), _name_key(data.name))


def _customer_files(planned: list[Planned]) -> None:
    """Each row's existing customer file (by e-mail, or by postcode, house number and name),
    or the earlier row whose new file it shares. Two queries per 500 rows, at most."""
    emails = sorted({plan.customer.email.casefold() for plan in planned if plan.customer.email})
    by_email: dict[str, CustomerFile] = {}
    for chunk in _chunks(emails):
        found = (
            CustomerFile.objects.filter(anonymised_at__isnull=True)
            .annotate(email_key=Lower("email"))
            .filter(email_key__in=chunk)
            .order_by("pk")
        )
        for customer in found:
            by_email.setdefault(customer.email_key, customer)
    postcodes = sorted({plan.customer.postcode for plan in planned})
    by_address: dict[tuple[str, str, str], CustomerFile] = {}
    for chunk in _chunks(postcodes):
        at_address = CustomerFile.objects.filter(anonymised_at__isnull=True, postcode__in=chunk)
        for resident in at_address.order_by("pk"):
            by_address.setdefault(
                (
                    resident.postcode.upper(),
                    resident.house_number.casefold(),
                    _name_key(resident.name),
                ),
                resident,
            )
    new: dict[object, int] = {}
    for plan in planned:
        email = plan.customer.email.casefold()
        plan.customer_file = by_email.get(email) or by_address.get(_address_key(plan.customer))
        if plan.customer_file is None:
            first = new.setdefault(email or _address_key(plan.customer), plan.row)
            plan.shares_with = first if first != plan.row else None


def _already_there(planned: list[Planned], refused: list[Refused]) -> list[Planned]:
    """A row that is in the file twice, or was imported before (the same receipt, customer
    and report), is refused: importing a file again does not double the register."""

    def key(received_at: datetime, report: str, name: str) -> tuple[datetime, str, str]:
        return received_at, report.strip(), _name_key(name)

    moments = sorted({plan.received_at for plan in planned})
    earlier: dict[tuple[datetime, str, str], str] = {}
    for chunk in _chunks(moments):
        found = Complaint.objects.filter(imported_at__isnull=False, received_at__in=chunk)
        for received_at, report, name, reference in found.values_list(
            "received_at", "report", "customer__name", "reference"
        ):
            earlier[key(received_at, report, name)] = reference
    seen: dict[tuple[datetime, str, str], int] = {}
    kept = []
    for plan in planned:
        found_key = key(plan.received_at, plan.report, plan.customer.name)
        if found_key in earlier:
            reason = _("staat al in het systeem als %(reference)s.") % {
                "reference": earlier[found_key]
            }
            refused.append(Refused(plan.row, [str(reason)]))
        elif found_key in seen:
            reason = _("staat al in rij %(row)s.") % {"row": seen[found_key]}
            refused.append(Refused(plan.row, [str(reason)]))
        else:
            seen[found_key] = plan.row
            kept.append(plan)
    return kept


class _Lists:
    """Courses, trainers and categories by name (case and spaces aside), also out of use."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {
            kind: {_name_key(item.name): item for item in model.objects.all()}
            for kind, model in LISTS.items()
        }

    def new_names(self, planned: list[Planned]) -> dict[str, list[str]]:
        """Per list, the names of the register that are in it nowhere, as first written."""
        new: dict[str, dict[str, str]] = {kind: {} for kind in LISTS}
        for plan in planned:
            for kind, name in plan.names.items():
                if name and _name_key(name) not in self.items[kind]:
                    new[kind].setdefault(_name_key(name), name)
        return {
            kind: sorted(names.values(), key=str.casefold) for kind, names in new.items() if names
        }

    def get(self, kind: str, name: str) -> Any:
        return self.items[kind].get(_name_key(name)) if name else None

    def complete(
        self, new: dict[str, list[str]], *, actor: Staff, file: str, now: datetime
    ) -> None:
        """Add the register's new names to the lists, logged as management's additions are."""
        for kind, names in new.items():
            model = LISTS[kind]
            for name in names:
                item = model.objects.create(name=" ".join(name.split()), active=True)
                self.items[kind][_name_key(name)] = item
                audit_append(
                    complaint=None,
                    actor=actor,
                    action=f"settings.{model._meta.model_name}_added",
                    now=now,
                    after={"id": item.pk, "name": item.name, "file": file},
                )

    def link(self, planned: list[Planned], *, actor: Staff, now: datetime) -> None:
        """A trainer the register names with a course gives that course."""
        pairs: dict[Course, set[Trainer]] = {}
        for plan in planned:
            course, trainer = (
                self.get("course", plan.names["course"]),
                self.get("trainer", plan.names["trainer"]),
            )
            if course is not None and trainer is not None:
                pairs.setdefault(course, set()).add(trainer)
        for course, trainers in pairs.items():
            before = set(course.trainers.values_list("pk", flat=True))
            added = {trainer.pk for trainer in trainers} - before
            if not added:
                continue
            course.trainers.add(*added)
            audit_append(
                complaint=None,
                actor=actor,
                action="settings.course_trainers",
                now=now,
                before={"id": course.pk, "trainers": sorted(before)},
                after={"id": course.pk, "trainers": sorted(before | added)},
            )


def register_check(
    *, path: Path, now: datetime, dry_run: bool = True, skip_invalid: bool = False
) -> RegisterReport:
    """Read and check a register without writing anything: what would be imported, what is
    refused and why, which customer files are matched, which names are new to the lists, and
    which rows retention (R5) anonymises at once. RegisterUnreadable for a file that is no
    register."""
    table, header_at, mapped = register_read(path)
    years = retention.check_term(organisation_settings().retention_years)
    report = RegisterReport(
        file=path.name,
        table=table,
        columns=[(mapped.header(name), str(LABELS[name])) for name in mapped.columns],
        ignored=mapped.ignored,
        retention_years=years,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    planned = []
    for number, cells in table.rows[header_at + 1 :]:
        row = _Row(number, cells, mapped)
        if row.is_empty():
            continue
        plan = _row_plan(row, now)
        if plan is None:
            report.refused.append(Refused(number, row.reasons))
        else:
            planned.append(plan)
    planned = _already_there(planned, report.refused)
    report.refused.sort(key=lambda refused: refused.row)
    _customer_files(planned)
    for plan in planned:
        facts = retention.RetentionFacts(
            closed_at=plan.closed_at, dispute_referred_at=None, ruling_at=None
        )
        plan.past_retention = plan.closed_at is not None and not retention.holds(
            facts, now, years=years
        )
    report.planned = planned
    report.new_items = _Lists().new_names(planned)
    return report


def register_import(
    *,
    path: Path,
    received_by: Staff,
    now: datetime,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> RegisterReport:
    """Import a register (``klachten import``): check every row, then — unless ``dry_run``,
    or a row was refused without ``skip_invalid`` — import the rows in one transaction.

    ``received_by`` becomes receiver and handler of every imported complaint (R15, R2). The
    settings and the calendar are read once for all rows.
    """
    with settings_read_once():
        report = register_check(path=path, now=now, dry_run=dry_run, skip_invalid=skip_invalid)
        if dry_run or report.refused_all or not report.planned:
            return report
        with transaction.atomic():
            lists = _Lists()
            lists.complete(report.new_items, actor=received_by, file=report.file, now=now)
            lists.link(report.planned, actor=received_by, now=now)
            new_files: dict[int, CustomerFile] = {}
            for plan in sorted(report.planned, key=lambda plan: (plan.received_at, plan.row)):
                shared = new_files.get(plan.shares_with) if plan.shares_with else None
                existing = plan.customer_file or shared
                try:
                    complaint = complaint_register(
                        receiver=received_by,
                        customer=None if existing else plan.customer,
                        customer_file=existing,
                        received_at=plan.received_at,
                        channel=plan.channel,
                        report=plan.report,
                        checklist=Checklist(),
                        category=lists.get("category", plan.names["category"]),
                        training=Training(
                            course=lists.get("course", plan.names["course"]),
                            trainer=lists.get("trainer", plan.names["trainer"]),
                            location=plan.location,
                            day=plan.training_date,
                        ),
                        imported=Imported(
                            file=report.file,
                            row=plan.row,
                            closed_at=plan.closed_at,
                            outcome=plan.outcome,
                        ),
                        now=now,
                    )
                except ApplicationError as error:
                    raise ImportAborted(
                        "row_refused",
                        _("rij %(row)s: %(reason)s Er is niets geïmporteerd."),
                        {"row": plan.row, "reason": error.detail},
                    ) from error
                if existing is None:
                    new_files[plan.row] = complaint.customer
                report.imported[plan.row] = complaint.reference
    return report
