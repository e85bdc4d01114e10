"""The organisation's own settings that the procedure depends on (management edits them)."""

from __future__ import annotations

from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachten.domain import terms
from klachten.domain.deadlines import RULING_CONSEQUENCE_WORKING_DAYS


class CalendarSettings(models.Model):
    """Which disputed public holidays Kerngroep keeps free (PROCEDURE.md, "Deadlines, exactly").

    A single row (pk=1). Good Friday and Liberation Day outside lustrum years differ between
    employers, so they are settings; the defaults are the procedure's.
    """

    SINGLETON_PK = 1

    good_friday_off = models.BooleanField(_("Goede Vrijdag is een vrije dag"), default=True)
    liberation_day_every_year = models.BooleanField(
        _("Bevrijdingsdag is elk jaar een vrije dag"),
        default=False,
        help_text=_("Uit: alleen in lustrumjaren (2025, 2030, …)."),
    )

    class Meta:
        verbose_name = _("kalenderinstellingen")
        verbose_name_plural = _("kalenderinstellingen")

    def __str__(self) -> str:
        return str(_("Kalenderinstellingen"))


class ClosingDay(models.Model):
    """A day the organisation is closed (e.g. between Christmas and New Year); not a working day."""

    day = models.DateField(_("datum"), unique=True)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)

    class Meta:
        ordering = ("day",)
        verbose_name = _("sluitingsdag")
        verbose_name_plural = _("sluitingsdagen")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.description}".strip()


def _within(bounds: terms.Bounds) -> list[BaseValidator]:
    """Validators for a term's bounds (docs/decisions.md), also for the Django admin."""
    return [MinValueValidator(bounds.minimum), MaxValueValidator(bounds.maximum)]


class RetentionMode(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonimiseren (cijfers blijven voor de rapportage)")
    ERASE = "erase", _("Volledig wissen")


class OrganisationSettings(models.Model):
    """Who Kerngroep is and the terms it keeps (R3, R5, R11, R16, R17). One row (pk=1).

    Management edits these in the app. The regulation (R17), the letters and the deadline
    computation all read them from here, so what the organisation promises and what the system
    does can never disagree. Deadlines already set do not move when a term changes.
    """

    SINGLETON_PK = 1

    # Who we are: the letterhead, the regulation, the public pages.
    name = models.CharField(_("naam organisatie"), max_length=200, default="Kerngroep")
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    town = models.CharField(_("plaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    # R11: the independent third party for disputes.
    third_party_name = models.CharField(
        _("onafhankelijke derde"), max_length=200, default="Sandra Kok"
    )
    third_party_website = models.URLField(
        _("website onafhankelijke derde"), default="https://www.sandra-kok.nl"
    )

    # R3, R16: the terms. PROCEDURE.md's values are the defaults.
    contact_working_hours = models.PositiveSmallIntegerField(
        _("contact binnen (werkuren)"),
        default=terms.DEFAULT_TERMS.contact_working_hours,
        validators=_within(terms.CONTACT_WORKING_HOURS),
    )
    delay_notice_days = models.PositiveSmallIntegerField(
        _("uitstelbericht binnen (dagen)"),
        default=terms.DEFAULT_TERMS.delay_notice_days,
        validators=_within(terms.DELAY_NOTICE_DAYS),
    )
    settlement_days = models.PositiveSmallIntegerField(
        _("afhandeling binnen (dagen)"),
        default=terms.DEFAULT_TERMS.settlement_days,
        validators=_within(terms.SETTLEMENT_DAYS),
    )

    # R11: the consequences of a binding ruling are handled quickly, within this many working
    # days after the ruling is recorded: a consequence's default date, and its latest.
    ruling_consequence_working_days = models.PositiveSmallIntegerField(
        _("gevolgen van een uitspraak binnen (werkdagen)"),
        default=RULING_CONSEQUENCE_WORKING_DAYS,
        validators=_within(terms.CONSEQUENCE_WORKING_DAYS),
    )

    # R5: how long a closed case is kept, and what happens after.
    retention_years = models.PositiveSmallIntegerField(
        _("bewaartermijn na afsluiten (jaren)"),
        default=2,
        validators=_within(terms.RETENTION_YEARS),
    )
    retention_mode = models.CharField(
        _("na de bewaartermijn"),
        max_length=10,
        choices=RetentionMode.choices,
        default=RetentionMode.ANONYMISE,
    )

    # Reminders before each deadline (issue #5): to the handler and the receiver (R15).
    reminder_contact_working_hours = models.PositiveSmallIntegerField(
        _("herinnering contact (werkuren vooraf)"), default=4
    )
    reminder_delay_notice_day = models.PositiveSmallIntegerField(
        _("herinnering uitstelbericht (dag na ontvangst)"), default=14
    )
    reminder_settlement_day = models.PositiveSmallIntegerField(
        _("herinnering afhandeling (dag na ontvangst)"), default=25
    )
    reminder_action_working_days = models.PositiveSmallIntegerField(
        _("herinnering acties en termijnen (werkdagen vooraf)"), default=1
    )

    # #16 item 1: the figures per trainer go to people who need not know names, so reports may
    # show "Trainer A" instead (``organisation.pseudonyms.trainer_label``).
    trainers_pseudonymised = models.BooleanField(
        _("Trainers in rapportages gepseudonimiseerd tonen"), default=False
    )

    class Meta:
        verbose_name = _("organisatie-instellingen")
        verbose_name_plural = _("organisatie-instellingen")

    def __str__(self) -> str:
        return str(_("Organisatie-instellingen"))


class Category(models.Model):
    """What a complaint is about (an editable list, for the reports)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        db_table = "complaints_category"  # its table since before it moved here (#12)
        ordering = ("name",)
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")

    def __str__(self) -> str:
        return self.name


class RootCause(models.Model):
    """Why it went wrong (an editable list, for learning from every complaint)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        db_table = "complaints_rootcause"  # its table since before it moved here (#12)
        ordering = ("name",)
        verbose_name = _("oorzaak")
        verbose_name_plural = _("oorzaken")

    def __str__(self) -> str:
        return self.name


class Trainer(models.Model):
    """Who gives a course or training (an editable list, #16 item 1): management's first
    question about a complaint is which course and which trainer it concerns."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """A course or training the organisation gives, with the trainers who give it (an editable
    list, #16 item 1). Taken out of use, it leaves the pickers; complaints keep theirs."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    active = models.BooleanField(_("in gebruik"), default=True)
    trainers = models.ManyToManyField(
        Trainer, blank=True, related_name="courses", verbose_name=_("trainers")
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("cursus")
        verbose_name_plural = _("cursussen")

    def __str__(self) -> str:
        return self.name


class RegulationVersion(models.Model):
    """One published version of the complaints regulation (R17), kept for as long as it may be
    asked for: the text as it read from ``in_force_from`` until the next version.

    Each change of a setting the regulation shows (``regulation_settings_changed``) and each
    change of the regulation's own wording makes a new version; versions are never changed or
    removed. The version of a complaint is the one in force when it was received
    (``selectors.regulation_version_at``). ``content`` holds the text per language
    (``{"nl": {...}, "en": {...}}``), made by ``klachten.public.regulation``, which also reads it
    back; ``digest`` is the SHA-256 of the Dutch text, to tell whether anything changed.
    """

    number = models.PositiveIntegerField(_("versie"), unique=True)
    in_force_from = models.DateTimeField(_("geldig vanaf"), db_index=True)
    digest = models.CharField(max_length=64, editable=False)
    content = models.JSONField(_("tekst"), default=dict)

    class Meta:
        ordering = ("number",)
        verbose_name = _("versie van de klachtenregeling")
        verbose_name_plural = _("versies van de klachtenregeling")

    def __str__(self) -> str:
        return f"{self.number}"
