"""Importing an institute's own register (#16 item 5; CONTRACT.md ``klachten import``): real
CSV and XLSX files through the command, a report per row, nothing half-imported, dates kept as
recorded with deadlines computed from them (R3, R16), history that alerts nobody, and
retention by the register's own dates (R5)."""

from __future__ import annotations

import csv
import io
import time as clock
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint, Reminder
from klachten.complaints.reminders import reminders_send
from klachten.complaints.satisfaction import satisfaction_ask
from klachten.customers.models import CustomerFile
from klachten.domain.deadlines import deadlines_for
from klachten.domain.workdays import AMSTERDAM
from klachten.mail.models import OutboxMessage
from klachten.organisation.models import Category, Course, Trainer
from klachten.organisation.selectors import organisation_terms, work_calendar
from klachten.privacy.retention import retention_run
from tests.complaints.conftest import NOW, customer_data

HEADER = [
    "Ontvangen",
    "Naam",
    "Straat",
    "Huisnummer",
    "Postcode",
    "Plaats",
    "E-mail",
    "Telefoon",
    "Kanaal",
    "Verslag",
    "Cursus",
    "Docent",
    "Categorie",
    "Afgehandeld",
    "Uitkomst",
]
GOOD = {
    "Ontvangen": "03-03-2025",
    "Naam": "Mevrouw A. Bakker",
    "Straat": "Lindenlaan",
    "Huisnummer": "12a",
    "Postcode": "3512ab",
    "Plaats": "Utrecht",
    "E-mail": "a.bakker@example.nl",
    "Telefoon": "030 123 4567",
    "Kanaal": "telefoon",
    "Verslag": "De cursusmap ontbrak bij de start.\nDe docent had kopieën.",
    "Cursus": "Excel basis",
    "Docent": "J. Smit",
    "Categorie": "Lesmateriaal",
    "Afgehandeld": "20-03-2025",
    "Uitkomst": "opgelost",
}


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def importer(manager):
    return manager


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **{key.replace("_", " "): value for key, value in changes.items()}}


def write_csv(
    path: Path,
    rows: Sequence[dict[str, Any]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
    header: Sequence[str] = HEADER,
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(name, "") for name in header])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for cells in rows:
        sheet.append(list(cells))
    workbook.save(path)
    return path


def run(path: Path, *args: str, by: str = "marco") -> tuple[str, int, str]:
    """The command as ``klachten import`` runs it: its report, exit status and refusal."""
    out = io.StringIO()
    try:
        call_command("import", str(path), "--received-by", by, *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode, str(error)
    return out.getvalue(), 0, ""


def nothing_written() -> bool:
    return not (
        Complaint.objects.exists()
        or CustomerFile.objects.exists()
        or Course.objects.exists()
        or Trainer.objects.exists()
        or Category.objects.exists()
        or AuditEntry.objects.exists()
        or OutboxMessage.objects.exists()
    )


# --- The report; nothing half --------------------------------------------------------------------


def test_a_dry_run_reports_every_row_and_writes_nothing(tmp_path, importer):
    path = write_csv(
        tmp_path / "register.csv",
        [
            row(),
            row(Postcode="35 12", Naam="B. de Jong", **{"E-mail": "nee"}),
            row(Verslag="Nog een keer", Afgehandeld="", Uitkomst=""),
        ],
    )
    out, status, refusal = run(path, "--dry-run")
    lines = out.splitlines()
    assert "Bestand: register.csv (CSV, scheidingsteken “;”, UTF-8 met BOM)." in lines
    assert "rij 2: in orde (ontvangen 03-03-2025, afgehandeld 20-03-2025, nieuwe klantmap)" in lines
    assert (
        "rij 3: geweigerd — Postcode: Een Nederlandse postcode is vier cijfers en twee letters, "
        "zoals 1234 AB. E-mail: Dit e-mailadres klopt niet." in lines
    )
    # The same customer twice in one file: one new customer file for both.
    assert "rij 4: in orde (ontvangen 03-03-2025, klantmap van rij 2)" in lines
    assert (
        lines[-1]
        == "Proef, er verandert niets: 0 meldingen zouden worden geïmporteerd, 1 rij geweigerd."
    )
    assert status == 1
    assert "er is niets geïmporteerd: 1 rij is geweigerd" in refusal
    assert nothing_written()


def test_a_dry_run_of_a_good_file_says_what_would_come_and_writes_nothing(tmp_path, importer):
    path = write_csv(
        tmp_path / "register.csv", [row(), row(Naam="B. de Jong", **{"E-mail": "b@example.nl"})]
    )
    out, status, _refusal = run(path, "--dry-run")
    assert status == 0
    assert (
        "Nieuw voor de lijsten (een import voegt ze toe): cursussen: Excel basis; trainers: "
        "J. Smit; categorieën: Lesmateriaal." in out
    )
    assert out.splitlines()[-1] == (
        "Proef, er verandert niets: 2 meldingen zouden worden geïmporteerd, 0 rijen geweigerd."
    )
    assert nothing_written()


def test_one_refused_row_refuses_the_whole_file(tmp_path, importer):
    """One transaction, all or nothing: a bad row, and not one complaint is imported."""
    path = write_csv(
        tmp_path / "register.csv",
        [row(), row(Verslag="Tweede"), row(Ontvangen="31-02-2025", Verslag="Derde")],
    )
    out, status, refusal = run(path)
    assert status == 1
    assert "rij 4: geweigerd — Ontvangen: “31-02-2025” bestaat niet." in out
    assert out.splitlines()[-1] == "0 meldingen geïmporteerd, 1 rij geweigerd."
    assert "--skip-invalid" in refusal
    assert nothing_written()


def test_skip_invalid_imports_the_good_rows_and_names_the_others(tmp_path, importer):
    path = write_csv(
        tmp_path / "register.csv",
        [row(), row(Verslag=""), row(Kanaal="fax", Naam="D. Smit", **{"E-mail": "d@example.nl"})],
    )
    out, status, _refusal = run(path, "--skip-invalid")
    assert status == 0
    assert "rij 3: geweigerd — Verslag: vul het verslag in: wat vertelde de klant?" in out
    assert "rij 4: geweigerd — Kanaal: “fax” is geen kanaal" in out
    [complaint] = Complaint.objects.all()
    assert f"rij 2: geïmporteerd als {complaint.reference}" in out
    assert out.splitlines()[-1] == "1 melding geïmporteerd, 2 rijen geweigerd."


def test_a_file_that_is_no_register_is_refused_with_exit_status_2(tmp_path, importer):
    old_excel = tmp_path / "oud.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    picture = tmp_path / "foto.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    no_report = write_csv(tmp_path / "kaal.csv", [row()], header=HEADER[:-6])
    for path, says in [
        (old_excel, "oud Excel-bestand (.xls)"),
        (picture, "geen tekstbestand (CSV)"),
        (tmp_path / "weg.csv", "bestaat niet"),
        (no_report, "Deze kolommen ontbreken in kaal.csv: verslag."),
    ]:
        out, status, refusal = run(path)
        assert status == 2, path
        assert says in refusal, refusal
        assert out == ""
    assert nothing_written()


def test_an_unknown_receiver_is_refused(tmp_path, importer):
    _out, status, refusal = run(write_csv(tmp_path / "r.csv", [row()]), by="niemand")
    assert status == 1
    assert "gebruikersnaam niemand" in refusal
    assert nothing_written()


# --- What an imported complaint is ----------------------------------------------------------------


def test_an_xlsx_register_with_date_cells_is_imported_as_recorded(tmp_path, importer):
    """Excel date cells and numbers; the received date kept (09:00, a date alone), closed on
    its date with its outcome; the lists get the course, trainer and category, and the trainer
    gives the course; the receiver is the one the import names (R15)."""
    path = write_xlsx(
        tmp_path / "register.xlsx",
        [
            ["Klachtenregister Kerngroep 2025"],
            [],
            [
                "Datum",
                "Voornaam",
                "Achternaam",
                "Adres",
                "Postcode",
                "Woonplaats",
                "Email",
                "Omschrijving",
                "Course",
                "Trainer",
                "Category",
                "Closed",
                "Outcome",
                "Lesdatum",
                "Locatie",
            ],
            [
                datetime(2025, 3, 3),
                "Anna",
                "Bakker",
                "Lindenlaan 12a",
                "3512 AB",
                "Utrecht",
                "anna@example.nl",
                "Cursusmap ontbrak.",
                "Excel basis",
                "J. Smit",
                "Lesmateriaal",
                datetime(2025, 3, 20),
                "solved",
                datetime(2025, 2, 27),
                "Utrecht, Jaarbeurs",
            ],
            [
                datetime(2025, 6, 1, 14, 30),
                "Bram",
                "de Jong",
                "Kerkstraat",
                3811,
                "Amersfoort",
                None,
                "Lokaal was dicht.",
                "Word",
                None,
                None,
                None,
                None,
                None,
                None,
            ],
        ],
    )
    out, status, refusal = run(path)
    assert status == 1
    assert "rij 5: geweigerd — Postcode: Een Nederlandse postcode" in out
    assert nothing_written()

    out, status, refusal = run(path, "--skip-invalid")
    assert status == 0, refusal
    complaint = Complaint.objects.select_related("course", "trainer", "category").get()
    assert complaint.received_at == datetime(2025, 3, 3, 9, 0, tzinfo=AMSTERDAM)
    assert complaint.reference == f"KG-2025-{complaint.pk:05d}"
    assert complaint.status == "closed"
    assert complaint.closed_at == datetime(2025, 3, 20, 17, 0, tzinfo=AMSTERDAM)
    assert complaint.outcome == "solved"
    assert complaint.attention_due is None
    assert complaint.imported_at == NOW
    assert complaint.receiver == complaint.handler == importer
    assert complaint.customer.name == "Anna Bakker"
    assert (complaint.customer.street, complaint.customer.house_number) == ("Lindenlaan", "12a")
    assert complaint.course.name == "Excel basis"
    assert complaint.trainer.name == "J. Smit"
    assert list(complaint.course.trainers.all()) == [complaint.trainer]
    assert complaint.category.name == "Lesmateriaal"
    assert complaint.training_date == date(2025, 2, 27)
    assert complaint.training_location == "Utrecht, Jaarbeurs"
    assert "Bestand: register.xlsx (Excel, eerste blad)." in out
    assert "Toegevoegd aan de lijsten: cursussen: Excel basis, Word" not in out  # row 5 refused
    assert (
        "Toegevoegd aan de lijsten: cursussen: Excel basis; trainers: J. Smit; categorieën: "
        "Lesmateriaal." in out
    )
    entry = AuditEntry.objects.get(complaint=complaint)
    assert entry.action == "imported"
    assert entry.actor == importer
    assert entry.after["file"] == "register.xlsx"
    assert entry.after["row"] == 4
    assert AuditEntry.objects.filter(action="settings.course_added", complaint=None).count() == 1


def test_the_deadlines_of_an_imported_complaint_are_computed_from_its_received_date(
    tmp_path, importer
):
    """R3, R16: the register's receipt moment, the product's own deadline rules."""
    path = write_csv(
        tmp_path / "r.csv", [row(Ontvangen="2026-04-02 14:00", Afgehandeld="", Uitkomst="")]
    )
    _out, status, _refusal = run(path)
    assert status == 0
    complaint = Complaint.objects.get()
    received = datetime(2026, 4, 2, 14, 0, tzinfo=AMSTERDAM)  # the Thursday before Easter
    expected = deadlines_for(received, work_calendar(), organisation_terms())
    assert complaint.received_at == received
    assert (
        complaint.contact_due
        == expected.contact_due
        == datetime(2026, 4, 7, 14, 0, tzinfo=AMSTERDAM)
    )
    assert complaint.delay_notice_due == expected.delay_notice_due
    assert complaint.settlement_due == expected.settlement_due
    # Open, and late: the overview puts it first; it waits for its receiver.
    assert complaint.status == "new"
    assert complaint.attention_due == complaint.contact_due


def test_history_alerts_nobody_but_what_is_still_ahead_is_reminded(tmp_path, importer):
    """No alert to management, no mail to anyone, no breach alerts for deadlines that had
    passed before the import, no satisfaction question for a case closed before it; a
    deadline still ahead at the import is reminded and alerted like any other."""
    path = write_csv(
        tmp_path / "r.csv",
        [
            row(Ontvangen="01-10-2026", Afgehandeld="", Uitkomst=""),
            row(Ontvangen="02-11-2026", Afgehandeld="", Uitkomst="", Naam="B", Verslag="Vandaag"),
            row(Ontvangen="12-10-2026", Afgehandeld="30-10-2026", Naam="C", Verslag="Opgelost"),
        ],
    )
    _out, status, refusal = run(path)
    assert status == 0, refusal
    assert not OutboxMessage.objects.exists()
    assert reminders_send(now=NOW) == 0
    assert satisfaction_ask(now=NOW) == 0
    assert not OutboxMessage.objects.exists()
    today = Complaint.objects.get(report="Vandaag")
    assert today.received_at == datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
    later = today.contact_due + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert reminders_send(now=later) >= 1
    breaches = Reminder.objects.filter(stage="breach")
    assert [reminder.complaint for reminder in breaches] == [today]


def test_retention_applies_by_the_registers_own_closing_date(tmp_path, importer):
    """R5: a case closed longer ago than the term (2 years) is named in the report and goes
    at the next retention run; one closed half a year ago stays."""
    path = write_csv(
        tmp_path / "r.csv",
        [
            row(Ontvangen="01-09-2023", Afgehandeld="15-09-2023", Verslag="Oud"),
            row(Ontvangen="01-04-2026", Afgehandeld="15-04-2026", Verslag="Recent"),
        ],
    )
    out, status, _refusal = run(path)
    assert status == 0
    assert (
        "Bewaartermijn (R5): 1 melding is langer dan 2 jaar geleden afgehandeld; de "
        "eerstvolgende bewaarronde anonimiseert die (rij 2)." in out
    )
    report = retention_run(now=NOW, dry_run=True)
    old = Complaint.objects.get(report="Oud")
    assert [reference for reference, _closed in report.complaints] == [old.reference]
    retention_run(now=NOW)
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert Complaint.objects.get(report="Recent").anonymised_at is None


def test_customers_are_matched_to_their_file_or_share_a_new_one(tmp_path, importer):
    from klachten.complaints.services import Checklist, complaint_register

    existing = complaint_register(
        receiver=importer,
        customer=customer_data(email="Bekend@Example.nl"),
        received_at=NOW - timedelta(days=1),
        channel="phone",
        report="Eerder",
        checklist=Checklist(),
        now=NOW - timedelta(days=1),
    ).customer
    path = write_csv(
        tmp_path / "r.csv",
        [
            row(**{"E-mail": "bekend@example.nl"}, Verslag="Een"),
            row(Naam="Nieuw Persoon", **{"E-mail": "nieuw@example.nl"}, Verslag="Twee"),
            row(Naam="Nieuw Persoon", **{"E-mail": "nieuw@example.nl"}, Verslag="Drie"),
            row(Naam="mevrouw a. bakker", **{"E-mail": ""}, Postcode="3512 AB", Verslag="Vier"),
        ],
    )
    out, status, _refusal = run(path, "--dry-run")
    assert status == 0
    assert (
        "rij 2: wordt geïmporteerd (ontvangen 03-03-2025, afgehandeld 20-03-2025, "
        "bestaande klantmap)" in out
    )
    assert (
        "rij 4: wordt geïmporteerd (ontvangen 03-03-2025, afgehandeld 20-03-2025, "
        "klantmap van rij 3)" in out
    )
    assert (
        "rij 5: wordt geïmporteerd (ontvangen 03-03-2025, afgehandeld 20-03-2025, "
        "bestaande klantmap)" in out
    )
    run(path)
    assert Complaint.objects.get(report="Een").customer == existing
    assert Complaint.objects.get(report="Vier").customer == existing
    assert (
        Complaint.objects.get(report="Twee").customer
        == Complaint.objects.get(report="Drie").customer
    )
    assert CustomerFile.objects.count() == 2
    existing.refresh_from_db()
    assert existing.email == "Bekend@Example.nl"  # never overwritten by the register


def test_importing_the_same_file_twice_doubles_nothing(tmp_path, importer):
    """The same receipt, customer and report once only; another customer's identical words
    (a cancelled class) are their own complaint."""
    path = write_csv(
        tmp_path / "r.csv",
        [row(), row(Verslag="Tweede"), row(Naam="B. de Jong", **{"E-mail": "b@example.nl"})],
    )
    assert run(path)[1] == 0
    out, status, _refusal = run(path, "--skip-invalid")
    first = Complaint.objects.get(report=GOOD["Verslag"], customer__name=GOOD["Naam"])
    assert f"rij 2: geweigerd — staat al in het systeem als {first.reference}." in out
    assert "rij 4: geweigerd — staat al in het systeem als" in out
    assert status == 1
    assert Complaint.objects.count() == 3


def test_courses_trainers_and_categories_are_matched_by_name_also_out_of_use(tmp_path, importer):
    retired = Course.objects.create(name="Excel Basis", active=False)
    path = write_csv(tmp_path / "r.csv", [row(Cursus="  excel   basis ")])
    out, status, _refusal = run(path)
    assert status == 0
    assert "cursussen:" not in out
    assert Complaint.objects.get().course == retired
    assert Course.objects.count() == 1


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8-sig"), (",", "utf-8"), ("\t", "utf-16"), (";", "cp1252")],
)
def test_every_csv_a_spreadsheet_writes_is_read(tmp_path, importer, delimiter, encoding):
    """Semicolons (Dutch Excel), commas, tabs (Excel's Unicode text); UTF-8 with or without a
    byte order mark, UTF-16, Windows-1252."""
    path = write_csv(
        tmp_path / "r.csv", [row(Naam="Zoë Müller-Çelik")], delimiter=delimiter, encoding=encoding
    )
    _out, status, refusal = run(path)
    assert status == 0, refusal
    assert Complaint.objects.get().customer.name == "Zoë Müller-Çelik"


def test_the_complaint_page_says_it_was_imported(tmp_path, importer):
    run(write_csv(tmp_path / "register.csv", [row(Afgehandeld="", Uitkomst="")]))
    complaint = Complaint.objects.get()
    client = Client()
    client.force_login(importer)
    html = client.get(f"/meldingen/{complaint.reference}/").content.decode()
    assert "Geïmporteerd uit het eigen register van de organisatie op" in html
    assert "Geïmporteerd uit register.csv, rij 2" in html
    assert "Directie is niet ingelicht" not in html
    assert "Excel basis" in html


# --- A large register -----------------------------------------------------------------------------


def test_a_register_of_5000_rows_with_errors_is_checked_and_imported_in_one_go(tmp_path, importer):
    """Issue #16, item 8: every 50th row has a wrong postcode; the dry run names exactly those,
    and --skip-invalid imports the other 4,900 in one transaction."""
    rows = []
    for number in range(5000):
        day = date(2025, 1, 1) + timedelta(days=number % 300)
        rows.append(
            row(
                Ontvangen=day.strftime("%d-%m-%Y"),
                Naam=f"Klant {number}",
                **{"E-mail": f"klant{number % 1500}@example.nl"},
                Postcode="12" if number % 50 == 7 else "3512 AB",
                Verslag=f"Verslag {number}",
                Cursus=f"Cursus {number % 12}",
                Afgehandeld="" if number % 3 else (day + timedelta(days=10)).strftime("%d-%m-%Y"),
                Uitkomst="",
            )
        )
    path = write_csv(tmp_path / "groot.csv", rows)
    started = clock.monotonic()
    out, status, _refusal = run(path, "--dry-run")
    checked = clock.monotonic() - started
    assert status == 1
    refused = [line for line in out.splitlines() if " geweigerd — " in line]
    assert len(refused) == 100
    assert refused[0].startswith("rij 9: geweigerd — Postcode:")
    assert nothing_written()

    started = clock.monotonic()
    out, status, _refusal = run(path, "--skip-invalid")
    imported = clock.monotonic() - started
    assert status == 0
    assert out.splitlines()[-1] == "4900 meldingen geïmporteerd, 100 rijen geweigerd."
    assert Complaint.objects.count() == 4900
    assert Complaint.objects.filter(status="closed").count() == len(
        [r for n, r in enumerate(rows) if r["Afgehandeld"] and n % 50 != 7]
    )
    assert CustomerFile.objects.count() == len({n % 1500 for n in range(5000) if n % 50 != 7})
    assert Course.objects.count() == 12
    assert not OutboxMessage.objects.exists()
    # Budgets a busy laptop keeps easily (here: a few seconds each).
    assert checked < 60, checked
    assert imported < 240, imported


def test_the_dashboard_judges_an_imported_complaint_only_by_its_dates(tmp_path, importer):
    """#16 item 5: the old register holds no call-back, checklist, card or delay notice, so an
    imported complaint counts for none of those measures (not as missed); settled within four
    weeks or not is known from its two dates and counts (R16)."""
    from klachten.reports.insight import period_numbers
    from klachten.reports.selectors import Period

    path = write_csv(
        tmp_path / "r.csv",
        [
            row(Ontvangen="02-03-2026", Afgehandeld="10-03-2026"),  # settled within 4 weeks
            row(Ontvangen="03-03-2026", Afgehandeld="30-04-2026", **{"E-mail": "b@example.nl"}),
        ],
    )
    assert run(path)[1] == 0
    figures = period_numbers(period=Period(date(2026, 3, 1), date(2026, 3, 1)), now=NOW)
    assert figures.counts["received"] == 2
    for key in ("r3", "r4", "r6", "r8", "r14", "r16", "delay_notice_in_time"):
        assert figures.compliance[key].applicable == 0, key
    settled = figures.compliance["settled_in_4_weeks"]
    assert (settled.met, settled.applicable) == (1, 2)
