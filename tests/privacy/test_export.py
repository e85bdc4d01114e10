"""A customer's AVG requests: everything about them as a ZIP, or erased (management only, R2)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klachten.audit.models import AuditEntry
from klachten.complaints.attachments import attachment_add
from klachten.complaints.models import Complaint
from klachten.complaints.services import Checklist, complaint_register
from klachten.domain.workdays import AMSTERDAM
from klachten.privacy.export import customer_export
from klachten.privacy.retention import ANONYMOUS

from .conftest import customer_data

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return Path(settings.MEDIA_ROOT)


def register(employee, name: str, report: str, customer=None, received=NOW) -> Complaint:
    complaint = complaint_register(
        receiver=employee,
        customer=None if customer else customer_data(name=name),
        customer_file=customer,
        received_at=received,
        channel="phone",
        report=report,
        checklist=Checklist(),
        now=received,
    )
    attachment_add(
        complaint=complaint,
        actor=employee,
        file=SimpleUploadedFile(f"brief {name}.pdf", PDF + name.encode()),
        now=received,
    )
    return complaint


def unzip(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("gegevens.json")), files


def test_the_export_holds_everything_about_the_customer_and_nothing_of_another(employee, manager):
    mine = register(employee, "Mevrouw J. Jansen", "Map van mevrouw Jansen ontbrak.")
    register(employee, "Mevrouw J. Jansen", "Ook het rooster klopte niet.", mine.customer)
    register(employee, "De heer P. Pietersen", "Pietersen: docent kwam niet.")

    data, files = unzip(customer_export(customer=mine.customer, actor=manager, now=NOW))

    assert data["customer_file"]["name"] == "Mevrouw J. Jansen"
    assert [c["report"] for c in data["complaints"]] == [
        "Map van mevrouw Jansen ontbrak.",
        "Ook het rooster klopte niet.",
    ]
    first = data["complaints"][0]
    assert first["history"][0]["action"] in {"registered", "attachment_added"}
    assert first["attachments"][0]["name"] == "brief Mevrouw J. Jansen.pdf"
    assert files[first["attachments"][0]["path"]] == PDF + b"Mevrouw J. Jansen"
    everything = json.dumps(data) + "".join(files) + b"".join(files.values()).decode("latin-1")
    assert "Pietersen" not in everything
    entry = AuditEntry.objects.get(action="customer_exported")
    assert (entry.actor, entry.after) == (
        manager,
        {"customer_file": mine.customer.pk, "complaints": 2},
    )


def test_the_export_reads_a_constant_number_of_queries(employee, manager):
    one = register(employee, "Mevrouw A", "Eerste.")
    many = register(employee, "Mevrouw B", "Eerste.")
    for number in range(3):
        register(employee, "Mevrouw B", f"Melding {number}.", many.customer)

    with CaptureQueriesContext(connection) as few:
        customer_export(customer=one.customer, actor=manager, now=NOW)
    with CaptureQueriesContext(connection) as more:
        customer_export(customer=many.customer, actor=manager, now=NOW)

    assert len(more) == len(few)


def test_management_downloads_the_zip_from_the_customer_file(client, employee, manager):
    complaint = register(employee, "Mevrouw J. Jansen", "Map ontbrak.")
    client.force_login(manager)
    page = client.get(f"/meldingen/klantmap/{complaint.customer.pk}/")
    assert "Alle gegevens exporteren" in page.content.decode()

    response = client.post(f"/meldingen/klantmap/{complaint.customer.pk}/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    assert unzip(response.content)[0]["complaints"][0]["report"] == "Map ontbrak."


def test_an_employee_cannot_export_or_erase_and_sees_no_buttons(client, employee):
    """R2: even the receiver of the complaint; the pages do not exist for them."""
    complaint = register(employee, "Mevrouw J. Jansen", "Map ontbrak.")
    client.force_login(employee)
    customer = complaint.customer.pk

    assert "exporteren" not in client.get(f"/meldingen/klantmap/{customer}/").content.decode()
    assert client.post(f"/meldingen/klantmap/{customer}/export/").status_code == 404
    assert client.get(f"/meldingen/klantmap/{customer}/wissen/").status_code == 404
    assert (
        client.post(f"/meldingen/klantmap/{customer}/wissen/", {"bevestig": "ja"}).status_code
        == 404
    )
    # Nothing exported or erased (opening the file is a read, logged as such: R2).
    assert not (
        AuditEntry.objects.filter(action__startswith="customer_")
        .exclude(action="customer_file_viewed")
        .exists()
    )


def test_an_export_is_a_post_never_a_link_that_a_prefetch_could_follow(client, employee, manager):
    complaint = register(employee, "Mevrouw J. Jansen", "Map ontbrak.")
    client.force_login(manager)

    assert client.get(f"/meldingen/klantmap/{complaint.customer.pk}/export/").status_code == 405


def closed_long_ago(complaint: Complaint) -> None:
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed", closed_at=NOW - timedelta(days=400), attention_due=None
    )


def test_erasing_needs_the_confirmation_and_then_erases(client, employee, manager):
    complaint = register(employee, "Mevrouw J. Jansen", "Map ontbrak.")
    closed_long_ago(complaint)
    client.force_login(manager)
    url = f"/meldingen/klantmap/{complaint.customer.pk}/wissen/"

    with time_machine.travel(NOW, tick=False):
        unconfirmed = client.post(url)
        assert unconfirmed.status_code == 422
        assert "Vink aan" in unconfirmed.content.decode()
        assert Complaint.objects.get(pk=complaint.pk).report == "Map ontbrak."

        done = client.post(url, {"bevestig": "ja"})

    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.report == ""
    assert complaint.customer.name == ANONYMOUS


def test_the_erase_page_says_why_it_cannot_erase_yet(client, employee, manager):
    """R5: a complaint that is still open, or closed less than a year ago, holds the file."""
    complaint = register(employee, "Mevrouw J. Jansen", "Map ontbrak.")
    client.force_login(manager)
    url = f"/meldingen/klantmap/{complaint.customer.pk}/wissen/"

    page = client.get(url).content.decode()
    assert "nog niet afgesloten" in page

    refused = client.post(url, {"bevestig": "ja"})
    assert refused.status_code == 422
    assert Complaint.objects.get(pk=complaint.pk).report == "Map ontbrak."


def test_the_export_holds_the_messages_sent_and_the_letters_as_pdf(employee, manager):
    """AVG: "JSON plus the PDFs": every message as sent, every letter as its PDF."""
    from pypdf import PdfReader

    from klachten.messaging.models import MessageKind
    from klachten.messaging.services import customer_message_send

    complaint = register(employee, "Mevrouw J. Jansen", "Map ontbrak.")
    for channel in ("email", "letter"):
        customer_message_send(
            complaint=complaint,
            author=employee,
            kind=MessageKind.FREE,
            channel=channel,
            subject=f"Uw map ({channel})",
            body="Beste mevrouw Jansen,\n\nDe nieuwe map komt vrijdag.",
            now=NOW,
        )

    data, files = unzip(customer_export(customer=complaint.customer, actor=manager, now=NOW))

    messages = data["complaints"][0]["messages"]
    assert sorted(m["subject"] for m in messages) == ["Uw map (email)", "Uw map (letter)"]
    [letter] = [m for m in messages if m["channel"] == "letter"]
    pdf = PdfReader(io.BytesIO(files[letter["letter"]]))
    assert "De nieuwe map komt vrijdag." in "".join(page.extract_text() for page in pdf.pages)


def test_the_export_holds_a_dutch_document_the_customer_can_read(employee, manager):
    """Issue #10 (13): besides the JSON, a PDF in Dutch: local times, staff by name (never an
    id), and every message as it was sent — its text and the signature of the card (R14)."""
    from pypdf import PdfReader

    from klachten.complaints.services import complaint_assign
    from klachten.domain import wording
    from klachten.messaging.models import MessageKind
    from klachten.messaging.services import customer_message_send

    complaint = register(employee, "Mevrouw J. Jansen", "Map ontbrak bij de start.")
    complaint = complaint_assign(complaint=complaint, actor=manager, handler=manager, now=NOW)
    for channel in ("email", "letter"):
        customer_message_send(
            complaint=complaint,
            author=employee,
            kind=MessageKind.FREE,
            channel=channel,
            subject=f"Uw map ({channel})",
            body="Beste mevrouw Jansen,\n\nDe nieuwe map komt vrijdag.",
            now=NOW + timedelta(hours=1),
        )

    data, files = unzip(customer_export(customer=complaint.customer, actor=manager, now=NOW))

    reader = PdfReader(io.BytesIO(files["uw-gegevens.pdf"]))
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert reader.metadata.title == "Uw gegevens bij Kerngroep"
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Uw gegevens bij Kerngroep" in text
    assert "Melding " + complaint.reference in text
    assert "Map ontbrak bij de start." in text
    # Local time: registered at 10:00 in Amsterdam (09:00 UTC); the e-mail went at 11:00.
    assert "maandag 2 november 2026, 10:00" in text
    assert "verstuurd op maandag 2 november 2026, 11:00" in text
    assert "09:00" not in text
    assert "uiterlijk maandag 30 november" in text  # R16: the end of day 28, not 00:00
    assert "1 december 2026, 00:00" not in text
    assert "3512 AB  UTRECHT" in " ".join(page.extract_text() for page in reader.pages)
    # Staff by name: who received, who handles, and who the case was handed to.
    assert "Ontvangen door Petra de Vries" in text
    assert "Behandelaar: Marco Jansen" in text
    assert "handler_id" not in text
    # Every message as it was sent: the text and the card under it (R14), the letter's file.
    assert text.count("De nieuwe map komt vrijdag.") == 2
    assert text.count("Direct: +31 30 760 2211") == 2
    assert "Cursuscoördinator, Kerngroep" in text
    [letter] = [m for m in data["complaints"][0]["messages"] if m["channel"] == "letter"]
    assert letter["letter"] in text
    assert "e-mail aan a.bakker@example.nl" in text
    # Its own words avoid those of R13: the document goes to the customer.
    assert [f.text for f in wording.check(text) if f.rule == "R13"] == []
