"""The body and answers of ``/api/v1/complaints/{reference}/messages`` (R12–R14, R16)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool

from klachten.api.schemas.common import NO_NUL, In, IsoDate
from klachten.api.schemas.errors import InvalidOut
from klachten.messaging.models import MessageChannel, MessageKind
from klachten.messaging.services import MAX_BODY, MAX_SUBJECT

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


class IncomingMessageOut(Schema):
    id: int
    direction: Literal["in"] = Field(description="`in`: a message from the customer (#13)")
    channel: str = Field(description="`email`, or `status_page` (written on their page)")
    sender: str
    sender_name: str
    subject: str
    text: str = Field(description="The new text, the quoted history folded away")
    received_at: datetime
    attachments: list[str] = Field(description="The names of the files kept with it")
    notes: list[str] = Field(description="What was left out (a file too large or refused)")


class MessageFindingOut(Schema):
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

    findings: list[MessageFindingOut] = Field(default_factory=list)
