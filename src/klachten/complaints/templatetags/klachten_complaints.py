"""The complaint screens in words: deadlines with a colour *and* a word, steps, the timeline.

Presentation only: every verdict comes from the domain core (``urgency``, ``lifecycle``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import OverviewRow, TimelineEntry
from klachten.complaints.texts import step_text
from klachten.core.fasttags import reverse_args
from klachten.core.templatetags.klachten_time import deadline_text, deadline_text_for
from klachten.customers.models import CustomerFile
from klachten.domain.delay_notice import DelayNoticeState, delay_notice_state
from klachten.domain.lifecycle import Status, Step
from klachten.domain.urgency import (
    CONTACT_WARNING,
    TERM_WARNING,
    Remaining,
    TimeUnit,
    Urgency,
    remaining,
    urgency,
)
from klachten.domain.workdays import WorkCalendar, end_of_day
from klachten.domain.working_time import working_time_between
from klachten.organisation.texts import days_text, working_hours_text

register = template.Library()

WORDS: Mapping[Urgency, Promise] = {
    Urgency.ON_TIME: _("op tijd"),
    Urgency.SOON: _("bijna"),
    Urgency.LATE: _("te laat"),
    Urgency.MET: _("gehaald"),
    Urgency.MET_LATE: _("te laat gehaald"),
}
CSS: Mapping[Urgency, str] = {
    Urgency.ON_TIME: "status-ok",
    Urgency.SOON: "status-soon",
    Urgency.LATE: "status-late",
    Urgency.MET: "status-ok",
    Urgency.MET_LATE: "status-late",
}


@dataclass(frozen=True)
class DeadlineView:
    """One deadline as the page shows it: what, by when, and how it stands."""

    label: Promise
    rule: str
    due: datetime
    word: str
    css: str
    note: str = ""
    open: bool = True  # still to be met (False: met, or not needed)


def _view(
    label: Promise,
    rule: str,
    due: datetime,
    now: datetime,
    *,
    met_at: datetime | None,
    warning: timedelta,
    note: str = "",
) -> DeadlineView:
    state = urgency(due, now, met_at=met_at, warning=warning)
    return DeadlineView(label, rule, due, str(WORDS[state]), CSS[state], note, open=met_at is None)


def _long_date(day: date) -> str:
    return date_format(day, "l j F Y")


def _after_receipt(term: str) -> str:
    """ "24 werkuren na ontvangst": the term the complaint's deadline was computed with."""
    return str(_("%(term)s na ontvangst") % {"term": term})


@register.simple_tag
def complaint_deadlines(complaint: Complaint, now: datetime) -> list[DeadlineView]:
    """Contact (R3), delay notice and settlement (R16), and the agreed term once there is one."""
    closed_at = complaint.closed_at if complaint.status == Status.CLOSED else None
    rows = [
        _view(
            _("Contact met de klant"),
            "R3",
            complaint.contact_due,
            now,
            met_at=complaint.contacted_at,
            warning=CONTACT_WARNING,
            note=_after_receipt(working_hours_text(complaint.contact_working_hours)),
        )
    ]
    notice = delay_notice_state(
        received_at=complaint.received_at,
        delay_notice_due=complaint.delay_notice_due,
        settlement_due=complaint.settlement_due,
        sent_at=complaint.delay_notice_sent_at,
        closed_at=closed_at,
        now=now,
    )
    if notice == DelayNoticeState.NOT_NEEDED:
        rows.append(
            DeadlineView(
                _("Uitstelbericht"),
                "R16",
                complaint.delay_notice_due,
                str(_("niet nodig")),
                "status-ok",
                str(_("afgehandeld binnen de termijn")),
                open=False,
            )
        )
    else:
        rows.append(
            _view(
                _("Uitstelbericht"),
                "R16",
                complaint.delay_notice_due,
                now,
                met_at=complaint.delay_notice_sent_at,
                warning=TERM_WARNING,
                note=_after_receipt(days_text(complaint.delay_notice_days)),
            )
        )
    settlement = complaint.settlement_due
    note = _after_receipt(days_text(complaint.settlement_days))
    if complaint.extended_until:
        settlement = end_of_day(complaint.extended_until)
        note = str(_("verlengd na het uitstelbericht"))
    rows.append(
        _view(
            _("Afhandeling"),
            "R16",
            settlement,
            now,
            met_at=closed_at,
            warning=TERM_WARNING,
            note=note,
        )
    )
    if complaint.agreed_term:
        rows.append(
            _view(
                _("Afgesproken termijn"),
                "R3",
                end_of_day(complaint.agreed_term),
                now,
                met_at=closed_at,
                warning=TERM_WARNING,
                note=str(_("zo met de klant afgesproken")),
            )
        )
    return rows


_CONTACT = _("Contact")
_AGREED_TERM = _("Afgesproken termijn")
_DELAY_NOTICE = _("Uitstelbericht")
_SETTLEMENT = _("Afhandeling")


def _next_due(
    complaint: Complaint | OverviewRow,
) -> tuple[Promise, str, datetime, timedelta] | None:
    """The nearest deadline still to be met (``attention_due``): its name, rule, moment and
    the warning time before it."""
    due = complaint.attention_due
    if due is None:
        return None
    if complaint.contacted_at is None and due == complaint.contact_due:
        return _CONTACT, "R3", due, CONTACT_WARNING
    if complaint.agreed_term and due == end_of_day(complaint.agreed_term):
        label = _AGREED_TERM
    elif complaint.delay_notice_sent_at is None and due == complaint.delay_notice_due:
        label = _DELAY_NOTICE
    else:
        label = _SETTLEMENT
    return label, "R16", due, TERM_WARNING


@register.simple_tag
def next_deadline(complaint: Complaint | OverviewRow, now: datetime) -> DeadlineView | None:
    """The nearest deadline still to be met (``attention_due``), named, for the overview."""
    found = _next_due(complaint)
    if found is None:
        return None
    label, rule, due, warning = found
    return _view(label, rule, due, now, met_at=None, warning=warning)


# --- Steps -------------------------------------------------------------------------------------

STEP_PAGES: Mapping[Step, tuple[str, str]] = {
    Step.CONTACT: ("contact", ""),
    Step.PLAN_ACTIONS: ("acties", ""),
    Step.SEND_DELAY_NOTICE: ("uitstelbericht", ""),  # the message editor (klachten.messaging)
    Step.EXTEND: ("verlengen", ""),
    Step.PROPOSE_SOLUTION: ("oplossing", ""),
    Step.ACCEPT_SOLUTION: ("mening", "?akkoord=ja"),
    Step.REJECT_SOLUTION: ("mening", "?akkoord=nee"),
    Step.CONFIRM_SOLVED: ("nacontrole", "?opgelost=ja"),
    Step.REPORT_UNSOLVED: ("nacontrole", "?opgelost=nee"),
    Step.CLOSE_SOLVED: ("afsluiten", "?uitkomst=solved"),
    Step.CLOSE_UNSOLVED: ("afsluiten", "?uitkomst=unsolved"),
    Step.WITHDRAW: ("afsluiten", "?uitkomst=withdrawn"),
    Step.REFER_TO_DISPUTE: ("geschil", ""),
    Step.RECORD_RULING: ("uitspraak", ""),
    Step.CLOSE_AFTER_RULING: ("afsluiten", "?uitkomst=ruling"),
}
"""Where each lifecycle step is taken: the page's slug, and what it is opened with."""


@register.simple_tag
def step_url(complaint: Complaint, step: str) -> str:
    """The page on which ``step`` is taken for this complaint."""
    slug, query = STEP_PAGES[Step(step)]
    return reverse_args("complaints:step", complaint.reference, slug) + query


@register.simple_tag
def staff_options(people: list[Staff]) -> SafeString:
    """``<option>`` per staff member (value: id; text: name), built in Python: a template
    loop over every colleague cost more than the rest of its section (#17 item 2)."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<option value="{member.pk}">{html.escape(str(member))}</option>' for member in people
        )
    )


@register.filter
def step_label(step: str) -> str:
    """The button text of a step."""
    return step_text(Step(step))


# --- The timeline ------------------------------------------------------------------------------

ACTION_NAMES: Mapping[str, Promise] = {
    "registered": _("Melding geregistreerd, directie wordt ingelicht"),
    "imported": _("Geïmporteerd uit het eigen register van de organisatie"),
    "training_changed": _("Cursus en training aangepast"),
    "receipt_not_sent": _("Geen ontvangstbevestiging verstuurd"),
    "taken_up": _("Opgepakt"),
    "naw_checked": _("NAW gecontroleerd met de klant"),
    "customer_changed": _("Gegevens van de klant gecorrigeerd"),
    "customer_relinked": _("In de klantmap van de klant gezet"),
    "follow_up_requested": _("Nacontrole gevraagd op de statuspagina"),
    "status_link_renewed": _("Nieuwe statuslink gemaakt; de vorige werkt niet meer"),
    "assigned": _("Toegewezen of ingedeeld"),
    "action_done": _("Actie afgerond"),
    "attachment_added": _("Bijlage toegevoegd"),
    "reminder_sent": _("Herinnering verstuurd"),
    "satisfaction_asked": _("Klant gevraagd hoe tevreden hij of zij is"),
    "satisfaction_reminded": _("Klant herinnerd aan de tevredenheidsvraag"),
    "satisfaction_answered": _("Klant gaf een oordeel over de afhandeling"),
    "breach_sent": _("Termijn verstreken, directie gewaarschuwd"),
    "message_sent": _("Bericht aan de klant gemaild"),
    "message_received": _("Bericht van de klant ontvangen"),
    "letter_prepared": _("Brief aan de klant opgesteld"),
    "letter_posted": _("Brief aan de klant op de post gedaan"),
    Step.CONTACT: _("Contact met de klant"),
    Step.PLAN_ACTIONS: _("Actieplan gemaakt"),
    Step.SEND_DELAY_NOTICE: _("Uitstelbericht gestuurd"),
    Step.EXTEND: _("Termijn verlengd"),
    Step.PROPOSE_SOLUTION: _("Oplossing voorgelegd"),
    Step.ACCEPT_SOLUTION: _("Klant akkoord met de oplossing"),
    Step.REJECT_SOLUTION: _("Klant niet akkoord met de oplossing"),
    Step.CONFIRM_SOLVED: _("Nacontrole: opgelost"),
    Step.REPORT_UNSOLVED: _("Nacontrole: niet opgelost"),
    Step.CLOSE_SOLVED: _("Afgesloten: opgelost"),
    Step.CLOSE_UNSOLVED: _("Afgesloten: niet opgelost"),
    Step.WITHDRAW: _("Ingetrokken door de klant"),
    Step.REFER_TO_DISPUTE: _("Voorgelegd aan de onafhankelijke derde"),
    Step.RECORD_RULING: _("Uitspraak vastgelegd"),
    Step.CLOSE_AFTER_RULING: _("Afgesloten na de uitspraak"),
}


@register.filter
def timeline_action(action: str) -> str:
    """What happened, in words; an unknown code (a later feature) is shown as it is."""
    name = ACTION_NAMES.get(action)
    return str(name) if name is not None else action.replace("_", " ")


REMINDER_KINDS: Mapping[str, Promise] = {
    "contact": _("contact met de klant"),
    "delay_notice": _("uitstelbericht"),
    "settlement": _("afhandeling"),
    "agreed_term": _("afgesproken termijn"),
    "action": _("actie"),
}


def _moment(value: object) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return deadline_text(moment)


def _day(value: object) -> str:
    try:
        return _long_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


@register.simple_tag
def timeline_details(entry: TimelineEntry, staff_by_pk: Mapping[int, Staff]) -> list[str]:
    """The few facts of a change that a reader needs, in words (never a raw snapshot)."""
    after = entry.after
    if entry.action == "customer_changed":
        return _customer_changes(entry)
    if entry.action == "customer_relinked":
        return _customer_relinked(entry)
    lines: list[str] = []
    if summary := after.get("summary"):
        lines.append(str(summary))
    if agreed_term := after.get("agreed_term"):
        lines.append(str(_("Afgesproken termijn: %(day)s")) % {"day": _day(agreed_term)})
    for action in after.get("actions") or []:  # type: ignore[attr-defined]
        who = staff_by_pk.get(action.get("who"))
        lines.append(
            str(_("%(what)s — %(who)s, uiterlijk %(day)s"))
            % {"what": action.get("what"), "who": who or "?", "day": _day(action.get("due"))}
        )
    if what := after.get("what"):
        lines.append(str(what))
    if reason := after.get("reason"):
        lines.append(str(_("Reden: %(reason)s")) % {"reason": reason})
    if expected := after.get("delay_expected_date"):
        lines.append(str(_("Verwachte datum: %(day)s")) % {"day": _day(expected)})
    if extended := after.get("extended_until"):
        lines.append(str(_("Verlengd tot %(day)s")) % {"day": _day(extended)})
    if solution := after.get("solution"):
        lines.append(str(solution))
    if (score := after.get("score")) is not None:
        lines.append(str(_("Cijfer: %(score)s van 5")) % {"score": score})
    if kind := after.get("reminder_kind"):
        label = REMINDER_KINDS.get(str(kind), str(kind))
        lines.append(f"{label}: {_moment(after.get('deadline'))}")
    if note := after.get("note"):
        lines.append(str(_("Toelichting: %(note)s")) % {"note": note})
    if file := after.get("file"):
        lines.append(
            str(_("Geïmporteerd uit %(file)s, rij %(row)s"))
            % {"file": file, "row": after.get("row", "?")}
        )
    if after.get("by") == "customer":
        lines.append(
            str(_("Via het formulier op de website"))
            if entry.action == "registered"
            else str(_("Zelf ingevuld door de klant op de statuspagina"))
        )
    if after.get("receiver_id"):
        receiver = staff_by_pk.get(after["receiver_id"])  # type: ignore[call-overload]
        lines.append(str(_("Ontvanger: %(name)s")) % {"name": receiver or "?"})
    if "handler_id" in after:
        handler = staff_by_pk.get(after["handler_id"])  # type: ignore[call-overload]
        lines.append(str(_("Behandelaar: %(name)s")) % {"name": handler or "?"})
    return lines


def _customer_relinked(entry: TimelineEntry) -> list[str]:
    """R5: from which file to which the complaint moved, and whether the first was cleared."""
    lines = [
        str(_("Klantmap: %(old)s → %(new)s"))
        % {"old": entry.before.get("customer", "?"), "new": entry.after.get("customer", "?")}
    ]
    if entry.after.get("removed"):
        lines.append(str(_("De voorlopige klantmap was verder leeg en is opgeruimd.")))
    return lines


def _customer_changes(entry: TimelineEntry) -> list[str]:
    """R6: each corrected detail of the customer file as "label: old → new", and the check.

    Shown only to who may read the complaint, so only to who may see its customer (R2).
    """
    lines = []
    for name, new in entry.after.items():
        if name == "naw_checked":
            continue
        try:
            label = str(getattr(CustomerFile._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            label = name
        old = entry.before.get(name) or "—"
        lines.append(f"{label[:1].upper()}{label[1:]}: {old} → {new or '—'}")
    if "naw_checked" in entry.after:
        lines.append(
            str(_("NAW gecontroleerd met de klant."))
            if entry.after["naw_checked"]
            else str(_("NAW nog niet gecontroleerd met de klant."))
        )
    return lines


def remaining_text(left: Remaining) -> str:
    """ "3 dagen te laat", "nog 5 werkuren", "morgen": the relative time of one deadline."""
    n = left.amount
    if left.late:
        late = {
            TimeUnit.MINUTES: ngettext("%(n)s minuut te laat", "%(n)s minuten te laat", n),
            TimeUnit.HOURS: ngettext("%(n)s uur te laat", "%(n)s uur te laat", n),
            TimeUnit.DAYS: ngettext("%(n)s dag te laat", "%(n)s dagen te laat", n),
        }
        return late.get(left.unit, late[TimeUnit.HOURS]) % {"n": n}
    if left.unit == TimeUnit.DAYS and n == 1:
        return str(_("morgen"))
    ahead = {
        TimeUnit.MINUTES: ngettext("nog %(n)s minuut", "nog %(n)s minuten", n),
        TimeUnit.HOURS: ngettext("nog %(n)s uur", "nog %(n)s uur", n),
        TimeUnit.WORKING_HOURS: ngettext("nog %(n)s werkuur", "nog %(n)s werkuren", n),
        TimeUnit.DAYS: ngettext("nog %(n)s dag", "nog %(n)s dagen", n),
    }
    return ahead[left.unit] % {"n": n}


def deadline_remaining(
    rule: str, due: datetime, now: datetime, calendar: WorkCalendar | None
) -> Remaining:
    """The contact term counts working hours (R3): so is what is left of it told."""
    working = (
        working_time_between(now, due, calendar)
        if calendar is not None and rule == "R3" and now <= due
        else None
    )
    return remaining(due, now, working=working)


def _pill(css: str, name: str, day: str, word: str, text: str) -> str:
    """The markup of an urgency pill, of words already escaped."""
    return (
        f'<span class="pill {css}" title="{name}: {day} ({word})">'
        f'<span class="pill-what">{name}</span> {text}'
        f'<span class="visually-hidden"> ({word})</span></span>'
    )


def urgency_pill(due: DeadlineView | None, now: datetime, calendar: WorkCalendar | None) -> str:
    """One urgency cue, colour *and* words (UX.md): "Contact · 3 dagen te laat". Escaped."""
    if due is None:
        return "—"
    text = remaining_text(deadline_remaining(due.rule, due.due, now, calendar))
    return _pill(
        due.css, escape(due.label), escape(deadline_text(due.due)), escape(due.word), escape(text)
    )


@register.simple_tag
def deadline_pill(row: DeadlineView, now: datetime, calendar: WorkCalendar | None) -> SafeString:
    """One deadline of the complaint page's header as a compact pill: open ones with the time
    left or past ("Contact · nog 5 werkuren"), met ones with their word ("gehaald")."""
    if row.open:
        return mark_safe(urgency_pill(row, now, calendar))  # noqa: S308 - escaped there
    title = f"{row.label}: {deadline_text(row.due)}"
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<span class="pill quiet {escape(row.css)}" title="{escape(title)}">'
        f'<span class="pill-what">{escape(row.label)}</span> {escape(row.word)}</span>'
    )


class _OverviewLines:
    """Lines of the overview, rendered in Python: the overview shows fifty of them, and a row
    of template lookups costs more than the whole database work of the page.

    The words many rows share (a deadline's name, an urgency, a status, "nog 3 dagen", a
    date) are translated and escaped once per list, not once per row (#17 item 2).
    ``detail_url`` is the complaint page's URL with ``REFERENCE`` in place of the reference.
    Every value is escaped (``html.escape``, as Django's ``escape`` does for text).
    ``compact`` (the Start page's short lists) leaves out the category and the status.
    """

    def __init__(
        self, now: datetime, detail_url: str, calendar: WorkCalendar | None, compact: bool
    ) -> None:
        self.now, self.detail_url, self.calendar, self.compact = now, detail_url, calendar, compact
        self.language = get_language()
        self.zone = timezone.get_current_timezone()
        self.words: dict[object, str] = {}

    def _word(self, key: object, make: Callable[[], object]) -> str:
        """``make()`` as escaped text, worked out once per list for each ``key``."""
        found = self.words.get(key)
        if found is None:
            found = self.words[key] = html.escape(str(make()))
        return found

    def pill(self, row: OverviewRow) -> str:
        """``urgency_pill(next_deadline(row, now), now, calendar)``, with shared words."""
        found = _next_due(row)
        if found is None:
            return "—"
        label, rule, due, warning = found
        state = urgency(due, self.now, met_at=None, warning=warning)
        left = deadline_remaining(rule, due, self.now, self.calendar)
        name = self._word(("label", id(label)), lambda: label)
        word = self._word(("word", state), lambda: WORDS[state])
        text = self._word(("left", left), lambda: remaining_text(left))
        day = self._word(
            ("day", due), lambda: deadline_text_for(self.language, due.astimezone(self.zone))
        )
        return _pill(CSS[state], name, day, word, text)

    def line(self, row: OverviewRow) -> str:
        now, escape_ = self.now, html.escape
        pill = self.pill(row)
        # R16: open past the 3-week mark without a delay notice.
        if (
            row.attention_due is not None
            and not row.delay_notice_sent_at
            and now > row.delay_notice_due
            and row.attention_due != row.delay_notice_due
        ):
            flag = self._word("flag", lambda: _("uitstelbericht te laat"))
            pill += f' <span class="pill-flag status-late">{flag}</span>'
        if row.unclaimed:
            unclaimed = self._word("unclaimed", lambda: _("Nog op te pakken"))
            people = f'<span class="pill status-soon">{unclaimed}</span>'
        else:
            people = escape_(row.handler or row.receiver)
        reference = escape_(row.reference)
        url = escape_(self.detail_url.replace("REFERENCE", row.reference))
        place = escape_(f"{row.customer_postcode} {row.customer_town}".strip())
        if self.compact:
            middle = ""
        else:
            status = self._word(("status", row.status), lambda: row.status_label)
            middle = f"<td>{escape_(row.category) or '—'}</td><td>{status}</td>"
        return (
            f'<tr><th scope="row"><a href="{url}">{reference}</a></th>'
            f'<td title="{place}">{escape_(row.customer_name)}</td>'
            f"{middle}<td>{pill}</td><td>{people}</td></tr>"
        )


@register.simple_tag
def overview_rows(
    rows: Iterable[OverviewRow],
    now: datetime,
    detail_url: str,
    calendar: WorkCalendar | None = None,
    compact: bool = False,
) -> SafeString:
    """The lines of the overview (and of the Start page's short lists), one per row."""
    lines = _OverviewLines(now, detail_url, calendar, compact)
    return mark_safe("\n".join(lines.line(row) for row in rows))  # noqa: S308 - escaped there
