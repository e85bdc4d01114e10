"""The transactional outbox: outgoing mail written in the same transaction as its event."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An e-mail to be sent by the worker (R3 alerts, R15 updates).

    Written in the transaction of the event it reports, so it exists exactly when the event
    does; ``key`` is unique per event and recipient, so an event never queues a mail twice, and
    it becomes the mail's Message-ID, so a retried delivery is recognisably the same mail.
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()

    class Meta:
        indexes = (
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=models.Q(sent_at__isnull=True),
            ),
        )
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
