"""Writing days and deadlines as people read them, in every text of the product (#10, item 9).

One helper for every text that names a day: the customer's mails, letters and status page, the
placeholders of the message templates (``{{ termijn }}``, ``{{ contact_uiterlijk }}``, …) and
the staff mails. The rules:

* A deadline at the end of a day — stored as 00:00 of the next day (PROCEDURE.md, "Deadlines,
  exactly") — is that day: "uiterlijk vrijdag 4 december", never "zaterdag 00:00".
* The customer reads a promise, a day: "uiterlijk maandag 7 december" / "by Monday 7
  December", without a clock time (a contact due at 18:30 is promised for that day).
* Staff read the exact moment when it is not the end of a day: "vrijdag 4 december om 18:30".
* The year is written only when it is not the year of the reference moment (the complaint's
  receipt): a promise in the same year reads as people speak; one in January about a December
  complaint says which January. Without a reference the year is always written.

Texts are in the active language (``translation.override``): the customer's language for
their texts, the recipient's own for staff mails.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from klachten.domain.deadlines import DeadlineDay, deadline_day

register = template.Library()

Moment = datetime | date


def _day_of(moment: Moment) -> DeadlineDay:
    """A date is a whole day (its end); an instant is a deadline moment."""
    if isinstance(moment, datetime):
        return deadline_day(moment)
    return DeadlineDay(moment, None)


def _reference_year(reference: Moment | None) -> int | None:
    if reference is None:
        return None
    if isinstance(reference, datetime):
        return timezone.localtime(reference).year
    return reference.year


def day_words(day: date, reference: Moment | None = None) -> str:
    """ "vrijdag 4 december" / "Friday 4 December"; "… 2027" when not the reference's year."""
    if _reference_year(reference) == day.year:
        return date_format(day, "l j F")
    return date_format(day, "l j F Y")


def promise_day(due: Moment, reference: Moment | None = None) -> str:
    """The day a customer may count on, bare: "vrijdag 4 december" (for "uiterlijk {{ … }}")."""
    return day_words(_day_of(due).day, reference)


def promise_text(due: Moment, reference: Moment | None = None) -> str:
    """A promise to the customer: "uiterlijk vrijdag 4 december" / "by Friday 4 December"."""
    return pgettext("promise", "uiterlijk %(day)s") % {"day": promise_day(due, reference)}


def deadline_words(due: Moment, reference: Moment | None = None) -> str:
    """A deadline for staff, bare: "vrijdag 4 december" at the end of a day, else
    "vrijdag 4 december om 18:30" / "Friday 4 December at 18:30"."""
    found = _day_of(due)
    words = day_words(found.day, reference)
    if found.at is None:
        return words
    return _("%(day)s om %(time)s") % {"day": words, "time": found.at.strftime("%H:%M")}


def moment_words(moment: datetime, reference: Moment | None = None) -> str:
    """A moment that has passed (a receipt): "maandag 2 november om 10:00"."""
    local = timezone.localtime(moment)
    return _("%(day)s om %(time)s") % {
        "day": day_words(local.date(), reference),
        "time": local.strftime("%H:%M"),
    }


@register.filter(name="promise")
def promise_filter(due: Moment | None, reference: Moment | None = None) -> str:
    """``{{ complaint.contact_due|promise:complaint.received_at }}``: "uiterlijk dinsdag 3
    november"."""
    return "" if due is None else promise_text(due, reference)


@register.filter(name="promise_day")
def promise_day_filter(due: Moment | None, reference: Moment | None = None) -> str:
    """``{{ complaint.agreed_term|promise_day:complaint.received_at }}``: "dinsdag 3 november"."""
    return "" if due is None else promise_day(due, reference)


@register.filter(name="deadline_words")
def deadline_words_filter(due: Moment | None, reference: Moment | None = None) -> str:
    """``{{ deadline|deadline_words:complaint.received_at }}`` in staff mails."""
    return "" if due is None else deadline_words(due, reference)


@register.filter(name="moment_words")
def moment_words_filter(moment: datetime | None, reference: Moment | None = None) -> str:
    return "" if moment is None else moment_words(moment, reference)


@lru_cache(maxsize=4096)
def deadline_text_for(language: str | None, local: datetime) -> str:
    """``deadline_text`` in ``language`` of a moment already in local time; a list that shows
    many deadlines looks the language and the time zone up once (#17 item 2)."""
    # ``language`` is part of the cache key: the words differ per language.
    found = deadline_day(local)
    if found.at is None:
        day = date_format(found.day, "l j F Y")
        return _("uiterlijk %(day)s") % {"day": day}
    return date_format(local, "l j F Y, H:i")


@register.filter
def deadline_text(moment: datetime) -> str:
    """A deadline on the staff pages: "uiterlijk maandag 14 december 2026" for the end of a
    day, else "maandag 14 december 2026, 14:00". Lists show many of the same dates, so the
    words are remembered per language and moment.
    """
    return deadline_text_for(get_language(), timezone.localtime(moment))


# --- One short style for dates and moments on the staff pages (#14, item 8) --------------------


@lru_cache(maxsize=4096)
def _when(language: str | None, local: datetime | date) -> str:
    # Dutch writes the month in lower case ("3 dec"), English capitalised ("3 Dec").
    day = "D j b Y" if (language or "nl").startswith("nl") else "D j M Y"
    if isinstance(local, datetime):
        return date_format(local, f"{day}, H:i")
    return date_format(local, day)


@register.filter
def when(moment: Moment | None) -> str:
    """Every date and moment on the staff pages in one style: "do 3 dec 2026, 14:30", a day
    as "do 3 dec 2026". A deadline at the end of a day (stored as 00:00 of the next) is that
    day, without a time."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        local = timezone.localtime(moment)
        found = deadline_day(local)
        if found.at is None:
            return _when(get_language(), found.day)
        return _when(get_language(), local)
    return _when(get_language(), moment)
