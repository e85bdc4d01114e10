"""Reading moments from outside: ISO 8601 with an offset, nothing ambiguous."""

from __future__ import annotations

import re
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from klachten.core.errors import InvalidInput

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
