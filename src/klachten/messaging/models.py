"""Everything that goes to the customer; the outbox that carries e-mail is ``klachten.mail``.

Models hold data only; the rules live in ``services`` (writes), ``selectors`` (reads), the
standard texts in ``texts`` and the business card in ``cards``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachten.mail.models import OutboxMessage

STAFF = settings.AUTH_USER_MODEL


class MessageKind(models.TextChoices):
    """The standard messages to the customer (R3, R7, R9, R10, R11, R16), and a free one."""

    RECEIPT = "receipt", _("Ontvangstbevestiging")
    CONTACT_SUMMARY = "contact_summary", _("Verslag van het contact en de afgesproken termijn")
    ACTION_PLAN = "action_plan", _("Actieplan: wat, wie, wanneer")
    DELAY_NOTICE = "delay_notice", _("Uitstelbericht")
    SOLUTION_PROPOSAL = "solution_proposal", _("Oplossing voorleggen")
    FOLLOW_UP = "follow_up", _("Nacontrole: is het opgelost?")
    CLOSING = "closing", _("Afronding")
    FREE = "free", _("Vrij bericht")


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Brief (PDF, per post)")


class MessageTemplate(models.Model):
    """Management's own wording of one standard message; without a row the shipped text holds.

    ``subject`` and ``body`` may use the placeholders of ``texts.PLACEHOLDERS`` (``{{ klant }}``,
    ``{{ kenmerk }}``, …) and nothing else; they are filled in by plain substitution, never by
    a template engine. A text with a word of R13 cannot be saved.
    """

    kind = models.CharField(_("soort"), max_length=20, choices=MessageKind.choices, unique=True)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    updated_at = models.DateTimeField(_("gewijzigd op"))
    updated_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, related_name="+", verbose_name=_("gewijzigd door")
    )

    class Meta:
        verbose_name = _("berichtsjabloon")
        verbose_name_plural = _("berichtsjablonen")

    def __str__(self) -> str:
        return self.get_kind_display()


class CustomerMessage(models.Model):
    """A message to the customer, stored in the complaint's file exactly as it was sent.

    ``body`` is the text as the employee sent it; ``card`` the employee's business card as it
    was then (R14); ``recipient`` the e-mail address, or the postal address of a letter. A
    letter's PDF is made from these fields, so it always reads as it was sent.
    """

    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="customer_messages",
        verbose_name=_("melding"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=MessageKind.choices)
    channel = models.CharField(_("kanaal"), max_length=10, choices=MessageChannel.choices)
    recipient = models.TextField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    card = models.JSONField(_("visitekaartje"))
    author = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, related_name="+", verbose_name=_("afzender")
    )
    created_at = models.DateTimeField(_("opgesteld op"))
    # E-mail: when it was handed to the outbox; letter: when it was marked as posted.
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    posted_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # R12: the warnings the author read and sent anyway (empty when there were none).
    warnings_confirmed = models.JSONField(_("bevestigde waarschuwingen"), default=list)
    outbox = models.OneToOneField(
        OutboxMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["complaint", "-created_at"], name="message_complaint"),)
        verbose_name = _("bericht aan de klant")
        verbose_name_plural = _("berichten aan de klant")

    def __str__(self) -> str:
        return self.subject


class IncomingChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    STATUS_PAGE = "status_page", _("persoonlijke pagina")


def incoming_original_upload_to(instance: IncomingMessage, filename: str) -> str:
    """``incoming/<complaint pk>/<uuid>.eml``: never a name the sender chose."""
    import uuid

    return f"incoming/{instance.complaint_id}/{uuid.uuid4().hex}.eml"


class IncomingMessage(models.Model):
    """What the customer sent: an e-mail, or a message on their status page (#13; R5: the
    whole conversation in the customer file).

    ``text`` is the new text, the quoted history folded away; ``full_text`` all of it; an
    e-mail's original is kept as ``original`` (.eml), for staff only, served like an
    attachment. ``notes`` says what was left out (a file too large, a file refused).
    """

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="incoming_messages"
    )
    channel = models.CharField(max_length=12, choices=IncomingChannel.choices)
    sender = models.CharField(_("afzender"), max_length=254, blank=True)
    sender_name = models.CharField(_("naam afzender"), max_length=200, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=300, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    full_text = models.TextField(blank=True)
    received_at = models.DateTimeField(_("ontvangen op"))
    created_at = models.DateTimeField()
    message_id = models.CharField(max_length=998, null=True, blank=True, unique=True)
    original = models.FileField(upload_to=incoming_original_upload_to, blank=True)
    attachments = models.ManyToManyField("complaints.Attachment", blank=True, related_name="+")
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("received_at", "id")
        indexes = (models.Index(fields=["complaint", "received_at"], name="incoming_by_case"),)
        verbose_name = _("bericht van de klant")
        verbose_name_plural = _("berichten van de klant")

    def __str__(self) -> str:
        return self.subject or self.text[:60]
