"""Complaints and everything recorded while handling one (R2–R11, R15, R16).

Models hold data only; every rule lives in the domain core and every write in ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachten.customers.models import CustomerFile
from klachten.domain.lifecycle import CustomerView, Outcome, Status
from klachten.organisation.models import Category, Course, RootCause, Trainer

STAFF = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    PHONE = "phone", _("Telefoon")
    DESK = "desk", _("Balie")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Brief")
    WEB = "web", _("Website")


STATUS_CHOICES = [
    (Status.NEW.value, _("Nieuw")),
    (Status.CONTACTED.value, _("Contact opgenomen")),
    (Status.IN_PROGRESS.value, _("In behandeling")),
    (Status.SOLUTION_PROPOSED.value, _("Oplossing voorgelegd")),
    (Status.SOLUTION_ACCEPTED.value, _("Oplossing aanvaard")),
    (Status.VERIFIED.value, _("Nagecontroleerd")),
    (Status.CLOSED.value, _("Afgesloten")),
    (Status.IN_DISPUTE.value, _("In geschil")),
]
OUTCOME_CHOICES = [
    (Outcome.SOLVED.value, _("Opgelost")),
    (Outcome.UNSOLVED.value, _("Niet opgelost")),
    (Outcome.WITHDRAWN.value, _("Ingetrokken")),
    (Outcome.RULING.value, _("Afgehandeld na uitspraak")),
]
VIEW_CHOICES = [
    (CustomerView.AGREES.value, _("Akkoord")),
    (CustomerView.DISAGREES.value, _("Niet akkoord")),
]

# What makes up the customer's status link and its short code, as erased (R5): set, renewed
# and erased together (#15 item 5; ``Complaint.status_nonce``).
STATUS_LINK_ERASED: dict[str, str | None] = {
    "status_nonce": "",
    "status_token_digest": None,
    "status_legacy_sealed": "",
    "status_code_digest": None,
}
STATUS_LINK_FIELDS = list(STATUS_LINK_ERASED)


class Complaint(models.Model):
    """One complaint, from registration to closing.

    The three deadlines are computed once by the domain core when the complaint is registered
    and stored (R3, R16); ``attention_due`` is the nearest one still to be met, kept up to date
    by every step, so lists sort by an index and never by a loop in Python.
    """

    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    customer = models.ForeignKey(
        CustomerFile, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("klant")
    )
    received_at = models.DateTimeField(_("ontvangen op"))
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    report = models.TextField(_("verslag"))  # R5: written right after the explanation
    # R15: the receiver stays attached and co-responsible. A report from the public form
    # (channel "web") has neither until the first employee takes it up (complaint_take_up).
    receiver = models.ForeignKey(
        STAFF,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_complaints",
        verbose_name=_("ontvanger"),
    )
    handler = models.ForeignKey(
        STAFF,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_complaints",
        verbose_name=_("behandelaar"),
    )
    registered_at = models.DateTimeField(_("geregistreerd op"))

    # The conversation checklist (R4, R8, R14).
    not_interrupted = models.BooleanField(_("niet onderbroken"), default=False)
    vented = models.BooleanField(_("stoom laten afblazen"), default=False)
    put_at_ease = models.BooleanField(_("op het gemak gesteld"), default=False)
    apologised = models.BooleanField(_("excuses aangeboden"), default=False)
    business_card_given = models.BooleanField(_("visitekaartje gegeven"), default=False)

    # R3: management is informed at once; contact is agreed with management.
    management_informed_at = models.DateTimeField(_("directie ingelicht op"), null=True)
    management_consulted = models.TextField(_("overleg met de directie"), blank=True)

    # Deadlines, computed once at registration (R3, R16).
    contact_due = models.DateTimeField(_("contact uiterlijk"), db_index=True)
    delay_notice_due = models.DateTimeField(_("uitstelbericht uiterlijk"), db_index=True)
    settlement_due = models.DateTimeField(_("afhandeling uiterlijk"), db_index=True)
    attention_due = models.DateTimeField(_("eerstvolgende termijn"), null=True, blank=True)
    # The terms the deadlines were computed with (R3, R16): the organisation's at registration.
    # A later change of the terms applies to new complaints only, so each keeps its own.
    contact_working_hours = models.PositiveSmallIntegerField(
        _("contacttermijn (werkuren)"), default=24
    )
    delay_notice_days = models.PositiveSmallIntegerField(
        _("termijn uitstelbericht (dagen)"), default=21
    )
    settlement_days = models.PositiveSmallIntegerField(_("afhandeltermijn (dagen)"), default=28)

    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES)
    contacted_at = models.DateTimeField(_("eerste contact op"), null=True, blank=True)
    agreed_term = models.DateField(_("afgesproken termijn"), null=True, blank=True)  # R3

    # R16: the delay notice and the extension it allows.
    delay_notice_sent_at = models.DateTimeField(_("uitstelbericht verstuurd op"), null=True)
    delay_reason = models.TextField(_("reden van uitstel"), blank=True)
    delay_expected_date = models.DateField(_("verwachte datum"), null=True, blank=True)
    extended_until = models.DateField(_("verlengd tot"), null=True, blank=True)

    # R7: the solution and the customer's view of it.
    solution = models.TextField(_("voorgestelde oplossing"), blank=True)
    solution_proposed_at = models.DateTimeField(_("oplossing voorgelegd op"), null=True)
    customer_view = models.CharField(
        _("mening van de klant"), max_length=10, choices=VIEW_CHOICES, blank=True
    )
    customer_view_note = models.TextField(_("toelichting van de klant"), blank=True)
    customer_view_at = models.DateTimeField(_("mening vastgelegd op"), null=True)

    # R10: the follow-up check.
    follow_up_solved = models.BooleanField(_("opgelost volgens nacontrole"), null=True)
    follow_up_note = models.TextField(_("verslag nacontrole"), blank=True)
    follow_up_at = models.DateTimeField(_("nacontrole op"), null=True)
    # R10: the handler asked the customer on the status page whether it is really solved.
    follow_up_requested_at = models.DateTimeField(_("nacontrole gevraagd op"), null=True)

    # R11: dispute and binding ruling.
    dispute_referred_at = models.DateTimeField(_("voorgelegd aan derde op"), null=True)
    dispute_note = models.TextField(_("wat is voorgelegd"), blank=True)
    # The third party as the settings named it at the referral (name and website).
    dispute_third_party = models.CharField(_("onafhankelijke derde"), max_length=400, blank=True)
    ruling_at = models.DateTimeField(_("uitspraak op"), null=True)
    ruling_on = models.DateField(_("datum van de uitspraak"), null=True, blank=True)
    ruling_text = models.TextField(_("uitspraak"), blank=True)

    outcome = models.CharField(_("uitkomst"), max_length=10, choices=OUTCOME_CHOICES, blank=True)
    closing_note = models.TextField(_("toelichting bij afsluiten"), blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("categorie")
    )

    # R1: did the customer book again afterwards? Staff record it where they know (None).
    booked_again = models.BooleanField(_("opnieuw geboekt"), null=True, blank=True)

    # The customer's private status page /status/<token>/ (#15 item 5, R2;
    # ``domain.status_link``): the token is never stored. It is rebuilt from the nonce with a
    # key from SECRET_KEY; the page is found by the token's digest. A new nonce revokes the
    # link; all empty once the case's data is erased (R5). ``status_legacy_sealed`` holds a
    # link issued before #15, sealed with the same key; empty for links issued since.
    status_nonce = models.CharField(max_length=64, blank=True, default="", editable=False)
    status_token_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    status_legacy_sealed = models.CharField(max_length=512, blank=True, default="", editable=False)
    # Its short code for letters (``domain.status_code``): only a digest, to find the
    # complaint by what the customer types; set and cleared with the link.
    status_code_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    # R5: when the retention term passed and the personal data and texts were removed; the
    # dates, flags and categories stay for the anonymous figures.
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    root_cause = models.ForeignKey(
        RootCause, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("oorzaak")
    )

    # What the complaint concerns (#16 item 1): the course and trainer from management's lists,
    # where and when the training was; ``course_text`` is the customer's own name for a course
    # they could not pick from the list (the public form's "Anders, namelijk").
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("cursus")
    )
    trainer = models.ForeignKey(
        Trainer, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("trainer")
    )
    training_location = models.CharField(_("locatie van de training"), max_length=200, blank=True)
    training_date = models.DateField(_("datum van de training"), null=True, blank=True)
    course_text = models.CharField(_("cursus in eigen woorden"), max_length=200, blank=True)
    # Taken over from the institute's own register by ``klachten import`` (#16 item 5): its
    # dates are the register's; management was not alerted, nothing was mailed (history).
    imported_at = models.DateTimeField(_("geïmporteerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        indexes = (
            # The overview: open complaints by the nearest deadline (NULL once closed).
            models.Index(fields=["attention_due", "id"], name="complaint_attention"),
            models.Index(fields=["status", "attention_due"], name="complaint_status_attention"),
            models.Index(fields=["receiver", "attention_due"], name="complaint_receiver_attention"),
            models.Index(fields=["handler", "attention_due"], name="complaint_handler_attention"),
            models.Index(fields=["-received_at", "-id"], name="complaint_newest"),
            # The nightly retention run (R5): closed complaints that still hold data.
            models.Index(
                fields=["closed_at"],
                name="complaint_retention",
                condition=models.Q(anonymised_at__isnull=True, closed_at__isnull=False),
            ),
        )

    def __str__(self) -> str:
        return self.reference


class ContactMoment(models.Model):
    """A conversation with the customer, with the term agreed in it (R3)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField(_("moment"))
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    summary = models.TextField(_("verslag"))
    agreed_term = models.DateField(_("afgesproken termijn"), null=True, blank=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_channel_display()}"


class ActionItem(models.Model):
    """What will be done, by whom, by when (R9); also the consequences of a ruling (R11)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("wat"), max_length=500)
    who = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("wie")
    )
    due = models.DateField(_("wanneer"))
    from_ruling = models.BooleanField(_("gevolg van de uitspraak"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"))
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ("due", "id")
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self) -> str:
        return self.what


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """``attachments/<complaint pk>/<uuid>``: never the customer's file name on disk."""
    import uuid

    return f"attachments/{instance.complaint_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A document kept with a complaint: a letter, a photo, the customer's e-mail (R5).

    Stored under ``MEDIA_ROOT`` (the data dir), which has no public URL: the file is only ever
    served by the download view, to staff with a right to the complaint (R2). The name the
    uploader gave is kept for the download, never used on disk.
    """

    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.PROTECT,  # retention removes the files first (R5)
        related_name="attachments",
        verbose_name=_("melding"),
    )
    file = models.FileField(_("bestand"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte in bytes"))
    uploaded_by = models.ForeignKey(
        STAFF,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegevoegd door"),
    )  # None: the customer, with the public form
    uploaded_at = models.DateTimeField(_("toegevoegd op"))

    class Meta:
        ordering = ("uploaded_at", "id")
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """One reminder or breach alert that was sent: the unique record that keeps it to once.

    Issue #5: overlapping or repeated runs of the reminder task never send twice, because the
    row is written in the same transaction as its mails and (complaint, kind, stage, target) is
    unique. ``target`` tells apart what a kind can have several of: the action item's id, the
    agreed term's date, the extended settlement date.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    stage = models.CharField(max_length=10)
    target = models.CharField(max_length=40, blank=True)
    deadline = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["complaint", "kind", "stage", "target"], name="reminder_once"
            ),
        )
        # Start: the deadlines that passed unmet this week (breach alerts), counted by range.
        indexes = (models.Index(fields=["stage", "sent_at"], name="reminder_stage_sent"),)
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.stage} {self.target}".strip()


class SatisfactionSurvey(models.Model):
    """R1: after closing, the customer is asked how satisfied they are (once, one reminder).

    The score (1 to 5), whether the matter is settled for them and their comment show on the
    complaint and feed the reports; the retention run blanks the comment (R5).
    """

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="satisfaction"
    )
    asked_at = models.DateTimeField(_("gevraagd op"))
    reminded_at = models.DateTimeField(_("herinnerd op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("tevredenheid (1-5)"), null=True, blank=True)
    settled = models.BooleanField(_("voor de klant afgehandeld"), null=True)
    comment = models.TextField(_("opmerking van de klant"), blank=True)

    class Meta:
        indexes = (
            # The one reminder a week after asking, for surveys still open.
            models.Index(
                fields=["asked_at"],
                name="satisfaction_open",
                condition=models.Q(answered_at__isnull=True, reminded_at__isnull=True),
            ),
        )
        verbose_name = _("tevredenheidsvraag")
        verbose_name_plural = _("tevredenheidsvragen")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.score or '-'}"


class InternalNote(models.Model):
    """A note staff keep with a complaint that never reaches the customer: not on the status
    page, not in a mail (#13; R10: the colleague's side is heard). ``answers`` is the request
    for a colleague's account this note answers."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("notitie"))
    created_at = models.DateTimeField()
    answers = models.ForeignKey(
        "AccountRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("interne notitie")
        verbose_name_plural = _("interne notities")

    def __str__(self) -> str:
        return self.text[:60]


class AccountRequest(models.Model):
    """A colleague asked for their account of what happened (R10). Until they answer, they
    may see this one complaint (R2: the access is logged)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="account_requests"
    )
    asked_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    asked_of = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="account_requests")
    question = models.TextField(_("vraag"))
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (
            models.Index(
                fields=["asked_of"],
                name="account_request_open",
                condition=models.Q(answered_at__isnull=True),
            ),
        )
        verbose_name = _("verzoek om een verklaring")
        verbose_name_plural = _("verzoeken om een verklaring")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.asked_of_id}"
