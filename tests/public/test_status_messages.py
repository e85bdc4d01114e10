"""The customer writes back on the status page (#13, item 5; R5, R15): the message and its
files in the complaint's file, the handler told, the whole conversation on the page."""

from __future__ import annotations

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Attachment
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import complaint_take_up
from klachten.mail.models import OutboxMessage
from klachten.messaging.models import IncomingMessage
from tests.public.conftest import later
from tests.public.test_status_page import card_holder, report  # noqa: F401 - fixtures

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _write(token: str, text: str, *files: SimpleUploadedFile, client: Client | None = None):
    client = client or Client()
    data: dict[str, object] = {"bericht-text": text}
    if files:
        data["bericht-attachments"] = list(files)
    with time_machine.travel(later(days=2), tick=False):
        return client.post(f"/status/{token}/bericht/", data)


def test_the_customer_writes_with_a_file_and_the_handler_hears_of_it(report, card_holder):  # noqa: F811
    """R5, R15: the message and its file are in the file; the handler is mailed; the page
    shows the message in the conversation."""
    complaint_take_up(complaint=report, actor=card_holder, now=later(hours=1))
    response = _write(
        status_token_for(report),
        "Ik heb de nieuwe datum ontvangen, maar die valt in mijn vakantie.",
        SimpleUploadedFile("rooster.pdf", PDF, content_type="application/pdf"),
    )
    assert response.status_code == 302
    [message] = IncomingMessage.objects.filter(complaint=report)
    assert message.channel == "status_page"
    assert message.text.startswith("Ik heb de nieuwe datum ontvangen")
    assert [a.original_name for a in message.attachments.all()] == ["rooster.pdf"]
    assert AuditEntry.objects.filter(complaint=report, action="message_received").exists()
    told = OutboxMessage.objects.get(
        key=f"{report.reference}-incoming-{message.pk}-{card_holder.pk}"
    )
    assert told.to == card_holder.email
    with time_machine.travel(later(days=2, hours=1), tick=False):
        page = Client().get(f"/status/{status_token_for(report)}/").content.decode()
    assert "valt in mijn vakantie" in page
    assert "rooster.pdf" in page


def test_an_empty_message_is_refused_and_nothing_is_saved(report):  # noqa: F811
    response = _write(status_token_for(report), "   ")
    assert response.status_code == 422
    assert "Schrijf eerst uw bericht." in response.content.decode()
    assert not IncomingMessage.objects.exists()


def test_a_file_of_a_refused_type_keeps_the_text_and_stores_nothing(report):  # noqa: F811
    response = _write(
        status_token_for(report),
        "Zie de bijlage.",
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
    )
    assert response.status_code == 422
    assert "Zie de bijlage." in response.content.decode()  # nothing typed is lost
    assert not IncomingMessage.objects.exists()
    assert not Attachment.objects.exists()


def test_writing_needs_the_page_s_csrf_token(report):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    response = _write(status_token_for(report), "Hallo", client=client)
    assert response.status_code == 403
    assert not IncomingMessage.objects.exists()


def test_an_unknown_link_is_gone(db):
    response = _write("x" * 43, "Hallo")
    assert response.status_code == 404


def test_the_page_costs_the_same_queries_with_one_or_ten_messages(report):  # noqa: F811
    def queries() -> int:
        with (
            CaptureQueriesContext(connection) as captured,
            time_machine.travel(later(days=3), tick=False),
        ):
            assert Client().get(f"/status/{status_token_for(report)}/").status_code == 200
        return len(captured)

    _write(status_token_for(report), "Eerste bericht.")
    one = queries()
    for n in range(9):
        _write(status_token_for(report), f"Bericht {n}.", client=Client(REMOTE_ADDR=f"10.0.0.{n}"))
    assert IncomingMessage.objects.count() == 10
    assert queries() == one
