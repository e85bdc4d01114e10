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
    # Sent without a person writing it (alerts, reminders, confirmations): such a mail says
    # so (``Auto-Submitted: auto-generated``, RFC 3834), so no auto-reply answers it (#13).
    automatic = models.BooleanField(default=True)

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


class InboundMailbox(models.Model):
    """Where the worker stands in a mailbox it reads (``INBOUND_MAIL_URL``): the folder's
    UIDVALIDITY and the highest UID handled. A new UIDVALIDITY means the server renumbered the
    folder: every message is looked at again, and :class:`InboundReceipt` and the Message-ID
    keep each from being handled twice."""

    name = models.CharField(max_length=300, unique=True)  # user@host/folder, no password
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("postbus")
        verbose_name_plural = _("postbussen")

    def __str__(self) -> str:
        return self.name


class InboundOutcome(models.TextChoices):
    ATTACHED = "attached", _("bij een melding gezet")
    CREATED = "created", _("nieuwe melding")
    BOUNCE = "bounce", _("niet bezorgd")
    IGNORED = "ignored", _("genegeerd")


class InboundReceipt(models.Model):
    """One message of the mailbox, handled exactly once (R3, R5): written in the transaction
    that attaches it or creates the complaint, before the server is told. A worker killed in
    between finds this row and only tells the server again."""

    mailbox = models.CharField(max_length=300)
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    outcome = models.CharField(max_length=10, choices=InboundOutcome.choices)
    detail = models.CharField(max_length=300, blank=True)
    reference = models.CharField(max_length=20, blank=True)
    handled_at = models.DateTimeField()
    marked_at = models.DateTimeField(null=True, blank=True)  # flagged on the server

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"], name="inbound_once_per_uid"
            ),
        )
        verbose_name = _("ontvangen e-mail")
        verbose_name_plural = _("ontvangen e-mails")

    def __str__(self) -> str:
        return f"{self.mailbox} {self.uidvalidity}/{self.uid}: {self.outcome}"
