"""The transactional outbox: queue mail in the event's transaction, deliver from the worker.

These are the outbox's writes (services, STYLE.md 2), kept apart from the customer messages
in ``services`` because the complaint services queue mail here and the customer messages call
the complaint services: one module for both would import itself in a circle.

The delivery guarantee
----------------------
A mail is queued as an ``OutboxMessage`` row in the same transaction as the event it reports
(R3, R15), so it exists exactly when the event does. The worker then *claims* it (a committed
``claimed_at``), hands it to the SMTP server, and marks it sent (``sent_at``).

Exactly-once delivery over SMTP is impossible: between the server's "250 accepted" and our
commit of ``sent_at`` the worker can die (killed, power cut, database unreachable), and nothing
can tell afterwards whether the server took the mail. We therefore promise **at least once,
with a stable identity**:

* Nothing is lost. A mail that is not marked sent stays due. A failed attempt (server down,
  4xx/5xx answer, timeout) releases the claim, records ``last_error`` and backs off
  exponentially (30 s, 1 min, 2 min, … at most an hour); a worker that dies mid-delivery leaves
  a claim that expires after ``CLAIM_LEASE``, after which any worker sends the mail again.
* A duplicate is possible only in that window — after the server accepted the mail and before
  ``sent_at`` was committed — and then only once per crash. Every copy carries the same
  ``Message-ID`` (``<key@klachten.kerngroep.nl>``), so mail programs and most servers show or
  keep it once.
* A message marked sent is never sent again, and while a claim holds no other worker sends that
  message: claims are taken one message at a time under a row lock (PostgreSQL) or the write
  lock (SQLite, ``IMMEDIATE``).

The lease must outlast one delivery attempt: the SMTP timeout (``EMAIL_TIMEOUT``, 30 s by
default) bounds every network step, and claims are stamped with the time they are made, not the
time the run began, so a slow batch does not age its own later claims.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q

from klachten.messaging.models import OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
# A claimed message that is neither sent nor released after this long belongs to a worker
# that died; it is delivered again, with the same Message-ID.
CLAIM_LEASE = timedelta(minutes=5)
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
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
) -> OutboxMessage:
    """Queue a mail inside the caller's transaction; the same key is queued once only.

    ``reply_to`` lets the customer answer the employee who wrote (R14); ``attachments`` are
    stored with the mail, so a retried delivery sends exactly the same files.

    Once that transaction commits, the worker is woken (once per transaction, however many
    mails it queued) to deliver at once. The wake-up is registered after the row is written:
    outside a transaction ``on_commit`` runs at once, and must find the row.
    """
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "reply_to": reply_to,
            "subject": subject,
            "body": body,
            "created_at": now,
            "next_attempt_at": now,
        },
    )
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
    from klachten.messaging.tasks import deliver_outbox

    try:
        deliver_outbox()
    except Exception:
        logger.warning("Could not wake the worker; the next periodic run delivers the mail.")


def message_id(message: OutboxMessage) -> str:
    """The Message-ID every copy of this mail carries, so a resent copy shows as the same."""
    return f"<{message.key}@{MESSAGE_ID_DOMAIN}>"


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Claim one due message for this worker, in its own short transaction."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update().filter(_claimable(now), pk=message_id).first()
        )
        if message is None:
            return None  # sent meanwhile, backed off, or another worker is delivering it
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["claimed_at", "attempts"])
        return message


def _claimable(now: datetime) -> Q:
    """Due, not sent, and not held by a live claim."""
    return Q(sent_at__isnull=True, next_attempt_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - CLAIM_LEASE)
    )


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


def _mail(message: OutboxMessage) -> EmailMessage:
    """The mail as the server gets it, the same on every attempt (same Message-ID, same files)."""
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Message-ID": message_id(message)},
    )
    for attachment in message.attachments.order_by("id"):
        mail.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return mail


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
    sent = 0
    connection: Any = None
    try:
        for pk in due:
            message = _claim(pk, clock())
            if message is None:
                continue
            claim = message.claimed_at
            mail = _mail(message)
            try:
                if connection is None:
                    connection = get_connection()
                    connection.open()
                if connection.send_messages([mail]) != 1:
                    raise RuntimeError("the mail backend did not take the message")
            except Exception as error:
                logger.warning("Delivery of outbox message %s failed: %s", message.pk, error)
                if connection is not None:
                    _close(connection)
                    connection = None
                # Only our own claim is released: if it expired and another worker took the
                # message over meanwhile, that worker's claim must stand.
                OutboxMessage.objects.filter(
                    pk=message.pk, sent_at__isnull=True, claimed_at=claim
                ).update(
                    claimed_at=None,
                    last_error=f"{type(error).__name__}: {error}"[:1000],
                    next_attempt_at=clock() + backoff(message.attempts),
                )
                continue
            # The window: the server has the mail; if we die before this commit, the claim
            # expires and the mail is sent again, with the same Message-ID.
            OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
                sent_at=clock(), last_error=""
            )
            sent += 1
    finally:
        if connection is not None:
            _close(connection)
    return sent
