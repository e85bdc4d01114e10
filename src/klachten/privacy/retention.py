"""Retention (R5) and a customer's request to erase their data (AVG), as services.

A closed complaint is kept at least 1 year and at most the configured term (1 to 3 years,
default 2); then the nightly run removes its personal data and texts. What stays is what the
reports count: dates, deadlines, status, outcome, the checklist, category and root cause. The
mode is a setting:

* ``anonymise`` — texts and personal data are blanked in place; contact moments, action items
  and the audit log keep their dates and who did what, without the words.
* ``erase`` — the same, and the contact moments, action items, reminders and audit entries of
  the case are deleted outright.

The customer file loses its NAW once no complaint in it still holds data. Nothing is erased
before the minimum term or while a dispute is open (R11); the domain decides, and the service
checks again under a row lock. Runs log counts, never personal data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.audit.models import AuditEntry
from klachten.audit.services import audit_append
from klachten.complaints.attachments import attachments_erase
from klachten.complaints.models import (
    STATUS_LINK_ERASED,
    STATUS_LINK_FIELDS,
    Complaint,
    SatisfactionSurvey,
)
from klachten.core.errors import NotAllowed
from klachten.customers.models import CustomerFile
from klachten.domain import retention as rules
from klachten.domain.retention import Hold, RetentionFacts
from klachten.mail.models import InboundReceipt, OutboxMessage
from klachten.messaging.models import CustomerMessage, IncomingMessage
from klachten.organisation.models import RetentionMode
from klachten.organisation.selectors import organisation_settings

logger = logging.getLogger(__name__)

ANONYMOUS = "[geanonimiseerd]"

# Free texts of a complaint: personal data or the customer's story (R2, R5).
COMPLAINT_TEXTS = (
    "report",
    "management_consulted",
    "delay_reason",
    "solution",
    "customer_view_note",
    "follow_up_note",
    "dispute_note",
    "ruling_text",
    "closing_note",
    "course_text",  # the customer's own words for the course (#16 item 1)
)
CUSTOMER_FIELDS = ("street", "house_number", "postcode", "town", "email", "phone", "salutation")
# Audit values that are codes, not words: they stay, like numbers, booleans and dates.
AUDIT_CODES = frozenset(
    {"action", "channel", "status", "outcome", "customer_view", "reference", "reminder_kind"}
)

HOLD_TEXTS = {
    Hold.NOT_CLOSED: _("de melding is nog niet afgesloten"),
    Hold.DISPUTE_OPEN: _("er loopt een geschil bij de onafhankelijke derde (R11)"),
    Hold.MINIMUM_TERM: _("de melding wordt na afsluiten minstens 1 jaar bewaard (R5)"),
    Hold.TERM_NOT_REACHED: _("de bewaartermijn is nog niet verstreken (R5)"),
}


@dataclass
class RetentionReport:
    """What a run did (or, dry, would do): counts, and the references for the dry-run list."""

    mode: str
    years: int
    dry_run: bool
    complaints: list[tuple[str, datetime]] = field(default_factory=list)
    held_by_dispute: int = 0
    customer_files: int = 0
    attachments: int = 0


def _facts(complaint: Complaint) -> RetentionFacts:
    return RetentionFacts(
        closed_at=complaint.closed_at,
        dispute_referred_at=complaint.dispute_referred_at,
        ruling_at=complaint.ruling_at,
    )


def _is_date(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _wordless(key: str, value: Any) -> bool:
    """A number, boolean, date, code or list of ids: no personal data, no customer's words."""
    if value is None or isinstance(value, bool | int | float):
        return True
    if isinstance(value, str):
        return key in AUDIT_CODES or _is_date(value)
    return isinstance(value, list) and all(isinstance(item, int) for item in value)


def _redacted(values: dict[str, Any]) -> dict[str, Any]:
    """An audit snapshot without words: numbers, booleans, dates and codes stay (R5)."""
    return {key: value for key, value in values.items() if _wordless(key, value)}


def _strip(complaint: Complaint, *, mode: str, now: datetime) -> int:
    """Remove the texts and personal data of one complaint (locked by the caller)."""
    for name in COMPLAINT_TEXTS:
        setattr(complaint, name, "")
    # The customer's status link stops working (issue #4), and so does its short code.
    for name, value in STATUS_LINK_ERASED.items():
        setattr(complaint, name, value)
    complaint.anonymised_at = now
    complaint.save(update_fields=[*COMPLAINT_TEXTS, *STATUS_LINK_FIELDS, "anonymised_at"])
    removed = attachments_erase(complaint=complaint)
    SatisfactionSurvey.objects.filter(complaint=complaint).update(comment="")
    _messages_strip(complaint, mode=mode)
    if mode == RetentionMode.ERASE:
        complaint.contacts.all().delete()
        complaint.actions.all().delete()
        complaint.reminders.all().delete()
        AuditEntry.objects.filter(complaint=complaint).delete()
    else:
        complaint.contacts.update(summary="")
        complaint.actions.update(what="")
        # The one update of the audit log: its personal data goes, the trail stays (R5).
        for entry in AuditEntry.objects.filter(complaint=complaint).only("before", "after"):
            entry.before, entry.after = _redacted(entry.before), _redacted(entry.after)
            entry.save(update_fields=["before", "after"])
    return removed


def _messages_strip(complaint: Complaint, *, mode: str) -> None:
    """The messages to the customer and every mail about the case (R5): their words and
    addresses go; an anonymised case keeps that a message of a kind went out, and when."""
    messages = CustomerMessage.objects.filter(complaint=complaint)
    if mode == RetentionMode.ERASE:
        messages.delete()
    else:
        messages.update(
            recipient="", subject="", body="", card={}, warnings_confirmed=[], outbox=None
        )
    # What the customer sent (#13): the originals go in both modes; an anonymised case keeps
    # that a message came in, and when.
    incoming = IncomingMessage.objects.filter(complaint=complaint)
    for message in incoming.exclude(original=""):
        message.original.delete(save=False)
    if mode == RetentionMode.ERASE:
        incoming.delete()
    else:
        incoming.update(
            sender="", sender_name="", subject="", text="", full_text="", original="", notes=[]
        )
    # The mailbox's bookkeeping keeps that a mail was handled (so it is never handled twice),
    # not what a bounce said about the customer's address.
    InboundReceipt.objects.filter(reference=complaint.reference).update(detail="")
    # The mail queue's copies: to the customer and to staff (alerts name the customer).
    OutboxMessage.objects.filter(key__startswith=f"{complaint.reference}-").delete()


def _customer_file_release(customer_id: int, now: datetime) -> bool:
    """Blank the customer file once none of its complaints still holds data (R5)."""
    if Complaint.objects.filter(customer_id=customer_id, anonymised_at__isnull=True).exists():
        return False
    updated = CustomerFile.objects.filter(pk=customer_id, anonymised_at__isnull=True).update(
        name=ANONYMOUS, **dict.fromkeys(CUSTOMER_FIELDS, ""), anonymised_at=now
    )
    return bool(updated)


def retention_run(*, now: datetime, dry_run: bool = False) -> RetentionReport:
    """Apply the retention term (R5) to every closed complaint whose term has passed.

    Each complaint goes in its own transaction, checked again under a row lock, so a run that
    stops halfway leaves every complaint whole, and a complaint referred to the third party
    meanwhile stays. ``dry_run`` changes nothing and lists what would go.
    """
    found = organisation_settings()
    years = rules.check_term(found.retention_years)
    report = RetentionReport(mode=found.retention_mode, years=years, dry_run=dry_run)
    candidates = (
        Complaint.objects.filter(
            anonymised_at__isnull=True,
            closed_at__isnull=False,
            closed_at__lt=rules.closed_before(now, years),
        )
        .only("pk", "reference", "closed_at", "dispute_referred_at", "ruling_at", "customer_id")
        .order_by("closed_at", "pk")
    )
    for candidate in candidates.iterator(chunk_size=500):
        holding = rules.holds(_facts(candidate), now, years=years)
        if Hold.DISPUTE_OPEN in holding:
            report.held_by_dispute += 1
        if holding:
            continue
        assert candidate.closed_at is not None  # noqa: S101 - filtered in the query
        if dry_run:
            report.complaints.append((candidate.reference, candidate.closed_at))
            continue
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().get(pk=candidate.pk)
            if complaint.anonymised_at is not None or rules.holds(
                _facts(complaint), now, years=years
            ):
                continue
            report.attachments += _strip(complaint, mode=found.retention_mode, now=now)
            report.customer_files += _customer_file_release(complaint.customer_id, now)
            report.complaints.append((complaint.reference, candidate.closed_at))
    logger.info(
        "Retention (%s, %s years%s): %s complaint(s), %s customer file(s), %s attachment(s); "
        "%s held by an open dispute.",
        report.mode,
        report.years,
        ", dry run" if dry_run else "",
        len(report.complaints),
        report.customer_files,
        report.attachments,
        report.held_by_dispute,
    )
    return report


# --- A customer's request (AVG) ----------------------------------------------------------------


class ErasureRefused(NotAllowed):
    """A customer's data cannot be erased yet; ``reasons`` per complaint reference."""

    def __init__(self, reasons: dict[str, tuple[Hold, ...]]) -> None:
        self.reasons = reasons
        lines = "; ".join(
            f"{reference}: " + ", ".join(str(HOLD_TEXTS[hold]) for hold in holds)
            for reference, holds in reasons.items()
        )
        super().__init__(
            "erasure_held",
            str(_("Wissen kan nog niet: %(reasons)s.")) % {"reasons": lines},
        )


def customer_erasure_holds(customer: CustomerFile, now: datetime) -> dict[str, list[str]]:
    """Why each complaint in the file cannot be erased yet, in words (empty when it can)."""
    return {
        complaint.reference: [str(HOLD_TEXTS[hold]) for hold in holding]
        for complaint in Complaint.objects.filter(customer=customer, anonymised_at__isnull=True)
        .only("reference", "closed_at", "dispute_referred_at", "ruling_at")
        .order_by("pk")
        if (holding := rules.holds(_facts(complaint), now, years=rules.MIN_YEARS))
    }


@transaction.atomic
def customer_erase(*, customer: CustomerFile, actor: Staff, now: datetime) -> int:
    """Erase everything about one customer on their request (AVG), with the guards of R5.

    Every complaint in the file must be closed at least 1 year and free of an open dispute;
    otherwise nothing is erased and every reason is given. Management only (R2). Logged.
    Returns the number of complaints erased.
    """
    if not actor.is_management:
        raise NotAllowed("management_only", _("Alleen de directie kan klantgegevens wissen."))
    complaints = list(
        Complaint.objects.select_for_update().filter(customer=customer).order_by("pk")
    )
    reasons = {
        complaint.reference: holding
        for complaint in complaints
        if complaint.anonymised_at is None
        and (holding := rules.holds(_facts(complaint), now, years=rules.MIN_YEARS))
    }
    if reasons:
        raise ErasureRefused(reasons)
    erased = 0
    for complaint in complaints:
        if complaint.anonymised_at is None:
            _strip(complaint, mode=RetentionMode.ERASE, now=now)
            erased += 1
    CustomerFile.objects.filter(pk=customer.pk).update(
        name=ANONYMOUS, **dict.fromkeys(CUSTOMER_FIELDS, ""), anonymised_at=now
    )
    audit_append(
        complaint=None,
        actor=actor,
        action="customer_erased",
        now=now,
        after={"customer_file": customer.pk, "complaints": erased},
    )
    return erased
