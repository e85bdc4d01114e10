"""Files from outside are scanned before they are stored (issue #13, item 7), against Debian's
real clamd started by the test with only the EICAR signature (tests/clamd.py).

On the public form an infected file — or one the scanner cannot check now — is refused next to
the file field, in words the customer can read (R13), and nothing of the report is kept: no
complaint, no customer file, no file on disk (R5). Without ``CLAMD_URL`` files are stored as
before.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klachten.accounts.models import Role
from klachten.complaints.models import Attachment, Complaint
from klachten.core.scanning import FileInfected
from klachten.customers.models import CustomerFile
from klachten.mail.models import OutboxMessage
from tests.clamd import (  # noqa: F401 - the fixtures clamd and clamd_server
    EICAR,
    SIGNATURE,
    clamd_fixture,
    clamd_server_fixture,
)
from tests.public.conftest import NOW, page_text, r13_words

pytestmark = pytest.mark.usefixtures("clock")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REFUSED = (
    "Het bestand rooster.txt is geweigerd: er zit mogelijk een virus in (Eicar-Test-Signature). "
    "Stuur het niet opnieuw; neem contact met ons op als u denkt dat dit niet klopt."
)
UNAVAILABLE = (
    "Het bestand factuur.pdf kan nu niet op virussen worden gecontroleerd en is daarom niet "
    "bewaard. Probeer het over een paar minuten opnieuw."
)


@pytest.fixture
def managers(make_staff: Any) -> list[Any]:
    return [
        make_staff("marco", Role.MANAGEMENT, first_name="Marco", email="marco@kerngroep.nl"),
    ]


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _send(data: dict[str, Any]) -> Any:
    return Client().post("/melding/", data)


def files_on_disk(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _nothing_kept(settings: Any) -> None:
    assert not Complaint.objects.exists()
    assert not CustomerFile.objects.exists()
    assert not Attachment.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert files_on_disk(settings) == []


def _field_error(html: str) -> str:
    """The text shown with the file field (its error list, ``id_attachments_error``)."""
    found = re.search(r'<(\w+) id="id_attachments_error"[^>]*>(.*?)</\1>', html, flags=re.S)
    assert found, "no error next to the file field"
    return page_text(found.group(2))


def test_an_infected_file_on_the_public_form_is_refused_next_to_the_field_and_nothing_is_kept(
    db, clamd, managers, form_data, settings
):
    """The EICAR file as a text attachment, beside a clean PDF: the whole report waits, the
    customer reads why next to the file field — without the words of R13 — and keeps what
    they typed."""
    form_data["attachments"] = [_file("factuur.pdf", PDF), _file("rooster.txt", EICAR)]
    response = _send(form_data)
    assert response.status_code == 422
    html = response.content.decode()
    at_field = _field_error(html)
    assert REFUSED in at_field
    assert "Kies de bestanden die u wilt meesturen opnieuw." in at_field
    assert "factuur.pdf" not in at_field  # the clean file is not blamed
    assert 'value="Lange Nieuwstraat"' in html
    assert r13_words(page_text(html)) == []
    _nothing_kept(settings)


def test_when_the_scanner_is_down_the_form_says_try_later_and_nothing_is_kept(
    db, clamd, managers, form_data, settings, tmp_path
):
    """A configured scanner that does not answer: no file is stored unscanned."""
    settings.CLAMD_URL = f"unix://{tmp_path / 'no-clamd.ctl'}"
    form_data["attachments"] = [_file("factuur.pdf", PDF)]
    response = _send(form_data)
    assert response.status_code == 422
    html = response.content.decode()
    assert UNAVAILABLE in _field_error(html)
    assert r13_words(page_text(html)) == []
    _nothing_kept(settings)


def test_clean_files_are_scanned_and_kept_with_the_report(db, clamd, managers, form_data):
    """R5: scanned and found clean, the files go with the report exactly as sent."""
    text = b"Het rooster van dinsdag, zoals ik het kreeg."
    form_data["attachments"] = [_file("factuur.pdf", PDF), _file("rooster.txt", text)]
    response = _send(form_data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    attachments = list(complaint.attachments.order_by("id"))
    assert [a.original_name for a in attachments] == ["factuur.pdf", "rooster.txt"]
    assert [Path(a.file.path).read_bytes() for a in attachments] == [PDF, text]


def test_without_clamd_url_files_are_stored_as_before(db, managers, form_data, settings):
    """Scanning is off: nothing is scanned, and even the EICAR text is kept as sent."""
    settings.CLAMD_URL = ""
    form_data["attachments"] = [_file("rooster.txt", EICAR)]
    response = _send(form_data)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert Path(attachment.file.path).read_bytes() == EICAR


def test_the_service_that_stores_the_report_refuses_an_infected_file_itself(
    db, clamd, managers, form_data, settings
):
    """Whatever calls it — the form, an e-mail, the status page — the storing service scans
    too, and its refusal leaves nothing behind, not even the files already written."""
    from klachten.customers.validation import CustomerData
    from klachten.public import services

    customer = CustomerData(
        **{
            key: form_data[key]
            for key in ("name", "street", "house_number", "postcode", "town", "country")
        },
        email=form_data["email"],
        phone=form_data["phone"],
        salutation="",
    )
    with pytest.raises(FileInfected) as refused:
        services.web_report_submit(
            customer=customer,
            report=services.WebReport(
                course=form_data["course"],
                what_happened=form_data["what_happened"],
                wish=form_data["wish"],
                language="nl",
            ),
            files=[_file("factuur.pdf", PDF), _file("rooster.txt", EICAR)],
            address_hash="test",
            honeypot="",
            now=NOW,
        )
    assert refused.value.code == "file_infected"
    assert refused.value.signature.startswith(SIGNATURE)
    _nothing_kept(settings)


def test_a_staff_upload_of_an_infected_file_is_refused_too(
    db, clamd, managers, form_data, settings
):
    form_data["attachments"] = [_file("factuur.pdf", PDF)]
    assert _send(form_data).status_code == 302
    complaint = Complaint.objects.get()
    client = Client()
    client.force_login(managers[0])
    response = client.post(
        f"/bijlagen/{complaint.reference}/toevoegen/",
        {"file": _file("rooster.txt", EICAR)},
        headers={"HX-Request": "true"},
    )
    assert REFUSED in page_text(response.content.decode())
    assert [a.original_name for a in complaint.attachments.all()] == ["factuur.pdf"]
    assert len(files_on_disk(settings)) == 1
