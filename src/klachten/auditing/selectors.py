"""Reads of the auditor's view (#16 item 4): the sample and one dossier without the
customer's personal data.

The dossier shows what an audit of the complaints procedure asks for — receipt,
confirmation, timeliness of contact, delay notice and settlement, the outcome and a referral —
with every text pseudonymised (``klachten.domain.pseudonym``): the customer's name, address,
e-mail address and phone number, and any other e-mail address, postcode or phone number,
become placeholders. Staff names stay: they are who did the work being audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from klachten.audit.models import AuditEntry
from klachten.auditing.models import AuditSample
from klachten.complaints.models import Complaint, ContactMoment
from klachten.core.errors import NotFound
from klachten.domain import figures
from klachten.domain.figures import day_start
from klachten.domain.pseudonym import Person, Placeholders, pseudonymise
from klachten.messaging.models import CustomerMessage, IncomingMessage
from klachten.organisation.models import RegulationVersion
from klachten.organisation.selectors import regulation_version_at

# What the auditor's own reading adds to the log is not part of the dossier.
NOT_IN_TIMELINE = frozenset({"auditor_read", "audit_sampled", "audit_unsampled", "viewed"})


def samples() -> QuerySet[AuditSample]:
    """The sampled dossiers, newest choice first, with what the list shows. One query."""
    return AuditSample.objects.select_related(
        "complaint", "complaint__category", "complaint__course", "added_by"
    )


def placeholders() -> Placeholders:
    """What replaces the customer's data in a dossier, in the active language."""
    return Placeholders(
        name=_("[klant]"),
        address=_("[adres]"),
        postcode=_("[postcode]"),
        email=_("[e-mailadres]"),
        phone=_("[telefoonnummer]"),
    )


def sampled_in_period(*, first: date, last: date) -> list[Complaint]:
    """The sampled complaints received from ``first`` to ``last`` (Amsterdam days, both
    included), oldest first, with what a dossier shows (the evidence pack, #16 item 6)."""
    return list(
        Complaint.objects.select_related(
            "customer", "category", "root_cause", "course", "receiver", "handler"
        )
        .filter(
            audit_sample__isnull=False,
            received_at__gte=day_start(first),
            received_at__lt=day_start(last + timedelta(days=1)),
        )
        .order_by("received_at", "id")
    )


def sampled_complaint(*, reference: str) -> Complaint:
    """A complaint in the sample, or NotFound — exactly as for one that does not exist."""
    complaint = (
        Complaint.objects.select_related(
            "customer", "category", "root_cause", "course", "receiver", "handler"
        )
        .filter(reference=reference, audit_sample__isnull=False)
        .first()
    )
    if complaint is None:
        raise NotFound("not_found", _("Dit dossier zit niet in de steekproef."))
    return complaint


@dataclass(frozen=True)
class Deadline:
    name: str
    due: datetime
    done: datetime | None
    verdict: str  # figures.Verdict: met, not_met, not_applicable


@dataclass(frozen=True)
class Entry:
    at: datetime
    what: str  # an audit action code, a message or a contact
    who: str
    text: str = ""
    subject: str = ""


@dataclass(frozen=True)
class Dossier:
    complaint: Complaint
    report: str
    solution: str
    closing_note: str
    dispute_note: str
    ruling_text: str
    deadlines: list[Deadline]
    timeline: list[Entry]
    regulation_version: RegulationVersion | None = None  # in force when received (R17)


def _facts(complaint: Complaint) -> figures.CaseFacts:
    return figures.CaseFacts(
        received_at=complaint.received_at,
        contact_due=complaint.contact_due,
        contacted_at=complaint.contacted_at,
        delay_notice_due=complaint.delay_notice_due,
        delay_notice_sent_at=complaint.delay_notice_sent_at,
        delay_expected_date=complaint.delay_expected_date,
        settlement_due=complaint.settlement_due,
        closed_at=complaint.closed_at,
        dispute_referred_at=complaint.dispute_referred_at,
        solution_proposed_at=complaint.solution_proposed_at,
        outcome=complaint.outcome,
        imported=complaint.imported_at is not None,
    )


def dossier(*, complaint: Complaint, now: datetime, placeholders: Placeholders) -> Dossier:
    """One sampled dossier, pseudonymised. A constant number of queries."""
    customer = complaint.customer
    person = Person(
        name=customer.name,
        street=customer.street,
        house_number=customer.house_number,
        postcode=customer.postcode,
        town="",
        email=customer.email,
        phone=customer.phone,
    )

    def clean(text: str) -> str:
        return pseudonymise(text, [person], placeholders)

    facts = _facts(complaint)
    deadlines = [
        Deadline(
            _("Contact met de klant"),
            complaint.contact_due,
            complaint.contacted_at,
            figures.contact_in_time(facts, now),
        ),
        Deadline(
            _("Uitstelbericht"),
            complaint.delay_notice_due,
            complaint.delay_notice_sent_at,
            figures.delay_notice_in_time(facts, now),
        ),
        Deadline(
            _("Afhandeling"),
            complaint.settlement_due,
            facts.ended_at,
            figures.settled_as_promised(facts, now),
        ),
    ]
    timeline: list[Entry] = [
        Entry(entry.at, entry.action, str(entry.actor or ""))
        for entry in AuditEntry.objects.filter(complaint=complaint)
        .exclude(action__in=NOT_IN_TIMELINE)
        .select_related("actor")
        .order_by("at", "id")
    ]
    timeline += [
        Entry(contact.at, "contact", str(contact.by), clean(contact.summary))
        for contact in ContactMoment.objects.filter(complaint=complaint).select_related("by")
    ]
    timeline += [
        Entry(
            message.sent_at or message.created_at,
            "message_out",
            str(message.author),
            clean(message.body),
            clean(message.subject),
        )
        for message in CustomerMessage.objects.filter(complaint=complaint).select_related("author")
    ]
    timeline += [
        Entry(
            message.received_at,
            "message_in",
            placeholders.name,
            clean(message.text),
            clean(message.subject),
        )
        for message in IncomingMessage.objects.filter(complaint=complaint)
    ]
    timeline.sort(key=lambda entry: entry.at)
    return Dossier(
        complaint=complaint,
        report=clean(complaint.report),
        solution=clean(complaint.solution),
        closing_note=clean(complaint.closing_note),
        dispute_note=clean(complaint.dispute_note),
        ruling_text=clean(complaint.ruling_text),
        regulation_version=regulation_version_at(complaint.received_at),
        deadlines=deadlines,
        timeline=timeline,
    )
