"""Reads for the messages to the customer: templates, drafts, the messages of a complaint.

Who may see a message is who may see its complaint (R2): every read of a message goes through
``complaint_get_for``. A draft is a read too: it fills a template with a complaint's facts and
writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import complaint_get_for, complaint_status_url
from klachten.core.errors import InvalidInput, NotFound
from klachten.domain.addressing import addressed_as
from klachten.domain.delay_notice import DelayNoticeState, delay_notice_state
from klachten.domain.lifecycle import Status
from klachten.messaging.models import CustomerMessage, MessageKind, MessageTemplate
from klachten.messaging.texts import PLACEHOLDERS, STANDARD, fill, placeholders_used
from klachten.organisation.models import OrganisationSettings
from klachten.organisation.selectors import organisation_settings

# --- Templates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateText:
    """The wording of one kind of message: management's own, or the shipped standard."""

    kind: str
    subject: str
    body: str
    edited: bool
    updated_at: datetime | None = None
    updated_by: Staff | None = None

    @property
    def label(self) -> str:
        return str(MessageKind(self.kind).label)


def _standard(kind: str) -> TemplateText:
    standard = STANDARD[kind]
    return TemplateText(kind=kind, subject=standard.subject, body=standard.body, edited=False)


def _edited(row: MessageTemplate) -> TemplateText:
    return TemplateText(
        kind=row.kind,
        subject=row.subject,
        body=row.body,
        edited=True,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def message_template_get(kind: str) -> TemplateText:
    """The wording of ``kind`` as management left it, else the standard text. One query."""
    row = MessageTemplate.objects.select_related("updated_by").filter(kind=kind).first()
    return _edited(row) if row is not None else _standard(kind)


def message_templates() -> list[TemplateText]:
    """Every kind with its current wording, in the order of ``MessageKind``. One query."""
    rows = {row.kind: row for row in MessageTemplate.objects.select_related("updated_by")}
    return [_edited(rows[kind]) if kind in rows else _standard(kind) for kind in MessageKind.values]


# --- Filling in a complaint's facts ------------------------------------------------------------


def _long_date(day: date) -> str:
    return date_format(day, "l j F Y")


def _deadline_day(moment: datetime) -> date:
    """The day a deadline falls on; 00:00 is the end (24:00) of the day before."""
    local = timezone.localtime(moment)
    return local.date() - timedelta(days=1) if local.time() == time(0, 0) else local.date()


def _deadline_moment(moment: datetime) -> str:
    """ "dinsdag 3 november 2026 om 09:55", or only the day for a deadline at the end of it."""
    local = timezone.localtime(moment)
    if local.time() == time(0, 0):
        return _long_date(_deadline_day(moment))
    return f"{_long_date(local.date())} om {local:%H:%M}"


def _action_plan(complaint: Complaint) -> str:
    """R9: every action as what / who / when, the way the customer reads it. One query."""
    actions = complaint.actions.select_related("who").order_by("due", "id")
    return "\n".join(
        f"- Wat: {action.what}\n  Wie: {action.who}\n  Wanneer: uiterlijk {_long_date(action.due)}"
        for action in actions
    )


@dataclass(frozen=True)
class DelayInput:
    """What the employee tells the customer in a delay notice (R16)."""

    reason: str
    expected_date: date | None


def delay_input_clean(delay: DelayInput | None, *, now: datetime) -> tuple[str, date]:
    """R16: a delay notice has a reason and an expected date after today."""
    if delay is None or not delay.reason.strip():
        raise InvalidInput("required", _("Vul de reden van het uitstel in (R16)."), field="reason")
    if delay.expected_date is None:
        raise InvalidInput(
            "required",
            _("Vul de verwachte datum van een besluit in (R16)."),
            field="expected_date",
        )
    if delay.expected_date <= timezone.localtime(now).date():
        raise InvalidInput(
            "expected_date_in_past",
            _("De verwachte datum moet in de toekomst liggen."),
            field="expected_date",
        )
    return delay.reason.strip(), delay.expected_date


def placeholder_values(
    *,
    complaint: Complaint,
    author: Staff,
    organisation: OrganisationSettings,
    delay: DelayInput | None = None,
    wanted: set[str] | None = None,
) -> dict[str, str]:
    """The value of every placeholder this complaint has a value for, in Dutch (the customer's
    language, whatever language the employee's screens are in).

    A placeholder without a value (no agreed term yet, no action plan, …) is left out;
    ``wanted`` limits the work (and queries) to the placeholders a text uses.
    """
    names = set(PLACEHOLDERS) if wanted is None else wanted
    values: dict[str, str] = {}
    with translation.override("nl"):
        simple = {
            # "mevrouw De Vries" when the customer file says so, else the full name.
            "klant": addressed_as(complaint.customer.name, complaint.customer.salutation),
            "kenmerk": complaint.reference,
            "ontvangen": _long_date(timezone.localtime(complaint.received_at).date()),
            "contact_uiterlijk": _deadline_moment(complaint.contact_due),
            "uitstel_uiterlijk": _long_date(_deadline_day(complaint.delay_notice_due)),
            "afhandeling_uiterlijk": _long_date(
                complaint.extended_until or _deadline_day(complaint.settlement_due)
            ),
            "organisatie": organisation.name,
            "derde": organisation.third_party_name,
            "derde_website": organisation.third_party_website,
            "medewerker": str(author),
        }
        values.update({name: value for name, value in simple.items() if name in names})
        if "termijn" in names and complaint.agreed_term:
            values["termijn"] = _long_date(complaint.agreed_term)
        if "contactdatum" in names:
            last = complaint.contacts.order_by("-at", "-id").values_list("at", flat=True).first()
            if last is not None:
                values["contactdatum"] = _long_date(timezone.localtime(last).date())
        if "actieplan" in names and (plan := _action_plan(complaint)):
            values["actieplan"] = plan
        if "oplossing" in names and complaint.solution:
            values["oplossing"] = complaint.solution
        if "statuslink" in names and (url := complaint_status_url(complaint)):
            values["statuslink"] = url
        reason = delay.reason.strip() if delay else complaint.delay_reason
        expected = delay.expected_date if delay else complaint.delay_expected_date
        if "reden" in names and reason:
            values["reden"] = reason
        if "verwachte_datum" in names and expected:
            values["verwachte_datum"] = _long_date(expected)
    return values


@dataclass(frozen=True)
class Draft:
    """A standard message filled in for one complaint: the employee edits it, then sends."""

    kind: str
    subject: str
    body: str


def message_draft(
    *,
    complaint: Complaint,
    kind: str,
    author: Staff,
    delay: DelayInput | None = None,
) -> Draft:
    """The message ``kind`` for ``complaint``, with its facts filled in.

    Refused (``missing_data``) when the text names a fact the complaint does not have yet —
    a term before the contact (R3), an action plan before there is one (R9), … — with what to
    do first.
    """
    if kind not in MessageKind.values:
        raise InvalidInput("unknown_kind", _("Deze soort bericht bestaat niet."), field="kind")
    template = message_template_get(kind)
    wanted = set(placeholders_used(template.subject) + placeholders_used(template.body))
    values = placeholder_values(
        complaint=complaint,
        author=author,
        organisation=organisation_settings(),
        delay=delay,
        wanted=wanted,
    )
    missing = [name for name in PLACEHOLDERS if name in wanted and name not in values]
    if missing:
        raise InvalidInput(
            "missing_data",
            "%(todo)s",
            {"todo": " ".join(dict.fromkeys(str(PLACEHOLDERS[name].missing) for name in missing))},
            field="reason" if "reden" in missing else None,
        )
    return Draft(
        kind=kind, subject=fill(template.subject, values), body=fill(template.body, values)
    )


SUGGESTED_KIND = {
    Status.NEW: MessageKind.RECEIPT,
    Status.CONTACTED: MessageKind.CONTACT_SUMMARY,
    Status.IN_PROGRESS: MessageKind.ACTION_PLAN,
    Status.SOLUTION_PROPOSED: MessageKind.SOLUTION_PROPOSAL,
    Status.SOLUTION_ACCEPTED: MessageKind.FOLLOW_UP,
    Status.VERIFIED: MessageKind.CLOSING,
    Status.CLOSED: MessageKind.CLOSING,
    Status.IN_DISPUTE: MessageKind.FREE,
}
"""The message that usually fits a complaint's status, offered first on its page."""


# --- Messages sent -----------------------------------------------------------------------------


def customer_messages(complaint: Complaint) -> list[CustomerMessage]:
    """The messages of a complaint, newest first, with author and delivery. One query."""
    return list(
        CustomerMessage.objects.filter(complaint=complaint)
        .select_related("author", "outbox", "posted_by")
        .order_by("-created_at", "-id")
    )


def customer_message_get_for(*, staff: Staff, reference: str, message_id: int) -> CustomerMessage:
    """One message of a complaint ``staff`` may see (R2); NotFound otherwise."""
    complaint = complaint_get_for(staff=staff, reference=reference)
    message = (
        CustomerMessage.objects.filter(complaint=complaint, pk=message_id)
        .select_related("author", "outbox", "posted_by")
        .first()
    )
    if message is None:
        raise NotFound("not_found", _("Dit bericht bestaat niet."))
    message.complaint = complaint  # the complaint as R2 allowed it, with its customer
    return message


def complaint_delay_notice_state(complaint: Complaint, now: datetime) -> DelayNoticeState:
    """R16 for one complaint: ask for the notice from day 14, a breach once it is late."""
    return delay_notice_state(
        received_at=complaint.received_at,
        delay_notice_due=complaint.delay_notice_due,
        settlement_due=complaint.settlement_due,
        sent_at=complaint.delay_notice_sent_at,
        closed_at=complaint.closed_at if complaint.status == Status.CLOSED else None,
        now=now,
    )
