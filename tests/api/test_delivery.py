"""The API says how far each mail got, as the pages do (#10, items 19 and 20; R3).

Against a real SMTP server (aiosmtpd) that accepts, refuses for good (550) or for now (451):
every message to the customer carries ``delivery`` (queued, sent, failed, to post, posted,
with the server's answer), and a complaint carries ``management_alert`` — "not yet" is told
apart from "failed" and from "nobody to tell" — and the mails that did not arrive. Reading them
costs the same queries however many messages there are.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, get_args

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klachten.api.schemas.messages import DeliveryStateName
from klachten.mail.outbox import outbox_deliver
from klachten.messaging.models import CustomerMessage
from klachten.messaging.selectors import DeliveryState
from klachten.messaging.services import customer_message_mark_posted
from tests.api.test_complaints import registration
from tests.complaints.conftest import NOW
from tests.conftest import ApiClient
from tests.messaging.conftest import MailServer

URL = "/api/v1/complaints"
REFUSED = "550 5.1.1 Mailbox onbekend"
LATER = "451 4.3.0 Probeer het later nog eens"
CUSTOMER = "a.bakker@example.nl"


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def register(api: ApiClient, **changes: Any) -> dict[str, Any]:
    response = api.post(URL, registration(**changes))
    assert response.status_code == 201, response.json()
    return dict(response.json())


def detail(api: ApiClient, reference: str) -> dict[str, Any]:
    response = api.get(f"{URL}/{reference}")
    assert response.status_code == 200, response.json()
    return dict(response.json())


def messages(api: ApiClient, reference: str) -> dict[str, dict[str, Any]]:
    """The complaint's messages by kind and channel, e.g. ``receipt/email``."""
    response = api.get(f"{URL}/{reference}/messages")
    assert response.status_code == 200, response.json()
    return {f"{item['kind']}/{item['channel']}": item for item in response.json()}


def send(api: ApiClient, reference: str, **payload: Any) -> dict[str, Any]:
    response = api.post(f"{URL}/{reference}/messages", payload)
    assert response.status_code == 201, response.json()
    return dict(response.json())


# --- The alert to management (R3) --------------------------------------------------------------


def test_management_alert_is_queued_until_the_mail_server_accepts_it(
    smtp: MailServer, api: ApiClient, manager: Any, clock: Any
) -> None:
    """R3: ``management_informed_at`` stays null until a server took the alert; meanwhile the
    alert is ``queued`` — not yet, which a CRM can tell from failed."""
    body = register(api)
    assert body["management_informed_at"] is None
    assert body["management_alert"] == {
        "state": "queued",
        "accepted_at": None,
        "failed_at": None,
        "reason": None,
    }
    assert body["undelivered_mails"] == []

    assert outbox_deliver(now=NOW + timedelta(minutes=2)) >= 1
    body = detail(api, body["reference"])
    alert = body["management_alert"]
    assert alert["state"] == "sent"
    assert alert["accepted_at"] == body["management_informed_at"]
    assert alert["accepted_at"].startswith("2026-11-02T10:02")
    assert (alert["failed_at"], alert["reason"]) == (None, None)
    assert [mail.rcpt_tos for mail in smtp.delivered] == [(manager.email,)]


def test_an_alert_refused_for_good_is_failed_with_the_servers_answer(
    smtp: MailServer, api: ApiClient, manager: Any, clock: Any
) -> None:
    """A 550 for the only manager: the alert is given up at once; the complaint says
    management was not told, why, and lists the mail that did not arrive."""
    smtp.handler.refuse_rcpt[manager.email] = REFUSED
    reference = register(api)["reference"]
    assert outbox_deliver(now=NOW) == 0

    body = detail(api, reference)
    assert body["management_informed_at"] is None
    alert = body["management_alert"]
    assert alert["state"] == "failed"
    assert alert["accepted_at"] is None
    assert alert["failed_at"].startswith("2026-11-02T10:00")
    assert alert["reason"] == REFUSED
    [mail] = body["undelivered_mails"]
    assert mail["to"] == manager.email
    assert mail["purpose"] == "alert"
    assert mail["state"] == "failed"
    assert mail["reason"] == REFUSED
    assert mail["failed_at"] == alert["failed_at"]


def test_an_alert_refused_for_now_is_still_queued_with_the_reason(
    smtp: MailServer, api: ApiClient, manager: Any, clock: Any
) -> None:
    """A 451: not failed — a next attempt follows — but the reason is there to see."""
    smtp.handler.refuse_data = LATER
    reference = register(api)["reference"]
    assert outbox_deliver(now=NOW) == 0

    body = detail(api, reference)
    assert body["management_alert"] == {
        "state": "queued",
        "accepted_at": None,
        "failed_at": None,
        "reason": LATER,
    }
    [mail] = body["undelivered_mails"]
    assert (mail["purpose"], mail["state"], mail["failed_at"]) == ("alert", "queued", None)
    assert mail["failing_since"].startswith("2026-11-02T10:00")


def test_one_manager_refused_for_good_and_one_for_now_is_not_yet_failed(
    smtp: MailServer, api: ApiClient, manager: Any, make_staff: Any, clock: Any
) -> None:
    """R3: management is told once any manager's server accepts; until then the alert is
    still on its way, and a refused address stays listed as not delivered."""
    other = make_staff("ingrid", "management", email="ingrid@kerngroep.nl")
    smtp.handler.refuse_rcpt[manager.email] = REFUSED
    smtp.handler.refuse_rcpt[other.email] = LATER
    reference = register(api)["reference"]
    outbox_deliver(now=NOW)

    body = detail(api, reference)
    alert = body["management_alert"]
    assert (alert["state"], alert["accepted_at"], alert["failed_at"]) == ("queued", None, None)
    assert alert["reason"] in {REFUSED, LATER}
    states = {mail["to"]: mail["state"] for mail in body["undelivered_mails"]}
    assert states == {manager.email: "failed", other.email: "queued"}

    del smtp.handler.refuse_rcpt[other.email]
    assert outbox_deliver(now=NOW + timedelta(hours=1)) == 1
    body = detail(api, reference)
    assert body["management_alert"]["state"] == "sent"
    assert body["management_alert"]["accepted_at"] == body["management_informed_at"]
    assert (body["management_alert"]["failed_at"], body["management_alert"]["reason"]) == (
        None,
        None,
    )
    assert [mail["to"] for mail in body["undelivered_mails"]] == [manager.email]


def test_without_a_manager_with_an_address_nobody_is_alerted(
    api: ApiClient, manager: Any, clock: Any
) -> None:
    """R3: an alert that reaches nobody is a breach, and the API says so."""
    type(manager).objects.filter(pk=manager.pk).update(email="")
    body = register(api)
    assert body["management_alert"]["state"] == "no_recipient"
    assert body["management_informed_at"] is None


# --- Messages to the customer ------------------------------------------------------------------


def test_every_message_says_how_far_it_got(
    smtp: MailServer, api: ApiClient, employee: Any, manager: Any, clock: Any
) -> None:
    """Queued, refused for good (550, with the server's answer), accepted by the server, a
    letter to post and a letter posted; the bounced receipt also shows on the complaint."""
    smtp.handler.refuse_rcpt[CUSTOMER] = REFUSED
    reference = register(api, send_receipt=True)["reference"]
    receipt = messages(api, reference)["receipt/email"]
    assert receipt["direction"] == "out"
    assert receipt["delivered_at"] is None
    assert receipt["delivery"] == {
        "state": "queued",
        "accepted_at": None,
        "posted_at": None,
        "failed_at": None,
        "next_attempt_at": NOW.isoformat(),
        "reason": None,
    }

    outbox_deliver(now=NOW)
    receipt = messages(api, reference)["receipt/email"]["delivery"]
    assert receipt["state"] == "failed"
    assert receipt["reason"] == REFUSED
    assert receipt["failed_at"].startswith("2026-11-02T10:00")
    assert (receipt["accepted_at"], receipt["next_attempt_at"]) == (None, None)
    bounced = [m for m in detail(api, reference)["undelivered_mails"] if m["to"] == CUSTOMER]
    assert [(m["purpose"], m["state"], m["reason"]) for m in bounced] == [
        ("customer", "failed", REFUSED)
    ]

    # The address corrected (R6), a message by e-mail goes through; a letter waits for posting.
    corrected = api.client.patch(
        f"{URL}/{reference}/customer",
        data={"email": "bakker@example.org"},
        content_type="application/json",
        headers=api.headers,
    )
    assert corrected.status_code == 200, corrected.json()
    body = "Geachte mevrouw Bakker,\n\nDe cursusmap is onderweg."
    send(api, reference, kind="free", channel="email", subject="Uw cursusmap", body=body)
    letter = send(api, reference, kind="free", channel="letter", subject="Uw map", body=body)
    assert letter["delivery"]["state"] == "to_post"
    assert outbox_deliver(now=NOW + timedelta(minutes=1)) >= 1

    listed = messages(api, reference)
    sent = listed["free/email"]
    assert sent["delivery"]["state"] == "sent"
    assert sent["delivery"]["accepted_at"].startswith("2026-11-02T10:01")
    assert sent["delivered_at"] == sent["delivery"]["accepted_at"]
    assert sent["delivery"]["reason"] is None
    assert listed["free/letter"]["delivery"] == {
        "state": "to_post",
        "accepted_at": None,
        "posted_at": None,
        "failed_at": None,
        "next_attempt_at": None,
        "reason": None,
    }
    assert "bakker@example.org" in [to for mail in smtp.delivered for to in mail.rcpt_tos]

    customer_message_mark_posted(
        message=CustomerMessage.objects.get(pk=letter["id"]),
        actor=employee,
        now=NOW + timedelta(hours=1),
    )
    posted = messages(api, reference)["free/letter"]["delivery"]
    assert posted["state"] == "posted"
    assert posted["posted_at"] == (NOW + timedelta(hours=1)).isoformat()


def test_reading_messages_and_the_complaint_costs_the_same_queries_for_1_or_6_messages(
    smtp: MailServer, api: ApiClient, manager: Any, clock: Any
) -> None:
    """Delivery comes with each message, the alert and the mails not delivered in one query:
    the query count does not grow with the messages (queued, failed, sent and letters)."""
    smtp.handler.refuse_rcpt[CUSTOMER] = REFUSED
    reference = register(api, send_receipt=True)["reference"]
    outbox_deliver(now=NOW)
    api.get(f"{URL}/{reference}")  # the token's use is stamped once a minute; not counted here

    with CaptureQueriesContext(connection) as one_list:
        assert len(api.get(f"{URL}/{reference}/messages").json()) == 1
    with CaptureQueriesContext(connection) as one_detail:
        assert len(api.get(f"{URL}/{reference}").json()["undelivered_mails"]) == 1

    body = "Geachte mevrouw Bakker,\n\nTot morgen."
    for channel in ("email", "letter", "email", "letter"):
        send(api, reference, kind="free", channel=channel, subject="Uw map", body=body)
    outbox_deliver(now=NOW)  # the e-mails bounce too
    send(api, reference, kind="free", channel="email", subject="Uw map", body=body)  # queued

    with CaptureQueriesContext(connection) as six_list:
        listed = api.get(f"{URL}/{reference}/messages").json()
    with CaptureQueriesContext(connection) as six_detail:
        undelivered = api.get(f"{URL}/{reference}").json()["undelivered_mails"]
    assert sorted(item["delivery"]["state"] for item in listed) == [
        "failed",
        "failed",
        "failed",
        "queued",
        "to_post",
        "to_post",
    ]
    assert len(undelivered) == 3
    assert len(six_list) == len(one_list)
    assert len(six_detail) == len(one_detail)


def test_the_documented_states_are_the_states_there_are() -> None:
    """The OpenAPI document's list of delivery states is the selector's, no more, no less."""
    states = {value for name, value in vars(DeliveryState).items() if name.isupper()}
    assert set(get_args(DeliveryStateName)) == states
