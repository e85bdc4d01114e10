"""``/api/v1/complaints/{reference}/messages`` — the messages to the customer (R12–R14, R16).

``GET`` lists a complaint's messages as they were sent, each with how far it got
(``delivery``: queued, sent, failed, to post, posted; issue #10, items 19 and 20); ``POST``
sends one. Without ``subject``
and ``body`` the standard text of ``kind`` is sent as it stands for the complaint. The wording
guard refuses a word of R13 (422 ``wording_blocked``) and an unconfirmed R12 warning (422
``wording_warnings``; send again with ``confirm_warnings: true``), both with every finding.
Not found — never "forbidden" — for a complaint the caller may not see (R2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from klachten.api.complaints import (
    NO_NUL,
    In,
    IsoDate,
    RefusalOut,
    _caller,
    _complaint,
    _day,
    _local,
    _reason,
)
from klachten.api.errors import ErrorOut, InvalidOut
from klachten.complaints.services import StepRefused, complaint_read_log
from klachten.messaging.models import CustomerMessage, MessageChannel, MessageKind
from klachten.messaging.selectors import DelayInput, customer_messages, message_delivery
from klachten.messaging.services import (
    MAX_BODY,
    MAX_SUBJECT,
    customer_message_send,
    customer_message_send_standard,
)

router = Router(tags=["messages"])

KindName = Annotated[str, Field(json_schema_extra={"enum": list(MessageKind.values)})]
ChannelName = Annotated[str, Field(json_schema_extra={"enum": list(MessageChannel.values)})]


class MessageIn(In):
    """A message to the customer; without ``subject`` and ``body``, the standard text."""

    kind: KindName
    channel: ChannelName | None = Field(
        None, description="email or letter; default e-mail when the customer file has an address"
    )
    subject: Annotated[str, Field(max_length=MAX_SUBJECT), NO_NUL] | None = None
    body: Annotated[str, Field(max_length=MAX_BODY), NO_NUL] | None = None
    confirm_warnings: StrictBool = Field(
        False, description="The author read the R12 warnings and sends anyway"
    )
    reason: Annotated[str, NO_NUL] | None = Field(None, description="delay_notice only (R16)")
    expected_date: IsoDate | None = Field(None, description="delay_notice only (R16)")


class CardOut(Schema):
    """The sender's business card as it went with the message (R14)."""

    name: str
    job_title: str
    phone: str
    email: str
    organisation: str


DeliveryStateName = Literal["queued", "sent", "failed", "to_post", "posted", "unknown"]


class DeliveryOut(Schema):
    """How far the message got (#10, items 19 and 20), as the message page says it.

    ``state``: ``queued`` — an e-mail waiting for its first or next attempt (``reason`` says
    why the last attempt failed, if one did; ``next_attempt_at`` when the next one is due);
    ``sent`` — the mail server accepted it (``accepted_at``); ``failed`` — given up and not
    tried again, because the server refused it for good (5xx) or for a whole day
    (``failed_at``, ``reason``): check the address or send it as a letter; ``to_post`` — a
    letter not yet marked as posted; ``posted`` — a letter marked as posted (``posted_at``);
    ``unknown`` — an e-mail whose record in the mail queue was removed at the retention term
    (R5).
    """

    state: DeliveryStateName
    accepted_at: datetime | None = Field(description="E-mail: when the mail server accepted it")
    posted_at: datetime | None = Field(description="Letter: when it was marked as posted")
    failed_at: datetime | None = Field(description="E-mail: when it was given up")
    next_attempt_at: datetime | None = Field(
        description="E-mail still queued: when the next attempt is due"
    )
    reason: str | None = Field(
        description="The mail server's answer in short (e.g. `550 5.1.1 Mailbox unknown`): "
        "why the mail was given up, or why its last attempt failed; null when none failed"
    )


class MessageOut(Schema):
    id: int
    direction: Literal["out"] = Field(description="`out`: a message to the customer")
    kind: str
    channel: str
    recipient: str
    subject: str
    body: str
    card: CardOut
    author: str
    created_at: datetime
    sent_at: datetime | None = Field(description="E-mail: queued; letter: marked as posted")
    delivered_at: datetime | None = Field(
        description="E-mail accepted by the mail server (the same as `delivery.accepted_at`)"
    )
    delivery: DeliveryOut
    warnings_confirmed: list[dict[str, Any]]


class FindingOut(Schema):
    field: str = Field(description="subject, body or card")
    start: int
    end: int
    text: str
    rule: str
    code: str
    blocks: bool
    message: str
    suggestions: list[str]


class WordingErrorOut(InvalidOut):
    """Refused by the wording guard (R13 blocks; R12 needs ``confirm_warnings``), with every
    finding; or any other 422 (then without findings)."""

    findings: list[FindingOut] = Field(default_factory=list)


def _delivery(message: CustomerMessage) -> dict[str, Any]:
    delivery = message_delivery(message)
    return {
        "state": delivery.state,
        "accepted_at": _local(delivery.accepted_at),
        "posted_at": _local(delivery.posted_at),
        "failed_at": _local(delivery.failed_at),
        "next_attempt_at": _local(delivery.next_attempt_at),
        "reason": delivery.reason or None,
    }


def _message(message: CustomerMessage) -> dict[str, Any]:
    card = message.card
    delivery = _delivery(message)
    return {
        "id": message.pk,
        "direction": "out",
        "kind": message.kind,
        "channel": message.channel,
        "recipient": message.recipient,
        "subject": message.subject,
        "body": message.body,
        "card": {key: card.get(key, "") for key in CardOut.model_fields},
        "author": str(message.author),
        "created_at": _local(message.created_at),
        "sent_at": _local(message.sent_at),
        "delivered_at": delivery["accepted_at"],
        "delivery": delivery,
        "warnings_confirmed": message.warnings_confirmed,
    }


@router.get(
    "/{reference}/messages",
    response={200: list[MessageOut], 404: ErrorOut},
    summary="Messages to the customer",
    operation_id="listMessages",
)
def message_list(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    """The complaint's messages to the customer, oldest first (the conversation as it went,
    CONTRACT.md), as they were sent (R14: with
    the card), each with ``delivery``: how far it got. An e-mail is ``queued`` until the mail
    server accepts it (``sent``) or it is given up (``failed``, with the server's answer);
    a letter is ``to_post`` until it is marked ``posted``. Reading them is a read of the
    complaint (R2). A constant number of queries, however many messages."""
    staff = _caller(request)
    complaint = _complaint(staff, reference)
    complaint_read_log(complaint=complaint, actor=staff, now=timezone.now())
    return [_message(message) for message in reversed(customer_messages(complaint))]


@router.post(
    "/{reference}/messages",
    response={201: MessageOut, 404: ErrorOut, 409: RefusalOut, 422: WordingErrorOut},
    summary="Send a message to the customer",
    operation_id="sendMessage",
)
def message_send(request: HttpRequest, reference: str, payload: MessageIn) -> Status[Any]:
    """Send a message by e-mail (with the sender's vCard) or as a letter (a PDF to post).

    Every message passes the wording guard (R13 blocks, R12 needs ``confirm_warnings``) and
    carries the sender's business card (R14). ``kind: delay_notice`` needs ``reason`` and
    ``expected_date`` and records the delay (R16), as ``POST …/delay-notice`` does.
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    delay = None
    if payload.kind == MessageKind.DELAY_NOTICE:
        delay = DelayInput(
            reason=payload.reason or "",
            expected_date=(
                _day(payload.expected_date, "expected_date") if payload.expected_date else None
            ),
        )
    try:
        if payload.subject is None and payload.body is None:
            message = customer_message_send_standard(
                complaint=complaint,
                author=staff,
                kind=payload.kind,
                channel=payload.channel,
                confirm_warnings=payload.confirm_warnings,
                delay=delay,
                now=now,
            )
        else:
            message = customer_message_send(
                complaint=complaint,
                author=staff,
                kind=payload.kind,
                channel=payload.channel,
                subject=payload.subject or "",
                body=payload.body or "",
                confirm_warnings=payload.confirm_warnings,
                delay=delay,
                now=now,
            )
    except StepRefused as refused:
        reasons = [_reason(reason) for reason in refused.reasons]
        return Status(409, {"detail": refused.detail, "code": refused.code, "reasons": reasons})
    return Status(201, _message(message))
