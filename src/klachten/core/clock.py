"""Today as the procedure counts it: in Amsterdam (R3, R16), never the UTC date.

The one place every app asks for "today"; the pure domain core takes ``now`` and converts it
itself (``klachten.domain.workdays.AMSTERDAM``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from klachten.domain.workdays import AMSTERDAM


def local_today(now: datetime | None = None) -> date:
    """The date in Amsterdam at ``now`` (by default: the clock). Between 00:00 and 02:00 there,
    the UTC date is still yesterday's; this is not."""
    return (now if now is not None else timezone.now()).astimezone(AMSTERDAM).date()
