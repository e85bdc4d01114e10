"""The letter as the customer receives it (issue #10, 12): read back from the PDF.

The QR codes are decoded from the rendered page by a real decoder (``tests.qr``): the status
link and the business card (R14), the card as UTF-8 marked with an ECI so "Cursuscoördinator"
survives every scanner. The short code printed beside the status QR opens the status page.
The greeting follows the customer file's salutation, and the address block is PostNL's.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import vobject
from django.test import Client
from pypdf import PdfReader

from klachten.complaints.models import STATUS_LINK_ERASED, Complaint
from klachten.complaints.selectors import complaint_status_url
from klachten.complaints.services import complaint_register, complaint_status_link_renew
from klachten.domain.status_code import code_for, grouped
from klachten.messaging.letters import letter_pdf
from klachten.messaging.models import MessageKind
from klachten.messaging.selectors import message_draft
from klachten.messaging.services import customer_message_send, customer_message_send_standard
from tests.complaints.conftest import customer_data
from tests.messaging.conftest import CHECKLIST, NOW, REPORT
from tests.qr import scan_pdf


def _register(employee: Any, **customer: Any) -> Complaint:
    return complaint_register(
        receiver=employee,
        customer=customer_data(**customer),
        received_at=NOW - timedelta(minutes=5),
        channel="phone",
        report=REPORT,
        checklist=CHECKLIST,
        now=NOW,
    )


def _receipt_letter(complaint: Complaint, employee: Any):
    return customer_message_send_standard(
        complaint=complaint, author=employee, kind=MessageKind.RECEIPT, channel="letter", now=NOW
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def complaint(employee: Any, manager: Any) -> Complaint:
    return _register(employee, name="Anna de Vries", salutation="mevrouw")


def test_the_letter_carries_the_status_link_as_qr_code_and_a_short_code(
    complaint: Complaint, employee: Any
) -> None:
    """A scanner reads the customer's own status link; the code beside it is short, grouped,
    and opens the same page when typed at /status/."""
    message = _receipt_letter(complaint, employee)
    pdf = letter_pdf(message)
    url = complaint_status_url(complaint)
    assert url is not None
    scanned = [code.text for code in scan_pdf(pdf)]
    assert url in scanned
    token = url.rstrip("/").rsplit("/", 1)[1]
    code = grouped(code_for(token))
    assert len(code) == 11
    assert code[5] == "-"
    text = " ".join(_text(pdf).split())
    assert code in text
    assert "http://127.0.0.1:8000/status/" in text
    response = Client().post("/status/", {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == f"/status/{token}/"


def test_the_business_card_qr_is_utf8_marked_with_an_eci(
    complaint: Complaint, employee: Any
) -> None:
    """R14: the vCard survives the scanner: UTF-8 bytes, and the symbol says so (ECI 26), so
    ZBar no longer reads "Cursusco顤dinator"."""
    message = _receipt_letter(complaint, employee)
    cards = [code for code in scan_pdf(letter_pdf(message)) if code.text.startswith("BEGIN:VCARD")]
    assert len(cards) == 1
    card = cards[0]
    assert card.marked_utf8
    assert "Cursuscoördinator".encode() in card.data
    parsed = vobject.readOne(card.data.decode("utf-8"))
    assert parsed.title.value == "Cursuscoördinator"
    assert parsed.fn.value == "Petra de Vries"


def test_a_letter_without_a_live_link_has_no_status_block(
    complaint: Complaint, employee: Any
) -> None:
    """A letter whose text names no link, on a complaint whose link is gone, prints no code."""
    Complaint.objects.filter(pk=complaint.pk).update(**STATUS_LINK_ERASED)
    complaint.refresh_from_db()
    message = customer_message_send(
        complaint=complaint,
        author=employee,
        kind=MessageKind.FREE,
        channel="letter",
        subject="Uw cursusmap",
        body="Geachte mevrouw De Vries,\n\nHierbij uw map.\n\nMet vriendelijke groet,",
        now=NOW,
    )
    pdf = letter_pdf(message)
    assert [code.text[:11] for code in scan_pdf(pdf)] == ["BEGIN:VCARD"]
    assert "/status/" not in _text(pdf)


def test_a_letter_keeps_the_link_it_was_written_with(complaint: Complaint, employee: Any) -> None:
    """The letter is made again from the message as sent: after a new status link, its QR
    code and short code still match the link in its text."""
    message = _receipt_letter(complaint, employee)
    before = complaint_status_url(complaint)
    assert before is not None
    complaint_status_link_renew(complaint=complaint, actor=employee, send=False, now=NOW)
    message.refresh_from_db()
    pdf = letter_pdf(message)
    assert before in [code.text for code in scan_pdf(pdf)]
    old_code = grouped(code_for(before.rstrip("/").rsplit("/", 1)[1]))
    assert old_code in _text(pdf)


@pytest.mark.parametrize(
    ("customer", "greeting"),
    [
        ({"name": "Anna de Vries", "salutation": "mevrouw"}, "Geachte mevrouw De Vries,"),
        ({"name": "J.P. van der Berg", "salutation": "heer"}, "Geachte heer Van der Berg,"),
        ({"name": "Piet Jansen", "salutation": "heer"}, "Geachte heer Jansen,"),
        ({"name": "Sam Bakker", "salutation": ""}, "Geachte Sam Bakker,"),
    ],
)
def test_the_greeting_follows_the_salutation_in_the_customer_file(
    employee: Any, manager: Any, customer: dict[str, str], greeting: str
) -> None:
    complaint = _register(employee, **customer)
    draft = message_draft(complaint=complaint, kind=MessageKind.RECEIPT, author=employee)
    assert draft.body.startswith(greeting + "\n")
    message = _receipt_letter(complaint, employee)
    assert greeting in _text(letter_pdf(message))


def test_the_address_block_is_as_postnl_prints_it(employee: Any, manager: Any) -> None:
    complaint = _register(
        employee,
        name="Anna de Vries",
        street="Lindenlaan",
        house_number="12a",
        postcode="3512ab",
        town="Utrecht",
    )
    message = _receipt_letter(complaint, employee)
    assert message.recipient == "Anna de Vries\nLindenlaan 12a\n3512 AB  UTRECHT"
    lines = [line.strip() for line in _text(letter_pdf(message)).splitlines()]
    start = lines.index("Anna de Vries")
    assert lines[start : start + 3] == ["Anna de Vries", "Lindenlaan 12a", "3512 AB  UTRECHT"]


def test_an_address_abroad_ends_with_the_country_in_capitals(employee: Any, manager: Any) -> None:
    complaint = _register(
        employee,
        name="Luc Peeters",
        street="Meir",
        house_number="24",
        postcode="2000",
        town="Antwerpen",
        country="BE",
        phone="",
    )
    message = _receipt_letter(complaint, employee)
    assert message.recipient == "Luc Peeters\nMeir 24\n2000 ANTWERPEN\nBELGIË"


def test_the_letter_is_tagged_with_language_and_title(complaint: Complaint, employee: Any) -> None:
    """PDF/UA-1 (issue #10, 11): a screen reader follows the structure, in Dutch, and the
    window shows the subject."""
    message = _receipt_letter(complaint, employee)
    reader = PdfReader(io.BytesIO(letter_pdf(message)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "nl"
    assert reader.metadata.title == message.subject
