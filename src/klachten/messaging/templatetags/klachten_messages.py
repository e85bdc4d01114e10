"""The complaint page's part of the messages: what was sent, what to write, the R16 prompt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from klachten.accounts.models import Staff
from klachten.accounts.selectors import management_without_email
from klachten.complaints.models import Complaint, InternalNote
from klachten.domain.delay_notice import DelayNoticeState, ask_from
from klachten.domain.lifecycle import Status
from klachten.messaging import selectors
from klachten.messaging.models import CustomerMessage, IncomingMessage, MessageKind
from klachten.messaging.views import KIND_SLUGS
from klachten.organisation.texts import days_text

register = template.Library()


@dataclass(frozen=True)
class ConversationItem:
    """One line of the complaint's single timeline (#14): a message out or in, a note, or a
    step or change from the history; ``kind`` is "out", "in", "note" or "step"."""

    at: datetime
    kind: str
    item: Any


# History entries that a message item already shows, so they are not told twice.
_TOLD_BY_A_MESSAGE = frozenset({"message_sent", "message_received", "note_added"})


@register.simple_tag
def conversation(
    complaint: Complaint, timeline: Sequence[Any], notes: Sequence[InternalNote]
) -> list[ConversationItem]:
    """The whole conversation and history as one timeline, newest first: the messages to the
    customer, what the customer sent (e-mail, status page), the internal notes, and every
    step and change of the history (R5: the whole file in one place). Two queries besides
    the ones the page already made (the timeline, the notes)."""
    items = [
        ConversationItem(message.created_at, "out", message)
        for message in selectors.customer_messages(complaint)
    ]
    items += [
        ConversationItem(message.received_at, "in", message)
        for message in selectors.incoming_messages(complaint)
    ]
    items += [ConversationItem(note.created_at, "note", note) for note in notes]
    items += [
        ConversationItem(entry.at, "step", entry)
        for entry in timeline
        if entry.action not in _TOLD_BY_A_MESSAGE
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)


@register.simple_tag
def customer_messages(complaint: Complaint) -> list[CustomerMessage]:
    """The messages of the complaint, newest first (one query)."""
    return selectors.customer_messages(complaint)


@register.simple_tag
def incoming_messages(complaint: Complaint) -> list[IncomingMessage]:
    """What the customer sent, oldest first, with its files (two queries)."""
    return selectors.incoming_messages(complaint)


@dataclass(frozen=True)
class KindLink:
    label: Promise | str
    url: str
    suggested: bool


@register.simple_tag
def message_kinds(complaint: Complaint) -> list[KindLink]:
    """Every kind of message with its editor; the one the status suggests first."""
    suggested = selectors.SUGGESTED_KIND.get(Status(complaint.status))
    links = [
        KindLink(
            label=MessageKind(kind).label,
            url=reverse("messaging:compose", args=[complaint.reference, slug]),
            suggested=kind == suggested,
        )
        for kind, slug in KIND_SLUGS.items()
        if kind != MessageKind.DELAY_NOTICE  # the delay notice is a step of its own (R16)
    ]
    return sorted(links, key=lambda link: not link.suggested)


@dataclass(frozen=True)
class DelayNoticePrompt:
    """R16 on the complaint page: ask from day 14, a breach after the deadline."""

    state: str
    due: datetime
    asked_from: datetime
    url: str
    delay_notice_term: str
    settlement_term: str

    @property
    def ask(self) -> bool:
        return self.state == DelayNoticeState.ASK

    @property
    def late(self) -> bool:
        return self.state == DelayNoticeState.LATE

    @property
    def sent_late(self) -> bool:
        return self.state == DelayNoticeState.SENT_LATE


@register.simple_tag
def delay_notice_prompt(complaint: Complaint, now: datetime) -> DelayNoticePrompt:
    return DelayNoticePrompt(
        state=selectors.complaint_delay_notice_state(complaint, now),
        due=complaint.delay_notice_due,
        asked_from=ask_from(complaint.received_at),
        url=reverse("messaging:delay-notice", args=[complaint.reference]),
        delay_notice_term=days_text(complaint.delay_notice_days),
        settlement_term=days_text(complaint.settlement_days),
    )


@register.simple_tag
def complaint_mail(complaint: Complaint) -> selectors.ComplaintMail:
    """Whether management was told (R3) and which mails did not arrive (one query)."""
    return selectors.complaint_mail(complaint)


@register.simple_tag
def failed_mails(staff: Staff) -> list[selectors.FailedMail]:
    """Mails given up that this staff member should know of (one query)."""
    return selectors.failed_mails_for(staff=staff, now=timezone.now())


@register.simple_tag
def managers_without_email(staff: Staff) -> list[Staff]:
    """For management: managers whom no alert reaches (R3). Nothing for others (one query)."""
    return management_without_email() if staff.is_management else []
