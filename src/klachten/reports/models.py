"""What management insight keeps: month figures, improvement measures and calendar feeds.

Models hold data only; the figures are computed in ``selectors`` and written in ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachten.organisation.models import RootCause

STAFF = settings.AUTH_USER_MODEL


class MonthFigures(models.Model):
    """The figures of the complaints received in one calendar month, as counts.

    Computed by aggregate queries over that month's complaints and kept, so that a dashboard
    over a year adds up twelve rows instead of reading a hundred thousand complaints. A month is
    computed again when one of its complaints changed (seen in the audit log), when its number of
    complaints changed, or once ``fresh_until`` has passed: the first moment a pending deadline
    of one of its complaints turns into a verdict (R3, R16). See ``services.figures_refresh``.
    """

    month = models.DateField(_("maand"), unique=True)  # the first day of the month
    complaints = models.PositiveIntegerField(_("aantal meldingen"))
    figures = models.JSONField(_("cijfers"), default=dict)
    computed_at = models.DateTimeField(_("berekend op"))
    fresh_until = models.DateTimeField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("maandcijfers")
        verbose_name_plural = _("maandcijfers")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class DayFigures(models.Model):
    """The figures of the complaints received on one day: the parts a month is added up from.

    When a complaint changes or one of its deadlines passes, only its day is computed again
    and the month added up anew from its days; a busy month costs no more than a busy day.
    """

    day = models.DateField(_("dag"), unique=True)
    complaints = models.PositiveIntegerField(_("aantal meldingen"))
    figures = models.JSONField(_("cijfers"), default=dict)
    computed_at = models.DateTimeField(_("berekend op"))
    fresh_until = models.DateTimeField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("dagcijfers")
        verbose_name_plural = _("dagcijfers")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class FiguresWatermark(models.Model):
    """One row: the last audit entry whose change the kept month figures already include, and
    the number of complaints there were then (a different number means some were added or
    erased, R5, and the kept months' counts are checked)."""

    audit_id = models.BigIntegerField(default=0)
    complaints = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.audit_id)


class ImprovementMeasure(models.Model):
    """An improvement measure management took, linked to the root causes it addresses.

    Every complaint is a chance to do better (R1): the annual report lists the measures of the
    year next to the number of complaints per root cause.
    """

    title = models.CharField(_("maatregel"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    root_causes = models.ManyToManyField(
        RootCause, related_name="improvement_measures", verbose_name=_("oorzaken")
    )
    taken_on = models.DateField(_("genomen op"))
    recorded_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, related_name="+", verbose_name=_("vastgelegd door")
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"))

    class Meta:
        ordering = ("-taken_on", "-id")
        verbose_name = _("verbetermaatregel")
        verbose_name_plural = _("verbetermaatregelen")

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A staff member's private calendar feed address (``/agenda/<token>.ics``).

    Only a SHA-256 digest of the token is kept, as for API tokens: the address is shown once,
    when it is made. Making a new one or revoking it ends the old address at once.
    """

    staff = models.ForeignKey(
        STAFF, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("medewerker")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begin van de link"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"))
    last_used_at = models.DateTimeField(_("laatst opgehaald op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda-link")
        verbose_name_plural = _("agenda-links")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.staff})"
