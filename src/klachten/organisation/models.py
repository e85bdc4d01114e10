"""The organisation's own settings that the procedure depends on (management edits them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
