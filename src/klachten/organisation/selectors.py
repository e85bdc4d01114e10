"""Reads of the organisation's settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from klachten.domain.terms import Terms
from klachten.domain.workdays import WorkCalendar
from klachten.organisation.models import (
    CalendarSettings,
    Category,
    ClosingDay,
    OrganisationSettings,
    RootCause,
)

_T = TypeVar("_T")
_read_once: ContextVar[dict[str, Any] | None] = ContextVar("klachten_read_once", default=None)


@contextmanager
def settings_read_once() -> Iterator[None]:
    """Inside this block the settings, the calendar and the message templates are read once.

    For a write that needs them several times (registering a complaint with its receipt
    confirmation): read before its transaction begins, they are not read again while it holds
    SQLite's write lock, which every other writer waits for. Settings a concurrent change
    saves meanwhile apply from the next write on, as they would a moment later anyway.
    """
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def read_once(name: str, read: Callable[[], _T]) -> _T:
    """``read()``, or inside :func:`settings_read_once` what it returned the first time."""
    memo = _read_once.get()
    if memo is None:
        return read()
    if name not in memo:
        memo[name] = read()
    return memo[name]


def work_calendar() -> WorkCalendar:
    """The working-day calendar as management configured it (R3, R16). Two queries."""
    return read_once("calendar", _work_calendar)


def _work_calendar() -> WorkCalendar:
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
    return read_once("settings", _organisation_settings)


def _organisation_settings() -> OrganisationSettings:
    found = OrganisationSettings.objects.filter(pk=OrganisationSettings.SINGLETON_PK).first()
    return (
        found if found is not None else OrganisationSettings(pk=OrganisationSettings.SINGLETON_PK)
    )


def terms_of(settings: OrganisationSettings) -> Terms:
    """The deadline terms (R3, R16) of these settings, as the domain computes with them."""
    return Terms(
        contact_working_hours=settings.contact_working_hours,
        delay_notice_days=settings.delay_notice_days,
        settlement_days=settings.settlement_days,
    )


def organisation_terms() -> Terms:
    """The deadline terms in force now (R3, R16); PROCEDURE.md's until management changes them.

    One query. Every computation of deadlines asks here, so a changed term applies to the
    complaints registered afterwards; stored deadlines never move.
    """
    return terms_of(organisation_settings())


def calendar_settings() -> CalendarSettings:
    """The calendar settings (Good Friday, Liberation Day); the defaults until saved. One query."""
    found = CalendarSettings.objects.filter(pk=CalendarSettings.SINGLETON_PK).first()
    return found if found is not None else CalendarSettings(pk=CalendarSettings.SINGLETON_PK)


def calendar_of(settings: CalendarSettings, closing_days: list[ClosingDay]) -> WorkCalendar:
    """The working-day calendar of these settings and closing days, without a query."""
    return WorkCalendar(
        good_friday_off=settings.good_friday_off,
        liberation_day_every_year=settings.liberation_day_every_year,
        closing_days=frozenset(closing_day.day for closing_day in closing_days),
    )


def closing_days_all() -> list[ClosingDay]:
    """Every closing day, oldest first. One query."""
    return list(ClosingDay.objects.order_by("day"))


def categories_all() -> list[Category]:
    """Every category, also those out of use, by name (for *Instellingen*). One query."""
    return list(Category.objects.order_by("name"))


def root_causes_all() -> list[RootCause]:
    """Every root cause, also those out of use, by name (for *Instellingen*). One query."""
    return list(RootCause.objects.order_by("name"))
