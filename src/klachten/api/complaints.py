"""``/api/v1/complaints`` — register, list, read and handle complaints (CONTRACT.md).

Thin endpoints (STYLE.md, 3): each checks the shape of its input, asks ``complaint_get_for``
for the complaint — not found, never "forbidden", for one the caller may not see (R2) — turns
usernames and dates into what the service takes, calls exactly one service and answers with
the complaint as ``GET /complaints/{reference}`` shows it. Every input is checked before the
service is called and every service is one transaction, so a refusal never half-saves.

A step the lifecycle refuses is a 409 with every reason (``StepRefused``); bad input is a 422
``{detail, code, field}``; one moment, ``now``, is used for the whole request. A step taken
answers with the complaint and ``warnings``: each date of the request on a weekend, a public
holiday or a closing day, as the step forms warn while typing (issue #10, item 8). The
complaint says whether management was told (``management_alert``, R3) and which of its mails
did not arrive (``undelivered_mails``), as the complaint page does (issue #10, items 19, 20).

Each handling step is a ``POST`` under ``/complaints/{reference}/``, named after the step; in
brackets the lifecycle steps it takes (as ``allowed_steps`` and ``next_step`` name them):
``contact`` (contact, R3), ``actions`` (plan_actions, R9), ``actions/{id}/done`` (an action
item done, R9), ``delay-notice`` (send_delay_notice, R16), ``extend`` (extend, R16),
``solution`` (propose_solution, R7), ``customer-view`` (accept_solution or reject_solution,
R7), ``follow-up`` (confirm_solved or report_unsolved, R10), ``close`` (close_solved,
close_unsolved, withdraw or close_after_ruling, by ``outcome``), ``dispute``
(refer_to_dispute, R11), ``ruling`` (record_ruling, R11), ``assign`` (handler, category,
root cause), ``take-up`` (a report from the website: the caller becomes receiver and handler,
R15) and ``follow-up-request`` (ask the customer on the status page, R10). ``PATCH …/customer``
corrects the complaint's customer file (R6), for whoever may see the complaint (R2).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from django.db.models import CharField, Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.params import P, QueryEx
from pydantic import AfterValidator, ConfigDict, StrictBool, StrictInt, create_model
from pydantic_core import PydanticCustomError

from klachten.accounts.models import Staff
from klachten.accounts.selectors import staff_get_by_username
from klachten.api.errors import ErrorOut, InvalidOut
from klachten.complaints.models import (
    ActionItem,
    Category,
    Channel,
    Complaint,
    ContactMoment,
    RootCause,
)
from klachten.complaints.selectors import (
    PAGE_SIZE,
    TimelineEntry,
    category_get_active,
    complaint_actions,
    complaint_contacts,
    complaint_get_for,
    complaint_get_for_take_up,
    complaint_timeline,
    complaints_page,
    customer_file_for_intake,
    days_off,
    root_cause_get_active,
)
from klachten.complaints.services import (
    CLOSING_STEPS,
    ActionData,
    Checklist,
    CustomerData,
    StepRefused,
    action_mark_done,
    complaint_assign,
    complaint_close,
    complaint_contact,
    complaint_extend,
    complaint_facts,
    complaint_follow_up,
    complaint_plan_actions,
    complaint_propose_solution,
    complaint_read_log,
    complaint_record_ruling,
    complaint_record_view,
    complaint_refer_to_dispute,
    complaint_request_follow_up,
    complaint_take_up,
    customer_file_update,
    ruling_consequence_default,
)
from klachten.complaints.texts import day_off_text, reason_text
from klachten.core.errors import InvalidInput, NotAllowed, NotFound
from klachten.core.timeparse import check_supported_year, parse_aware_datetime, parse_day
from klachten.customers.models import CustomerFile
from klachten.domain import lifecycle
from klachten.messaging.models import MailPurpose
from klachten.messaging.selectors import AlertState, ComplaintMail, MailProblem, complaint_mail
from klachten.messaging.services import complaint_delay_notice_send, complaint_register_and_confirm

router = Router(tags=["complaints"])

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000  # keeps the OFFSET far inside the database's integer range
MAX_ID = 2**63 - 1  # BigAutoField: a larger id would overflow the database driver
MAX_ACTIONS = 50  # per request; an action plan is a handful of lines (R9)
_REFERENCE = re.compile(r"[A-Za-z0-9-]{1,20}")


# --- Input -------------------------------------------------------------------------------------


def _no_nul(value: str) -> str:
    """PostgreSQL cannot store a NUL character; refuse it as input instead of failing later."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "contains a NUL character")
    return value


def _fits(model: type[Model], name: str) -> Any:
    """``max_length`` of a text column, so overlong input is refused before the database would."""
    column = model._meta.get_field(name)
    if not isinstance(column, CharField) or column.max_length is None:
        raise TypeError(f"{model.__name__}.{name} is not a text column with a length")
    return Field(max_length=column.max_length)


NO_NUL = AfterValidator(_no_nul)
Text = Annotated[str, NO_NUL]
Username = Annotated[str, _fits(Staff, "username"), NO_NUL]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
IsoDate = Annotated[
    str,
    Field(description="YYYY-MM-DD", examples=["2026-11-12"], json_schema_extra={"format": "date"}),
]
IsoMoment = Annotated[
    str,
    Field(
        description="ISO 8601 with offset",
        examples=["2026-11-02T10:00:00+01:00"],
        json_schema_extra={"format": "date-time"},
    ),
]
# Documented as a choice; the service checks the value and names the field in its refusal.
ChannelName = Annotated[str, Field(json_schema_extra={"enum": list(Channel.values)})]
OutcomeName = Annotated[str, Field(json_schema_extra={"enum": list(CLOSING_STEPS)})]


class In(Schema):
    """A JSON body: exact types, and no unknown fields (a misspelt field is not ignored)."""

    model_config = ConfigDict(extra="forbid")


class CustomerIn(In):
    """NAW and contact details (R6); the service checks the postcode, phone and e-mail."""

    name: Annotated[str, _fits(CustomerFile, "name"), NO_NUL]
    street: Annotated[str, _fits(CustomerFile, "street"), NO_NUL]
    house_number: Annotated[str, _fits(CustomerFile, "house_number"), NO_NUL]
    postcode: Annotated[str, _fits(CustomerFile, "postcode"), NO_NUL]
    town: Annotated[str, _fits(CustomerFile, "town"), NO_NUL]
    country: Annotated[str, _fits(CustomerFile, "country"), NO_NUL] = "NL"
    email: Annotated[str, _fits(CustomerFile, "email"), NO_NUL] = ""
    phone: Annotated[str, Field(max_length=50), NO_NUL] = ""
    salutation: Literal["mevrouw", "heer", ""] = Field(
        "",
        description='How letters greet: "mevrouw" or "heer" with the family name, '
        '"" (no preference) with the full name.',
    )


def _patch_of(schema: type[In], name: str, **extra: Any) -> type[In]:
    """``schema`` with every field optional (left out: unchanged), for a PATCH body.

    Built from the schema itself, so a field the intake gains appears here too. A field
    that is given must still be of its type: ``null`` is refused like any wrong value.
    """
    fields: dict[str, Any] = {}
    for field_name, info in schema.model_fields.items():
        optional = copy.copy(info)
        optional.default = None
        fields[field_name] = (info.annotation, optional)
    return create_model(name, __base__=In, **extra, **fields)


if TYPE_CHECKING:

    class CustomerPatchIn(In):
        naw_checked: bool

else:
    CustomerPatchIn = _patch_of(
        CustomerIn,
        "CustomerPatchIn",
        naw_checked=(
            StrictBool,
            Field(False, description="NAW checked with the customer just now (R6)"),
        ),
    )
    CustomerPatchIn.__doc__ = (
        "Corrections to the customer file (R6): only the fields given change; ``naw_checked`` "
        "records the check with the customer. A changed name or address without it leaves "
        "the file unchecked."
    )


class ChecklistIn(In):
    """The conversation checklist, ticked as the call goes (R4, R8, R14)."""

    not_interrupted: StrictBool = False
    vented: StrictBool = False
    put_at_ease: StrictBool = False
    apologised: StrictBool = False
    business_card_given: StrictBool = False


class ComplaintIn(In):
    """A new complaint: a new customer file (``customer``) or an existing one (``customer_id``)."""

    customer: CustomerIn | None = None
    customer_id: Id | None = None
    naw_checked: StrictBool = Field(False, description="NAW checked with the customer (R6)")
    received_at: IsoMoment | None = None
    channel: ChannelName
    report: Text
    checklist: ChecklistIn = Field(default_factory=ChecklistIn)
    send_receipt: StrictBool = Field(
        True,
        description="Send the customer the receipt confirmation with their status link and "
        "the caller's business card: by e-mail when the customer file has an address, else "
        "as a letter waiting to be printed. A receipt that cannot go (an incomplete business "
        "card) does not stop the registration; GET …/messages shows what was sent.",
    )


class ContactIn(In):
    """R3: a contact moment; the first one agrees a term, later ones may keep it."""

    at: IsoMoment | None = None
    channel: ChannelName
    summary: Text
    agreed_term: IsoDate | None = None
    management_consulted: Text = ""


class ActionIn(In):
    """R9: what will be done, by whom (a username), by when."""

    what: Annotated[str, _fits(ActionItem, "what"), NO_NUL]
    who: Username
    due: IsoDate


class ActionsIn(In):
    actions: list[ActionIn] = Field(max_length=MAX_ACTIONS)


class DelayNoticeIn(In):
    """R16: why more time is needed and when a decision can be expected; the customer gets
    the standard delay notice with both, by ``channel`` (default: e-mail when the customer
    file has an address, else a letter)."""

    reason: Text
    expected_date: IsoDate
    channel: Annotated[str, Field(json_schema_extra={"enum": ["email", "letter"]})] | None = None
    confirm_warnings: StrictBool = Field(
        False, description="The author read the R12 warnings in the message and sends anyway"
    )


class SolutionIn(In):
    solution: Text


class CustomerViewIn(In):
    """R7: the customer's view of the proposed solution."""

    agrees: StrictBool
    note: Text = ""


class FollowUpIn(In):
    """R10: was the matter really solved?"""

    solved: StrictBool
    note: Text


class CloseIn(In):
    outcome: OutcomeName
    note: Text = ""


class DisputeIn(In):
    """R11: what the customer put to the independent third party."""

    note: Text


class ConsequenceIn(In):
    """R11: a consequence of the ruling, due within the short term of the settings
    (``ruling_consequence_working_days``, default 5 working days; 422 ``consequence_too_late``
    after it); without ``due`` it is due on the last day of that term."""

    what: Annotated[str, _fits(ActionItem, "what"), NO_NUL]
    who: Username
    due: IsoDate | None = None


class RulingIn(In):
    """R11: the binding ruling (its date, default today, and text) and its consequences."""

    ruled_on: IsoDate | None = None
    text: Text
    consequences: list[ConsequenceIn] = Field(default_factory=list, max_length=MAX_ACTIONS)


class AssignIn(In):
    """A new handler (username), category, root cause and/or whether the customer booked
    again (R1); at least one of them."""

    handler: Username | None = None
    category_id: Id | None = None
    root_cause_id: Id | None = None
    booked_again: Literal["yes", "no", "unknown"] | None = None


# --- Output ------------------------------------------------------------------------------------


class StaffOut(Schema):
    username: str
    name: str


class CustomerOut(Schema):
    id: int
    name: str
    street: str
    house_number: str
    postcode: str
    town: str
    country: str
    email: str
    phone: str
    salutation: str
    naw_checked_at: datetime | None


class DeadlinesOut(Schema):
    """Computed once at registration (R3, R16); PROCEDURE.md, "Deadlines, exactly"."""

    contact_due: datetime
    delay_notice_due: datetime
    settlement_due: datetime


class NamedOut(Schema):
    id: int
    name: str


class ComplaintSummaryOut(Schema):
    """A complaint as a list shows it."""

    reference: str
    status: str
    received_at: datetime
    channel: str
    receiver: StaffOut | None = Field(
        description="R15: who received it; null for a report from the website not taken up yet"
    )
    handler: StaffOut | None
    customer: CustomerOut
    deadlines: DeadlinesOut
    agreed_term: date | None
    attention_due: datetime | None = Field(description="The nearest deadline still to be met")
    overdue: bool
    outcome: str
    closed_at: datetime | None
    category: NamedOut | None


class ChecklistOut(Schema):
    not_interrupted: bool
    vented: bool
    put_at_ease: bool
    apologised: bool
    business_card_given: bool


class ActionOut(Schema):
    id: int
    what: str
    who: StaffOut
    due: date
    done_at: datetime | None
    from_ruling: bool


class ContactOut(Schema):
    at: datetime
    by: StaffOut
    channel: str
    summary: str
    agreed_term: date | None


class HistoryOut(Schema):
    at: datetime
    actor: StaffOut | None
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


class ReasonOut(Schema):
    code: str
    rule: str = Field(description="The procedure rule, e.g. R10; empty if none")
    message: str


class ManagementAlertOut(Schema):
    """R3: whether management has been told, by the delivery of the alert mails.

    ``state``: ``queued`` — not yet: the alert waits for its first or next attempt (``reason``
    says why the last attempt failed, if one did); ``sent`` — a mail server accepted an alert
    (``accepted_at``, the same as ``management_informed_at``); ``failed`` — every alert was
    given up (``failed_at``, ``reason``): tell management yourself; ``no_recipient`` — no
    manager has an e-mail address, nobody was alerted (R3): tell management yourself and have
    the addresses completed.
    """

    state: Literal["queued", "sent", "failed", "no_recipient"]
    accepted_at: datetime | None = Field(description="When a mail server accepted an alert")
    failed_at: datetime | None = Field(description="When the last alert was given up")
    reason: str | None = Field(
        description="The mail server's answer in short, e.g. `550 5.1.1 Mailbox unknown`; "
        "null when no attempt failed"
    )


class UndeliveredMailOut(Schema):
    """A mail about the complaint that did not arrive (yet): an alert, a mail to staff, or to
    the customer (also the confirmation of a report from the website, which is no message)."""

    to: str
    subject: str
    purpose: str = Field(
        description="`alert` (to management, R3), `staff` (to a colleague) or `customer`"
    )
    state: Literal["queued", "failed"] = Field(
        description="`queued`: refused for now, a next attempt follows; `failed`: given up"
    )
    failing_since: datetime | None = Field(description="The first failed attempt")
    failed_at: datetime | None = Field(description="When it was given up")
    reason: str = Field(description="The mail server's answer in short")


Day = date  # ``date`` is also a field name below


class DateWarningOut(Schema):
    """A date of the request on a day that is not a working day: a warning, not a refusal;
    the step was taken with the date as given."""

    field: str = Field(description="Dotted path of the input, e.g. actions.0.due")
    code: Literal["not_a_working_day"]
    date: Day
    kind: Literal["weekend", "holiday", "closing_day"]
    message: str = Field(description="In the request's language, like every message")


class ComplaintOut(ComplaintSummaryOut):
    """One complaint, with everything the complaint page shows."""

    report: str
    checklist: ChecklistOut
    registered_at: datetime
    management_informed_at: datetime | None = Field(
        description="R3: when a mail server accepted an alert to management; null until then "
        "(see `management_alert`)"
    )
    management_alert: ManagementAlertOut
    undelivered_mails: list[UndeliveredMailOut] = Field(
        description="Mails about this complaint that did not arrive (yet), oldest first"
    )
    contacted_at: datetime | None
    delay_notice_sent_at: datetime | None
    delay_reason: str
    delay_expected_date: date | None
    extended_until: date | None
    solution: str
    customer_view: str
    customer_view_note: str
    follow_up_solved: bool | None
    follow_up_note: str
    follow_up_requested_at: datetime | None = Field(
        description="R10: when the customer was asked on the status page"
    )
    dispute_referred_at: datetime | None
    dispute_third_party: str
    ruling_at: datetime | None
    ruling_on: date | None
    ruling_text: str
    closing_note: str
    root_cause: NamedOut | None
    booked_again: bool | None
    actions: list[ActionOut]
    contacts: list[ContactOut] = Field(description="Contact moments (R3), newest first")
    history: list[HistoryOut] = Field(description="Every change, newest first")
    next_step: str | None = Field(description="The step the complaint page offers first")
    next_step_waits_for: list[ReasonOut]
    allowed_steps: list[str]


class ComplaintPageOut(Schema):
    items: list[ComplaintSummaryOut]
    count: int
    page: int
    page_size: int


class StepOut(ComplaintOut):
    """The complaint after a handling step, with the step's warnings."""

    warnings: list[DateWarningOut] = Field(
        description="Dates of the request on a weekend, a public holiday or a closing day "
        "(the agreed term, an action's or a consequence's date, the ruling's date); empty "
        "when there are none. The step was taken all the same."
    )


class RefusalOut(Schema):
    """A step the lifecycle does not allow now, with every reason."""

    detail: str
    code: str
    reasons: list[ReasonOut]


STEP_RESPONSES: dict[int, Any] = {
    200: StepOut,
    404: ErrorOut,
    409: RefusalOut,
    422: InvalidOut,
}


# --- Reading input -----------------------------------------------------------------------------


def _caller(request: HttpRequest) -> Staff:
    """The authenticated staff member (bearer token or session, see ``api.auth``)."""
    if not isinstance(request.user, Staff) or not request.user.is_active:
        raise AuthenticationError
    return request.user


def _complaint(
    staff: Staff,
    reference: str,
    get: Callable[..., Complaint] = complaint_get_for,
) -> Complaint:
    """R2: the complaint if ``staff`` may see it; a malformed reference is simply not found."""
    if not _REFERENCE.fullmatch(reference):
        raise NotFound(
            "not_found", _("Melding %(reference)s niet gevonden."), {"reference": reference}
        )
    return get(staff=staff, reference=reference)


def _moment(value: str | None, field: str) -> datetime | None:
    """An ISO 8601 moment with offset (a naive one is refused: ``offset_required``)."""
    if value is None:
        return None
    moment = parse_aware_datetime(value, field=field)
    check_supported_year(moment.year, field=field)
    return moment


def _day(value: str, field: str) -> date:
    """A date as ``YYYY-MM-DD``, nothing else (no week dates, no times)."""
    return parse_day(value, field=field)


def _staff_member(username: str, field: str) -> Staff:
    """An active staff member by username; anyone else is bad input."""
    staff = staff_get_by_username(username.strip())
    if staff is None or not staff.is_active:
        raise InvalidInput(
            "unknown_staff",
            _("Er is geen actieve medewerker met gebruikersnaam %(username)s."),
            {"username": username},
            field=field,
        )
    return staff


def _action_plan(
    items: Sequence[ActionIn | ConsequenceIn], field: str, default_due: date | None = None
) -> list[ActionData]:
    """R9: what, who, when, with each username looked up once; ``default_due`` for a line
    without a date (the consequences of a ruling, R11)."""
    people: dict[str, Staff] = {}
    plan = []
    for index, item in enumerate(items):
        key = item.who.strip().lower()
        if key not in people:
            people[key] = _staff_member(item.who, f"{field}.{index}.who")
        due = _day(item.due, f"{field}.{index}.due") if item.due is not None else default_due
        if due is None:
            raise InvalidInput("due_required", _("Vul in wanneer het klaar is."), field=field)
        plan.append(ActionData(what=item.what, who=people[key], due=due))
    return plan


def _plan_dates(plan: Sequence[ActionData], field: str) -> list[tuple[str, date]]:
    """Each line's date with the field it came from, for the warnings of a day off."""
    return [(f"{field}.{index}.due", line.due) for index, line in enumerate(plan)]


def _customer_file(customer_id: int) -> CustomerFile:
    """An existing customer file to register a complaint in (no complaints are shown: R2)."""
    try:
        return customer_file_for_intake(customer_id=customer_id)
    except NotFound as error:
        raise InvalidInput(
            "unknown_customer", _("Deze klantmap bestaat niet."), field="customer_id"
        ) from error


Choice = TypeVar("Choice", Category, RootCause)


def _listed(found: Choice | None, field: str) -> Choice:
    """A category or root cause still in use, or bad input."""
    if found is None:
        raise InvalidInput("unknown_choice", _("Deze keuze bestaat niet."), field=field)
    return found


# --- Writing output ----------------------------------------------------------------------------


def _local(moment: datetime | None) -> datetime | None:
    """Times are given in Europe/Amsterdam, with their offset (CONTRACT.md)."""
    return timezone.localtime(moment) if moment is not None else None


def _person(staff: Staff) -> dict[str, str]:
    return {"username": staff.username, "name": str(staff)}


def _named(choice: Category | RootCause | None) -> dict[str, Any] | None:
    return {"id": choice.pk, "name": choice.name} if choice is not None else None


def _reason(reason: lifecycle.Reason) -> dict[str, str]:
    return {"code": reason.code.value, "rule": reason.rule, "message": reason_text(reason)}


def _summary(complaint: Complaint, now: datetime) -> dict[str, Any]:
    """A complaint as a list shows it: only what its own row and joined rows hold."""
    customer = complaint.customer
    return {
        "reference": complaint.reference,
        "status": complaint.status,
        "received_at": _local(complaint.received_at),
        "channel": complaint.channel,
        "receiver": _person(complaint.receiver) if complaint.receiver else None,
        "handler": _person(complaint.handler) if complaint.handler else None,
        "customer": {
            "id": customer.pk,
            "name": customer.name,
            "street": customer.street,
            "house_number": customer.house_number,
            "postcode": customer.postcode,
            "town": customer.town,
            "country": customer.country,
            "email": customer.email,
            "phone": customer.phone,
            "salutation": customer.salutation,
            "naw_checked_at": _local(customer.naw_checked_at),
        },
        "deadlines": {
            "contact_due": _local(complaint.contact_due),
            "delay_notice_due": _local(complaint.delay_notice_due),
            "settlement_due": _local(complaint.settlement_due),
        },
        "agreed_term": complaint.agreed_term,
        "attention_due": _local(complaint.attention_due),
        "overdue": complaint.attention_due is not None and complaint.attention_due < now,
        "outcome": complaint.outcome,
        "closed_at": _local(complaint.closed_at),
        "category": _named(complaint.category),
    }


def _action(action: ActionItem) -> dict[str, Any]:
    return {
        "id": action.pk,
        "what": action.what,
        "who": _person(action.who),
        "due": action.due,
        "done_at": _local(action.done_at),
        "from_ruling": action.from_ruling,
    }


def _contact(contact: ContactMoment) -> dict[str, Any]:
    return {
        "at": _local(contact.at),
        "by": _person(contact.by),
        "channel": contact.channel,
        "summary": contact.summary,
        "agreed_term": contact.agreed_term,
    }


def _history(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "at": _local(entry.at),
        "actor": _person(entry.actor) if entry.actor is not None else None,
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
    }


# The API's names for the states of the alert to management (R3).
_ALERT_STATES = {
    AlertState.INFORMED: "sent",
    AlertState.SENDING: "queued",
    AlertState.FAILED: "failed",
    AlertState.NOBODY: "no_recipient",
}


def _management_alert(mail: ComplaintMail) -> dict[str, Any]:
    """``failed_at`` only once every alert was given up; while one is still on its way, the
    ``reason`` of the last refusal says why it is taking long."""
    problem = mail.alert_problem if mail.alert_state != AlertState.INFORMED else None
    failed = mail.alert_state == AlertState.FAILED
    return {
        "state": _ALERT_STATES[mail.alert_state],
        "accepted_at": _local(mail.informed_at),
        "failed_at": _local(problem.failed_at) if problem and failed else None,
        "reason": (problem.reason or None) if problem else None,
    }


def _undelivered(problem: MailProblem) -> dict[str, Any]:
    return {
        "to": problem.to,
        "subject": problem.subject,
        "purpose": problem.purpose or MailPurpose.STAFF.value,
        "state": "failed" if problem.given_up else "queued",
        "failing_since": _local(problem.failing_since),
        "failed_at": _local(problem.failed_at),
        "reason": problem.reason,
    }


def _detail(
    complaint: Complaint,
    now: datetime,
    *,
    actions: list[ActionItem] | None = None,
    contacts: list[ContactMoment] | None = None,
) -> dict[str, Any]:
    """One complaint as ``GET /complaints/{reference}`` shows it, in a constant number of queries.

    The lifecycle facts count the action items just read, so they are current even after a
    step changed them. A caller that knows the actions and contacts (none, for a complaint
    just registered) passes them and saves their queries.
    """
    if actions is None:
        actions = complaint_actions(complaint)
    if contacts is None:
        contacts = complaint_contacts(complaint)
    facts = complaint_facts(
        complaint,
        action_counts=(len(actions), sum(action.done_at is None for action in actions)),
    )
    status = lifecycle.Status(complaint.status)
    next_step = lifecycle.next_step(status, facts, now)
    waits_for = lifecycle.blocking_reasons(status, next_step, facts, now) if next_step else ()
    mail = complaint_mail(complaint)  # one query: the alerts and the mails not delivered
    return {
        **_summary(complaint, now),
        "report": complaint.report,
        "checklist": {
            "not_interrupted": complaint.not_interrupted,
            "vented": complaint.vented,
            "put_at_ease": complaint.put_at_ease,
            "apologised": complaint.apologised,
            "business_card_given": complaint.business_card_given,
        },
        "registered_at": _local(complaint.registered_at),
        "management_informed_at": _local(complaint.management_informed_at),
        "management_alert": _management_alert(mail),
        "undelivered_mails": [_undelivered(problem) for problem in mail.problems],
        "contacted_at": _local(complaint.contacted_at),
        "delay_notice_sent_at": _local(complaint.delay_notice_sent_at),
        "delay_reason": complaint.delay_reason,
        "delay_expected_date": complaint.delay_expected_date,
        "extended_until": complaint.extended_until,
        "solution": complaint.solution,
        "customer_view": complaint.customer_view,
        "customer_view_note": complaint.customer_view_note,
        "follow_up_solved": complaint.follow_up_solved,
        "follow_up_note": complaint.follow_up_note,
        "follow_up_requested_at": _local(complaint.follow_up_requested_at),
        "dispute_referred_at": _local(complaint.dispute_referred_at),
        "dispute_third_party": complaint.dispute_third_party,
        "ruling_at": _local(complaint.ruling_at),
        "ruling_on": complaint.ruling_on,
        "ruling_text": complaint.ruling_text,
        "closing_note": complaint.closing_note,
        "root_cause": _named(complaint.root_cause),
        "booked_again": complaint.booked_again,
        "actions": [_action(action) for action in actions],
        "contacts": [_contact(contact) for contact in contacts],
        "history": [_history(entry) for entry in complaint_timeline(complaint)],
        "next_step": next_step.value if next_step else None,
        "next_step_waits_for": [_reason(reason) for reason in waits_for],
        "allowed_steps": [step.value for step in lifecycle.allowed_steps(status, facts, now)],
    }


def _day_off_warnings(dates: Sequence[tuple[str, date]]) -> list[dict[str, Any]]:
    """A warning for each date of the request on a weekend, a public holiday or a closing day
    (issue #10, item 8): what the date fields of the step forms say while typing, by the same
    calendar (``WorkCalendar.day_off``) and the same words (``day_off_text``), in the request's
    language. No query without dates; two or three with them, however many."""
    if not dates:
        return []
    found = {named.off.day: named for named in days_off(day for _field, day in dates)}
    return [
        {
            "field": field,
            "code": "not_a_working_day",
            "date": day,
            "kind": found[day].off.kind.value,
            "message": day_off_text(found[day].off, found[day].name),
        }
        for field, day in dates
        if day in found
    ]


def _answer(
    take_step: Callable[[], Complaint],
    now: datetime,
    dates: Sequence[tuple[str, date]] = (),
) -> Status[dict[str, Any]]:
    """Take one step; the complaint afterwards with a warning for each of ``dates`` (a field
    and its date) on a day off, or a 409 with every reason the step was refused."""
    try:
        complaint = take_step()
    except StepRefused as refused:
        reasons = [_reason(reason) for reason in refused.reasons]
        return Status(409, {"detail": refused.detail, "code": refused.code, "reasons": reasons})
    except NotAllowed as refused:
        reason = {"code": refused.code, "rule": "", "message": refused.detail}
        return Status(409, {"detail": refused.detail, "code": refused.code, "reasons": [reason]})
    return Status(200, {**_detail(complaint, now), "warnings": _day_off_warnings(dates)})


# --- Endpoints ---------------------------------------------------------------------------------


@router.post(
    "",
    response={201: ComplaintOut, 422: InvalidOut},
    summary="Register a complaint",
    operation_id="registerComplaint",
)
def register(request: HttpRequest, payload: ComplaintIn) -> Status[dict[str, Any]]:
    """Register a complaint; the caller becomes its receiver and stays attached (R15).

    Give the customer's NAW (``customer``, checked: R6) or an existing customer file
    (``customer_id``). ``received_at`` is ISO 8601 with offset (default: now). The three
    deadlines are computed now and stored (R3, R16); management is alerted at once (R3).
    Unless ``send_receipt`` is false, the customer gets the receipt confirmation with their
    status link and the caller's card (R14), by e-mail or as a letter to print.
    """
    staff, now = _caller(request), timezone.now()
    complaint = complaint_register_and_confirm(
        send_receipt=payload.send_receipt,
        receiver=staff,
        customer=CustomerData(**payload.customer.model_dump()) if payload.customer else None,
        customer_file=(
            _customer_file(payload.customer_id) if payload.customer_id is not None else None
        ),
        naw_checked=payload.naw_checked,
        received_at=_moment(payload.received_at, "received_at"),
        channel=payload.channel,
        report=payload.report,
        checklist=Checklist(**payload.checklist.model_dump()),
        now=now,
    ).complaint
    # Just registered: no action items or contact moments yet (two queries fewer, issue #3).
    return Status(201, _detail(complaint, now, actions=[], contacts=[]))


@router.get(
    "",
    response={200: ComplaintPageOut, 422: InvalidOut},
    summary="List complaints",
    operation_id="listComplaints",
)
def complaint_list(
    request: HttpRequest,
    status: QueryEx[str | None, P(description=f"One of {', '.join(lifecycle.Status)}")] = None,
    overdue: bool = False,
    page: QueryEx[int, P(ge=1, le=MAX_PAGE)] = 1,
    page_size: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> dict[str, Any]:
    """The complaints the caller may see (R2), newest first, a page at a time.

    ``status`` keeps one status; ``overdue=true`` keeps open complaints whose nearest deadline
    has passed. Two queries, whatever the number of complaints.
    """
    staff, now = _caller(request), timezone.now()
    try:
        wanted = lifecycle.Status(status) if status else None
    except ValueError as error:
        raise InvalidInput(
            "invalid_status",
            _("Status moet een van %(choices)s zijn."),
            {"choices": ", ".join(lifecycle.Status)},
            field="status",
        ) from error
    listed, count = complaints_page(
        staff=staff,
        status=wanted.value if wanted is not None else None,
        overdue=overdue,
        now=now,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return {
        "items": [_summary(complaint, now) for complaint in listed],
        "count": count,
        "page": page,
        "page_size": page_size,
    }


@router.get(
    "/{reference}",
    response={200: ComplaintOut, 404: ErrorOut},
    summary="Read one complaint",
    operation_id="getComplaint",
)
def complaint_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    """One complaint with its actions, contacts and history (newest first).

    Not found — never "forbidden" — for a complaint the caller may not see, so references
    leak nothing; every read is logged (R2).
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    complaint_read_log(complaint=complaint, actor=staff, now=now)
    return _detail(complaint, now)


@router.post(
    "/{reference}/contact",
    response=STEP_RESPONSES,
    summary="Record a contact",
    operation_id="recordContact",
)
def contact(request: HttpRequest, reference: str, payload: ContactIn) -> Status[dict[str, Any]]:
    """R3: a contact with the customer and the term agreed in it (``agreed_term``, required at
    the first contact). A term after the settlement deadline needs a delay notice (R16).
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    agreed_term = _day(payload.agreed_term, "agreed_term") if payload.agreed_term else None
    take_step = partial(
        complaint_contact,
        complaint=complaint,
        actor=staff,
        at=_moment(payload.at, "at"),
        channel=payload.channel,
        summary=payload.summary,
        agreed_term=agreed_term,
        management_consulted=payload.management_consulted,
        now=now,
    )
    return _answer(take_step, now, [("agreed_term", agreed_term)] if agreed_term else [])


@router.post(
    "/{reference}/actions",
    response=STEP_RESPONSES,
    summary="Plan actions",
    operation_id="planActions",
)
def actions(request: HttpRequest, reference: str, payload: ActionsIn) -> Status[dict[str, Any]]:
    """R9: what will be done, by whom (``who``: a username), by when (``due``)."""
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    plan = _action_plan(payload.actions, "actions")
    take_step = partial(
        complaint_plan_actions, complaint=complaint, actor=staff, actions=plan, now=now
    )
    return _answer(take_step, now, _plan_dates(plan, "actions"))


@router.post(
    "/{reference}/actions/{int:action_id}/done",
    response=STEP_RESPONSES,
    summary="Mark an action done",
    operation_id="markActionDone",
)
def action_done(request: HttpRequest, reference: str, action_id: int) -> Status[dict[str, Any]]:
    """R9: one action item of this complaint is done (marking it twice changes nothing)."""
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    action = next((a for a in complaint_actions(complaint) if a.pk == action_id), None)
    if action is None:
        raise NotFound("not_found", _("Deze actie hoort niet bij deze melding."))
    action_mark_done(action=action, actor=staff, now=now)
    return Status(200, {**_detail(complaint, now), "warnings": []})


@router.post(
    "/{reference}/delay-notice",
    response=STEP_RESPONSES,
    summary="Send a delay notice",
    operation_id="sendDelayNotice",
)
def delay_notice(
    request: HttpRequest, reference: str, payload: DelayNoticeIn
) -> Status[dict[str, Any]]:
    """R16: tell the customer why more time is needed and when to expect a decision; in time
    (before the 3-week mark), it allows an extension. The standard delay notice with the
    reason and the date is sent to the customer (``GET …/messages`` lists it), through the
    wording guard: 422 ``wording_blocked`` for a word of R13, 422 ``wording_warnings`` for an
    R12 warning without ``confirm_warnings``.
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    take_step = partial(
        complaint_delay_notice_send,
        complaint=complaint,
        author=staff,
        reason=payload.reason,
        expected_date=_day(payload.expected_date, "expected_date"),
        channel=payload.channel,
        confirm_warnings=payload.confirm_warnings,
        now=now,
    )
    return _answer(take_step, now)


@router.post(
    "/{reference}/extend",
    response=STEP_RESPONSES,
    summary="Extend the term",
    operation_id="extendTerm",
)
def extend(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    """R16: move the settlement goal to the delay notice's expected date."""
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    return _answer(partial(complaint_extend, complaint=complaint, actor=staff, now=now), now)


@router.post(
    "/{reference}/solution",
    response=STEP_RESPONSES,
    summary="Propose a solution",
    operation_id="proposeSolution",
)
def solution(request: HttpRequest, reference: str, payload: SolutionIn) -> Status[dict[str, Any]]:
    """R7, R9: put the solution to the customer; their earlier view and check are cleared."""
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    take_step = partial(
        complaint_propose_solution,
        complaint=complaint,
        actor=staff,
        solution=payload.solution,
        now=now,
    )
    return _answer(take_step, now)


@router.post(
    "/{reference}/customer-view",
    response=STEP_RESPONSES,
    summary="Record the customer's view",
    operation_id="recordCustomerView",
)
def customer_view(
    request: HttpRequest, reference: str, payload: CustomerViewIn
) -> Status[dict[str, Any]]:
    """R7: whether the customer agrees with the proposed solution, before it is final."""
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    take_step = partial(
        complaint_record_view,
        complaint=complaint,
        actor=staff,
        agrees=payload.agrees,
        note=payload.note,
        now=now,
    )
    return _answer(take_step, now)


@router.post(
    "/{reference}/follow-up",
    response=STEP_RESPONSES,
    summary="Follow-up check",
    operation_id="recordFollowUp",
)
def follow_up(request: HttpRequest, reference: str, payload: FollowUpIn) -> Status[dict[str, Any]]:
    """R10: check with the customer that the matter was really solved."""
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    take_step = partial(
        complaint_follow_up,
        complaint=complaint,
        actor=staff,
        solved=payload.solved,
        note=payload.note,
        now=now,
    )
    return _answer(take_step, now)


@router.post(
    "/{reference}/close",
    response=STEP_RESPONSES,
    summary="Close the complaint",
    operation_id="closeComplaint",
)
def close(request: HttpRequest, reference: str, payload: CloseIn) -> Status[dict[str, Any]]:
    """Close with an outcome: ``solved`` only after the customer agreed (R7) and the follow-up
    check (R10) with every action done (R9); ``ruling`` only after the ruling (R11).
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    take_step = partial(
        complaint_close,
        complaint=complaint,
        actor=staff,
        outcome=payload.outcome,
        note=payload.note,
        now=now,
    )
    return _answer(take_step, now)


@router.post(
    "/{reference}/dispute",
    response=STEP_RESPONSES,
    summary="Refer to the third party",
    operation_id="referToDispute",
)
def dispute(request: HttpRequest, reference: str, payload: DisputeIn) -> Status[dict[str, Any]]:
    """R11: the customer engages the independent third party (also after closing)."""
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    take_step = partial(
        complaint_refer_to_dispute, complaint=complaint, actor=staff, note=payload.note, now=now
    )
    return _answer(take_step, now)


@router.post(
    "/{reference}/ruling",
    response=STEP_RESPONSES,
    summary="Record the ruling",
    operation_id="recordRuling",
)
def ruling(request: HttpRequest, reference: str, payload: RulingIn) -> Status[dict[str, Any]]:
    """R11: the binding ruling; its consequences become action items with short deadlines."""
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    consequences = _action_plan(
        payload.consequences, "consequences", ruling_consequence_default(now)
    )
    ruled_on = _day(payload.ruled_on, "ruled_on") if payload.ruled_on else None
    take_step = partial(
        complaint_record_ruling,
        complaint=complaint,
        actor=staff,
        text=payload.text,
        consequences=consequences,
        ruled_on=ruled_on,
        now=now,
    )
    dates = [("ruled_on", ruled_on)] if ruled_on else []
    return _answer(take_step, now, dates + _plan_dates(consequences, "consequences"))


@router.post(
    "/{reference}/assign",
    response=STEP_RESPONSES,
    summary="Assign a handler, category or root cause",
    operation_id="assignComplaint",
)
def assign(request: HttpRequest, reference: str, payload: AssignIn) -> Status[dict[str, Any]]:
    """Hand the complaint to another handler (a username) and/or set its category and root
    cause. The receiver stays attached and keeps seeing it (R15); the new handler sees it (R2).
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    if (
        payload.handler is None
        and payload.category_id is None
        and payload.root_cause_id is None
        and payload.booked_again is None
    ):
        raise InvalidInput(
            "nothing_to_assign",
            _("Geef een behandelaar, categorie, oorzaak of opnieuw geboekt op."),
            field="handler",
        )
    take_step = partial(
        complaint_assign,
        complaint=complaint,
        actor=staff,
        handler=_staff_member(payload.handler, "handler") if payload.handler else None,
        category=(
            _listed(category_get_active(payload.category_id), "category_id")
            if payload.category_id is not None
            else None
        ),
        root_cause=(
            _listed(root_cause_get_active(payload.root_cause_id), "root_cause_id")
            if payload.root_cause_id is not None
            else None
        ),
        booked_again=payload.booked_again or "",
        now=now,
    )
    return _answer(take_step, now)


@router.patch(
    "/{reference}/customer",
    response=STEP_RESPONSES,
    summary="Correct the customer file",
    operation_id="updateCustomerFile",
)
def customer_update(
    request: HttpRequest, reference: str, payload: CustomerPatchIn
) -> Status[dict[str, Any]]:
    """R6: correct the customer file of this complaint — name, address, e-mail, phone — with
    the intake's checks (422 with the first problem's ``code`` and ``field``, every problem in
    ``detail``). The file is shared by the customer's complaints: the change shows on each of
    them, in ``history`` as ``customer_changed`` with the old and new values. Only for a
    complaint the caller may see (R2: 404 otherwise); 409 ``customer_anonymised`` once the
    file was erased (R5).
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    given = payload.model_dump(exclude_unset=True)
    naw_checked = bool(given.pop("naw_checked", False))
    current = {
        item.name: getattr(complaint.customer, item.name)
        for item in dataclasses.fields(CustomerData)
    }

    def update() -> Complaint:
        customer_file_update(
            customer=complaint.customer,
            actor=staff,
            data=CustomerData(**(current | given)),
            naw_checked=naw_checked,
            now=now,
        )
        return _complaint(staff, reference)  # with the customer file as it is now

    return _answer(update, now)


@router.post(
    "/{reference}/take-up",
    response=STEP_RESPONSES,
    summary="Take up a web report",
    operation_id="takeUpReport",
)
def take_up(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    """R15: take up a report that came in through the public form and that nobody has taken up
    yet; the caller becomes its receiver and handler. 409 ``already_taken_up`` when someone
    else was first, naming them — also when the report is no longer the caller's to see.
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference, complaint_get_for_take_up)
    return _answer(partial(complaint_take_up, complaint=complaint, actor=staff, now=now), now)


@router.post(
    "/{reference}/follow-up-request",
    response=STEP_RESPONSES,
    summary="Ask the customer for the follow-up check",
    operation_id="requestFollowUp",
)
def follow_up_request(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    """R10: put "is it solved for you?" on the customer's status page (and mail them the link).
    Allowed when the follow-up check is: after the customer agreed to the solution (R7).
    """
    staff, now = _caller(request), timezone.now()
    complaint = _complaint(staff, reference)
    take_step = partial(complaint_request_follow_up, complaint=complaint, actor=staff, now=now)
    return _answer(take_step, now)
