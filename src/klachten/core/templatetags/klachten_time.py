"""Writing deadlines as people read them: 00:00 is "the end of the day before"."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@lru_cache(maxsize=4096)
def _deadline_text(language: str | None, local: datetime) -> str:
    # ``language`` is part of the cache key: the words differ per language.
    if local.time() == time(0, 0):
        day = date_format(local.date() - timedelta(days=1), "l j F Y")
        return _("uiterlijk %(day)s") % {"day": day}
    return date_format(local, "l j F Y, H:i")


@register.filter
def deadline_text(moment: datetime) -> str:
    """A deadline in words: "uiterlijk maandag 14 december 2026" for the end of a day, else
    "maandag 14 december 2026, 14:00". Lists show many of the same dates, so the words are
    remembered per language and moment.
    """
    return _deadline_text(get_language(), timezone.localtime(moment))
