"""What management insight keeps: month figures, improvement measures and calendar feeds.

Models hold data only; the figures are computed in ``selectors`` and written in ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachten.domain.improvement import CheckResult, MeasureStatus
from klachten.organisation.models import Course, RootCause

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
    the highest complaint id they include (a higher one was added since, with or without a
    trace in the log: its day is computed again). Found by the primary key, so a visit of the
    dashboard never counts the whole table (#17); complaints that disappeared without a trace
    are found by the background worker, which counts each kept month (``verify``)."""

    audit_id = models.BigIntegerField(default=0)
    complaint_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.audit_id)


class ImprovementMeasure(models.Model):
    """An improvement measure management takes against the root causes and courses complaints
    point at, as a cycle (#16 item 2): what, who owns it, by when, its status; in effect from
    ``taken_on``; and on ``check_due_on`` the check whether it worked (how, the result, a note).

    Every complaint is a chance to do better (R1): the annual report lists the measures of the
    year with their owner, status and effect next to the number of complaints per root cause,
    and the measures page sets each beside the complaints before and after it took effect.
    """

    class Status(models.TextChoices):
        PLANNED = MeasureStatus.PLANNED.value, _("gepland")
        IN_PROGRESS = MeasureStatus.IN_PROGRESS.value, _("in uitvoering")
        DONE = MeasureStatus.DONE.value, _("uitgevoerd")
        CANCELLED = MeasureStatus.CANCELLED.value, _("vervallen")

    class Result(models.TextChoices):
        EFFECTIVE = CheckResult.EFFECTIVE.value, _("effectief")
        NOT_EFFECTIVE = CheckResult.NOT_EFFECTIVE.value, _("niet effectief")

    title = models.CharField(_("maatregel"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    root_causes = models.ManyToManyField(
        RootCause, blank=True, related_name="improvement_measures", verbose_name=_("oorzaken")
    )
    courses = models.ManyToManyField(
        Course, blank=True, related_name="improvement_measures", verbose_name=_("cursussen")
    )
    owner = models.ForeignKey(
        STAFF,
        on_delete=models.PROTECT,
        related_name="improvement_measures",
        verbose_name=_("eigenaar"),
    )
    due_on = models.DateField(_("klaar op"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    # The day the measure took effect ("in effect from"): empty while it is only planned.
    taken_on = models.DateField(_("in werking sinds"), null=True, blank=True)
    # The effect check: when it is planned, and once done how, when, what came out of it.
    check_due_on = models.DateField(_("effect controleren op"), null=True, blank=True)
    checked_on = models.DateField(_("effect gecontroleerd op"), null=True, blank=True)
    check_method = models.TextField(_("hoe gecontroleerd"), blank=True)
    check_result = models.CharField(
        _("resultaat"), max_length=16, choices=Result.choices, blank=True
    )
    check_note = models.TextField(_("toelichting bij het resultaat"), blank=True)
    checked_by = models.ForeignKey(
        STAFF,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gecontroleerd door"),
    )
    recorded_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, related_name="+", verbose_name=_("vastgelegd door")
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"))

    class Meta:
        ordering = ("-taken_on", "-id")
        verbose_name = _("verbetermaatregel")
        verbose_name_plural = _("verbetermaatregelen")
        indexes = (
            # The reminders and the dashboard: open measures by due date, done ones by check.
            models.Index(fields=["status", "due_on"], name="measure_status_due"),
            models.Index(fields=["status", "check_due_on"], name="measure_status_check"),
        )

    def __str__(self) -> str:
        return self.title


class MeasureReminder(models.Model):
    """One reminder mail about a measure that was sent: the unique record that keeps it to once.

    As ``complaints.Reminder`` does for action items (R9, issue #5): written in the same
    transaction as the mail; (measure, stage, target) is unique, where ``target`` is the date
    the reminder is about, so a measure given a new due date or check date is reminded again.
    """

    class Stage(models.TextChoices):
        OVERDUE = "overdue", _("klaar-datum verstreken")
        CHECK_DUE = "check_due", _("effect controleren")

    measure = models.ForeignKey(
        ImprovementMeasure, on_delete=models.CASCADE, related_name="reminders"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    target = models.CharField(max_length=10)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["measure", "stage", "target"], name="measure_reminder_once"
            ),
        )
        verbose_name = _("herinnering bij een maatregel")
        verbose_name_plural = _("herinneringen bij maatregelen")

    def __str__(self) -> str:
        return f"{self.measure_id} {self.stage} {self.target}"


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
