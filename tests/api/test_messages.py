"""/api/v1/complaints/{reference}/messages and the delay-notice step: the same guard, the same
card and the same delay notice as the web app (R2, R12, R13, R14, R16)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from klachten.accounts.models import Role
from klachten.accounts.services import token_create
from klachten.mail.models import OutboxMessage
from klachten.messaging.models import CustomerMessage
from tests.api.test_complaints import registration
from tests.complaints.conftest import NOW, in_days, later
from tests.conftest import ApiClient

URL = "/api/v1/complaints"


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def reference(api: ApiClient, manager: Any, clock: Any) -> str:
    response = api.post(URL, registration())
    assert response.status_code == 201, response.json()
    return str(response.json()["reference"])


def messages_url(reference: str) -> str:
    return f"{URL}/{reference}/messages"


def test_the_standard_receipt_is_sent_by_email_with_the_card(
    api: ApiClient, reference: str
) -> None:
    """Without subject and body the standard text goes; R14: the card comes back with it."""
    response = api.post(messages_url(reference), {"kind": "receipt"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "email"
    assert body["recipient"] == "a.bakker@example.nl"
    assert body["subject"] == f"Uw melding {reference} is ontvangen"
    assert body["card"] == {
        "name": "Petra de Vries",
        "job_title": "Cursuscoördinator",
        "phone": "+31 30 760 2211",
        "email": "petra@kerngroep.nl",
        "organisation": "Kerngroep",
    }
    assert body["delivered_at"] is None
    outbox = OutboxMessage.objects.get(to="a.bakker@example.nl")
    assert outbox.reply_to == "petra@kerngroep.nl"
    assert outbox.attachments.get().filename == "petra-de-vries.vcf"

    listed = api.get(messages_url(reference)).json()
    assert [message["id"] for message in listed] == [body["id"]]


def test_the_messages_are_listed_oldest_first(api: ApiClient, reference: str) -> None:
    """CONTRACT.md: the conversation reads as it went, the first message first."""
    first = api.post(messages_url(reference), {"kind": "receipt"}).json()
    second = api.post(messages_url(reference), {"kind": "receipt", "channel": "letter"}).json()
    listed = api.get(messages_url(reference)).json()
    assert [message["id"] for message in listed] == [first["id"], second["id"]]


def test_a_word_of_r13_is_a_422_with_every_finding(api: ApiClient, reference: str) -> None:
    """R13: refused with the findings (field, offsets, suggestions); nothing stored."""
    response = api.post(
        messages_url(reference),
        {"kind": "free", "subject": "Uw melding", "body": "Excuses voor de fout in de map."},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "wording_blocked"
    assert body["detail"]
    [finding] = body["findings"]
    assert finding["field"] == "body"
    assert finding["rule"] == "R13"
    assert "Excuses voor de fout in de map."[finding["start"] : finding["end"]] == "fout"
    assert "vergissing" in finding["suggestions"]
    assert CustomerMessage.objects.count() == 0


def test_an_r12_warning_needs_confirm_warnings(api: ApiClient, reference: str) -> None:
    """R12: 422 with the warnings until the caller confirms them."""
    payload = {"kind": "free", "subject": "Uw melding", "body": "Het inschrijfsysteem lag eruit."}
    refused = api.post(messages_url(reference), payload)
    assert refused.status_code == 422
    assert refused.json()["code"] == "wording_warnings"
    assert refused.json()["findings"][0]["rule"] == "R12"
    sent = api.post(messages_url(reference), {**payload, "confirm_warnings": True})
    assert sent.status_code == 201
    assert sent.json()["warnings_confirmed"][0]["rule"] == "R12"


def test_a_letter_and_bad_input(api: ApiClient, reference: str) -> None:
    letter = api.post(messages_url(reference), {"kind": "closing", "channel": "letter"})
    assert letter.status_code == 201
    assert letter.json()["recipient"].startswith("Mevrouw A. Bakker\nLindenlaan 12a")
    assert letter.json()["sent_at"] is None
    for payload, code in [
        ({"kind": "brief"}, "unknown_kind"),
        ({"kind": "free", "channel": "duif"}, "invalid_channel"),
        ({"kind": "action_plan"}, "missing_data"),
        ({"kind": "free", "subject": "Hallo", "body": ""}, "required"),
        ({"kind": "free", "sugject": "x"}, "invalid"),
    ]:
        response = api.post(messages_url(reference), payload)
        assert response.status_code == 422, payload
        assert response.json()["code"] == code, payload


def test_a_complaint_the_caller_may_not_see_is_a_404(
    api: ApiClient, reference: str, make_staff: Any
) -> None:
    """R2: not found, never forbidden, for listing and sending."""
    outsider = make_staff("jan", Role.EMPLOYEE, email="jan@kerngroep.nl", phone="030 1")
    _, token = token_create(staff=outsider)
    other = ApiClient(token)
    assert other.get(messages_url(reference)).status_code == 404
    assert other.post(messages_url(reference), {"kind": "receipt"}).status_code == 404
    assert CustomerMessage.objects.count() == 0


def test_the_delay_notice_step_sends_the_message_through_the_guard(
    api: ApiClient, reference: str, clock: Any
) -> None:
    """R16: the API's delay-notice step sends the standard notice with reason and date, as
    the web app does; a word of R13 in the reason refuses it with the finding."""
    clock.move_to(later(days=14))
    refused = api.post(
        f"{URL}/{reference}/delay-notice",
        {"reason": "Het probleem ligt bij de planning.", "expected_date": str(in_days(38))},
    )
    assert refused.status_code == 422
    assert refused.json()["findings"][0]["text"] == "Het probleem"  # → "De oorzaak"
    assert api.get(f"{URL}/{reference}").json()["delay_notice_sent_at"] is None

    notice = {"reason": "Navraag bij de docent", "expected_date": str(in_days(38))}
    body = api.post(f"{URL}/{reference}/delay-notice", notice).json()
    assert body["delay_notice_sent_at"] == later(days=14).isoformat()
    [message] = api.get(messages_url(reference)).json()
    assert message["kind"] == "delay_notice"
    assert "De reden: Navraag bij de docent" in message["body"]
    assert "uiterlijk donderdag 10 december een besluit" in message["body"]


def test_the_openapi_document_lists_the_message_endpoints(api: ApiClient) -> None:
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[f"{URL}/{{reference}}/messages"]) == {"get", "post"}
