"""A staff member's deadlines, agreed terms and action dates as iCalendar (icalendar).

Outlook and Google Calendar subscribe to the private address and poll it. A deadline at 24:00
("uiterlijk maandag", PROCEDURE.md) is an all-day event on that day; a deadline at another
time (the contact deadline, R3) is a half-hour event ending at it. Events carry the complaint's
reference, the kind of date and a link to the complaint page, which asks for a login: the
calendar service keeps a copy, so no name or text of the customer goes into it (R2).

Times of day carry ``TZID=Europe/Amsterdam`` with its ``VTIMEZONE`` (RFC 5545, 3.6.5), written
by icalendar from the zoneinfo database. The feed is byte-identical while nothing in it
changed (every DTSTAMP is the moment its event came to be), so its digest is the ETag the
calendar service revalidates with. Text from the database (the staff member's name) is put on
one line without control characters first: such a name must never break the feed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from klachten.accounts.models import Staff
from klachten.domain.workdays import AMSTERDAM
from klachten.reports.selectors import feed_items

DOMAIN = "klachten.kerngroep"

_SPACES = re.compile(r"\s+")


def one_line(value: str) -> str:
    """``value`` as plain text on one line: control characters, line and paragraph separators
    and invisible format characters become spaces, runs of white space one space."""
    kept = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} else char
        for char in value
    )
    return _SPACES.sub(" ", kept).strip()


def _deadline_day(moment: datetime) -> date | None:
    """The day a deadline at 24:00 belongs to; None when the deadline has a time of day."""
    local = moment.astimezone(AMSTERDAM)
    if local.time() == time(0, 0):
        return local.date() - timedelta(days=1)
    return None


def _event(
    *, uid: str, summary: str, url: str, stamp: datetime, day: date | None, moment: datetime | None
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", url)
    event.add("transp", "TRANSPARENT")
    if day is not None:
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    else:
        assert moment is not None  # noqa: S101 - one of the two is always given
        local = moment.astimezone(AMSTERDAM)
        event.add("dtstart", local - timedelta(minutes=30))
        event.add("dtend", local)
    return event


def _deadline(*, uid: str, summary: str, url: str, stamp: datetime, moment: datetime) -> Event:
    day = _deadline_day(moment)
    return _event(uid=uid, summary=summary, url=url, stamp=stamp, day=day, moment=moment)


def calendar(*, staff: Staff, base_url: str) -> bytes:
    """The feed of ``staff``: open complaints they received or handle, and their own open
    action items on complaints they may see (``selectors.feed_items``, R2). The same data
    gives the same bytes."""
    complaints, actions = feed_items(staff)
    cal = Calendar()
    cal.add("prodid", "-//Kerngroep//Klachten//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", one_line(_("Kerngroep meldingen — %(name)s") % {"name": staff}))
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    root = base_url.rstrip("/")
    for item in complaints:
        url = f"{root}/meldingen/{item.reference}/"
        ref = item.reference
        if item.contact_due is not None:
            cal.add_component(
                _deadline(
                    uid=f"{ref}-contact",
                    summary=_("Uiterlijk contact opnemen: %(ref)s (R3)") % {"ref": ref},
                    url=url,
                    stamp=item.received_at,
                    moment=item.contact_due,
                )
            )
        if item.delay_notice_due is not None:
            cal.add_component(
                _deadline(
                    uid=f"{ref}-delay-notice",
                    summary=_("Uiterlijk uitstelbericht: %(ref)s (R16)") % {"ref": ref},
                    url=url,
                    stamp=item.received_at,
                    moment=item.delay_notice_due,
                )
            )
        if item.extended_until is not None:
            cal.add_component(
                _event(
                    uid=f"{ref}-settlement",
                    summary=_("Afhandeling uiterlijk (verlengd): %(ref)s (R16)") % {"ref": ref},
                    url=url,
                    stamp=item.received_at,
                    day=item.extended_until,
                    moment=None,
                )
            )
        else:
            cal.add_component(
                _deadline(
                    uid=f"{ref}-settlement",
                    summary=_("Afhandeling uiterlijk: %(ref)s (R16)") % {"ref": ref},
                    url=url,
                    stamp=item.received_at,
                    moment=item.settlement_due,
                )
            )
        if item.agreed_term is not None:
            cal.add_component(
                _event(
                    uid=f"{ref}-agreed-term",
                    summary=_("Afgesproken termijn: %(ref)s (R3)") % {"ref": ref},
                    url=url,
                    stamp=item.received_at,
                    day=item.agreed_term,
                    moment=None,
                )
            )
    for action in actions:
        summary = (
            _("Gevolg van de uitspraak uitvoeren: %(ref)s (R11)")
            if action.from_ruling
            else _("Actie uit het actieplan: %(ref)s (R9)")
        ) % {"ref": action.reference}
        cal.add_component(
            _event(
                uid=f"action-{action.pk}",
                summary=summary,
                url=f"{root}/meldingen/{action.reference}/#actieplan",
                stamp=action.created_at,
                day=action.due,
                moment=None,
            )
        )
    _add_timezones(cal)
    return bytes(cal.to_ical())


def _add_timezones(cal: Calendar) -> None:
    """A VTIMEZONE for every TZID the events use (RFC 5545: required), with the transitions
    from a year before the first event to a year after the last."""
    moments = [
        event.decoded(name)
        for event in cal.walk("VEVENT")
        for name in ("DTSTART", "DTEND")
        if isinstance(event.decoded(name, None), datetime)
    ]
    if not moments:
        return
    first, last = min(moments).date(), max(moments).date()
    cal.add_missing_timezones(
        first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
    )
