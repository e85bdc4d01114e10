"""A customer's right of access (AVG): everything about them, as one ZIP, for management.

R2: a complaint is never shared with outsiders; this export is for the customer themself, so
only management makes it and every export is written to the audit log. The ZIP holds
``uw-gegevens.pdf`` — the same in Dutch, for the customer to read: times in Dutch local time,
staff by name, every message as it was sent with the signature of the card (R14) —,
``gegevens.json`` (the customer file and every complaint in it, with contacts, actions,
history, satisfaction and the messages sent), the letters as PDFs under ``brieven/<kenmerk>/``
and the stored files under ``bijlagen/<kenmerk>/``. Nothing of another customer is
in it: every row is read through this customer's file.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.complaints.attachments import clean_name
from klachten.complaints.models import Complaint, SatisfactionSurvey
from klachten.complaints.selectors import TimelineEntry
from klachten.core.errors import NotAllowed
from klachten.core.pdf import html_to_pdf
from klachten.customers.models import CustomerFile
from klachten.mail.cards import BusinessCard, signature
from klachten.messaging.letters import letter_pdf, postal_address
from klachten.messaging.models import CustomerMessage, MessageChannel
from klachten.organisation.selectors import organisation_settings

FORMAT_VERSION = 1

COMPLAINT_FIELDS = (
    "reference",
    "received_at",
    "channel",
    "status",
    "outcome",
    "report",
    "not_interrupted",
    "vented",
    "put_at_ease",
    "apologised",
    "business_card_given",
    "contact_due",
    "delay_notice_due",
    "settlement_due",
    "contacted_at",
    "agreed_term",
    "delay_notice_sent_at",
    "delay_reason",
    "delay_expected_date",
    "extended_until",
    "solution",
    "solution_proposed_at",
    "customer_view",
    "customer_view_note",
    "customer_view_at",
    "follow_up_solved",
    "follow_up_note",
    "follow_up_at",
    "dispute_referred_at",
    "dispute_note",
    "ruling_at",
    "ruling_text",
    "closing_note",
    "closed_at",
    "anonymised_at",
    # What it concerns in the customer's own terms (#16 item 1), and whether it came from an
    # old register (#16 item 5).
    "course_text",
    "training_location",
    "training_date",
    "imported_at",
)
CUSTOMER_FIELDS = (
    "name",
    "salutation",
    "street",
    "house_number",
    "postcode",
    "town",
    "country",
    "email",
    "phone",
    "naw_checked_at",
    "created_at",
    "anonymised_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _person(staff: Staff | None) -> str | None:
    return str(staff) if staff is not None else None


def _complaint(complaint: Complaint) -> dict[str, Any]:
    return {
        **{name: _plain(getattr(complaint, name)) for name in COMPLAINT_FIELDS},
        "receiver": _person(complaint.receiver),
        "handler": _person(complaint.handler),
        "category": complaint.category.name if complaint.category else None,
        "course": complaint.course.name if complaint.course else None,
        "trainer": complaint.trainer.name if complaint.trainer else None,
        "contacts": [
            {
                "at": _plain(contact.at),
                "by": _person(contact.by),
                "channel": contact.channel,
                "summary": contact.summary,
                "agreed_term": _plain(contact.agreed_term),
            }
            for contact in complaint.contacts.all()
        ],
        "actions": [
            {
                "what": action.what,
                "who": _person(action.who),
                "due": _plain(action.due),
                "done_at": _plain(action.done_at),
            }
            for action in complaint.actions.all()
        ],
        "history": [
            {
                "at": _plain(entry.at),
                "by": _person(entry.actor),
                "action": entry.action,
                "before": entry.before,
                "after": entry.after,
            }
            for entry in complaint.audit_entries.all()
            if entry.action != "viewed"
        ],
        "satisfaction": _satisfaction(complaint),
        "messages": [
            {
                "kind": message.kind,
                "channel": message.channel,
                "to": message.recipient,
                "subject": message.subject,
                "body": message.body,
                "created_at": _plain(message.created_at),
                "sent_at": _plain(message.sent_at),
                "letter": _letter_path(complaint, message.pk)
                if message.channel == MessageChannel.LETTER
                else None,
            }
            for message in complaint.customer_messages.all()
        ],
        # What the customer sent us (#13): their own words, by e-mail or on their page.
        # Internal notes are not in the export (docs/decisions.md).
        "messages_received": [
            {
                "channel": message.channel,
                "from": message.sender,
                "subject": message.subject,
                "text": message.full_text or message.text,
                "received_at": _plain(message.received_at),
            }
            for message in complaint.incoming_messages.all()
        ],
        "attachments": [
            {
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "uploaded_at": _plain(attachment.uploaded_at),
                "path": _attachment_path(complaint, attachment.pk, attachment.original_name),
            }
            for attachment in complaint.attachments.all()
        ],
    }


def _satisfaction(complaint: Complaint) -> dict[str, Any] | None:
    try:
        survey = complaint.satisfaction
    except SatisfactionSurvey.DoesNotExist:
        return None
    return {
        "asked_at": _plain(survey.asked_at),
        "answered_at": _plain(survey.answered_at),
        "score": survey.score,
        "settled": survey.settled,
        "comment": survey.comment,
    }


def _letter_path(complaint: Complaint, pk: int) -> str:
    return f"brieven/{complaint.reference}/brief-{pk}.pdf"


def _attachment_path(complaint: Complaint, pk: int, name: str) -> str:
    return f"bijlagen/{complaint.reference}/{pk}-{clean_name(name)}"


DOCUMENT = "uw-gegevens.pdf"


def _as_sent(message: CustomerMessage) -> str:
    """A message as the customer got it: the text, then the sender's card (R14)."""
    return f"{message.body}\n\n{signature(BusinessCard.from_dict(message.card))}"


def _document(*, customer: CustomerFile, complaints: list[Complaint], now: datetime) -> bytes:
    """Everything in the export as a Dutch PDF a customer can read (AVG, R2, R5)."""
    staff_by_pk = {member.pk: member for member in Staff.objects.all()}
    cases = [
        {
            "complaint": complaint,
            "history": [
                TimelineEntry(
                    at=entry.at,
                    actor=entry.actor,
                    action=entry.action,
                    before=entry.before,
                    after=entry.after,
                )
                for entry in sorted(complaint.audit_entries.all(), key=lambda e: (e.at, e.pk))
                if entry.action != "viewed"
            ],
            "contacts": sorted(complaint.contacts.all(), key=lambda c: (c.at, c.pk)),
            "actions": sorted(complaint.actions.all(), key=lambda a: (a.due, a.pk)),
            "messages": [
                {
                    "message": message,
                    "text": _as_sent(message),
                    "letter": _letter_path(complaint, message.pk)
                    if message.channel == MessageChannel.LETTER
                    else "",
                }
                for message in sorted(
                    complaint.customer_messages.all(), key=lambda m: (m.created_at, m.pk)
                )
            ],
            "attachments": [
                {
                    "attachment": attachment,
                    "path": _attachment_path(complaint, attachment.pk, attachment.original_name),
                }
                for attachment in complaint.attachments.all()
            ],
            "satisfaction": _survey(complaint),
        }
        for complaint in complaints
    ]
    with translation.override("nl"):
        html = render_to_string(
            "complaints/customer_export.html",
            {
                "customer": customer,
                "address": postal_address(customer),
                "cases": cases,
                "organisation": organisation_settings(),
                "exported_at": now,
                "staff_by_pk": staff_by_pk,
                "document": DOCUMENT,
            },
        )
    return html_to_pdf(html)


def _survey(complaint: Complaint) -> SatisfactionSurvey | None:
    try:
        return complaint.satisfaction
    except SatisfactionSurvey.DoesNotExist:
        return None


@transaction.atomic
def customer_export(*, customer: CustomerFile, actor: Staff, now: datetime) -> bytes:
    """The ZIP of everything about one customer (AVG right of access), logged (R2).

    A constant number of queries for the data (prefetched), plus one read per stored file.
    """
    if not actor.is_management:
        raise NotAllowed("management_only", _("Alleen de directie kan klantgegevens exporteren."))
    complaints = list(
        Complaint.objects.filter(customer=customer)
        .select_related(
            "customer", "receiver", "handler", "category", "course", "trainer", "satisfaction"
        )
        .prefetch_related(
            "contacts__by",
            "actions__who",
            "audit_entries__actor",
            "attachments",
            "customer_messages",
            "incoming_messages",
        )
        .order_by("received_at", "pk")
    )
    data = {
        "format_version": FORMAT_VERSION,
        "exported_at": now.isoformat(),
        "customer_file": {name: _plain(getattr(customer, name)) for name in CUSTOMER_FIELDS},
        "complaints": [_complaint(complaint) for complaint in complaints],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT, _document(customer=customer, complaints=complaints, now=now))
        archive.writestr(
            "gegevens.json", json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        )
        for complaint in complaints:
            for message in complaint.customer_messages.all():
                if message.channel == MessageChannel.LETTER:
                    message.complaint = complaint
                    archive.writestr(_letter_path(complaint, message.pk), letter_pdf(message))
            for attachment in complaint.attachments.all():
                with attachment.file.open("rb") as stored:
                    archive.writestr(
                        _attachment_path(complaint, attachment.pk, attachment.original_name),
                        stored.read(),
                    )
    audit_append(
        complaint=None,
        actor=actor,
        action="customer_exported",
        now=now,
        after={"customer_file": customer.pk, "complaints": len(complaints)},
    )
    return buffer.getvalue()
