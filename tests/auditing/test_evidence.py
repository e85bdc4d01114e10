"""The evidence pack for the quality-mark audit (#16 item 6): one ZIP for a period, its cover
mapping every NRTO/CRKBO and ISO 10002 §7–8 point to the files that evidence it, without a
customer's personal data anywhere in it (R2), retention proof counted from the data (R5)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from klachten.audit.models import AuditEntry
from klachten.auditing.services import sample_add
from klachten.complaints.models import Complaint, SatisfactionSurvey
from klachten.complaints.services import Checklist, complaint_register
from klachten.ops.evidence import (
    AUDIT_POINTS,
    COVER,
    evidence_pack,
    retention_proof,
    satisfaction_summary,
)
from klachten.reports.models import ImprovementMeasure
from tests.complaints.conftest import NOW, customer_data
from tests.conftest import logged_in

FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)
NAME = "Zwaantje Quispelhoorn"
PERSONAL = ("Quispelhoorn", "Zwaantje", "zwaantje.q@example.nl", "12345678", "Wilgenhof")
REPORT = (
    "Mevrouw Quispelhoorn belde: de cursusmap ontbrak. Terugbellen op 06-12345678 of mailen "
    "naar zwaantje.q@example.nl."
)
EVIDENCE_URLS = pytest.mark.urls("tests.auditing.evidence_urls")


@pytest.fixture
def world(employee, manager):
    """Three complaints of one customer with a distinctive name, two of them sampled, one
    answered satisfaction survey (with a comment naming her), one measure."""
    made = [
        complaint_register(
            receiver=employee,
            customer=customer_data(
                name=NAME, street="Wilgenhof", email="zwaantje.q@example.nl", phone="06-12345678"
            ),
            naw_checked=True,
            received_at=NOW - timedelta(days=days),
            channel="phone",
            report=REPORT,
            checklist=Checklist(not_interrupted=True),
            now=NOW - timedelta(days=days),
        )
        for days in (60, 30, 5)
    ]
    for complaint in made[:2]:
        sample_add(actor=manager, reference=complaint.reference, now=NOW)
    Complaint.objects.filter(pk=made[0].pk).update(
        status="closed", outcome="solved", closed_at=NOW - timedelta(days=40)
    )
    SatisfactionSurvey.objects.create(
        complaint=made[0],
        asked_at=NOW - timedelta(days=39),
        answered_at=NOW - timedelta(days=38),
        score=4,
        settled=True,
        comment=f"Dank, groet {NAME}",
    )
    ImprovementMeasure.objects.create(
        title="Cursusmappen vooraf controleren",
        owner=manager,
        due_on=date(2026, 10, 1),
        status="done",
        taken_on=date(2026, 9, 15),
        check_due_on=date(2026, 12, 1),
        recorded_by=manager,
        recorded_at=NOW - timedelta(days=60),
    )
    return made


def _pack(actor, now=NOW) -> zipfile.ZipFile:
    pack = evidence_pack(first=FIRST, last=LAST, actor=actor, now=now)
    data = pack.file.read()
    pack.file.close()
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == sorted(pack.names)
    return archive


def _links(pdf: bytes) -> list[str]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def _text(name: str, data: bytes) -> str:
    """Every word a file holds: a PDF's text, a workbook's XML, anything else as bytes."""
    if name.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if name.endswith(".xlsx"):
        book = zipfile.ZipFile(io.BytesIO(data))
        return "\n".join(book.read(part).decode("utf-8") for part in book.namelist())
    return data.decode("utf-8", errors="replace")


def test_the_zip_holds_every_file_its_cover_names(world, manager) -> None:
    archive = _pack(manager)
    names = set(archive.namelist())
    links = _links(archive.read(COVER))
    dossiers = {f"03-dossiers/{complaint.reference}.pdf" for complaint in world[:2]}

    assert dossiers <= names
    assert f"03-dossiers/{world[2].reference}.pdf" not in names  # not sampled
    assert set(links) <= names
    # Every file of the pack is linked from the cover, the cover aside.
    assert set(links) == names - {COVER}


def test_the_cover_lists_every_audit_point_and_the_period(world, manager) -> None:
    cover = " ".join(_text(COVER, _pack(manager).read(COVER)).split())

    assert "1 januari 2026 tot en met 31 december 2026" in cover
    assert "Kerngroep" in cover
    assert str(manager) in cover
    for point in AUDIT_POINTS:
        assert " ".join(str(point.title).split()) in cover, point.number
    assert "ISO 10002" in cover
    assert "NRTO / CRKBO" in cover
    assert "7.9" in cover
    assert "8.7" in cover


def test_no_customer_data_in_any_file_of_the_pack(world, manager) -> None:
    archive = _pack(manager)
    for name in archive.namelist():
        data = archive.read(name)
        text = _text(name, data)
        assert text.strip(), name  # something was read, so the check means something
        for personal in PERSONAL:
            assert personal.lower() not in text.lower(), (name, personal)
            assert personal.encode() not in data, (name, personal)
    dossier = _text("d.pdf", archive.read(f"03-dossiers/{world[0].reference}.pdf"))
    assert "[klant]" in dossier
    assert "de cursusmap ontbrak" in dossier


def test_the_register_opens_with_openpyxl_without_names(world, manager) -> None:
    data = _pack(manager).read("02-register-meldingen.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]

    assert headers[0] == "Kenmerk"
    assert "Klant" not in headers
    assert sheet.max_row == 4  # the header and three complaints
    assert {sheet.cell(row, 1).value for row in range(2, 5)} == {c.reference for c in world}


def test_the_satisfaction_results_count_per_score_and_settled(world) -> None:
    found = satisfaction_summary(first=FIRST, last=LAST)

    assert (found.asked, found.answered, found.settled_yes, found.settled_no) == (1, 1, 1, 0)
    assert dict(found.per_score) == {1: 0, 2: 0, 3: 0, 4: 1, 5: 0}
    assert found.settled_share == 1.0


def test_the_retention_proof_is_counted_from_the_data(world) -> None:
    """R5: what was anonymised, whether any went within a year of closing, what is overdue,
    and the oldest personal data still kept — from the database, not the settings."""
    kept, early = world[1], world[2]
    Complaint.objects.filter(pk=kept.pk).update(
        status="closed", closed_at=NOW - timedelta(days=900)
    )
    Complaint.objects.filter(pk=early.pk).update(
        status="closed",
        closed_at=NOW - timedelta(days=100),
        anonymised_at=NOW - timedelta(days=2),
    )
    proof = retention_proof(first=FIRST, last=LAST, now=NOW)

    assert proof.years == 2
    assert proof.anonymised_total == 1
    assert proof.anonymised_in_period == 1
    assert proof.anonymised_within_a_year == 1  # anonymised 98 days after closing
    assert proof.per_day == [((NOW - timedelta(days=2)).date(), 1)]
    assert proof.past_term_kept == 1  # closed 900 days ago, term 2 years
    assert proof.held_by_dispute == 0
    assert proof.oldest_received == world[0].received_at
    assert proof.oldest_closed == NOW - timedelta(days=900)


@EVIDENCE_URLS
def test_an_employee_is_refused_and_nothing_is_logged(world, employee) -> None:
    response = logged_in(employee).get(
        "/audit/bewijspakket/", {"van": "2026-01-01", "tot": "2026-12-31"}
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="evidence_pack_exported").exists()


@EVIDENCE_URLS
def test_the_auditor_downloads_the_pack_from_the_audit_page_and_it_is_logged(
    world, make_staff
) -> None:
    auditor = make_staff("ines", "auditor", first_name="Ines")
    client = logged_in(auditor)
    assert 'action="/audit/bewijspakket/"' in client.get("/audit/").content.decode()

    response = client.get("/audit/bewijspakket/", {"van": "2026-01-01", "tot": "2026-12-31"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "bewijspakket-2026-01-01-2026-12-31.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert COVER in archive.namelist()
    entry = AuditEntry.objects.get(action="evidence_pack_exported")
    assert entry.actor == auditor
    assert entry.after == {
        "from": "2026-01-01",
        "to": "2026-12-31",
        "rows": 3,
        "dossiers": 2,
        "measures": 1,
    }


@EVIDENCE_URLS
def test_a_reversed_period_is_refused_in_dutch(world, manager) -> None:
    client = logged_in(manager)
    assert client.get("/audit/bewijspakket/").status_code == 200
    response = client.get("/audit/bewijspakket/", {"van": "2026-12-31", "tot": "2026-01-01"})

    assert response.status_code == 422
    assert "ligt vóór de begindatum" in response.content.decode()
    response = client.get("/audit/bewijspakket/", {"van": "gisteren", "tot": ""})
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(action="evidence_pack_exported").exists()


def test_the_command_writes_the_pack(world, tmp_path) -> None:
    output = tmp_path / "pack.zip"
    out = io.StringIO()
    call_command(
        "evidence",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--output",
        str(output),
        stdout=out,
    )

    archive = zipfile.ZipFile(output)
    assert COVER in archive.namelist()
    assert "02-register-meldingen.xlsx" in archive.namelist()
    assert "Bewijspakket van 2026-01-01 tot en met 2026-12-31" in out.getvalue()
    assert AuditEntry.objects.get(action="evidence_pack_exported").actor is None


def test_the_command_refuses_a_bad_period_and_leaves_no_file(db, tmp_path) -> None:
    output = tmp_path / "pack.zip"
    with pytest.raises(CommandError, match="ligt vóór de begindatum"):
        call_command("evidence", "--from=2026-12-31", "--to=2026-01-01", f"--output={output}")
    assert not output.exists()
