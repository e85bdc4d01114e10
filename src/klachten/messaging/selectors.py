"""Reads for the messages to the customer: templates, drafts, the messages of a complaint.

Who may see a message is who may see its complaint (R2): every read of a message goes through
``complaint_get_for``. A draft is a read too: it fills a template with a complaint's facts and
writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import (
    StaffByPk,
    complaint_get_for,
    complaint_rows,
    complaint_status_url,
)
from klachten.core.errors import InvalidInput, NotFound
from klachten.core.prepared import Call, Prepared
from klachten.core.templatetags.klachten_time import day_words, promise_day, promise_text
from klachten.domain.addressing import addressed_as
from klachten.domain.delay_notice import DelayNoticeState, delay_notice_state
from klachten.domain.lifecycle import Status
from klachten.mail.models import MailPurpose, OutboxMessage
from klachten.messaging.models import (
    CustomerMessage,
    IncomingMessage,
    MessageChannel,
    MessageKind,
    MessageTemplate,
)
from klachten.messaging.texts import PLACEHOLDERS, STANDARD, fill, placeholders_used
from klachten.organisation.models import OrganisationSettings
from klachten.organisation.selectors import organisation_settings, read_once

# --- Templates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateText:
    """The wording of one kind of message: management's own, or the shipped standard."""

    kind: str
    subject: str
    body: str
    edited: bool
    updated_at: datetime | None = None
    updated_by: Staff | None = None

    @property
    def label(self) -> str:
        return str(MessageKind(self.kind).label)


def _standard(kind: str) -> TemplateText:
    standard = STANDARD[kind]
    return TemplateText(kind=kind, subject=standard.subject, body=standard.body, edited=False)


def _edited(row: MessageTemplate) -> TemplateText:
    return TemplateText(
        kind=row.kind,
        subject=row.subject,
        body=row.body,
        edited=True,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def message_template_get(kind: str) -> TemplateText:
    """The wording of ``kind`` as management left it, else the standard text. One query."""
    return read_once(f"template:{kind}", lambda: _message_template(kind))


# ``kind`` is unique: no ``.first()``, whose ORDER BY costs a compile; compiled once (#17).
_TEMPLATE = Prepared(
    lambda kind: MessageTemplate.objects.select_related("updated_by").filter(kind=kind).order_by(),
    texts=["kind"],
)


def _message_template(kind: str) -> TemplateText:
    rows = _TEMPLATE(kind=kind)
    return _edited(rows[0]) if rows else _standard(kind)


def message_templates() -> list[TemplateText]:
    """Every kind with its current wording, in the order of ``MessageKind``. One query."""
    rows = {row.kind: row for row in MessageTemplate.objects.select_related("updated_by")}
    return [_edited(rows[kind]) if kind in rows else _standard(kind) for kind in MessageKind.values]


# --- Filling in a complaint's facts ------------------------------------------------------------


def _action_plan(complaint: Complaint) -> str:
    """R9: every action as what / who / when, the way the customer reads it. One query."""
    actions = complaint.actions.select_related("who").order_by("due", "id")
    received = complaint.received_at
    return "\n".join(
        f"- Wat: {action.what}\n  Wie: {action.who}\n"
        f"  Wanneer: {promise_text(action.due, received)}"
        for action in actions
    )


@dataclass(frozen=True)
class DelayInput:
    """What the employee tells the customer in a delay notice (R16)."""

    reason: str
    expected_date: date | None


def delay_input_clean(delay: DelayInput | None, *, now: datetime) -> tuple[str, date]:
    """R16: a delay notice has a reason and an expected date after today."""
    if delay is None or not delay.reason.strip():
        raise InvalidInput("required", _("Vul de reden van het uitstel in (R16)."), field="reason")
    if delay.expected_date is None:
        raise InvalidInput(
            "required",
            _("Vul de verwachte datum van een besluit in (R16)."),
            field="expected_date",
        )
    if delay.expected_date <= timezone.localtime(now).date():
        raise InvalidInput(
            "expected_date_in_past",
            _("De verwachte datum moet in de toekomst liggen."),
            field="expected_date",
        )
    return delay.reason.strip(), delay.expected_date


def placeholder_values(
    *,
    complaint: Complaint,
    author: Staff,
    organisation: OrganisationSettings,
    delay: DelayInput | None = None,
    wanted: set[str] | None = None,
) -> dict[str, str]:
    """The value of every placeholder this complaint has a value for, in Dutch (the customer's
    language, whatever language the employee's screens are in).

    A placeholder without a value (no agreed term yet, no action plan, …) is left out;
    ``wanted`` limits the work (and queries) to the placeholders a text uses.
    """
    names = set(PLACEHOLDERS) if wanted is None else wanted
    values: dict[str, str] = {}
    with translation.override("nl"):
        # Every day in a customer's text is written by one helper (#10, item 9): a promise
        # names a day, the end of a day is that day, the year only when it is another one.
        received = complaint.received_at
        simple = {
            # "mevrouw De Vries" when the customer file says so, else the full name.
            "klant": addressed_as(complaint.customer.name, complaint.customer.salutation),
            "kenmerk": complaint.reference,
            "ontvangen": day_words(timezone.localtime(received).date(), received),
            "contact_uiterlijk": promise_day(complaint.contact_due, received),
            "uitstel_uiterlijk": promise_day(complaint.delay_notice_due, received),
            "afhandeling_uiterlijk": promise_day(
                complaint.extended_until or complaint.settlement_due, received
            ),
            "organisatie": organisation.name,
            "derde": organisation.third_party_name,
            "derde_website": organisation.third_party_website,
            "medewerker": str(author),
        }
        values.update({name: value for name, value in simple.items() if name in names})
        if "termijn" in names and complaint.agreed_term:
            values["termijn"] = promise_day(complaint.agreed_term, received)
        if "contactdatum" in names:
            last = complaint.contacts.order_by("-at", "-id").values_list("at", flat=True).first()
            if last is not None:
                values["contactdatum"] = day_words(timezone.localtime(last).date(), received)
        if "actieplan" in names and (plan := _action_plan(complaint)):
            values["actieplan"] = plan
        if "oplossing" in names and complaint.solution:
            values["oplossing"] = complaint.solution
        if "statuslink" in names and (url := complaint_status_url(complaint)):
            values["statuslink"] = url
        reason = delay.reason.strip() if delay else complaint.delay_reason
        expected = delay.expected_date if delay else complaint.delay_expected_date
        if "reden" in names and reason:
            values["reden"] = reason
        if "verwachte_datum" in names and expected:
            values["verwachte_datum"] = promise_day(expected, received)
    return values


@dataclass(frozen=True)
class Draft:
    """A standard message filled in for one complaint: the employee edits it, then sends."""

    kind: str
    subject: str
    body: str


def message_draft(
    *,
    complaint: Complaint,
    kind: str,
    author: Staff,
    delay: DelayInput | None = None,
) -> Draft:
    """The message ``kind`` for ``complaint``, with its facts filled in.

    Refused (``missing_data``) when the text names a fact the complaint does not have yet —
    a term before the contact (R3), an action plan before there is one (R9), … — with what to
    do first.
    """
    if kind not in MessageKind.values:
        raise InvalidInput("unknown_kind", _("Deze soort bericht bestaat niet."), field="kind")
    template = message_template_get(kind)
    wanted = set(placeholders_used(template.subject) + placeholders_used(template.body))
    values = placeholder_values(
        complaint=complaint,
        author=author,
        organisation=organisation_settings(),
        delay=delay,
        wanted=wanted,
    )
    missing = [name for name in PLACEHOLDERS if name in wanted and name not in values]
    if missing:
        raise InvalidInput(
            "missing_data",
            "%(todo)s",
            {"todo": " ".join(dict.fromkeys(str(PLACEHOLDERS[name].missing) for name in missing))},
            field="reason" if "reden" in missing else None,
        )
    return Draft(
        kind=kind, subject=fill(template.subject, values), body=fill(template.body, values)
    )


SUGGESTED_KIND = {
    Status.NEW: MessageKind.RECEIPT,
    Status.CONTACTED: MessageKind.CONTACT_SUMMARY,
    Status.IN_PROGRESS: MessageKind.ACTION_PLAN,
    Status.SOLUTION_PROPOSED: MessageKind.SOLUTION_PROPOSAL,
    Status.SOLUTION_ACCEPTED: MessageKind.FOLLOW_UP,
    Status.VERIFIED: MessageKind.CLOSING,
    Status.CLOSED: MessageKind.CLOSING,
    Status.IN_DISPUTE: MessageKind.FREE,
}
"""The message that usually fits a complaint's status, offered first on its page."""


# --- Messages sent -----------------------------------------------------------------------------


_MESSAGES = Prepared(
    lambda complaint_id: (
        CustomerMessage.objects.filter(complaint_id=complaint_id)
        .select_related("outbox")
        .order_by()
    ),
    "complaint_id",
)


def customer_messages(
    complaint: Complaint, staff_by_pk: StaffByPk | None = None
) -> list[CustomerMessage]:
    """The messages of a complaint, newest first, with author and delivery. One query.

    With ``staff_by_pk`` (a page that read the staff anyway) the authors come from there,
    without joining the staff table twice (#17 item 2).
    """
    messages = complaint_rows(_MESSAGES, complaint, staff_by_pk, "author", "posted_by")
    return sorted(messages, key=lambda m: (m.created_at, m.pk), reverse=True)


_INCOMING = Prepared(
    lambda complaint_id: IncomingMessage.objects.filter(complaint_id=complaint_id).order_by(),
    "complaint_id",
)


def conversation_reads(complaint: Complaint) -> list[Call]:
    """What the complaint page's conversation and mail state read of ``complaint``
    (:func:`customer_messages` with the staff at hand, :func:`incoming_messages`,
    :func:`complaint_mail`), to be asked ahead (``read_ahead``)."""
    pk = complaint.pk
    return [
        _MESSAGES.ask(complaint_id=pk),
        _INCOMING.ask(complaint_id=pk),
        _MAIL_OF_COMPLAINT.ask(complaint_id=pk),
    ]


def incoming_messages(complaint: Complaint) -> list[IncomingMessage]:
    """What the customer sent (e-mail, status page), oldest first, with its files (#13; R5).
    One query, and one for their files when there are any, whatever their number."""
    found = _INCOMING(complaint_id=complaint.pk)
    for message in found:
        message._state.fields_cache["complaint"] = complaint
    prefetch_related_objects(found, "attachments")  # no query when there are none
    return sorted(found, key=lambda m: (m.received_at, m.pk))


def incoming_message_get_for(*, staff: Staff, reference: str, message_id: int) -> IncomingMessage:
    """One message from the customer of a complaint ``staff`` may see (R2); else NotFound."""
    complaint = complaint_get_for(staff=staff, reference=reference)
    message = IncomingMessage.objects.filter(complaint=complaint, pk=message_id).first()
    if message is None:
        raise NotFound("not_found", _("Dit bericht bestaat niet."))
    return message


def customer_message_get_for(*, staff: Staff, reference: str, message_id: int) -> CustomerMessage:
    """One message of a complaint ``staff`` may see (R2); NotFound otherwise."""
    complaint = complaint_get_for(staff=staff, reference=reference)
    message = (
        CustomerMessage.objects.filter(complaint=complaint, pk=message_id)
        .select_related("author", "outbox", "posted_by")
        .first()
    )
    if message is None:
        raise NotFound("not_found", _("Dit bericht bestaat niet."))
    message.complaint = complaint  # the complaint as R2 allowed it, with its customer
    return message


def complaint_delay_notice_state(complaint: Complaint, now: datetime) -> DelayNoticeState:
    """R16 for one complaint: ask for the notice from day 14, a breach once it is late."""
    return delay_notice_state(
        received_at=complaint.received_at,
        delay_notice_due=complaint.delay_notice_due,
        settlement_due=complaint.settlement_due,
        sent_at=complaint.delay_notice_sent_at,
        closed_at=complaint.closed_at if complaint.status == Status.CLOSED else None,
        now=now,
    )


# --- How the mails of a complaint fared (R3; #10, items 19 and 20) ---------------------------


class AlertState:
    """Whether management has been told of a complaint (R3), by the alerts' delivery."""

    INFORMED = "informed"  # a mail server accepted an alert
    SENDING = "sending"  # queued or being retried
    FAILED = "failed"  # every alert was given up
    NOBODY = "nobody"  # no manager with an e-mail address
    IMPORTED = "imported"  # taken over from an old register: history, no alert (#16 item 5)


@dataclass(frozen=True)
class MailProblem:
    """A mail of a complaint that did not arrive (yet): to whom, what, and why."""

    to: str
    subject: str
    purpose: str
    failed_at: datetime | None
    failing_since: datetime | None
    error: str

    @property
    def given_up(self) -> bool:
        return self.failed_at is not None

    @property
    def to_customer(self) -> bool:
        return self.purpose == MailPurpose.CUSTOMER

    @property
    def reason(self) -> str:
        """The server's answer in short: "550 5.1.1 Mailbox unknown", or the error's text."""
        return mail_error_text(self.error)


@dataclass(frozen=True)
class ComplaintMail:
    """The complaint page's view of its mails: management told or not, mails not delivered."""

    informed_at: datetime | None
    alert_state: str
    problems: list[MailProblem]

    @property
    def failed(self) -> list[MailProblem]:
        return [problem for problem in self.problems if problem.given_up]

    @property
    def alert_problem(self) -> MailProblem | None:
        """The last alert to management that did not arrive (yet): why nobody was told."""
        alerts = [problem for problem in self.problems if problem.purpose == MailPurpose.ALERT]
        return alerts[-1] if alerts else None


def mail_error_text(error: str) -> str:
    """The part of a stored delivery error a person can read: the server's code and words."""
    found = _SMTP_REPLY.search(error)
    if found is None:
        return error.partition(": ")[2] or error
    code, text = found.group(1), found.group(2)
    return f"{code} {text}".strip()


_SMTP_REPLY = re.compile(r"\(([45]\d\d), b?['\"]([^'\"]*)['\"]\)")


_MAIL_OF_COMPLAINT = Prepared(
    lambda complaint_id: (
        OutboxMessage.objects.filter(complaint_id=complaint_id)
        .filter(
            Q(purpose=MailPurpose.ALERT)
            | Q(failed_at__isnull=False)
            | (Q(sent_at__isnull=True) & ~Q(last_error=""))
        )
        .only(
            "to",
            "subject",
            "purpose",
            "created_at",
            "sent_at",
            "failed_at",
            "failing_since",
            "last_error",
        )
        .order_by()
    ),
    "complaint_id",
)


def complaint_mail(complaint: Complaint) -> ComplaintMail:
    """How the alerts and the other mails of ``complaint`` fared. One query."""
    rows = _MAIL_OF_COMPLAINT(complaint_id=complaint.pk)
    rows.sort(key=lambda row: (row.created_at, row.pk))  # in Python: cheaper (#17 item 2)
    alerts = [row for row in rows if row.purpose == MailPurpose.ALERT]
    if complaint.management_informed_at is not None:
        state = AlertState.INFORMED
    elif not alerts and complaint.imported_at is not None:
        state = AlertState.IMPORTED
    elif not alerts:
        state = AlertState.NOBODY
    elif all(row.failed_at is not None for row in alerts):
        state = AlertState.FAILED
    else:
        state = AlertState.SENDING
    problems = [
        MailProblem(
            to=row.to,
            subject=row.subject,
            purpose=row.purpose,
            failed_at=row.failed_at,
            failing_since=row.failing_since,
            error=row.last_error,
        )
        for row in rows
        if row.sent_at is None and (row.failed_at is not None or row.last_error)
    ]
    return ComplaintMail(
        informed_at=complaint.management_informed_at, alert_state=state, problems=problems
    )


class DeliveryState:
    """How far one message to the customer got (#10, items 19 and 20)."""

    QUEUED = "queued"  # an e-mail waiting for its (next) attempt
    SENT = "sent"  # an e-mail the mail server accepted
    FAILED = "failed"  # an e-mail given up: refused for good, or for a day
    TO_POST = "to_post"  # a letter not yet marked as posted
    POSTED = "posted"  # a letter marked as posted
    UNKNOWN = "unknown"  # an e-mail whose copy in the mail queue went at the retention term (R5)


@dataclass(frozen=True)
class Delivery:
    """The delivery of one message to the customer, as the message page shows it."""

    state: str
    accepted_at: datetime | None = None
    posted_at: datetime | None = None
    failed_at: datetime | None = None
    next_attempt_at: datetime | None = None
    reason: str = ""


def message_delivery(message: CustomerMessage) -> Delivery:
    """How ``message`` fared: an e-mail by its row in the outbox, a letter by its posting.

    No query: ``customer_messages`` reads the outbox row with the message. ``reason`` is the
    mail server's answer in short, for a mail given up or one whose last attempt failed.
    """
    if message.channel == MessageChannel.LETTER:
        if message.sent_at is None:
            return Delivery(DeliveryState.TO_POST)
        return Delivery(DeliveryState.POSTED, posted_at=message.sent_at)
    mail = message.outbox
    if mail is None:
        return Delivery(DeliveryState.UNKNOWN)
    if mail.sent_at is not None:
        return Delivery(DeliveryState.SENT, accepted_at=mail.sent_at)
    reason = mail_error_text(mail.last_error) if mail.last_error else ""
    if mail.failed_at is not None:
        return Delivery(DeliveryState.FAILED, failed_at=mail.failed_at, reason=reason)
    return Delivery(DeliveryState.QUEUED, next_attempt_at=mail.next_attempt_at, reason=reason)


@dataclass(frozen=True)
class FailedMail:
    """A mail given up, for the start page: which complaint, to whom, why."""

    reference: str | None
    to: str
    subject: str
    purpose: str
    failed_at: datetime
    reason: str


FAILED_SHOWN_FOR = timedelta(days=30)
FAILED_SHOWN_AT_MOST = 20


def failed_mails_for(*, staff: Staff, now: datetime) -> list[FailedMail]:
    """Mails given up in the last 30 days that ``staff`` should know of, newest first: every
    one for management, those of their own complaints for a handler or receiver (R2, R15).
    One query."""
    rows = OutboxMessage.objects.filter(
        failed_at__isnull=False, failed_at__gte=now - FAILED_SHOWN_FOR
    ).select_related("complaint")
    if not staff.is_management:
        rows = rows.filter(Q(complaint__handler=staff) | Q(complaint__receiver=staff))
    return [
        FailedMail(
            reference=row.complaint.reference if row.complaint else None,
            to=row.to,
            subject=row.subject,
            purpose=row.purpose,
            failed_at=row.failed_at,
            reason=mail_error_text(row.last_error),
        )
        for row in rows.order_by("-failed_at", "-id")[:FAILED_SHOWN_AT_MOST]
        if row.failed_at is not None
    ]


def outbox_failed_count(*, now: datetime) -> int:
    """How many mails were given up in the last 30 days (``/gezondheid/``): the same ones the
    start page lists, so the count falls back to 0 once they are old. One indexed count."""
    return OutboxMessage.objects.filter(failed_at__gte=now - FAILED_SHOWN_FOR).count()
