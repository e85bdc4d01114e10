"""Writes for outgoing mail: queue in the event's transaction, deliver from the worker."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from klachten.messaging.models import OutboxMessage

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
# A claimed message that is neither sent nor released after this long belongs to a worker
# that died; it is delivered again, with the same Message-ID.
CLAIM_LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
MESSAGE_ID_DOMAIN = "klachten.kerngroep.nl"


def outbox_enqueue(*, key: str, to: str, subject: str, body: str, now: datetime) -> None:
    """Queue a mail inside the caller's transaction; the same key is queued once only.

    Once that transaction commits, the worker is woken to deliver it at once.
    """
    transaction.on_commit(_wake_worker)
    OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject,
            "body": body,
            "created_at": now,
            "next_attempt_at": now,
        },
    )


def _wake_worker() -> None:
    from klachten.messaging.tasks import deliver_outbox

    try:
        deliver_outbox()
    except Exception:
        logger.warning("Could not wake the worker; the next periodic run delivers the mail.")


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Claim one due message for this worker, in its own short transaction."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, sent_at__isnull=True, next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return None
        if message.claimed_at is not None and now - message.claimed_at < CLAIM_LEASE:
            return None  # another worker is delivering it right now
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["claimed_at", "attempts"])
        return message


def _backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(seconds=30 * 2 ** max(0, attempts - 1)))


def outbox_deliver(*, now: datetime, limit: int = BATCH_SIZE) -> int:
    """Send the due messages; returns how many were sent.

    Each message is claimed (committed), sent, then marked sent. A worker that dies between
    sending and marking leaves a claim that expires after ``CLAIM_LEASE``; the message is then
    sent again with the same Message-ID, so mail programs show it once. Nothing is lost.
    """
    due: Iterable[int] = (
        OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    sent = 0
    connection = None
    for message_id in list(due):
        message = _claim(message_id, now)
        if message is None:
            continue
        mail = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": f"<{message.key}@{MESSAGE_ID_DOMAIN}>"},
        )
        try:
            connection = connection or get_connection()
            connection.send_messages([mail])
        except Exception as error:
            logger.warning("Delivery of outbox message %s failed: %s", message.pk, error)
            OutboxMessage.objects.filter(pk=message.pk).update(
                claimed_at=None,
                last_error=str(error)[:1000],
                next_attempt_at=now + _backoff(message.attempts),
            )
            connection = None
            continue
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=now, last_error="")
        sent += 1
    if connection is not None:
        connection.close()
    return sent
