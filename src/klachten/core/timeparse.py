"""Reading moments from outside: ISO 8601 with an offset, nothing ambiguous."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from klachten.core.errors import InvalidInput

# The holiday data covers these years; complaints from outside them do not exist.
SUPPORTED_YEARS = range(1990, 2101)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# "2026-04-02T14:00:00 02:00": a "+" that arrived unencoded in a query string became a space.
_UNENCODED_PLUS = re.compile(r"^(.+T[\d:.]+) (\d{2}:?\d{2})$")


def parse_aware_datetime(value: str, *, field: str) -> datetime:
    """An ISO 8601 moment with offset (``Z`` allowed); a naive or malformed one is refused."""
    text = value.strip()
    if match := _UNENCODED_PLUS.match(text):
        text = f"{match[1]}+{match[2]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            "invalid_datetime",
            _("%(field)s is geen geldig tijdstip (ISO 8601, bijvoorbeeld %(example)s)."),
            {"field": field, "example": "2026-04-02T14:00:00+02:00"},
            field=field,
        ) from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(
            "offset_required",
            _("%(field)s mist de tijdzone; geef de offset mee, bijvoorbeeld %(example)s."),
            {"field": field, "example": "2026-04-02T14:00:00+02:00"},
            field=field,
        )
    return moment


def check_supported_year(year: int, *, field: str) -> None:
    """Refuse a moment outside the years the calendar knows (1990–2100)."""
    if year not in SUPPORTED_YEARS:
        raise InvalidInput(
            "out_of_range",
            _("%(field)s moet tussen %(first)s en %(last)s liggen."),
            {"field": field, "first": SUPPORTED_YEARS[0], "last": SUPPORTED_YEARS[-1]},
            field=field,
        )


def parse_day(value: str, *, field: str) -> date:
    """A date as ``YYYY-MM-DD``, nothing else (no week dates, no times), in supported years."""
    text = value.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(
            "invalid_date",
            _("%(field)s is geen geldige datum (JJJJ-MM-DD, bijvoorbeeld %(example)s)."),
            {"field": field, "example": "2026-11-12"},
            field=field,
        ) from error
    check_supported_year(day.year, field=field)
    return day
