"""The public holidays, written out, so a `holidays` upgrade cannot move a date silently (R3).

PROCEDURE.md: "Holiday data comes from the `holidays` package (pinned, with a test of fixed
dates so an upgrade cannot shift them silently)". The dates below were checked by hand against
the Dutch calendar (Easter 20 April 2025, 5 April 2026, 28 March 2027, 16 April 2028, 1 April
2029, 21 April 2030); holidays on a weekend are listed too.
"""

import re
import tomllib
from datetime import date
from importlib.metadata import version
from pathlib import Path

import pytest

from klachten.domain.workdays import WorkCalendar

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# The default calendar: Good Friday off, Liberation Day only in years divisible by 5.
PUBLIC_HOLIDAYS = {
    2025: {
        date(2025, 1, 1): "Nieuwjaarsdag",  # Wednesday
        date(2025, 4, 18): "Goede vrijdag",  # Friday
        date(2025, 4, 21): "Tweede paasdag",  # Monday
        date(2025, 4, 26): "Koningsdag",  # Saturday
        date(2025, 5, 5): "Bevrijdingsdag",  # Monday
        date(2025, 5, 29): "Hemelvaartsdag",  # Thursday
        date(2025, 6, 9): "Tweede pinksterdag",  # Monday
        date(2025, 12, 25): "Eerste kerstdag",  # Thursday
        date(2025, 12, 26): "Tweede kerstdag",  # Friday
    },
    2026: {
        date(2026, 1, 1): "Nieuwjaarsdag",  # Thursday
        date(2026, 4, 3): "Goede vrijdag",  # Friday
        date(2026, 4, 6): "Tweede paasdag",  # Monday
        date(2026, 4, 27): "Koningsdag",  # Monday
        date(2026, 5, 14): "Hemelvaartsdag",  # Thursday
        date(2026, 5, 25): "Tweede pinksterdag",  # Monday
        date(2026, 12, 25): "Eerste kerstdag",  # Friday
        date(2026, 12, 26): "Tweede kerstdag",  # Saturday
    },
    2027: {
        date(2027, 1, 1): "Nieuwjaarsdag",  # Friday
        date(2027, 3, 26): "Goede vrijdag",  # Friday
        date(2027, 3, 29): "Tweede paasdag",  # Monday
        date(2027, 4, 27): "Koningsdag",  # Tuesday
        date(2027, 5, 6): "Hemelvaartsdag",  # Thursday
        date(2027, 5, 17): "Tweede pinksterdag",  # Monday
        date(2027, 12, 25): "Eerste kerstdag",  # Saturday
        date(2027, 12, 26): "Tweede kerstdag",  # Sunday
    },
    2028: {
        date(2028, 1, 1): "Nieuwjaarsdag",  # Saturday
        date(2028, 4, 14): "Goede vrijdag",  # Friday
        date(2028, 4, 17): "Tweede paasdag",  # Monday
        date(2028, 4, 27): "Koningsdag",  # Thursday
        date(2028, 5, 25): "Hemelvaartsdag",  # Thursday
        date(2028, 6, 5): "Tweede pinksterdag",  # Monday
        date(2028, 12, 25): "Eerste kerstdag",  # Monday
        date(2028, 12, 26): "Tweede kerstdag",  # Tuesday
    },
    2029: {
        date(2029, 1, 1): "Nieuwjaarsdag",  # Monday
        date(2029, 3, 30): "Goede vrijdag",  # Friday
        date(2029, 4, 2): "Tweede paasdag",  # Monday
        date(2029, 4, 27): "Koningsdag",  # Friday
        date(2029, 5, 10): "Hemelvaartsdag",  # Thursday
        date(2029, 5, 21): "Tweede pinksterdag",  # Monday
        date(2029, 12, 25): "Eerste kerstdag",  # Tuesday
        date(2029, 12, 26): "Tweede kerstdag",  # Wednesday
    },
    2030: {
        date(2030, 1, 1): "Nieuwjaarsdag",  # Tuesday
        date(2030, 4, 19): "Goede vrijdag",  # Friday
        date(2030, 4, 22): "Tweede paasdag",  # Monday
        date(2030, 4, 27): "Koningsdag",  # Saturday
        date(2030, 5, 5): "Bevrijdingsdag",  # Sunday
        date(2030, 5, 30): "Hemelvaartsdag",  # Thursday
        date(2030, 6, 10): "Tweede pinksterdag",  # Monday
        date(2030, 12, 25): "Eerste kerstdag",  # Wednesday
        date(2030, 12, 26): "Tweede kerstdag",  # Thursday
    },
}


@pytest.mark.parametrize("year", sorted(PUBLIC_HOLIDAYS))
def test_the_public_holidays_of_the_year_are_exactly_these(year: int):
    """R3: the default calendar's public holidays in 2025-2030, date for date and by name."""
    assert WorkCalendar().holidays(year) == PUBLIC_HOLIDAYS[year]


@pytest.mark.parametrize("year", sorted(PUBLIC_HOLIDAYS))
def test_good_friday_off_false_removes_exactly_good_friday(year: int):
    """R3: with good_friday_off=False the list is the same minus Good Friday."""
    expected = {day: name for day, name in PUBLIC_HOLIDAYS[year].items() if name != "Goede vrijdag"}
    assert len(expected) == len(PUBLIC_HOLIDAYS[year]) - 1
    assert WorkCalendar(good_friday_off=False).holidays(year) == expected


@pytest.mark.parametrize("year", sorted(PUBLIC_HOLIDAYS))
def test_liberation_day_every_year_adds_exactly_5_may(year: int):
    """R3: with liberation_day_every_year the list is the same plus 5 May."""
    expected = PUBLIC_HOLIDAYS[year] | {date(year, 5, 5): "Bevrijdingsdag"}
    assert WorkCalendar(liberation_day_every_year=True).holidays(year) == expected


def test_the_holidays_package_is_pinned_exactly():
    """R3: pyproject.toml pins holidays with ==, and that version is the one installed."""
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [pin for pin in dependencies if re.match(r"holidays\b", pin)]
    assert len(pins) == 1, pins
    match = re.fullmatch(r"holidays==(\d+(?:\.\d+)*)", pins[0].replace(" ", ""))
    assert match, f"holidays must be pinned exactly, found {pins[0]!r}"
    assert version("holidays") == match.group(1)
