"""The register of complaints (#16 item 3): one row per complaint of a period, as XLSX and CSV,
from the dashboard's page, ``klachten register`` and ``GET /api/v1/register``.

The rows are checked against the hand counts of ``tests/reports/conftest.py`` (the world of
six complaints in March and April 2026) and against the dashboard's own figures: a deadline
is "met" in the register exactly when the dashboard counts it met (R3, R16). Files are read
back as a reader's spreadsheet would (openpyxl, the csv module); who may have a register is
checked through the real pages and API (R2).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klachten.accounts.services import token_create
from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint, SatisfactionSurvey
from klachten.complaints.services import Checklist, Imported, Training, complaint_register
from klachten.core.errors import Forbidden, InvalidInput
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation.models import Course, Trainer
from klachten.reports import insight, register
from klachten.reports.register import (
    register_all,
    register_csv,
    register_export,
    register_for,
    register_period_parse,
    register_require_access,
    register_xlsx,
)
from klachten.reports.selectors import Period
from tests.complaints.conftest import customer_data
from tests.conftest import ApiClient, logged_in
from tests.reports.conftest import LOOK, at

MARCH_APRIL = (date(2026, 3, 1), date(2026, 4, 30))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(LOOK, tick=False):
        yield


def _rows(staff, first=MARCH_APRIL[0], last=MARCH_APRIL[1], **options):
    return list(register_for(staff=staff, first=first, last=last, now=LOOK, **options).rows())


def _by_reference(rows):
    return {row.reference: row for row in rows}


@pytest.fixture
def trained(world, employee):
    """World's A with a course and trainer from the lists, where and when, and an answered
    satisfaction question (R1); one more complaint naming its course in the customer's own
    words (with a formula in them) and one taken over from the old register."""
    course = Course.objects.create(name="Leidinggeven")
    trainer = Trainer.objects.create(name="Jan Smit")
    Complaint.objects.filter(pk=world.a.pk).update(
        course=course,
        trainer=trainer,
        training_location="Utrecht",
        training_date=date(2026, 2, 27),
    )
    SatisfactionSurvey.objects.create(
        complaint=world.a,
        asked_at=at(3, 21),
        answered_at=at(3, 22),
        score=4,
        settled=True,
    )
    own_words = complaint_register(
        receiver=employee,
        customer=customer_data(name="De heer G", email="g@example.nl"),
        received_at=at(4, 2),
        channel="web",
        report="Verslag van G.",
        checklist=Checklist(),
        training=Training(course_text='=HYPERLINK("http://x")'),
        now=at(4, 2),
    )
    imported = complaint_register(
        receiver=employee,
        customer=customer_data(name="Mevrouw H", email="h@example.nl"),
        received_at=at(3, 16, 9),
        channel="letter",
        report="Verslag van H uit het oude register.",
        checklist=Checklist(),
        imported=Imported(file="oud.xlsx", row=2, closed_at=at(3, 20, 17), outcome="solved"),
        now=LOOK,
    )
    return world, own_words, imported


# --- The rows --------------------------------------------------------------------------------


def test_each_complaint_is_one_row_with_its_deadlines_as_the_hand_counts_say(world, manager):
    """R3, R16, R11: the verdicts of the six complaints at LOOK, as conftest's docstrings
    count them; oldest receipt first."""
    rows = _rows(manager)
    assert [row.reference for row in rows] == [
        world.a.reference,
        world.b.reference,
        world.c.reference,
        world.d.reference,
        world.f.reference,
        world.e.reference,
    ]
    found = _by_reference(rows)
    a, b, c = found[world.a.reference], found[world.b.reference], found[world.c.reference]
    d, f, e = found[world.d.reference], found[world.f.reference], found[world.e.reference]

    assert a.customer == "Mevrouw A"
    assert a.received_at == at(3, 2)
    assert a.channel == "Telefoon"
    assert (a.category, a.root_cause) == ("Planning", "Roosterwijziging")
    assert a.contacted_at == at(3, 2, 15)
    assert (a.contact_in_time, a.delay_notice_in_time) == (True, None)
    assert (a.settled_in_time, a.settled_as_promised) == (True, True)
    assert (a.outcome, a.closed, a.days_to_settle) == ("Opgelost", date(2026, 3, 20), 18)
    assert a.status == "Afgesloten"
    assert a.imported is False

    # B: contact 48 hours later, a delay notice in time, settled after 4 weeks but by the date
    # the notice gave.
    assert b.contact_in_time is False
    assert b.delay_notice_sent == date(2026, 3, 20)
    assert b.delay_notice_in_time is True
    assert b.delay_expected_date == date(2026, 4, 10)
    assert (b.settled_in_time, b.settled_as_promised) == (False, True)
    assert (b.outcome, b.days_to_settle) == ("Niet opgelost", 36)

    # C: never contacted, still open after every deadline.
    assert (c.contact_in_time, c.delay_notice_in_time) == (False, False)
    assert (c.settled_in_time, c.settled_as_promised) == (False, False)
    assert (c.outcome, c.closed, c.days_to_settle, c.category) == ("", None, None, "")

    # D: withdrawn an hour after receipt: the contact deadline does not apply.
    assert d.contact_in_time is None
    assert (d.settled_in_time, d.outcome, d.days_to_settle) == (True, "Ingetrokken", 0)

    # F: referred to the third party (the end of the own handling), ruling, closed (R11).
    assert f.dispute_referred == date(2026, 3, 16)
    assert f.ruling == date(2026, 3, 25)
    assert (f.closed, f.days_to_settle) == (date(2026, 3, 27), 7)
    assert f.outcome == "Afgehandeld na uitspraak"
    assert f.settled_in_time is True

    # E: contacted in time, open after its settlement deadline (end of Wed 29 April).
    assert (e.contact_in_time, e.settled_in_time, e.delay_notice_in_time) == (True, False, False)
    assert e.settlement_due == date(2026, 4, 29)
    assert e.delay_notice_due == date(2026, 4, 22)


def test_the_register_says_met_exactly_where_the_dashboard_counts_met(world, manager):
    """R3, R16: the register reuses the dashboard's verdicts, so its yes/no add up to the
    dashboard's met/applicable for the same months."""
    rows = _rows(manager)
    figures = insight.period_numbers(period=Period(date(2026, 3, 1), date(2026, 4, 1)), now=LOOK)
    for key, field in (
        ("r3", "contact_in_time"),
        ("delay_notice_in_time", "delay_notice_in_time"),
        ("settled_in_4_weeks", "settled_in_time"),
        ("r16", "settled_as_promised"),
    ):
        verdicts = [getattr(row, field) for row in rows]
        line = figures.compliance[key]
        assert verdicts.count(True) == line.met, key
        assert verdicts.count(True) + verdicts.count(False) == line.applicable, key


def test_course_trainer_training_satisfaction_and_import_are_in_the_row(trained, manager):
    """#16 item 1 and 5, R1: the course from the list or else in the customer's words; the
    satisfaction only once answered."""
    world, own_words, imported = trained
    found = _by_reference(_rows(manager))
    a = found[world.a.reference]
    assert (a.course, a.trainer) == ("Leidinggeven", "Jan Smit")
    assert (a.training_location, a.training_date) == ("Utrecht", date(2026, 2, 27))
    assert (a.satisfaction_score, a.satisfaction_settled) == (4, True)
    assert found[own_words.reference].course == '=HYPERLINK("http://x")'
    assert found[own_words.reference].satisfaction_score is None
    old = found[imported.reference]
    assert old.imported is True
    assert (old.closed, old.outcome, old.channel) == (date(2026, 3, 20), "Opgelost", "Brief")
    assert found[world.b.reference].imported is False


def test_the_period_is_inclusive_in_amsterdam_dates(employee, manager):
    """A complaint at 23:30 on 31 March in Amsterdam is March's, though it is 21:30 UTC; one
    at 00:15 on 1 April is April's, though it is still 31 March in UTC."""
    late = complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=datetime(2026, 3, 31, 23, 30, tzinfo=AMSTERDAM),
        channel="phone",
        report="Laat op de avond.",
        checklist=Checklist(),
        now=LOOK,
    )
    early = complaint_register(
        receiver=employee,
        customer=customer_data(email="b@example.nl"),
        received_at=datetime(2026, 4, 1, 0, 15, tzinfo=AMSTERDAM),
        channel="phone",
        report="Net na middernacht.",
        checklist=Checklist(),
        now=LOOK,
    )
    march = _rows(manager, date(2026, 3, 31), date(2026, 3, 31))
    april = _rows(manager, date(2026, 4, 1), date(2026, 4, 1))
    assert [row.reference for row in march] == [late.reference]
    assert [row.reference for row in april] == [early.reference]
    assert [row.reference for row in _rows(manager, date(2026, 3, 31), date(2026, 4, 1))] == [
        late.reference,
        early.reference,
    ]


def test_an_employees_register_holds_only_what_they_may_see_and_no_names(
    world, employee, make_staff
):
    """R2: an employee's register (should one be allowed later) holds the complaints they
    received or handle, and never a customer's name: the column is left out."""
    colleague = make_staff("sanne", "employee")
    theirs = complaint_register(
        receiver=colleague,
        customer=customer_data(name="Mevrouw Z"),
        received_at=at(3, 10),
        channel="desk",
        report="Verslag van Z.",
        checklist=Checklist(),
        now=at(3, 10),
    )
    mine = register_for(staff=colleague, first=MARCH_APRIL[0], last=MARCH_APRIL[1], now=LOOK)
    assert [row.reference for row in mine.rows()] == [theirs.reference]
    assert all(row.customer is None for row in mine.rows())
    assert "customer" not in [column.field for column in mine.columns]
    petra = _rows(employee)
    assert theirs.reference not in {row.reference for row in petra}
    assert len(petra) == 6


def test_management_may_leave_the_names_out(world, manager):
    rows = _rows(manager, names=False)
    assert len(rows) == 6
    assert all(row.customer is None for row in rows)


def test_the_rows_cost_the_same_queries_for_3_or_20_complaints(employee, manager):
    """One count and one query for the rows, whatever the number of complaints: no per-row
    query for the customer, course, trainer, category, root cause or satisfaction."""
    course = Course.objects.create(name="Excel")
    trainer = Trainer.objects.create(name="Ria")

    def add(n: int) -> None:
        for i in range(n):
            moment = at(3, 2) + timedelta(hours=i)
            made = complaint_register(
                receiver=employee,
                customer=customer_data(email=f"k{i}-{n}@example.nl"),
                received_at=moment,
                channel="phone",
                report=f"Verslag {i}.",
                checklist=Checklist(),
                training=Training(course=course, trainer=trainer),
                now=moment,
            )
            SatisfactionSurvey.objects.create(
                complaint=made, asked_at=moment, answered_at=moment, score=3, settled=False
            )

    def queries() -> int:
        reg = register_for(staff=manager, first=MARCH_APRIL[0], last=MARCH_APRIL[1], now=LOOK)
        with CaptureQueriesContext(connection) as captured:
            register_xlsx(reg, io.BytesIO())
            register_csv(reg, io.BytesIO())
        return len(captured)

    add(3)
    few = queries()
    add(17)
    assert Complaint.objects.count() == 20
    assert queries() == few
    assert few <= 5  # xlsx: count, versions (R17), rows; csv: versions, rows


# --- The files -------------------------------------------------------------------------------


def test_the_xlsx_has_typed_cells_a_bold_frozen_header_and_a_filter(trained, manager):
    """Dates are dates and numbers numbers, whatever the reader's locale (#16 item 3)."""
    world = trained[0]
    target = io.BytesIO()
    reg = register_for(staff=manager, first=MARCH_APRIL[0], last=MARCH_APRIL[1], now=LOOK)
    assert register_xlsx(reg, target) == 8
    book = openpyxl.load_workbook(io.BytesIO(target.getvalue()))
    sheet = book.worksheets[0]
    assert book.sheetnames == ["Register", "Toelichting"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Kenmerk", "Klant", "Ontvangen", "Kanaal"]
    assert "Contact op tijd (R3)" in header
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}9"
    assert sheet.column_dimensions["A"].width == 15
    assert sheet.max_row == 9

    column = {name: index for index, name in enumerate(header)}
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    a = rows[world.a.reference]
    received = a[column["Ontvangen"]]
    assert received.is_date
    assert received.value == datetime(2026, 3, 2, 10, 0)
    assert "hh:mm" in received.number_format
    closed = a[column["Afgesloten"]]
    assert closed.is_date
    assert closed.value == datetime(2026, 3, 20)
    assert closed.number_format == "dd-mm-yyyy"
    training = a[column["Datum training"]]
    assert training.is_date
    assert training.value == datetime(2026, 2, 27)
    score = a[column["Tevredenheid (1-5)"]]
    assert score.data_type == "n"
    assert score.value == 4
    days = a[column["Dagen tot afhandeling"]]
    assert days.data_type == "n"
    assert days.value == 18
    assert a[column["Contact op tijd (R3)"]].value == "ja"
    assert a[column["Uitstelbericht op tijd (R16)"]].value is None  # not needed
    assert rows[world.b.reference][column["Contact op tijd (R3)"]].value == "nee"
    assert a[column["Geïmporteerd"]].value == "nee"
    assert a[column["Klant"]].value == "Mevrouw A"
    # The customer's own words are text, never a formula.
    own = rows[trained[1].reference][column["Cursus"]]
    assert own.data_type == "s"
    assert own.value == '=HYPERLINK("http://x")'

    about = {row[0]: row[1] for row in book["Toelichting"].iter_rows(values_only=True)}
    assert about["Aantal meldingen"] == 8
    assert about["Meldingen ontvangen van"] == datetime(2026, 3, 1)
    assert about["Namen van klanten"] == "ja"


def test_the_csv_is_for_dutch_excel_with_iso_dates(trained, manager):
    world, own_words, _ = trained
    target = io.BytesIO()
    reg = register_for(staff=manager, first=MARCH_APRIL[0], last=MARCH_APRIL[1], now=LOOK)
    assert register_csv(reg, target) == 8
    raw = target.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["Kenmerk", "Klant", "Ontvangen"]
    assert "Geïmporteerd" in header
    line = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    a = line[world.a.reference]
    assert a["Ontvangen"] == "2026-03-02 10:00"
    assert a["Afgesloten"] == "2026-03-20"
    assert a["Afhandeling uiterlijk"] == "2026-03-30"
    assert a["Tevredenheid (1-5)"] == "4"
    assert a["Contact op tijd (R3)"] == "ja"
    assert a["Uitstelbericht op tijd (R16)"] == ""
    assert line[world.b.reference]["Contact op tijd (R3)"] == "nee"
    # OWASP: a cell that would start a formula gets an apostrophe.
    assert line[own_words.reference]["Cursus"] == '\'=HYPERLINK("http://x")'


def test_an_xlsx_with_more_rows_than_a_sheet_is_refused(world, manager, monkeypatch):
    monkeypatch.setattr(register, "EXCEL_MAX_ROWS", 5)
    reg = register_for(staff=manager, first=MARCH_APRIL[0], last=MARCH_APRIL[1], now=LOOK)
    with pytest.raises(InvalidInput) as refused:
        register_xlsx(reg, io.BytesIO())
    assert refused.value.code == "too_many_rows"
    assert "Kies CSV of een kortere periode" in refused.value.detail


def test_a_reversed_or_impossible_period_is_refused():
    with pytest.raises(InvalidInput) as reversed_:
        register_period_parse("2026-04-01", "2026-03-01")
    assert reversed_.value.code == "period_reversed"
    assert reversed_.value.field == "to"
    with pytest.raises(InvalidInput) as wrong:
        register_period_parse("2026-02-30", "2026-03-01")
    assert wrong.value.code == "invalid_date"
    with pytest.raises(InvalidInput):
        register_period_parse("1850-01-01", "2026-03-01")


# --- Who may have it, and the log ------------------------------------------------------------


def test_only_management_may_have_the_register(employee, manager, admin_only, admin_user):
    """R2: an employee and an admin who is not management are refused."""
    for staff in (employee, admin_only):
        with pytest.raises(Forbidden):
            register_require_access(staff)
    register_require_access(manager)
    register_require_access(admin_user)


def test_every_export_is_written_to_the_audit_log(world, manager):
    """R2: who, when, the period, the format and the number of rows; no complaint."""
    reg = register_for(staff=manager, first=MARCH_APRIL[0], last=MARCH_APRIL[1], now=LOOK)
    found = register_export(register=reg, file_format="csv", actor=manager, now=LOOK)
    with found.file:
        assert found.file.read(3) == b"\xef\xbb\xbf"
    entry = AuditEntry.objects.get(action="register_exported")
    assert entry.complaint_id is None
    assert entry.actor == manager
    assert entry.at == LOOK
    assert entry.after == {
        "from": "2026-03-01",
        "to": "2026-04-30",
        "format": "csv",
        "rows": 6,
        "names": True,
    }
    assert found.filename == "register-meldingen-2026-03-01-2026-04-30.csv"


# --- The page --------------------------------------------------------------------------------


def test_the_dashboard_links_to_the_register_with_its_period(world, manager):
    page = logged_in(manager).get("/dashboard/?van=2026-03&tot=2026-04").content.decode()
    assert "/dashboard/register/?van=2026-03-01&amp;tot=2026-04-30" in page


def test_the_page_fills_in_the_period_and_downloads_the_file(world, manager):
    client = logged_in(manager)
    page = client.get("/dashboard/register/?van=2026-03-01&tot=2026-04-30")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Register van meldingen" in text
    assert 'value="2026-03-01"' in text
    assert AuditEntry.objects.filter(action="register_exported").count() == 0

    response = client.get(
        "/dashboard/register/", {"van": "2026-03-01", "tot": "2026-04-30", "formaat": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "register-meldingen-2026-03-01-2026-04-30.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.worksheets[0].max_row == 7
    assert AuditEntry.objects.get(action="register_exported").actor == manager


def test_the_page_gives_names_only_when_ticked(world, manager):
    """The checkbox, ticked by default on the form: unticked, the column is left out."""
    client = logged_in(manager)
    page = client.get("/dashboard/register/").content.decode()
    assert re.search(r"<input type=\"checkbox\" name=\"namen\"[^>]* checked>", page)
    period = {"van": "2026-03-01", "tot": "2026-04-30", "formaat": "csv"}
    with_names = client.get("/dashboard/register/", {**period, "namen": "on"})
    text = b"".join(with_names.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Kenmerk;Klant;Ontvangen;")
    assert "Mevrouw A" in text
    without = client.get("/dashboard/register/", period)
    text = b"".join(without.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Kenmerk;Ontvangen;")
    assert "Mevrouw A" not in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"van": "2026-13-01", "tot": "2026-04-30"}, "Vul een datum in als jjjj-mm-dd"),
        ({"van": "", "tot": "2026-04-30"}, "Vul de eerste dag van de periode in."),
        ({"van": "2026-04-30", "tot": "2026-03-01"}, "ligt vóór de begindatum"),
        ({"van": "1850-01-01", "tot": "2026-03-01"}, "Kies een datum van 1990 tot en met 2100."),
        ({"van": "2026-03-01", "tot": "2026-04-30", "formaat": "pdf"}, "Kies XLSX of CSV."),
    ],
)
def test_bad_input_gets_a_dutch_form_error_never_a_500(world, manager, query, message):
    response = logged_in(manager).get("/dashboard/register/", {"formaat": "xlsx", **query})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action="register_exported").exists()


@pytest.mark.parametrize("who", ["employee", "admin_only"])
def test_others_get_a_calm_refusal_on_the_page(world, request, who):
    staff = request.getfixturevalue(who)
    response = logged_in(staff).get(
        "/dashboard/register/", {"van": "2026-03-01", "tot": "2026-04-30", "formaat": "csv"}
    )
    assert response.status_code == 403
    assert "alleen voor de directie" in response.content.decode()
    assert not AuditEntry.objects.filter(action="register_exported").exists()


# --- The command -----------------------------------------------------------------------------


def test_the_command_writes_the_file_and_logs_it(world, tmp_path):
    output = tmp_path / "register.xlsx"
    out = io.StringIO()
    call_command(
        "register",
        "--from",
        "2026-03-01",
        "--to",
        "2026-04-30",
        "--format",
        "xlsx",
        "--output",
        str(output),
        stdout=out,
    )
    book = openpyxl.load_workbook(output)
    sheet = book.worksheets[0]
    assert sheet.max_row == 7
    assert sheet["B1"].value == "Klant"
    assert "6 meldingen" in out.getvalue()
    entry = AuditEntry.objects.get(action="register_exported")
    assert entry.actor is None
    assert entry.after["rows"] == 6


def test_the_command_without_names_writes_a_csv_without_them(world, tmp_path):
    output = tmp_path / "register.csv"
    call_command(
        "register",
        "--from=2026-03-01",
        "--to=2026-03-31",
        "--format=csv",
        f"--output={output}",
        "--without-names",
        stdout=io.StringIO(),
    )
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Kenmerk;Ontvangen;")
    assert len(lines) == 6  # the header and March's five


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "1-3-2026", "--to", "2026-03-31"], "--from is geen geldige datum"),
        (["--from", "2026-04-01", "--to", "2026-03-31"], "ligt vóór de begindatum"),
    ],
)
def test_the_command_refuses_bad_dates_in_dutch(db, tmp_path, args, message):
    output = tmp_path / "r.csv"
    with pytest.raises(CommandError, match=message):
        call_command("register", *args, "--format", "csv", "--output", str(output))
    assert not output.exists()


def test_the_command_refuses_a_folder_that_does_not_exist(db, tmp_path):
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command(
            "register",
            "--from=2026-03-01",
            "--to=2026-03-31",
            "--format=csv",
            f"--output={tmp_path / 'weg' / 'r.csv'}",
        )


# --- The API ---------------------------------------------------------------------------------


@pytest.fixture
def management_api(manager) -> ApiClient:
    _, token = token_create(staff=manager)
    return ApiClient(token)


def test_the_api_answers_the_register_as_csv_and_xlsx(world, management_api):
    response = management_api.get(
        "/api/v1/register", **{"from": "2026-03-01", "to": "2026-04-30", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(text.splitlines()) == 7
    assert "Mevrouw A" in text

    response = management_api.get(
        "/api/v1/register", **{"from": "2026-03-01", "to": "2026-04-30", "names": "false"}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.worksheets[0]["B1"].value == "Ontvangen"
    assert AuditEntry.objects.filter(action="register_exported").count() == 2


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"from": "2026-02-30", "to": "2026-04-30"}, "invalid_date", "from"),
        ({"from": "2026-04-30", "to": "2026-03-01"}, "period_reversed", "to"),
        ({"to": "2026-03-01"}, "invalid", "from"),
        ({"from": "2026-03-01", "to": "2026-04-30", "format": "pdf"}, "invalid", "format"),
    ],
)
def test_the_api_refuses_bad_input_with_a_code(db, management_api, params, code, field):
    response = management_api.get("/api/v1/register", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert body["field"] == field
    assert body["detail"]


def test_the_api_refuses_an_employee_with_403(world, api):
    """R2: the register is management's; the refusal is JSON with a stable code."""
    response = api.get("/api/v1/register", **{"from": "2026-03-01", "to": "2026-04-30"})
    assert response.status_code == 403
    assert response.json()["code"] == "management_only"
    assert "directie" in response.json()["detail"]
    assert not AuditEntry.objects.filter(action="register_exported").exists()


def test_the_api_documents_the_register(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/register"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"from", "to", "format", "names"} <= names
    assert {"200", "403", "422"} <= set(operation["responses"])


def test_the_command_line_register_covers_every_complaint(world, make_staff):
    """The command is the installation's operator: every complaint, whoever received it."""
    other = make_staff("sanne", "employee")
    complaint_register(
        receiver=other,
        customer=customer_data(name="Mevrouw Z"),
        received_at=at(3, 10),
        channel="desk",
        report="Verslag van Z.",
        checklist=Checklist(),
        now=at(3, 10),
    )
    rows = list(register_all(first=MARCH_APRIL[0], last=MARCH_APRIL[1], now=LOOK).rows())
    assert len(rows) == 7
    assert "Mevrouw Z" in {row.customer for row in rows}


def test_the_real_command_refuses_in_one_dutch_line(tmp_path):
    """As a newcomer types it: the data dir is brought up to date first, and a wrong date ends
    in one line, ``klachten: …``, never a traceback (issue #10)."""
    from tests.ops.test_cli import klachten

    result = klachten(
        tmp_path,
        "register",
        "--from",
        "2026-04-01",
        "--to",
        "2026-03-01",
        "--format",
        "csv",
        "--output",
        "r.csv",
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "klachten: de database is bijgewerkt naar deze versie.",
        "klachten: De einddatum (2026-03-01) ligt vóór de begindatum (2026-04-01).",
    ]
    written = klachten(
        tmp_path,
        "register",
        "--from=2026-01-01",
        "--to=2026-12-31",
        "--format=xlsx",
        "--output=leeg.xlsx",
    )
    assert written.returncode == 0, written.stderr
    assert "0 meldingen" in written.stdout
    assert openpyxl.load_workbook(tmp_path / "leeg.xlsx").worksheets[0].max_row == 1
