"""The bodies and answers of ``/api/v1/complaints`` (CONTRACT.md): what a client sends to
register and handle a complaint, and the complaint as the API shows it."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool, create_model

from klachten.api.schemas.common import (
    NO_NUL,
    Id,
    In,
    IsoDate,
    IsoMoment,
    ReasonOut,
    RefusalOut,
    Text,
    Username,
    fits,
)
from klachten.api.schemas.errors import ErrorOut, InvalidOut
from klachten.complaints.models import ActionItem, Channel, Complaint
from klachten.complaints.services import CLOSING_STEPS
from klachten.customers.models import CustomerFile

MAX_ACTIONS = 50  # per request; an action plan is a handful of lines (R9)

# Documented as a choice; the service checks the value and names the field in its refusal.
ChannelName = Annotated[str, Field(json_schema_extra={"enum": list(Channel.values)})]
OutcomeName = Annotated[str, Field(json_schema_extra={"enum": list(CLOSING_STEPS)})]


# --- Input -------------------------------------------------------------------------------------


class CustomerIn(In):
    """NAW and contact details (R6); the service checks the postcode, phone and e-mail."""

    name: Annotated[str, fits(CustomerFile, "name"), NO_NUL]
    street: Annotated[str, fits(CustomerFile, "street"), NO_NUL]
    house_number: Annotated[str, fits(CustomerFile, "house_number"), NO_NUL]
    postcode: Annotated[str, fits(CustomerFile, "postcode"), NO_NUL]
    town: Annotated[str, fits(CustomerFile, "town"), NO_NUL]
    country: Annotated[str, fits(CustomerFile, "country"), NO_NUL] = "NL"
    email: Annotated[str, fits(CustomerFile, "email"), NO_NUL] = ""
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


class CustomerRelinkIn(In):
    """The customer's existing file to file the complaint in (R5, R6)."""

    customer_id: int = Field(description="id of the customer file, as the customer search gives it")


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
    course_id: Id | None = Field(
        None, description="What it concerns (#16): a course in use, as Instellingen lists them"
    )
    course_text: Annotated[str, fits(Complaint, "course_text"), NO_NUL] = Field(
        "", description="The customer's own name for a course that is not in the list"
    )
    trainer_id: Id | None = Field(None, description="A trainer in use")
    training_location: Annotated[str, fits(Complaint, "training_location"), NO_NUL] = ""
    training_date: IsoDate | None = None
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

    what: Annotated[str, fits(ActionItem, "what"), NO_NUL]
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

    what: Annotated[str, fits(ActionItem, "what"), NO_NUL]
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


class ManagementAlertOut(Schema):
    """R3: whether management has been told, by the delivery of the alert mails.

    ``state``: ``queued`` — not yet: the alert waits for its first or next attempt (``reason``
    says why the last attempt failed, if one did); ``sent`` — a mail server accepted an alert
    (``accepted_at``, the same as ``management_informed_at``); ``failed`` — every alert was
    given up (``failed_at``, ``reason``): tell management yourself; ``no_recipient`` — no
    manager has an e-mail address, nobody was alerted (R3): tell management yourself and have
    the addresses completed; ``imported`` — taken over from the organisation's own register
    (``klachten import``, ``imported_at``): history, for which no alert is sent.
    """

    state: Literal["queued", "sent", "failed", "no_recipient", "imported"]
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


class RegulationVersionOut(Schema):
    number: int = Field(description="The version's number, 1 for the first")
    in_force_from: datetime
    url: str = Field(description="The version as a public page (`/regeling/versies/{number}/`)")


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
    course: NamedOut | None = Field(description="The course or training it concerns (#16)")
    course_text: str = Field(description="The customer's own name for a course not in the list")
    trainer: NamedOut | None
    training_location: str
    training_date: date | None
    imported_at: datetime | None = Field(
        description="When it was taken over from an old register (`klachten import`); null "
        "for a complaint registered here"
    )
    regulation_version: RegulationVersionOut | None = Field(
        description="R17: the version of the complaints regulation in force when it was "
        "received; null when it was received before the first version was kept"
    )
    actions: list[ActionOut]
    contacts: list[ContactOut] = Field(description="Contact moments (R3), newest first")
    history: list[HistoryOut] = Field(description="Every change, newest first")
    next_step: str | None = Field(description="The step the complaint page offers first")
    next_step_waits_for: list[ReasonOut]
    awaiting_take_up: bool = Field(
        description="A report from the website nobody has taken up: take it up first (R15)"
    )
    allowed_steps: list[str]


class ComplaintPageOut(Schema):
    items: list[ComplaintSummaryOut]
    count: int = Field(
        description="How many complaints the filter selects, exact up to 10,000 "
        "(see count_exact); the whole table is never counted (#17)"
    )
    count_exact: bool = Field(
        description="False when more than 10,000 are selected: count is then 10,000"
    )
    page: int
    page_size: int
    has_more: bool = Field(description="Whether a next page exists")
    next_cursor: str | None = Field(
        description="Pass as cursor= for the next page (keyset: as fast however deep); "
        "null on the last page"
    )


class StepOut(ComplaintOut):
    """The complaint after a handling step, with the step's warnings."""

    warnings: list[DateWarningOut] = Field(
        description="Dates of the request on a weekend, a public holiday or a closing day "
        "(the agreed term, an action's or a consequence's date, the ruling's date); empty "
        "when there are none. The step was taken all the same."
    )


STEP_RESPONSES: dict[int, Any] = {
    200: StepOut,
    404: ErrorOut,
    409: RefusalOut,
    422: InvalidOut,
}
