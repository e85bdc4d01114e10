"""The transactional outbox: every e-mail the product sends, written in the transaction of the
event it reports and delivered by the worker (R3, R15)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailPurpose(models.TextChoices):
    """What an outgoing mail is for: the complaint page shows how each reached its reader."""

    ALERT = "alert", _("melding aan de directie")  # R3: management hears at once
    STAFF = "staff", _("bericht aan een medewerker")  # R15 updates, reminders, breaches
    CUSTOMER = "customer", _("bericht aan de klant")


class OutboxMessage(models.Model):
    """An e-mail to be sent by the worker (R3 alerts, R15 updates, messages to customers).

    Written in the transaction of the event it reports, so it exists exactly when the event
    does; ``key`` is unique per event and recipient, so an event never queues a mail twice, and
    it becomes the mail's Message-ID, so a retried delivery is recognisably the same mail.

    ``sent_at`` is the moment the mail server accepted the mail. ``failed_at`` marks a mail
    that will never be delivered (refused for good, or refused for a day): it is no longer
    tried, and shows on its complaint, to management and in ``/gezondheid/`` (#10, item 20).
    ``claimed_by`` names the delivery run holding the claim; ``claimed_at`` is renewed while
    that run lives (#10, item 23).
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    failing_since = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    purpose = models.CharField(max_length=10, choices=MailPurpose.choices, blank=True)

    class Meta:
        db_table = "messaging_outboxmessage"  # its table since before the mail app (#12)
        indexes = (
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            ),
            models.Index(
                fields=["failed_at"],
                name="outbox_failed",
                condition=models.Q(failed_at__isnull=False),
            ),
        )
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class OutboxAttachment(models.Model):
    """A file sent with an outgoing mail (the business card as vCard, R14; a letter as PDF).

    Stored with the mail in the same transaction, so every attempt sends the same bytes.
    """

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        db_table = "messaging_outboxattachment"  # its table since before the mail app (#12)
        verbose_name = _("bijlage bij uitgaand bericht")
        verbose_name_plural = _("bijlagen bij uitgaande berichten")

    def __str__(self) -> str:
        return self.filename
