"""The transactional outbox: queue mail in the event's transaction, deliver from the worker.

These are the outbox's writes (services, STYLE.md 2), kept apart from the customer messages
in ``services`` because the complaint services queue mail here and the customer messages call
the complaint services: one module for both would import itself in a circle.

The delivery guarantee
----------------------
A mail is queued as an ``OutboxMessage`` row in the same transaction as the event it reports
(R3, R15), so it exists exactly when the event does. The worker then *claims* it (a committed
``claimed_at`` and ``claimed_by``), hands it to the SMTP server, and marks it sent
(``sent_at``: the moment the server accepted it).

Exactly-once delivery over SMTP is impossible: between the server's "250 accepted" and our
commit of ``sent_at`` the worker can die (killed, power cut, database unreachable), and nothing
can tell afterwards whether the server took the mail. We therefore promise **at least once,
with a stable identity**:

* Nothing is lost. A mail that is not marked sent stays due. A failed attempt (server down,
  4xx answer, timeout) releases the claim, records ``last_error`` and backs off exponentially
  (30 s, 1 min, 2 min, … at most an hour).
* A duplicate is possible only in that window — after the server accepted the mail and before
  ``sent_at`` was committed — and then only once per crash. Every copy carries the same
  ``Message-ID`` (``<key@host of KLACHTEN_BASE_URL>``) and the same ``Date``, so mail programs
  and most servers show or keep it once.
* A message marked sent is never sent again, and while a claim holds no other worker sends that
  message: claims are taken one message at a time under a row lock (PostgreSQL) or the write
  lock (SQLite, ``IMMEDIATE``).

A claim is a short lease kept alive by a heartbeat (#10, item 23). It lasts ``CLAIM_LEASE``
(10 s) and the run renews it every ``CLAIM_RENEWAL`` (1 s) from a small thread for as long as
the delivery takes, so a slow server never makes another worker send the mail a second time,
while a worker that was killed leaves a claim that runs out within seconds — and the worker
that saw the claim comes back for it just after (``outbox_next_wake``), so an alert (R3) is
late by seconds, not minutes.

Mail that can never be delivered
--------------------------------
A mail the server refuses for good (a 5xx answer to the recipient or to the message), a mail
that cannot even be written as a mail (a header the mail library refuses), and a mail refused
for a whole day (``FAIL_AFTER``) of temporary errors is marked ``failed_at`` and no longer
tried (#10, items 19 and 20). The complaint page, management's start page and
``/gezondheid/`` show it. Refusals that say something about our own set-up rather than this
mail (authentication, the sender address) count as temporary: fixing the set-up lets every
waiting mail go.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import sanitize_address
from django.db import connections, transaction
from django.db.models import Min, Model, Q
from django.utils import timezone

from klachten.mail.models import OutboxAttachment, OutboxMessage
from klachten.mail.signals import mail_accepted

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
# A claim neither sent, released nor renewed for this long belongs to a worker that died; the
# mail is delivered again, with the same Message-ID. The run holding a claim renews it every
# CLAIM_RENEWAL, ten times per lease, so a busy machine does not let a live claim run out.
CLAIM_LEASE = timedelta(seconds=10)
CLAIM_RENEWAL = timedelta(seconds=1)
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
# A mail refused only temporarily for this long is given up and shown as not delivered.
FAIL_AFTER = timedelta(days=1)
# The Message-ID's domain when KLACHTEN_BASE_URL names no host.
MESSAGE_ID_DOMAIN = "klachten.kerngroep.nl"


@dataclass(frozen=True)
class MailAttachment:
    """A file that travels with a mail: a business card (R14), a letter as PDF."""

    filename: str
    content: bytes
    content_type: str


def mail_parts(text: str) -> tuple[str, str]:
    """A rendered mail template: its first line is the subject, the rest the body."""
    subject, _newline, body = text.strip().partition("\n")
    return subject.strip(), body.strip()


def outbox_enqueue(
    *,
    key: str,
    to: str,
    subject: str,
    body: str,
    now: datetime,
    reply_to: str = "",
    attachments: Sequence[MailAttachment] = (),
    complaint: Model | None = None,
    purpose: str = "",
    automatic: bool = True,
    fresh: bool = False,
) -> OutboxMessage:
    """Queue a mail inside the caller's transaction; the same key is queued once only.

    ``fresh`` says the key names a row the caller's transaction has just created (a new
    complaint, a new message), so no mail can be queued under it yet: one INSERT, without the
    lookup and the savepoint of "queue it unless it is there" (#17 item 5: registering).

    ``reply_to`` lets the customer answer (``customer_reply_to``: the product's mailbox, or
    the employee who wrote, R14); ``automatic`` (the default) marks a mail no person wrote
    (``Auto-Submitted``, RFC 3834); ``attachments`` are
    stored with the mail, so a retried delivery sends exactly the same files. ``complaint``
    and ``purpose`` (``MailPurpose``) let the complaint page say how its mails fared: when
    management was actually told (R3), which mail did not arrive.

    Once that transaction commits, the worker is woken (once per transaction, however many
    mails it queued) to deliver at once. The wake-up is registered after the row is written:
    outside a transaction ``on_commit`` runs at once, and must find the row.
    """
    fields = {
        "to": to,
        "reply_to": reply_to,
        "subject": subject,
        "body": body,
        "created_at": now,
        "next_attempt_at": now,
        "complaint": complaint,
        "purpose": purpose,
        "automatic": automatic,
    }
    if fresh:
        message, created = OutboxMessage.objects.create(key=key, **fields), True
    else:
        message, created = OutboxMessage.objects.get_or_create(key=key, defaults=fields)
    if created:
        OutboxAttachment.objects.bulk_create(
            OutboxAttachment(
                message=message,
                filename=attachment.filename,
                content_type=attachment.content_type,
                content=attachment.content,
            )
            for attachment in attachments
        )
        if not _wake_up_registered():
            transaction.on_commit(_wake_worker)
    return message


def _wake_up_registered() -> bool:
    """Is a wake-up already waiting for the current transaction's commit?"""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(callback is _wake_worker for _, callback, *_ in connection.run_on_commit)


def _wake_worker() -> None:
    from klachten.mail.tasks import deliver_outbox

    try:
        deliver_outbox()
    except Exception:
        logger.warning("Could not wake the worker; the next periodic run delivers the mail.")


def customer_reply_to(employee: str) -> str:
    """Where a customer's answer goes: the product's mailbox when one is read (#13), so it
    lands in the complaint's file; otherwise the employee who wrote (R14)."""
    return settings.INBOUND_MAIL_ADDRESS or employee


def message_id_domain() -> str:
    """The host of ``KLACHTEN_BASE_URL``: the installation's own name in every Message-ID."""
    return urlsplit(settings.BASE_URL).hostname or MESSAGE_ID_DOMAIN


def message_id(message: OutboxMessage) -> str:
    """The Message-ID every copy of this mail carries, so a resent copy shows as the same."""
    return f"<{message.key}@{message_id_domain()}>"


def _claimable(now: datetime) -> Q:
    """Due, neither sent nor given up, and not held by a live claim."""
    return Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - CLAIM_LEASE)
    )


def _claim(message_id: int, now: datetime, token: str) -> OutboxMessage | None:
    """Claim one due message for this run, in its own short transaction."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update().filter(_claimable(now), pk=message_id).first()
        )
        if message is None:
            return None  # sent meanwhile, backed off, or another worker is delivering it
        message.claimed_at = now
        message.claimed_by = token
        message.attempts += 1
        message.save(update_fields=["claimed_at", "claimed_by", "attempts"])
        return message


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 30 s, doubling, at most 1 h."""
    return min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** max(0, attempts - 1))


def _run_clock(now: datetime) -> Callable[[], datetime]:
    """The worker's clock for one run: ``now`` at the start, advancing as the run takes time.

    Claims and marks are stamped with it, so a claim made late in a slow batch is not already
    old by the time it is made (another worker would take it over while it is being sent).
    """
    started = time.monotonic()
    return lambda: now + timedelta(seconds=time.monotonic() - started)


def _close(connection: Any) -> None:
    """Close a mail connection; a connection that already broke may complain, which is moot."""
    with suppress(Exception):
        connection.close()


class _LeaseKeeper:
    """The heartbeat of a delivery run: renews the claim it holds while the mail is sent.

    A thread of its own, with its own database connection, so it beats while the run waits
    for a slow mail server. When the process dies, the beat stops and the claim runs out
    within ``CLAIM_LEASE``. Only the run's own claim is renewed (``claimed_by``), and never
    a message already sent.
    """

    def __init__(self, token: str, clock: Callable[[], datetime]) -> None:
        self._token = token
        self._clock = clock
        self._held: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-lease", daemon=True)
        self._thread.start()

    def hold(self, pk: int | None) -> None:
        with self._lock:
            self._held = pk

    def stop(self) -> None:
        self.hold(None)
        self._stop.set()
        self._thread.join(timeout=CLAIM_LEASE.total_seconds())

    def _run(self) -> None:
        try:
            while not self._stop.wait(CLAIM_RENEWAL.total_seconds()):
                with self._lock:
                    pk = self._held
                if pk is None:
                    continue
                try:
                    OutboxMessage.objects.filter(
                        pk=pk, claimed_by=self._token, sent_at__isnull=True
                    ).update(claimed_at=self._clock())
                except Exception as error:  # the next beat tries again
                    logger.warning("Could not renew the claim on outbox message %s: %s", pk, error)
        finally:
            connections.close_all()  # this thread's connections only


class _NoLease:
    """Inside a transaction the claims are not visible to other workers: nothing to renew."""

    def hold(self, pk: int | None) -> None:
        pass

    def stop(self) -> None:
        pass


def _mail(message: OutboxMessage) -> EmailMessage:
    """The mail as the server gets it, the same on every attempt (same Message-ID, same Date,
    same files). ``Date`` is the moment the mail was queued, in Amsterdam time with its offset.
    """
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={
            "Message-ID": message_id(message),
            "Date": format_datetime(timezone.localtime(message.created_at)),
            # RFC 3834: no auto-reply answers a mail nobody wrote by hand (#13).
            **({"Auto-Submitted": "auto-generated"} if message.automatic else {}),
        },
    )
    for attachment in message.attachments.order_by("id"):
        mail.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return mail


class Undeliverable(Exception):
    """A mail that can never be delivered as it is: its headers or addresses are refused."""


def _checked(mail: EmailMessage) -> EmailMessage:
    """The mail, once it is known to be writable as a mail (headers, addresses, encoding).

    The mail library refuses a header with a line break (``BadHeaderError``) or an address it
    cannot write; no retry changes that (#10, item 19).
    """
    encoding = mail.encoding or settings.DEFAULT_CHARSET
    try:
        sanitize_address(mail.from_email, encoding)
        for address in mail.recipients():
            sanitize_address(address, encoding)
        mail.message().as_bytes()
    except (ValueError, TypeError, UnicodeError, LookupError) as error:
        raise Undeliverable(f"{type(error).__name__}: {error}") from error
    return mail


def _smtp_code(error: BaseException) -> int | None:
    """The server's reply code to the recipient or the message, if it gave one."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return min(codes) if codes else None
    if isinstance(error, smtplib.SMTPDataError):
        return int(error.smtp_code)
    return None


def is_permanent(error: BaseException) -> bool:
    """Will this mail never be delivered? A 5xx refusal of the recipient or of the message, or
    a mail that cannot be written. Connection trouble, 4xx answers, and refusals that concern
    our own set-up (authentication, the sender) are temporary."""
    if isinstance(error, Undeliverable):
        return True
    code = _smtp_code(error)
    return code is not None and 500 <= code < 600


def _failure_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def outbox_deliver(*, now: datetime, limit: int = BATCH_SIZE) -> int:
    """Send the due messages; returns how many were sent (see the module's guarantee).

    Each message is claimed (committed), sent, then marked sent. One mail connection serves
    the whole run; after a failure it is closed and the next message gets a fresh one, so one
    refused or broken session does not fail the rest of the batch.
    """
    clock = _run_clock(now)
    due = list(
        OutboxMessage.objects.filter(_claimable(now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not due:
        return 0
    token = secrets.token_hex(16)
    in_transaction = transaction.get_connection().in_atomic_block
    lease: _LeaseKeeper | _NoLease = _NoLease() if in_transaction else _LeaseKeeper(token, clock)
    sent = 0
    connection: Any = None
    try:
        for pk in due:
            message = _claim(pk, clock(), token)
            if message is None:
                continue
            lease.hold(message.pk)
            try:
                mail = _checked(_mail(message))
                if connection is None:
                    connection = get_connection()
                    connection.open()
                if connection.send_messages([mail]) != 1:
                    raise RuntimeError("the mail backend did not take the message")
            except Exception as error:
                lease.hold(None)
                logger.warning("Delivery of outbox message %s failed: %s", message.pk, error)
                if connection is not None and not isinstance(error, Undeliverable):
                    _close(connection)
                    connection = None
                _record_failure(message, error, clock(), token)
                continue
            lease.hold(None)
            # The window: the server has the mail; if we die before this commit, the claim
            # runs out and the mail is sent again, with the same Message-ID.
            accepted = clock()
            OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
                sent_at=accepted, last_error="", claimed_by=""
            )
            mail_accepted.send(OutboxMessage, message=message, accepted=accepted)
            sent += 1
    finally:
        lease.stop()
        if connection is not None:
            _close(connection)
    return sent


def _record_failure(message: OutboxMessage, error: BaseException, at: datetime, token: str) -> None:
    """Release our claim with the error; give the mail up when it can never be delivered.

    Only our own claim is released: if it ran out and another worker took the message over
    meanwhile, that worker's claim must stand.
    """
    failing_since = message.failing_since or at
    given_up = is_permanent(error) or at - failing_since >= FAIL_AFTER
    OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True, claimed_by=token).update(
        claimed_at=None,
        claimed_by="",
        last_error=_failure_text(error),
        failing_since=failing_since,
        failed_at=at if given_up else None,
        next_attempt_at=at + backoff(message.attempts),
    )
    if given_up:
        logger.error(
            "Outbox message %s to %s is not delivered and will not be tried again: %s",
            message.pk,
            message.to,
            error,
        )


# --- Reads of the outbox -----------------------------------------------------------------------


def outbox_next_wake(now: datetime) -> datetime | None:
    """The next moment a delivery run would find work: a back-off that ends, or a claim that
    runs out (a worker that died). None when nothing waits. One query."""
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
    found = pending.aggregate(
        free=Min("next_attempt_at", filter=Q(claimed_at__isnull=True)),
        claimed=Min("claimed_at", filter=Q(claimed_at__isnull=False)),
    )
    moments = [found["free"], found["claimed"] + CLAIM_LEASE if found["claimed"] else None]
    upcoming = [moment for moment in moments if moment is not None]
    return max(min(upcoming), now) if upcoming else None
