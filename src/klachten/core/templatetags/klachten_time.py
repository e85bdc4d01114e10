"""Writing deadlines as people read them: 00:00 is "the end of the day before"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def end_of_day(moment: datetime) -> date | None:
    """The day a deadline at local 00:00 closes (PROCEDURE.md: "uiterlijk maandag 14 december").

    None when the deadline falls within a day; then the time itself is shown.
    """
    local = timezone.localtime(moment)
    if local.time() != time(0, 0):
        return None
    return local.date() - timedelta(days=1)
