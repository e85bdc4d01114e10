"""Reads of the organisation's settings."""

from __future__ import annotations

from klachten.domain.workdays import WorkCalendar
from klachten.organisation.models import CalendarSettings, ClosingDay, OrganisationSettings


def work_calendar() -> WorkCalendar:
    """The working-day calendar as management configured it (R3, R16). Two queries."""
    settings = CalendarSettings.objects.filter(pk=CalendarSettings.SINGLETON_PK).first()
    if settings is None:
        settings = CalendarSettings()
    return WorkCalendar(
        good_friday_off=settings.good_friday_off,
        liberation_day_every_year=settings.liberation_day_every_year,
        closing_days=frozenset(ClosingDay.objects.values_list("day", flat=True)),
    )


def organisation_settings() -> OrganisationSettings:
    """The organisation's settings (R3, R5, R11, R16, R17); the defaults until management saves.

    One query. The unsaved default row is never written here: reads do not write.
    """
    found = OrganisationSettings.objects.filter(pk=OrganisationSettings.SINGLETON_PK).first()
    return (
        found if found is not None else OrganisationSettings(pk=OrganisationSettings.SINGLETON_PK)
    )
