"""Writes for the messages to the customer and the templates they start from.

Every message passes the wording guard before it can go (R12, R13): a word of R13 anywhere in
it — subject, text or the business card — refuses it with every finding and its suggestions;
a warning of R12 refuses it until the author confirms having read it. A message that passes
is stored in the complaint's file exactly as sent, with the author's business card (R14),
logged (R2), and — by e-mail — queued in the outbox in the same transaction, with the card as
a vCard. A letter is stored the same way; its PDF is made from the stored message and the
employee marks it posted.

The delay notice (R16) is a message: sending it records the delay (reason and expected date)
through the complaint's own step, in the same transaction, so the extension is allowed exactly
when a notice went out before the 3-week deadline.

The outbox itself lives in ``outbox`` (the complaint services queue their staff mail there);
its names are importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.accounts.validators import has_control_characters
from klachten.audit.services import audit_append
from klachten.complaints.models import Complaint
from klachten.complaints.services import complaint_register, complaint_send_delay_notice
from klachten.core.errors import ApplicationError, InvalidInput, NotAllowed
from klachten.core.wording import finding_message, text_check
from klachten.domain import wording
from klachten.mail.cards import BusinessCard, card_for, signature, vcard_attachment
from klachten.mail.models import MailPurpose
from klachten.mail.outbox import (
    customer_reply_to,
    outbox_enqueue,
)
from klachten.messaging.letters import postal_address
from klachten.messaging.models import (
    CustomerMessage,
    IncomingMessage,
    MessageChannel,
    MessageKind,
    MessageTemplate,
)
from klachten.messaging.selectors import (
    DelayInput,
    delay_input_clean,
    message_draft,
    message_template_get,
)
from klachten.messaging.texts import (
    EXAMPLE_VALUES,
    PLACEHOLDERS,
    fill,
    template_problems,
    without_placeholders,
)
from klachten.organisation.selectors import (
    organisation_settings,
    settings_read_once,
    work_calendar,
)

MAX_SUBJECT = 200
MAX_BODY = 20_000


# --- The wording guard over a whole message (R12, R13) -----------------------------------------


@dataclass(frozen=True)
class FieldFinding:
    """A finding of the wording guard in one part of a message: ``subject``, ``body`` or
    ``card``; ``start``/``end`` are offsets into that part."""

    field: str
    finding: wording.Finding

    def as_dict(self) -> dict[str, Any]:
        f = self.finding
        return {
            "field": self.field,
            "start": f.start,
            "end": f.end,
            "text": f.text,
            "rule": f.rule,
            "code": f.code,
            "blocks": f.blocks,
            "message": finding_message(f),
            "suggestions": list(f.suggestions),
        }


class WordingRefused(InvalidInput):
    """A text refused by the wording guard, with every finding (R13 blocks, R12 warns)."""

    def __init__(self, code: str, message: Any, findings: list[FieldFinding]) -> None:
        field = findings[0].field if findings else None
        super().__init__(code, message, field=field)
        self.findings = findings


def _status_links() -> re.Pattern[str]:
    return re.compile(re.escape(settings.BASE_URL) + r"/status/[A-Za-z0-9_-]+/?")


def _without_status_links(text: str) -> str:
    """``text`` with the system's own status links blanked out, offsets kept.

    A link is an address, not wording: its random token could spell a word of R13 by chance,
    and the host is the installation's (``KLACHTEN_BASE_URL``), which the employee cannot
    rephrase.
    """
    return _status_links().sub(lambda match: " " * len(match.group(0)), text)


def message_guard(
    *, subject: str, body: str, card: BusinessCard | None, confirm_warnings: bool
) -> None:
    """The guard alone, for a form that has other errors too: ``WordingRefused`` with every
    finding of R13, and of R12 unless confirmed (so they show in the same round)."""
    _guard(
        message_findings(subject=subject, body=body, card=card), confirm_warnings=confirm_warnings
    )


def message_language(*, subject: str, body: str) -> str:
    """The language a message is checked in (R12, R13): the one its subject and text are
    written in together, so a short subject follows its text. The customer file holds no
    language, so the message itself is the best witness of the customer's (#11)."""
    return wording.language_of(f"{subject}\n{body}")


def message_findings(
    *, subject: str, body: str, card: BusinessCard | None, language: str | None = None
) -> list[FieldFinding]:
    """Every finding in the parts of a message the customer reads: subject, text and card,
    all in ``language`` (by default :func:`message_language`)."""
    language = language or message_language(subject=subject, body=body)
    parts = {"subject": subject, "body": body}
    if card is not None:
        parts["card"] = signature(card)
    findings: list[FieldFinding] = []
    for field, text in parts.items():
        checked = _without_status_links(text)
        if checked.strip():
            findings.extend(
                FieldFinding(field, finding)
                for finding in text_check(text=checked, language=language).findings
            )
    return findings


def _guard(findings: list[FieldFinding], *, confirm_warnings: bool) -> list[FieldFinding]:
    """Refuse on R13; refuse on R12 unless confirmed. Returns the warnings confirmed.

    A refusal for R13 carries the unconfirmed R12 warnings too, so the author sees every
    finding in one round (issue #10).
    """
    blocking = [item for item in findings if item.finding.blocks]
    unconfirmed = [] if confirm_warnings else [item for item in findings if not item.finding.blocks]
    if blocking:
        in_card = [item for item in blocking if item.field == "card"]
        message = (
            _(
                "Uw visitekaartje bevat een woord dat niet naar de klant mag (R13); vraag de "
                "beheerder uw functie aan te passen."
            )
            if in_card and len(in_card) == len(blocking)
            else _("Zo kan het bericht niet naar de klant: herformuleer eerst (R13).")
        )
        raise WordingRefused("wording_blocked", message, blocking + unconfirmed)
    warnings = [item for item in findings if not item.finding.blocks]
    if warnings and not confirm_warnings:
        raise WordingRefused(
            "wording_warnings",
            _(
                "Het bericht bevat een waarschuwing (R12). Lees die en bevestig dat u het toch "
                "zo wilt versturen."
            ),
            warnings,
        )
    return warnings


# --- Sending a message -------------------------------------------------------------------------


def _text(value: str, field: str, label: Any, limit: int, *, one_line: bool = False) -> str:
    """A required text; ``one_line`` for a mail header (the subject): no line break, tab or
    other control character, which the mail library refuses at delivery (#10, item 19)."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput("required", _("Vul %(label)s in."), {"label": label}, field=field)
    if len(value) > limit:
        raise InvalidInput(
            "too_long",
            _("%(label)s is te lang (maximaal %(max)s tekens)."),
            {"label": label, "max": limit},
            field=field,
        )
    if one_line and has_control_characters(value):
        raise InvalidInput(
            "invalid_header",
            _(
                "Het onderwerp moet op één regel: haal de regeleinden, tabs en andere "
                "onzichtbare tekens weg."
            ),
            field=field,
        )
    if "\x00" in value:
        raise InvalidInput("invalid_text", _("De tekst bevat een ongeldig teken."), field=field)
    return value


def _postal_address(complaint: Complaint) -> str:
    """The address block as PostNL prints it (``letters.postal_address``)."""
    return "\n".join(postal_address(complaint.customer))


def _recipient(complaint: Complaint, channel: str) -> str:
    """The customer's e-mail address or postal address, from the customer file (R5, R6)."""
    if channel == MessageChannel.EMAIL:
        if not complaint.customer.email:
            raise InvalidInput(
                "no_email",
                _(
                    "Er staat geen e-mailadres in de klantmap. Vul het aan in de klantmap of "
                    "stuur een brief."
                ),
                field="channel",
            )
        return complaint.customer.email
    return _postal_address(complaint)


def _channel(complaint: Complaint, channel: str | None) -> str:
    """The chosen channel; without a choice e-mail when the customer file has an address."""
    if channel is None or channel == "":
        return MessageChannel.EMAIL if complaint.customer.email else MessageChannel.LETTER
    if channel not in MessageChannel.values:
        raise InvalidInput(
            "invalid_channel",
            _("Kanaal moet een van %(choices)s zijn."),
            {"choices": ", ".join(MessageChannel.values)},
            field="channel",
        )
    return channel


def _squashed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_delay_notice(body: str, delay: DelayInput | None, now: datetime) -> tuple[str, date]:
    """R16: a delay notice gives the reason and the expected date, and its text says both."""
    reason, expected_date = delay_input_clean(delay, now=now)
    with translation.override("nl"):
        # Day and month: the standard text names the year only when it is another year.
        day = date_format(expected_date, "j F")
    if _squashed(reason) not in _squashed(body) or day.casefold() not in body.casefold():
        raise InvalidInput(
            "delay_notice_incomplete",
            _(
                "Een uitstelbericht noemt de reden en de verwachte datum (%(day)s) (R16). Stel "
                "de tekst opnieuw op, of neem ze erin op."
            ),
            {"day": day},
            field="body",
        )
    return reason, expected_date


def mail_text(body: str, card: BusinessCard) -> str:
    """The e-mail as the customer reads it: the text, then the employee's card (R14)."""
    return f"{body}\n\n{signature(card)}\n"


def customer_message_send(
    *,
    complaint: Complaint,
    author: Staff,
    kind: str,
    channel: str | None,
    subject: str,
    body: str,
    confirm_warnings: bool = False,
    delay: DelayInput | None = None,
    now: datetime,
) -> CustomerMessage:
    """Send a message to the customer: guarded, stored as sent, with the author's card.

    Refused, with nothing stored: a word of R13 (``wording_blocked``, every finding with its
    suggestions); an R12 warning not confirmed (``wording_warnings``); an e-mail without an
    address in the customer file (``no_email``); an incomplete card (``card_incomplete``, R14).
    A delay notice (R16) needs ``delay`` and records it through the complaint's step, which
    may refuse it (a closed complaint).
    """
    if kind not in MessageKind.values:
        raise InvalidInput("unknown_kind", _("Deze soort bericht bestaat niet."), field="kind")
    if complaint.receiver_id is None:  # R15: a web report is answered once someone holds it
        raise NotAllowed(
            "not_taken_up",
            _("Nog niemand heeft deze melding opgepakt: pak haar eerst op (R15)."),
        )
    channel = _channel(complaint, channel)
    recipient = _recipient(complaint, channel)
    card = card_for(author, organisation_settings())
    subject = _text(subject, "subject", _("het onderwerp"), MAX_SUBJECT, one_line=True)
    body = _text(body, "body", _("de tekst"), MAX_BODY)
    warnings = _guard(
        message_findings(subject=subject, body=body, card=card), confirm_warnings=confirm_warnings
    )
    notice = _check_delay_notice(body, delay, now) if kind == MessageKind.DELAY_NOTICE else None
    with transaction.atomic():
        if notice is not None:
            reason, expected_date = notice
            complaint = complaint_send_delay_notice(
                complaint=complaint,
                actor=author,
                reason=reason,
                expected_date=expected_date,
                now=now,
            )
        message = CustomerMessage.objects.create(
            complaint=complaint,
            kind=kind,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
            card=card.as_dict(),
            author=author,
            created_at=now,
            sent_at=now if channel == MessageChannel.EMAIL else None,
            warnings_confirmed=[item.as_dict() for item in warnings],
        )
        if channel == MessageChannel.EMAIL:
            message.outbox = outbox_enqueue(
                key=f"{complaint.reference}-message-{message.pk}",
                to=recipient,
                reply_to=customer_reply_to(card.email),
                subject=subject,
                body=mail_text(body, card),
                attachments=[vcard_attachment(card)],
                now=now,
                complaint=complaint,
                purpose=MailPurpose.CUSTOMER,
                automatic=False,  # written by the employee, signed with their card (R14)
                fresh=True,  # the message was created above
            )
            message.save(update_fields=["outbox"])
        audit_append(
            complaint=complaint,
            actor=author,
            action="message_sent" if channel == MessageChannel.EMAIL else "letter_prepared",
            now=now,
            after={
                "message": message.pk,
                "kind": kind,
                "channel": channel,
                "subject": subject,
                **({"warnings_confirmed": len(warnings)} if warnings else {}),
            },
        )
    return message


def customer_message_send_standard(
    *,
    complaint: Complaint,
    author: Staff,
    kind: str,
    channel: str | None = None,
    confirm_warnings: bool = False,
    delay: DelayInput | None = None,
    now: datetime,
) -> CustomerMessage:
    """Send the standard message ``kind`` as it stands for this complaint (the API's way)."""
    draft = message_draft(complaint=complaint, kind=kind, author=author, delay=delay)
    return customer_message_send(
        complaint=complaint,
        author=author,
        kind=kind,
        channel=channel,
        subject=draft.subject,
        body=draft.body,
        confirm_warnings=confirm_warnings,
        delay=delay,
        now=now,
    )


# --- The receipt confirmation of a registration (#10, item 9a) ---------------------------------


@dataclass(frozen=True)
class Registered:
    """A registered complaint and what became of its receipt confirmation.

    ``receipt`` is the confirmation as sent (an e-mail, or a letter waiting to be printed);
    ``receipt_refused`` says why none went when one was asked for (the card, the wording).
    """

    complaint: Complaint
    receipt: CustomerMessage | None = None
    receipt_refused: str = ""


def complaint_register_and_confirm(
    *,
    receiver: Staff,
    send_receipt: bool,
    now: datetime,
    **registration: Any,
) -> Registered:
    """Register a complaint taken in by an employee and confirm its receipt to the customer.

    Every complaint is acknowledged in writing (CRKBO, ISO 10002 §7.3): the standard receipt
    text with the private status link and the employee's card (R14), through the wording
    guard (R13, R12), by e-mail when the customer file has an address and otherwise as a
    letter to print and post — in the registration's transaction, through the outbox. The
    employee may leave it out (``send_receipt=False``: handed over in person, say). A receipt
    that cannot go (an incomplete card, a template management worded with a warning) does not
    stop the registration: the refusal is logged on the timeline, and the employee is told
    why, to send it from the complaint page. Reports from the website get their own
    confirmation (``public``). ``registration`` is passed on to :func:`complaint_register`.

    The settings, the calendar and the receipt's template are read before the transaction
    begins (once, however often the registration and the receipt ask for them), and the card
    is checked then: the write lock that every other registration waits
    for (SQLite) is held for the writes, not for reading what they need.
    """
    with settings_read_once():
        organisation = organisation_settings()
        work_calendar()
        if not send_receipt:
            return Registered(complaint_register(receiver=receiver, now=now, **registration))
        message_template_get(MessageKind.RECEIPT)
        refused: ApplicationError | None = None
        try:
            card_for(receiver, organisation)
        except ApplicationError as error:
            refused = error
        with transaction.atomic():
            # Inside this transaction, which a failure ends as a whole: without the savepoint
            # complaint_register takes when called on its own (two statements fewer, #17).
            complaint = complaint_register.__wrapped__(  # type: ignore[attr-defined]
                receiver=receiver, now=now, **registration
            )
            try:
                if refused is not None:
                    raise refused
                # A refusal takes back the receipt, not the complaint: everything before the
                # receipt's writes only reads, and customer_message_send writes in a savepoint.
                receipt = customer_message_send_standard(
                    complaint=complaint, author=receiver, kind=MessageKind.RECEIPT, now=now
                )
            except ApplicationError as error:
                _receipt_not_sent(complaint, receiver, error.code, now)
                return Registered(complaint, receipt_refused=str(error.detail))
            return Registered(receipt.complaint, receipt=receipt)


def _receipt_not_sent(complaint: Complaint, actor: Staff, reason: str, now: datetime) -> None:
    audit_append(
        complaint=complaint,
        actor=actor,
        action="receipt_not_sent",
        now=now,
        after={"reason": reason},
    )


def complaint_delay_notice_send(
    *,
    complaint: Complaint,
    author: Staff,
    reason: str,
    expected_date: date,
    channel: str | None = None,
    confirm_warnings: bool = False,
    now: datetime,
) -> Complaint:
    """R16: the delay notice as a step: the standard text with the reason and the expected
    date goes to the customer, through the guard, and the delay is recorded with it."""
    message = customer_message_send_standard(
        complaint=complaint,
        author=author,
        kind=MessageKind.DELAY_NOTICE,
        channel=channel,
        confirm_warnings=confirm_warnings,
        delay=DelayInput(reason=reason, expected_date=expected_date),
        now=now,
    )
    return message.complaint


@transaction.atomic
def customer_message_mark_posted(
    *, message: CustomerMessage, actor: Staff, now: datetime
) -> CustomerMessage:
    """A letter was printed and posted; marking it twice changes nothing."""
    if message.channel != MessageChannel.LETTER:
        raise NotAllowed("not_a_letter", _("Alleen een brief wordt op de post gedaan."))
    locked = CustomerMessage.objects.select_for_update().get(pk=message.pk)
    if locked.sent_at is not None:
        return locked
    locked.sent_at = now
    locked.posted_by = actor
    locked.save(update_fields=["sent_at", "posted_by"])
    audit_append(
        complaint=message.complaint,
        actor=actor,
        action="letter_posted",
        now=now,
        after={"message": locked.pk, "subject": locked.subject},
    )
    return locked


# --- Templates (management) --------------------------------------------------------------------

_PROBLEM_MESSAGES = {
    "unknown_placeholder": _("%(text)s is geen bekende plaatshouder. Mogelijk zijn: %(names)s."),
    "stray_braces": _("%(text)s hoort bij een plaatshouder, zoals {{ klant }}."),
}


def _template_text(
    value: str, field: str, label: Any, limit: int, *, one_line: bool = False
) -> str:
    value = _text(value, field, label, limit, one_line=one_line)
    problems = template_problems(value)
    if problems:
        first = problems[0]
        names = ", ".join("{{ %s }}" % name for name in PLACEHOLDERS)  # noqa: UP031 - braces
        raise InvalidInput(
            first.code,
            _PROBLEM_MESSAGES[first.code],
            {"text": first.text, "names": names},
            field=field,
        )
    return value


def _may_edit_templates(actor: Staff) -> None:
    if not actor.may_change_settings:
        raise NotAllowed("management_only", _("Alleen de directie past de berichtsjablonen aan."))


def template_guard(*, subject: str, body: str, confirm_warnings: bool) -> None:
    """The template's guard alone, for a form that has other errors too (issue #10)."""
    _guard(template_findings(subject=subject, body=body), confirm_warnings=confirm_warnings)


def template_findings(*, subject: str, body: str) -> list[FieldFinding]:
    """The guard on a template as written and as a customer would read it (example values).

    As written, the placeholders are read as blanks: their names are no words a customer
    reads. Offsets point into the text as written when the finding is there; a finding only
    the filled-in text has (a placeholder glued to a word) is reported on the filled-in text.
    """
    language = message_language(subject=subject, body=body)
    written = message_findings(
        subject=without_placeholders(subject),
        body=without_placeholders(body),
        card=None,
        language=language,
    )
    filled = message_findings(
        subject=fill(subject, EXAMPLE_VALUES),
        body=fill(body, EXAMPLE_VALUES),
        card=None,
        language=language,
    )
    seen = {(item.field, item.finding.code, item.finding.text.casefold()) for item in written}
    extra = [
        item
        for item in filled
        if (item.field, item.finding.code, item.finding.text.casefold()) not in seen
    ]
    return written + extra


@transaction.atomic
def message_template_save(
    *,
    kind: str,
    subject: str,
    body: str,
    actor: Staff,
    confirm_warnings: bool = False,
    now: datetime,
) -> MessageTemplate:
    """Management's own wording of a standard message.

    Refused: placeholders that do not exist, a word of R13 in the text as written or as filled
    in for a customer, an R12 warning not confirmed.
    """
    _may_edit_templates(actor)
    if kind not in MessageKind.values:
        raise InvalidInput("unknown_kind", _("Deze soort bericht bestaat niet."), field="kind")
    subject = _template_text(subject, "subject", _("het onderwerp"), MAX_SUBJECT, one_line=True)
    body = _template_text(body, "body", _("de tekst"), MAX_BODY)
    _guard(template_findings(subject=subject, body=body), confirm_warnings=confirm_warnings)
    template, _created = MessageTemplate.objects.update_or_create(
        kind=kind,
        defaults={"subject": subject, "body": body, "updated_at": now, "updated_by": actor},
    )
    audit_append(
        complaint=None,
        actor=actor,
        action="message_template_saved",
        now=now,
        after={"kind": kind, "subject": subject},
    )
    return template


@transaction.atomic
def message_template_reset(*, kind: str, actor: Staff, now: datetime) -> None:
    """Back to the shipped standard text of ``kind``."""
    _may_edit_templates(actor)
    deleted, _rows = MessageTemplate.objects.filter(kind=kind).delete()
    if deleted:
        audit_append(
            complaint=None,
            actor=actor,
            action="message_template_reset",
            now=now,
            after={"kind": kind},
        )


def incoming_original_read_log(*, message: IncomingMessage, actor: Staff, now: datetime) -> None:
    """R2: opening the customer's original e-mail is a read of the complaint, logged as one."""
    audit_append(
        complaint=message.complaint,
        actor=actor,
        action="viewed",
        now=now,
        after={"message": message.pk},
    )
