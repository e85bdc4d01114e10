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

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Status

from klachten.api.helpers import (
    caller,
    incoming_message_out,
    message_out,
    read_day,
    refusal_out,
    visible_complaint,
)
from klachten.api.schemas.common import RefusalOut
from klachten.api.schemas.errors import ErrorOut
from klachten.api.schemas.messages import (
    IncomingMessageOut,
    MessageIn,
    MessageOut,
    WordingErrorOut,
)
from klachten.complaints.services import StepRefused, complaint_read_log
from klachten.messaging.models import MessageKind
from klachten.messaging.selectors import DelayInput, customer_messages, incoming_messages
from klachten.messaging.services import customer_message_send, customer_message_send_standard

router = Router(tags=["messages"])

# One message of the conversation: to the customer (``out``) or from them (``in``, #13).
ConversationItem = Annotated[MessageOut | IncomingMessageOut, Field(discriminator="direction")]


@router.get(
    "/{reference}/messages",
    response={200: list[ConversationItem], 404: ErrorOut},
    summary="The conversation with the customer",
    operation_id="listMessages",
)
def message_list(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    """The conversation, oldest first: the messages to the customer (``direction: "out"``)
    and what the customer sent by e-mail or on their status page (``direction: "in"``,
    #13). Messages to the customer as they were sent (R14: with
    the card), each with ``delivery``: how far it got. An e-mail is ``queued`` until the mail
    server accepts it (``sent``) or it is given up (``failed``, with the server's answer);
    a letter is ``to_post`` until it is marked ``posted``. Reading them is a read of the
    complaint (R2). A constant number of queries, however many messages."""
    staff = caller(request)
    complaint = visible_complaint(staff, reference)
    complaint_read_log(complaint=complaint, actor=staff, now=timezone.now())
    sent = reversed(customer_messages(complaint))  # oldest first, as the incoming ones
    said = [(message.created_at, message_out(message)) for message in sent]
    said.extend(
        (message.received_at, incoming_message_out(message))
        for message in incoming_messages(complaint)
    )
    return [out for _at, out in sorted(said, key=lambda pair: pair[0])]


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    delay = None
    if payload.kind == MessageKind.DELAY_NOTICE:
        delay = DelayInput(
            reason=payload.reason or "",
            expected_date=(
                read_day(payload.expected_date, "expected_date") if payload.expected_date else None
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
        return Status(409, refusal_out(refused))
    return Status(201, message_out(message))
