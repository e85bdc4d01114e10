"""``/complaints/{reference}/notes`` and the customer's messages in the conversation (#13)."""

from __future__ import annotations

from typing import Any

from klachten.complaints.models import Complaint
from klachten.messaging.models import IncomingMessage
from tests.api.test_complaints import URL
from tests.api.test_messages import clock, messages_url, reference  # noqa: F401 - fixtures
from tests.complaints.conftest import NOW
from tests.conftest import ApiClient


def test_a_note_is_added_and_listed_and_an_empty_one_refused(
    api: ApiClient,
    reference: str,  # noqa: F811
) -> None:
    """R10: a note for staff only; bad input is a 422 with its field."""
    created = api.post(f"{URL}/{reference}/notes", {"text": "Docent gebeld; zij bevestigt het."})
    assert created.status_code == 201, created.json()
    assert created.json()["answers_request"] is None
    listed = api.get(f"{URL}/{reference}/notes").json()
    assert [note["text"] for note in listed] == ["Docent gebeld; zij bevestigt het."]
    refused = api.post(f"{URL}/{reference}/notes", {"text": "  "})
    assert refused.status_code == 422
    assert refused.json()["code"] == "required"


def test_the_customer_s_messages_are_in_the_conversation_with_direction_in(
    api: ApiClient,
    reference: str,  # noqa: F811
) -> None:
    complaint = Complaint.objects.get(reference=reference)
    IncomingMessage.objects.create(
        complaint=complaint,
        channel="email",
        sender="klant@example.nl",
        subject="Re: uw melding",
        text="Dank u, dat is goed.",
        received_at=NOW,
        created_at=NOW,
    )
    listed: list[dict[str, Any]] = api.get(messages_url(reference)).json()
    incoming = [message for message in listed if message["direction"] == "in"]
    assert [message["text"] for message in incoming] == ["Dank u, dat is goed."]
    assert incoming[0]["channel"] == "email"


def test_the_notes_of_a_complaint_one_may_not_see_are_not_found(
    reference: str,  # noqa: F811
    make_staff: Any,
) -> None:
    """R2: not found, never forbidden."""
    from klachten.accounts.services import token_create

    _, token = token_create(staff=make_staff("sanne", "employee"))
    other = ApiClient(token)
    assert other.get(f"{URL}/{reference}/notes").status_code == 404
    assert other.post(f"{URL}/{reference}/notes", {"text": "x"}).status_code == 404
