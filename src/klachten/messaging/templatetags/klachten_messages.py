"""The complaint page's part of the messages: what was sent, what to write, the R16 prompt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from klachten.accounts.models import Staff
from klachten.accounts.selectors import management_without_email
from klachten.complaints.models import Complaint, InternalNote
from klachten.complaints.templatetags.klachten_complaints import timeline_action, timeline_details
from klachten.core.fasttags import reverse_args
from klachten.core.templatetags.klachten_time import when
from klachten.domain.delay_notice import DelayNoticeState, ask_from
from klachten.domain.lifecycle import Status
from klachten.messaging import selectors
from klachten.messaging.models import (
    CustomerMessage,
    IncomingMessage,
    MessageChannel,
    MessageKind,
)
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
    complaint: Complaint,
    timeline: Sequence[Any],
    notes: Sequence[InternalNote],
    staff_by_pk: Mapping[int, Staff] | None = None,
) -> list[ConversationItem]:
    """The whole conversation and history as one timeline, newest first: the messages to the
    customer, what the customer sent (e-mail, status page), the internal notes, and every
    step and change of the history (R5: the whole file in one place). Two queries besides
    the ones the page already made (the timeline, the notes)."""
    items = [
        ConversationItem(message.created_at, "out", message)
        for message in selectors.customer_messages(complaint, staff_by_pk or None)
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
def conversation_html(
    items: Sequence[ConversationItem], complaint: Complaint, staff_by_pk: Mapping[int, Staff]
) -> SafeString:
    """The timeline's lines, rendered in Python: a long case has a hundred of them, and a line
    of template lookups costs more than the page's database work (as ``overview_rows``).
    Every value is escaped."""
    reference = complaint.reference
    lines = []
    for entry in items:
        if entry.kind == "out":
            lines.append(_out_line(entry.item, reference))
        elif entry.kind == "in":
            lines.append(_in_line(entry.item, reference))
        elif entry.kind == "note":
            lines.append(_note_line(entry.item))
        else:
            lines.append(_step_line(entry.item, staff_by_pk))
    return mark_safe("".join(lines))  # noqa: S308 - every value in the lines is escaped


_KIND_LABELS = dict(MessageKind.choices)
_CHANNEL_LABELS = dict(MessageChannel.choices)


def _time(moment: datetime) -> str:
    return f'<time datetime="{moment.isoformat()}">{escape(when(moment))}</time>'


def _out_line(message: CustomerMessage, reference: str) -> str:
    state = ""
    if message.channel == MessageChannel.LETTER and not message.sent_at:
        state = f' <small class="status-soon">{escape(_("nog op de post doen"))}</small>'
    elif message.outbox is not None and message.outbox.failed_at:
        state = f' <small class="status-late">{escape(_("niet afgeleverd"))}</small>'
    url = reverse_args("messaging:message", reference, message.pk)
    what = " · ".join(
        str(part)
        for part in (
            _("Bericht aan de klant"),
            _KIND_LABELS.get(message.kind, message.kind),
            str(_CHANNEL_LABELS.get(message.channel, message.channel)).lower(),
            message.author,
        )
    )
    return (
        '<li class="kind-out"><article class="said said-ours"><header><small>'
        f"{_time(message.created_at)} · {escape(what)}</small>{state}</header>"
        f'<p><a href="{escape(url)}">{escape(message.subject)}</a></p></article></li>'
    )


def _in_line(message: IncomingMessage, reference: str) -> str:
    if message.channel == "email":
        sender = _("E-mail van %(sender)s") % {"sender": message.sender_name or message.sender}
    else:
        sender = _("Via de persoonlijke pagina")
    subject = f" · {escape(message.subject)}" if message.subject else ""
    parts = [
        f'<li class="kind-in"><article class="incoming said said-yours" '
        f'id="van-de-klant-{message.pk}"><header><small>{_time(message.received_at)} · '
        f"<strong>{escape(sender)}</strong>{subject}</small></header>"
        f'<div class="message-text">{linebreaksbr(message.text, autoescape=True)}</div>'
    ]
    if message.full_text and message.full_text != message.text:
        parts.append(
            f"<details><summary>{escape(_('Hele e-mail, met de eerdere berichten'))}</summary>"
            f'<div class="message-text">{linebreaksbr(message.full_text, autoescape=True)}'
            "</div></details>"
        )
    files = list(message.attachments.all())
    if files:
        links = "".join(
            f'<li><a href="{escape(reverse_args("attachments:download", reference, f.pk))}">'
            f"{escape(f.original_name)}</a></li>"
            for f in files
        )
        parts.append(f'<ul class="attachments">{links}</ul>')
    for note in message.notes:
        text = _("Niet bewaard: %(note)s") % {"note": note}
        parts.append(f'<p class="status-soon"><small>{escape(text)}</small></p>')
    if message.original:
        url = reverse_args("messaging:incoming-original", reference, message.pk)
        parts.append(
            f'<p><small><a href="{escape(url)}">{escape(_("Originele e-mail (.eml)"))}</a>'
            "</small></p>"
        )
    parts.append("</article></li>")
    return "".join(parts)


def _note_line(note: InternalNote) -> str:
    asked = ""
    if note.answers_id is not None and note.answers is not None:
        asked = " · " + escape(
            _("verklaring op verzoek van %(asker)s") % {"asker": note.answers.asked_by}
        )
    return (
        '<li class="kind-note"><article class="note"><header><small>'
        f"{_time(note.created_at)} · {escape(_('Interne notitie'))} · "
        f"<strong>{escape(str(note.author))}</strong>{asked}</small></header>"
        f'<div class="message-text">{linebreaksbr(note.text, autoescape=True)}</div>'
        "</article></li>"
    )


def _step_line(step: Any, staff_by_pk: Mapping[int, Staff]) -> str:
    who = ""
    if step.actor is not None:
        who = f" · {escape(str(step.actor))}"
    elif step.after.get("by") == "customer":
        who = f" · {escape(_('de klant'))}"
    details = "".join(
        f'<p class="detail">{escape(line)}</p>' for line in timeline_details(step, staff_by_pk)
    )
    return (
        f'<li class="kind-step"><p><small>{_time(step.at)}</small> · '
        f"<strong>{escape(timeline_action(step.action))}</strong>{who}</p>{details}</li>"
    )


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
            url=reverse_args("messaging:compose", complaint.reference, slug),
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
        url=reverse_args("messaging:delay-notice", complaint.reference),
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
