"""Working days and working time in Europe/Amsterdam (R3, R16).

PROCEDURE.md, "Deadlines, exactly": a working day is Monday to Friday, except the Dutch public
holidays and the organisation's own closing days. Working time runs only during working days,
whole days from 00:00 to 24:00 local time. The calendar is a value passed in by the caller; this
module never looks up the clock, the database or the settings itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import OPTIONAL, PUBLIC

AMSTERDAM: Final = ZoneInfo("Europe/Amsterdam")

ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5

# What holidays==0.109 returns for the Netherlands (holidays/countries/netherlands.py), and how
# it maps onto the procedure's list:
#
# * Category PUBLIC holds New Year's Day, Good Friday (every year), Easter Sunday, Easter Monday,
#   King's Day (27 April, moved to Saturday 26 April when the 27th is a Sunday; Queen's Day
#   before 2014), Liberation Day *only in years divisible by 5*, Ascension Day, Whit Sunday, Whit
#   Monday, Christmas Day and Boxing Day. That is exactly the procedure's default, plus the two
#   holidays that always fall on a Sunday.
# * Category OPTIONAL holds only Liberation Day, every year from 1982 on.
# * The package knows no year before 1966 (Algemene termijnenwet); such years have no holidays.
# * Names follow the process locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) unless a language is
#   given, so we always ask for Dutch: the names below identify holidays and must not depend on
#   the server's environment.
# * Two holidays on one date share one name joined with "; " (Liberation Day and Ascension Day
#   in 2005); `get_list` gives them separately.
#
# So: good_friday_off=False drops "Goede vrijdag" from PUBLIC; liberation_day_every_year=True
# adds "Bevrijdingsdag" from OPTIONAL; Easter Sunday and Whit Sunday are left out because the
# procedure does not list them and a Sunday is never a working day anyway.
_HOLIDAY_LANGUAGE: Final = "nl"
_GOOD_FRIDAY: Final = "Goede vrijdag"
_LIBERATION_DAY: Final = "Bevrijdingsdag"
_ALWAYS_ON_A_SUNDAY: Final = frozenset({"Eerste paasdag", "Eerste pinksterdag"})
_NAME_SEPARATOR: Final = "; "


class NaiveDatetimeError(ValueError):
    """A moment without a time zone was given where an exact instant is required (R3, R16).

    Deadlines are instants; a naive datetime could mean any of several, so it is refused rather
    than guessed. The API turns this into a 4xx response using `code`.
    """

    code: Final = "naive_datetime"

    def __init__(self, name: str, value: datetime) -> None:
        """Describe which argument was naive and what it was."""
        self.params = {"name": name, "value": value.isoformat()}
        super().__init__(
            f"{name} must be timezone-aware (e.g. 2026-04-02T14:00:00+02:00), "
            f"got naive {value.isoformat()}"
        )


def require_aware(value: datetime, name: str) -> None:
    """Raise NaiveDatetimeError unless `value` is a timezone-aware datetime (R3, R16)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(name, value)


def end_of_day(day: date) -> datetime:
    """The instant 24:00 of `day` in Amsterdam, i.e. 00:00 of the next day (R3, R16).

    Midnight always exists and is unambiguous in Europe/Amsterdam: the clocks change at 02:00
    and 03:00 on a Sunday.
    """
    return datetime.combine(day + ONE_DAY, time(), tzinfo=AMSTERDAM)


def _renamed(name: str, year: int) -> LookupError:
    """The error for a holiday the `holidays` package no longer calls by the name we expect.

    The settings find Good Friday and Liberation Day by name; if an upgrade renamed one, a
    setting would silently stop working, so we refuse instead.
    """
    return LookupError(
        f"the holidays package has no holiday named {name!r} in {year}; "
        "check the mapping in klachten.domain.workdays against the new version"
    )


@lru_cache(maxsize=1024)
def _public_holidays(
    year: int, good_friday_off: bool, liberation_day_every_year: bool
) -> Mapping[date, str]:
    """The public holidays of `year` under the two settings, from the `holidays` package (R3).

    Cached per (year, settings) because building a holidays object costs far more than the
    deadline computations that ask for it (about a hundred thousand a second).
    """
    public = holidays.country_holidays(
        "NL", years=year, categories=(PUBLIC,), language=_HOLIDAY_LANGUAGE
    )
    dropped = set(_ALWAYS_ON_A_SUNDAY)
    if not good_friday_off:
        dropped.add(_GOOD_FRIDAY)
    names: dict[date, list[str]] = {}
    for day in sorted(public):
        kept = [name for name in public.get_list(day) if name not in dropped]
        if kept:
            names[day] = kept
    if public and not public.get_named(_GOOD_FRIDAY, lookup="exact"):
        raise _renamed(_GOOD_FRIDAY, year)
    if liberation_day_every_year:
        optional = holidays.country_holidays(
            "NL", years=year, categories=(OPTIONAL,), language=_HOLIDAY_LANGUAGE
        )
        liberation_days = optional.get_named(_LIBERATION_DAY, lookup="exact")
        if optional and not liberation_days:
            raise _renamed(_LIBERATION_DAY, year)
        for day in liberation_days:
            on_that_day = names.setdefault(day, [])
            if _LIBERATION_DAY not in on_that_day:
                on_that_day.append(_LIBERATION_DAY)
    return MappingProxyType({day: _NAME_SEPARATOR.join(names[day]) for day in sorted(names)})


class DayOffKind(StrEnum):
    """Why a day is not a working day."""

    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    CLOSING_DAY = "closing_day"


@dataclass(frozen=True)
class DayOff:
    """A day that is not a working day, and why; ``name`` is a holiday's Dutch name."""

    day: date
    kind: DayOffKind
    name: str = ""


@dataclass(frozen=True)
class WorkCalendar:
    """Which days count as working days for the organisation (R3, R16).

    Saturdays, Sundays and the Dutch public holidays (from the pinned `holidays` package) are
    never working days; `closing_days` are the organisation's own closing days, maintained by
    management in the application and passed in here. Good Friday and Liberation Day outside
    lustrum years are settings, because employers differ on them (PROCEDURE.md).
    """

    good_friday_off: bool = True
    liberation_day_every_year: bool = False
    closing_days: frozenset[date] = frozenset()

    def holidays(self, year: int) -> dict[date, str]:
        """The public holidays of `year` under these settings, by date, with Dutch names (R3).

        Holidays on a Saturday (King's Day in 2025) are included; the organisation's closing
        days are not, they are not public holidays.
        """
        return dict(_public_holidays(year, self.good_friday_off, self.liberation_day_every_year))

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day: Monday to Friday, no holiday, no closing day (R3)."""
        return (
            day.weekday() < _SATURDAY
            and day
            not in _public_holidays(day.year, self.good_friday_off, self.liberation_day_every_year)
            and day not in self.closing_days
        )

    def day_off(self, day: date) -> DayOff | None:
        """Why ``day`` is not a working day, or None when it is one (R9, R11: a date staff
        pick on such a day gets a warning). A public holiday is named even on a Saturday; a
        closing day before the weekend, as the organisation chose it."""
        holiday = _public_holidays(
            day.year, self.good_friday_off, self.liberation_day_every_year
        ).get(day)
        if holiday:
            return DayOff(day, DayOffKind.HOLIDAY, holiday)
        if day in self.closing_days:
            return DayOff(day, DayOffKind.CLOSING_DAY)
        if day.weekday() >= _SATURDAY:
            return DayOff(day, DayOffKind.WEEKEND)
        return None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day` (R3)."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before `day` (R16)."""
        day -= ONE_DAY
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day

    def working_days_after(self, day: date, n: int) -> date:
        """The n-th working day after `day`, for terms like "within 5 working days" (R3).

        `day` itself never counts, whether it is a working day or not; `n` must be at least 1.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1 working day, got {n}")
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment `duration` of working time has passed since `start` (R3).

        The clock runs only on working days, whole days 00:00-24:00 in Amsterdam wall-clock
        time; a start outside working time waits for 00:00 of the next working day. When the
        time runs out exactly at the end of a working day the result is 24:00 of that day, i.e.
        00:00 of the next calendar day, never the start of the next working day. A zero
        duration gives `start` itself. The result is in Europe/Amsterdam.

        Working days are never the days the clocks change (those are Sundays), so wall-clock
        hours on working days are real hours.
        """
        require_aware(start, "start")
        if duration < timedelta(0):
            raise ValueError(f"duration must not be negative, got {duration}")
        local = start.astimezone(AMSTERDAM)
        if not duration:
            return local
        start_day = day = local.date()
        start_of_start_day = local.replace(hour=0, minute=0, second=0, microsecond=0, fold=0)
        if self.is_working_day(day):
            # Aware minus aware with the same tzinfo is wall-clock time in Python.
            remaining = duration + (local - start_of_start_day)
        else:
            day = self.next_working_day(day)
            remaining = duration
        # `remaining` is now measured from 00:00 of `day`, a working day.
        while remaining > ONE_DAY:
            remaining -= ONE_DAY
            day = self.next_working_day(day)
        # Aware plus timedelta is wall-clock arithmetic in Python too, as required here.
        return start_of_start_day + ((day - start_day) + remaining)
