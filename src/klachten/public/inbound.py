"""E-mail in (#13): what the customer writes to the product's mailbox ends up in the file.

One mail is handled in one transaction (:func:`mail_receive`):

- a reply to anything the product sent (its ``In-Reply-To``/``References`` name the
  Message-ID the outbox set, ``<key@host>``), or a mail whose subject names a complaint's
  reference (``KG-2026-00042``), is attached to that complaint as an incoming message; its
  handler and receiver hear of it (R15);
- a mail that matches no complaint becomes a report waiting to be taken up, exactly like one
  from the public form (R15): channel ``email``, received when it reached the mail server, so
  the deadlines run from then (R3, R16); management is alerted at once (R3); the customer gets
  the confirmation with their status link;
- a bounce of one of our own mails marks that mail "niet bezorgd" and tells the handler;
- auto-replies, out-of-office notices and list mail are ignored, never answered.

Exactly once: a mail read from the mailbox is written down (``InboundReceipt``, by its folder's
UIDVALIDITY and UID) in the same transaction that attaches it, and its Message-ID is unique
among incoming messages; the server is told only after that transaction committed. The sender
is never trusted as staff: a mail is the customer's, whatever its ``From`` says.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klachten.complaints.attachments import attachment_add
from klachten.complaints.attachments import max_size as attachment_max_size
from klachten.complaints.models import Channel, Complaint
from klachten.complaints.services import Checklist, complaint_register, staff_mail
from klachten.core.errors import ApplicationError, ServiceUnavailable
from klachten.core.scanning import FileInfected, file_scan_check
from klachten.customers.models import CustomerFile
from klachten.domain.wording import language_of
from klachten.mail import imap, inbound
from klachten.mail.models import InboundMailbox, InboundOutcome, InboundReceipt, OutboxMessage
from klachten.mail.outbox import message_id_domain
from klachten.messaging.models import IncomingChannel, IncomingMessage
from klachten.public.services import incoming_message_notify, web_report_confirm

logger = logging.getLogger(__name__)

# The text of a mail is kept up to this many characters; the original .eml keeps all.
MAX_TEXT = 100_000
# Why a file of a mail was left out, as the complaint page says it (#13, item 8).
SKIPPED = {
    inbound.SkipReason.TOO_LARGE: _("te groot (de tekst van de e-mail is wel bewaard)"),
    inbound.SkipReason.TOTAL_TOO_LARGE: _("de e-mail als geheel was te groot"),
    inbound.SkipReason.TOO_MANY_PARTS: _("te veel onderdelen in de e-mail"),
    inbound.SkipReason.UNREADABLE: _("onleesbaar"),
}


@dataclass(frozen=True)
class Received:
    """What became of one mail: ``outcome`` (``InboundOutcome``), the complaint's reference
    when it was attached to or created one, and a reason when it was ignored."""

    outcome: str
    reference: str = ""
    detail: str = ""
    again: bool = False  # handled before (the same UID or Message-ID): nothing new happened

    def line(self) -> str:
        """What ``klachten mail import`` prints (CONTRACT.md): the reference it was attached to
        or created, else ``ignored: <reason>`` (an auto-reply, a bounce, list mail)."""
        if self.outcome in {InboundOutcome.ATTACHED, InboundOutcome.CREATED}:
            return self.reference
        if self.outcome == InboundOutcome.BOUNCE:
            return f"ignored: bounce of our mail ({self.reference or self.detail})"
        return f"ignored: {self.detail}"


def mail_receive(
    raw: bytes,
    *,
    now: datetime,
    mailbox: str = "",
    uidvalidity: int | None = None,
    uid: int | None = None,
    server_received_at: datetime | None = None,
) -> Received:
    """Handle one raw mail exactly once (see the module). ``mailbox``/``uidvalidity``/``uid``
    name it in the mailbox it was read from, ``server_received_at`` is when the server got it
    (IMAP INTERNALDATE); a mail from a file has none.

    The files it writes (the original, the attachments) are removed again when the
    transaction does not commit — the scanner was away, the database refused — so a mail
    that stays in the mailbox to be read again leaves nothing behind."""
    written: list[FieldFile] = []
    try:
        return _receive(
            raw,
            now=now,
            mailbox=mailbox,
            uidvalidity=uidvalidity,
            uid=uid,
            server_received_at=server_received_at,
            written=written,
        )
    except BaseException:
        for file in written:
            file.delete(save=False)
        raise


def _receive(
    raw: bytes,
    *,
    now: datetime,
    mailbox: str,
    uidvalidity: int | None,
    uid: int | None,
    server_received_at: datetime | None,
    written: list[FieldFile],
) -> Received:
    with transaction.atomic():
        if uid is not None and uidvalidity is not None:
            seen = (
                InboundReceipt.objects.select_for_update()
                .filter(mailbox=mailbox, uidvalidity=uidvalidity, uid=uid)
                .first()
            )
            if seen is not None:
                return Received(seen.outcome, seen.reference, seen.detail, again=True)
        mail = inbound.parse(
            raw,
            now=now,
            server_received_at=server_received_at,
            max_attachment_size=attachment_max_size(),
        )
        received = _handle(mail, raw, now=now, written=written)
        if uid is not None and uidvalidity is not None:
            InboundReceipt.objects.create(
                mailbox=mailbox,
                uidvalidity=uidvalidity,
                uid=uid,
                message_id=(mail.message_id or "")[:998],
                outcome=received.outcome,
                detail=received.detail[:300],
                reference=received.reference,
                handled_at=now,
            )
    return received


def _handle(
    mail: inbound.InboundMail, raw: bytes, *, now: datetime, written: list[FieldFile]
) -> Received:
    found = inbound.classification(mail)
    if found.kind == inbound.BOUNCE:
        return _bounce(mail, now=now)
    if found.kind != inbound.NORMAL:
        return Received(InboundOutcome.IGNORED, detail=f"{found.kind}: {found.reason}")
    if mail.message_id and IncomingMessage.objects.filter(message_id=mail.message_id).exists():
        return Received(InboundOutcome.IGNORED, detail="duplicate", again=True)
    complaint = _thread(mail)
    if complaint is None:
        return _new_complaint(mail, raw, now=now, written=written)
    _attach(complaint, mail, raw, now=now, written=written)
    return Received(InboundOutcome.ATTACHED, complaint.reference)


# --- Which complaint a mail belongs to ----------------------------------------------------------


def _outbox_keys(message_ids: Iterable[str]) -> list[str]:
    """The outbox keys of the Message-IDs the product set (``<key@host>``), newest first."""
    domain = message_id_domain().lower()
    keys = []
    for message_id in message_ids:
        local, _, host = message_id.strip().strip("<>").rpartition("@")
        if local and host.lower() == domain:
            keys.append(local)
    return keys


def _thread(mail: inbound.InboundMail) -> Complaint | None:
    """R5: the complaint a reply belongs to: by the mail it answers, else by the reference in
    its subject; a complaint whose data is gone (R5) takes nothing new."""
    keys = inbound.thread_keys(
        mail, our_domains=[message_id_domain()], mailbox_address=settings.INBOUND_MAIL_ADDRESS
    )
    ours = _outbox_keys(keys.message_ids)  # best first
    answered = {
        message.key: message.complaint
        for message in OutboxMessage.objects.filter(
            key__in=ours, complaint__anonymised_at__isnull=True
        ).select_related("complaint")
    }
    for key in ours:
        if (complaint := answered.get(key)) is not None:
            return complaint
    if keys.references:
        by_reference = {
            found.reference: found
            for found in Complaint.objects.filter(
                reference__in=keys.references, anonymised_at__isnull=True
            )
        }
        for reference in keys.references:
            if reference in by_reference:
                return by_reference[reference]
    return None


# --- Attaching, creating, bouncing -------------------------------------------------------------


def _incoming(
    complaint: Complaint,
    mail: inbound.InboundMail,
    raw: bytes,
    *,
    now: datetime,
    written: list[FieldFile],
) -> IncomingMessage:
    """The incoming message with its original and its files; a file refused (its type, a
    virus, its size) is left out with a note, never the text (#13, item 8)."""
    message = IncomingMessage(
        complaint=complaint,
        channel=IncomingChannel.EMAIL,
        sender=mail.sender[:254],
        sender_name=mail.sender_name[:200],
        subject=mail.subject[:300],
        text=mail.text[:MAX_TEXT],
        full_text=mail.full_text[:MAX_TEXT],
        received_at=min(mail.received_at or now, now),
        created_at=now,
        message_id=(mail.message_id or None) and mail.message_id[:998],
        notes=[f"{skipped.filename}: {SKIPPED[skipped.reason]}" for skipped in mail.skipped],
    )
    try:
        # The original carries every attachment: it is kept only when it is clean too (#13).
        file_scan_check(name="original.eml", file=raw)
    except FileInfected as error:
        message.notes.append(f"original.eml: {error.detail}")
    else:
        message.original.save("original.eml", ContentFile(raw), save=False)
        written.append(message.original)
    message.save()
    kept = []
    for attachment in mail.attachments:
        try:
            stored = attachment_add(
                complaint=complaint,
                actor=None,
                file=ContentFile(attachment.content, name=attachment.filename or "bijlage"),
                now=now,
            )
        except ServiceUnavailable:
            raise  # the scanner is away: nothing is kept, the mail stays in the mailbox
        except ApplicationError as error:
            message.notes.append(f"{attachment.filename}: {error.detail}")
        else:
            kept.append(stored)
            written.append(stored.file)
    if kept:
        message.attachments.set(kept)
    if message.notes:
        message.save(update_fields=["notes"])
    return message


def _attach(
    complaint: Complaint,
    mail: inbound.InboundMail,
    raw: bytes,
    *,
    now: datetime,
    written: list[FieldFile],
) -> None:
    """R5, R15: the customer's answer in the file; the receiver and the handler hear of it."""
    message = _incoming(complaint, mail, raw, now=now, written=written)
    incoming_message_notify(complaint=complaint, message=message, now=now)


def _customer_file(mail: inbound.InboundMail) -> CustomerFile:
    """R6: the file of the one customer with the sender's address; else a new file with what
    the mail says (name, address), its NAW to be completed and checked when taken up."""
    matches = list(
        CustomerFile.objects.filter(email__iexact=mail.sender, anonymised_at__isnull=True)[:2]
    )
    if len(matches) == 1:
        return matches[0]
    return CustomerFile.objects.create(
        name=(mail.sender_name or mail.sender)[:200],
        email=mail.sender[:254],
        street="",
        house_number="",
        postcode="",
        town="",
    )


def _new_complaint(
    mail: inbound.InboundMail, raw: bytes, *, now: datetime, written: list[FieldFile]
) -> Received:
    """R3, R5, R15, R16: a report waiting to be taken up, received when the mail reached the
    server; management is alerted (``complaint_register``) and the customer confirmed."""
    if not mail.sender:
        return Received(InboundOutcome.IGNORED, detail="no sender")
    received_at = min(mail.received_at or now, now)
    report = "\n\n".join(part for part in (mail.subject.strip(), mail.text.strip()) if part)
    complaint = complaint_register(
        receiver=None,
        customer_file=_customer_file(mail),
        received_at=received_at,
        channel=Channel.EMAIL,
        report=(report or "(lege e-mail)")[:MAX_TEXT],
        checklist=Checklist(),
        now=now,
    )
    _incoming(complaint, mail, raw, now=now, written=written)
    web_report_confirm(
        complaint=complaint, language=language_of(mail.text or mail.subject), now=now
    )
    return Received(InboundOutcome.CREATED, complaint.reference)


def _bounce(mail: inbound.InboundMail, *, now: datetime) -> Received:
    """A mail of ours that did not arrive: marked "niet bezorgd" on its complaint, and the
    handler (else the receiver) is told; never answered."""
    bounce = inbound.bounce_of(mail)
    keys = _outbox_keys(list(bounce.message_ids))
    if not bounce.permanent:
        return Received(InboundOutcome.IGNORED, detail="delivery delayed, not failed")
    if not keys:
        return Received(InboundOutcome.IGNORED, detail="bounce of an unknown mail")
    reason = (bounce.diagnostic or "de ontvanger weigerde het bericht")[:500]
    marked = list(
        OutboxMessage.objects.select_related("complaint").filter(
            Q(key__in=keys), Q(failed_at__isnull=True)
        )
    )
    for message in marked:
        OutboxMessage.objects.filter(pk=message.pk).update(
            failed_at=now, last_error=f"bounce: {reason}"
        )
        complaint = message.complaint
        if complaint is None:
            continue
        staff_mail(
            key=f"{complaint.reference}-bounce-{message.pk}",
            to=[staff for staff in (complaint.handler or complaint.receiver,) if staff],
            template="public/mail/bounce_staff.txt",
            context={"complaint": complaint, "outbox": message, "reason": reason},
            now=now,
        )
    reference = next((m.complaint.reference for m in marked if m.complaint), "")
    return Received(InboundOutcome.BOUNCE, reference, detail=reason)


# --- Reading the mailbox (INBOUND_MAIL_URL) ----------------------------------------------------

# How long one reading run waits for new mail (IDLE, else a sleep) before it looks again.
WAIT = 50.0


class MailboxNotConfigured(Exception):
    """No mailbox is configured (``INBOUND_MAIL_URL``), or its URL cannot be used."""


def mailbox_config() -> imap.MailboxConfig:
    url = settings.INBOUND_MAIL_URL
    if not url:
        raise MailboxNotConfigured(
            _(
                "Er is geen postbus ingesteld: zet INBOUND_MAIL_URL, bijvoorbeeld "
                "imaps://gebruiker:wachtwoord@mail.voorbeeld.nl:993/INBOX."
            )
        )
    try:
        return imap.MailboxConfig.from_url(url)
    except ValueError as error:
        raise MailboxNotConfigured(
            _("INBOUND_MAIL_URL is niet bruikbaar: %(reason)s") % {"reason": error}
        ) from error


def mailbox_fetch(
    *,
    once: bool = True,
    until: Callable[[], bool] = lambda: False,
    client: imap.MailboxClient | None = None,
) -> Iterator[Received]:
    """Handle every new mail of the mailbox, oldest first, each exactly once (#13, item 1).

    Per mail: fetched, handled and written down in one transaction (:func:`mail_receive`),
    and only then flagged on the server; a run killed in between finds its receipt the next
    time and only flags it. A new UIDVALIDITY (the server renumbered the folder) starts the
    folder again from the top: the receipts and the Message-IDs keep every mail single.
    Without ``once`` it waits for new mail (IDLE, else a minute's sleep) until ``until()``.
    """
    config = mailbox_config()
    name = config.display
    box = client or imap.MailboxClient(config)
    try:
        while True:
            yield from _fetch_new(box, name)
            if once or until():
                return
            box.idle_or_wait(WAIT)
            if until():
                return
    finally:
        if client is None:
            box.close()


def _fetch_new(box: imap.MailboxClient, name: str) -> Iterator[Received]:
    state, _created = InboundMailbox.objects.get_or_create(name=name)
    uidvalidity = box.uidvalidity
    if state.uidvalidity != uidvalidity:
        state.uidvalidity, state.last_uid = uidvalidity, 0
    pending = box.pending_uids(after_uid=state.last_uid)
    for uid in pending.uids:
        try:
            fetched = box.fetch(uid, uidvalidity=pending.uidvalidity)
        except imap.UidValidityChanged:
            return  # the next run starts the renumbered folder from the top
        if fetched is None:
            continue  # deleted meanwhile
        now = timezone.now()
        received = mail_receive(
            fetched.raw,
            now=now,
            mailbox=name,
            uidvalidity=pending.uidvalidity,
            uid=uid,
            server_received_at=fetched.internal_date,
        )
        box.mark_handled(uid, uidvalidity=pending.uidvalidity)
        InboundReceipt.objects.filter(
            mailbox=name, uidvalidity=pending.uidvalidity, uid=uid
        ).update(marked_at=timezone.now())
        state.last_uid = max(state.last_uid, uid)
        state.checked_at = now
        state.save()
        yield received
    state.checked_at = timezone.now()
    state.save()
