"""``klachten report --year YYYY --format {pdf,csv} --output FILE`` (CONTRACT.md).

The CSV is read back with the csv module as Excel would (semicolons, BOM, Dutch dates and
decimals); the PDF's text is extracted with pypdf. Summaries name no customer and quote no
report (R2).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from klachten.complaints.services import complaint_read_log
from klachten.reports.services import measure_record
from tests.reports.conftest import LOOK


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(LOOK, tick=False):
        yield


@pytest.fixture
def measure(world, manager):
    return measure_record(
        actor=manager,
        title="Roosterwijzigingen twee weken vooraf melden",
        description="",
        root_causes=[world.timetable],
        taken_on=date(2026, 4, 15),
        now=LOOK,
    )


def _csv_rows(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def test_the_csv_has_every_figure_of_the_year_the_dutch_way(world, measure, tmp_path):
    output = tmp_path / "jaarverslag.csv"
    call_command("report", year=2026, file_format="csv", output=str(output), stdout=io.StringIO())
    rows = _csv_rows(output)
    assert rows[0] == [
        "Onderdeel",
        "Omschrijving",
        "Regel",
        "Van",
        "Tot en met",
        "Aantal",
        "Van toepassing",
        "Percentage",
    ]
    by_what = {(row[0], row[1], row[3]): row for row in rows[1:]}
    assert by_what[("Meldingen", "Ontvangen", "01-01-2026")][3:6] == [
        "01-01-2026",
        "31-12-2026",
        "6",
    ]
    r3 = by_what[("Naleving", "Contact binnen 24 werkuren", "01-01-2026")]
    assert r3[2:] == ["R3", "01-01-2026", "31-12-2026", "3", "5", "60,0"]
    delay = by_what[("Naleving", "Uitstelbericht op tijd (binnen 3 weken)", "01-01-2026")]
    assert delay[5:] == ["1", "3", "33,3"]
    median = by_what[("Doorlooptijd", "Mediane tijd tot contact (uren)", "01-01-2026")]
    assert median[5:7] == ["3,5", "4"]
    assert by_what[("Geschillen", "Voorgelegd aan de onafhankelijke derde", "01-01-2026")][5] == "1"
    assert by_what[("Per maand", "Ontvangen", "01-03-2026")][4:6] == ["31-03-2026", "5"]
    # Counts stand beside every share: 2 of the 4 March complaints with a contact verdict.
    march_r3 = by_what[("Per maand", "Contact binnen 24 werkuren", "01-03-2026")]
    assert march_r3[2:] == ["R3", "01-03-2026", "31-03-2026", "2", "4", "50,0"]
    march_settled = by_what[("Per maand", "Afgehandeld binnen 4 weken", "01-03-2026")]
    assert march_settled[5:] == ["3", "5", "60,0"]
    for share_row in rows[1:]:
        if share_row[7]:
            assert share_row[5] != ""
            assert share_row[6] != ""
    assert by_what[("Categorie", "Planning", "01-01-2026")][5] == "3"
    measures = [row for row in rows if row[0] == "Verbetermaatregel"]
    assert measures == [
        [
            "Verbetermaatregel",
            "Roosterwijzigingen twee weken vooraf melden (oorzaken: Roosterwijziging)",
            "",
            "15-04-2026",
            "",
            "",
            "",
            "",
        ]
    ]
    # Satisfaction after closing is not recorded yet: the report says so instead of a figure.
    assert ("Tevredenheid", "Nog geen gegevens", "01-01-2026") in by_what


def _pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_the_figures_the_charts_the_summaries_and_the_measures(
    world, measure, manager, tmp_path
):
    complaint_read_log(complaint=world.a, actor=manager, now=LOOK)
    output = tmp_path / "jaarverslag.pdf"
    call_command("report", year=2026, file_format="pdf", output=str(output), stdout=io.StringIO())
    text = " ".join(_pdf_text(output).split())
    assert "Jaarverslag meldingen 2026" in text
    assert "Contact binnen 24 werkuren" in text
    assert "3 van 5" in text
    assert "60%" in text
    assert "Meldingen per maand" in text  # a chart's title, drawn in the PDF
    assert "Roosterwijzigingen twee weken vooraf melden" in text
    assert "Voorgelegd aan de onafhankelijke derde" in text
    # Summaries: one per complaint, from recorded facts only.
    assert (
        "Planning, oorzaak: Roosterwijziging, via telefoon. Contact na 5 uur, binnen de termijn."
        in text
    )
    assert "Na 18 dagen: opgelost." in text
    assert "Nog in behandeling." in text
    for name in ("Mevrouw A", "De heer B", "Mevrouw C", "Verslag van", "Utrecht", "Lindenlaan"):
        assert name not in text  # R2: nothing that identifies a customer


def test_an_impossible_year_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="--year must lie between 1990 and 2100"):
        call_command("report", year=1850, file_format="csv", output=str(tmp_path / "x.csv"))


def test_a_missing_folder_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "report", year=2026, file_format="csv", output=str(tmp_path / "nope" / "x.csv")
        )
