"""Writes of the public pages: a report from the form, and the customer's two answers.

A report is registered the moment it arrives (deadlines run from then, R3, R16), as a
complaint with channel ``web`` and no receiver yet (R15); management is alerted at once
(R3, by ``complaint_register``), and the customer gets a confirmation with their private
status link. A filled honeypot is dropped without a trace; every report counts towards the
rate limit of its client address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from klachten.audit.services import audit_append
from klachten.complaints.attachments import attachment_add
from klachten.complaints.models import Attachment, Channel, Complaint
from klachten.complaints.selectors import complaint_status_url
from klachten.complaints.services import (
    BY_CUSTOMER,
    Checklist,
    Training,
    complaint_follow_up,
    complaint_record_view,
    complaint_register,
    staff_mail,
)
from klachten.core.errors import InvalidInput, NotAllowed, NotFound, RateLimited
from klachten.customers.validation import CustomerData
from klachten.domain.deadlines import deadlines_for
from klachten.domain.lifecycle import Status
from klachten.mail.models import MailPurpose
from klachten.mail.outbox import customer_reply_to, mail_parts, outbox_enqueue
from klachten.messaging.models import IncomingChannel, IncomingMessage
from klachten.organisation.models import Course
from klachten.organisation.selectors import organisation_settings, organisation_terms, work_calendar
from klachten.public.models import SubmissionMark
from klachten.public.selectors import status_token_for_code


@dataclass(frozen=True, kw_only=True)
class WebReport:
    """What the customer wrote on the form, besides NAW.

    ``course`` is the course as the report names it: the one picked from the list
    (``picked_course``, #16 item 1) or the customer's own words, which are then kept as the
    complaint's ``course_text`` too.
    """

    course: str
    what_happened: str
    wish: str
    language: str
    picked_course: Course | None = None


@dataclass(frozen=True)
class Received:
    """What the thank-you page tells the customer (the same whether kept or dropped)."""

    email: str
    contact_due: datetime
    complaint: Complaint | None = None  # None: the honeypot was filled


LANGUAGE_NAMES = {"nl": _("Nederlands"), "en": _("Engels")}


def web_report_text(report: WebReport) -> str:
    """The report (R5) in the customer's own words, labelled in the organisation's language
    for the staff who read it."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [
            f"{_('Cursus of training')}: {report.course.strip()}",
            f"{_('Wat is er misgegaan')}:\n{report.what_happened.strip()}",
        ]
        if report.wish.strip():
            parts.append(f"{_('Wat de klant graag wil')}:\n{report.wish.strip()}")
        language = LANGUAGE_NAMES.get(report.language, report.language)
        parts.append(
            str(_("Via het formulier op de website, ingevuld in het %(language)s."))
            % {"language": language}
        )
    return "\n\n".join(parts)


def _rate_limit(*, address_hash: str, now: datetime) -> None:
    """Refuse a report when this address sent too many in one of the windows; else mark it.

    Marks older than the longest window are removed on the way (an index range on ``at``).
    Two reports arriving at the same instant from one address may both pass: the limit is
    there against floods, and is exact within one request at a time.
    """
    limits = settings.PUBLIC_RATE_LIMITS
    longest = max(seconds for seconds, _count in limits)
    SubmissionMark.objects.filter(at__lt=now - timedelta(seconds=longest)).delete()
    for seconds, count in limits:
        recent = SubmissionMark.objects.filter(
            address_hash=address_hash, at__gte=now - timedelta(seconds=seconds)
        ).count()
        if recent >= count:
            raise RateLimited(
                "too_many_reports",
                _(
                    "Vanaf dit adres zijn kort na elkaar al veel meldingen verstuurd. Probeer "
                    "het later nog eens, of neem telefonisch contact met ons op."
                ),
            )
    SubmissionMark.objects.create(address_hash=address_hash, at=now)


def _attempts_exceeded(*, address_hash: str, now: datetime) -> bool:
    """Whether this address already made as many attempts as one of the windows allows."""
    return any(
        SubmissionMark.objects.filter(
            address_hash=address_hash, at__gte=now - timedelta(seconds=seconds)
        ).count()
        >= count
        for seconds, count in settings.PUBLIC_RATE_LIMITS
    )


def status_code_open(*, typed: str, address_hash: str, now: datetime) -> str:
    """The status token behind the short code ``typed`` from a letter; refused with
    RateLimited after as many wrong codes from one address as the public form takes reports
    (``PUBLIC_RATE_LIMITS``), NotFound for a code that is not (or no longer) live.

    Only wrong codes count: a customer who types their code right is never held up by it.
    ``address_hash`` is a key of its own purpose (``client.address_key``), so wrong codes and
    reports are counted apart.
    """
    if _attempts_exceeded(address_hash=address_hash, now=now):
        raise RateLimited(
            "too_many_codes",
            _(
                "Vanaf dit adres is kort na elkaar te vaak een onbekende code ingevuld. "
                "Probeer het later nog eens, gebruik de link uit onze e-mail, of neem "
                "telefonisch contact met ons op."
            ),
        )
    try:
        token = status_token_for_code(typed)
    except NotFound:
        with transaction.atomic():
            longest = max(seconds for seconds, _count in settings.PUBLIC_RATE_LIMITS)
            SubmissionMark.objects.filter(at__lt=now - timedelta(seconds=longest)).delete()
            SubmissionMark.objects.create(address_hash=address_hash, at=now)
        raise
    return token


def web_report_confirm(*, complaint: Complaint, language: str, now: datetime) -> None:
    """The customer's confirmation with their status link, in the language of the form.

    Nobody is responsible yet, so it carries the organisation's contact details; the
    employee's card appears on the status page once someone takes the report up (R14).
    """
    email = complaint.customer.email
    if not email:
        return  # the form requires one; a report typed in by staff may have none
    with translation.override(language):
        text = render_to_string(
            "public/mail/confirmation.txt",
            {
                "complaint": complaint,
                "customer": complaint.customer,
                "status_url": complaint_status_url(complaint),
                "organisation": organisation_settings(),
            },
        )
    subject, body = mail_parts(text)
    outbox_enqueue(
        key=f"{complaint.reference}-confirmation",
        to=email,
        subject=subject,
        body=body,
        now=now,
        complaint=complaint,
        purpose=MailPurpose.CUSTOMER,
        reply_to=customer_reply_to(""),  # the product's mailbox, when one is read (#13)
    )


def web_report_submit(
    *,
    customer: CustomerData,
    report: WebReport,
    files: Sequence[UploadedFile],
    address_hash: str,
    honeypot: str,
    now: datetime,
) -> Received:
    """Register a report from the public form, or drop it silently if the honeypot is filled.

    In one transaction: the rate-limit mark, the complaint (R3, R5, R6, R15, R16), the
    attachments and the mails; a refusal anywhere leaves nothing behind — not even the files
    already written, which are removed again.
    """
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            _rate_limit(address_hash=address_hash, now=now)
            if honeypot.strip():
                due = deadlines_for(now, work_calendar(), organisation_terms())
                return Received(email=customer.email, contact_due=due.contact_due)
            complaint = complaint_register(
                receiver=None,
                customer=customer,
                received_at=now,
                channel=Channel.WEB,
                report=web_report_text(report),
                checklist=Checklist(),
                training=Training(
                    course=report.picked_course,
                    course_text="" if report.picked_course else report.course.strip(),
                ),
                now=now,
            )
            for file in files:
                stored.append(attachment_add(complaint=complaint, actor=None, file=file, now=now))
            web_report_confirm(complaint=complaint, language=report.language, now=now)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return Received(
        email=complaint.customer.email, contact_due=complaint.contact_due, complaint=complaint
    )


# --- The customer's answers on the status page (R7, R10) ---------------------------------------


def customer_view_give(
    *, complaint: Complaint, agrees: bool, comment: str, now: datetime
) -> Complaint:
    """R7: the customer's own view of the proposed solution, from their status page.

    Audited with no staff actor (``by: customer``); the handler and the receiver are mailed
    (R15).
    """
    return complaint_record_view(
        complaint=complaint, actor=None, agrees=agrees, note=comment, now=now
    )


def customer_follow_up_answer(
    *, complaint: Complaint, solved: bool, comment: str, now: datetime
) -> Complaint:
    """R10: the customer's answer to "is it solved for you?", once the handler asked."""
    return complaint_follow_up(
        complaint=complaint, actor=None, solved=solved, note=comment, now=now
    )


def status_page_read_log(*, complaint: Complaint, now: datetime) -> None:
    """R2: the customer opening their status page is a read of the case, logged as one."""
    audit_append(
        complaint=complaint, actor=None, action="viewed", now=now, after={"by": BY_CUSTOMER}
    )


# --- The customer writes to us (#13; R5, R15) ---------------------------------------------------


def incoming_message_notify(
    *, complaint: Complaint, message: IncomingMessage, now: datetime
) -> None:
    """R5, R15: a message from the customer is on the timeline, and the receiver and the
    handler hear of it (a report nobody has taken up waits in "Nog op te pakken")."""
    audit_append(
        complaint=complaint,
        actor=None,
        action="message_received",
        now=now,
        after={"channel": message.channel, "message": message.pk, "by": BY_CUSTOMER},
    )
    to = {staff for staff in (complaint.receiver, complaint.handler) if staff is not None}
    staff_mail(
        key=f"{complaint.reference}-incoming-{message.pk}",
        to=sorted(to, key=lambda staff: staff.pk),
        template="public/mail/incoming_staff.txt",
        context={"complaint": complaint, "message": message},
        now=now,
    )


def status_page_message(
    *,
    complaint: Complaint,
    text: str,
    files: Sequence[UploadedFile],
    address_hash: str,
    now: datetime,
) -> IncomingMessage:
    """The customer writes on their status page while the case is open, with files (#13).

    The same rate limit as the public form; in one transaction, and a file already written is
    removed again when anything is refused, so nothing is half-saved.
    """
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            locked = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
            if locked.status == Status.CLOSED or locked.anonymised_at is not None:
                raise NotAllowed(
                    "complaint_closed",
                    _("Deze melding is afgerond; u kunt hier geen bericht meer sturen."),
                )
            text = text.strip()
            if not text:
                raise InvalidInput("required", _("Schrijf eerst uw bericht."), field="text")
            _rate_limit(address_hash=address_hash, now=now)
            customer = locked.customer
            message = IncomingMessage.objects.create(
                complaint=locked,
                channel=IncomingChannel.STATUS_PAGE,
                sender=customer.email,
                sender_name=customer.name,
                text=text,
                full_text=text,
                received_at=now,
                created_at=now,
            )
            for file in files:
                stored.append(attachment_add(complaint=locked, actor=None, file=file, now=now))
            if stored:
                message.attachments.set(stored)
            incoming_message_notify(complaint=locked, message=message, now=now)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return message
