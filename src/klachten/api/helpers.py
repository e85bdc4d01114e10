"""What the endpoints of the API share: reading a request's input into what the services
take, and writing their results as the schemas of ``klachten.api.schemas`` show them.

Reading: the caller (``caller``), the complaint they may see (``visible_complaint``, R2: not
found, never "forbidden"), moments, dates, staff members, action plans, customer files and
choices, each refused as a 422 naming its field. Writing: a complaint as a list shows it
(``complaint_summary_out``) and as ``GET /complaints/{reference}`` shows it (``complaint_out``),
a message to the customer (``message_out``), a refusal with every reason (``refusal_out``), and
one handling step taken with its answer (``step_answer``). Times are given in Europe/Amsterdam
(``local_time``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Status
from ninja.errors import AuthenticationError

from klachten.accounts.models import Staff
from klachten.accounts.selectors import staff_get_by_username
from klachten.api.schemas.complaints import ActionIn, ConsequenceIn
from klachten.api.schemas.messages import CardOut
from klachten.complaints.models import ActionItem, Complaint, ContactMoment
from klachten.complaints.selectors import (
    ComplaintListRow,
    ListChoice,
    ListPerson,
    TimelineEntry,
    complaint_actions,
    complaint_contacts,
    complaint_get_for,
    complaint_next_steps,
    complaint_timeline,
    customer_file_for_intake,
    days_off,
)
from klachten.complaints.services import ActionData, StepRefused
from klachten.complaints.texts import day_off_text, reason_text
from klachten.core.errors import InvalidInput, NotAllowed, NotFound
from klachten.core.timeparse import check_supported_year, parse_aware_datetime, parse_day
from klachten.customers.models import CustomerFile
from klachten.domain import lifecycle
from klachten.domain.workdays import AMSTERDAM
from klachten.mail.models import MailPurpose
from klachten.messaging.models import CustomerMessage, IncomingMessage
from klachten.messaging.selectors import (
    AlertState,
    ComplaintMail,
    MailProblem,
    complaint_mail,
    message_delivery,
)
from klachten.organisation.models import Category, Course, RootCause, Trainer
from klachten.organisation.selectors import regulation_version_at

_REFERENCE = re.compile(r"[A-Za-z0-9-]{1,20}")


# --- Reading input -----------------------------------------------------------------------------


def caller(request: HttpRequest) -> Staff:
    """The authenticated staff member (bearer token or session, see ``api.auth``)."""
    if not isinstance(request.user, Staff) or not request.user.is_active:
        raise AuthenticationError
    return request.user


def visible_complaint(
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


def read_moment(value: str | None, field: str) -> datetime | None:
    """An ISO 8601 moment with offset (a naive one is refused: ``offset_required``)."""
    if value is None:
        return None
    moment = parse_aware_datetime(value, field=field)
    check_supported_year(moment.year, field=field)
    return moment


def read_day(value: str, field: str) -> date:
    """A date as ``YYYY-MM-DD``, nothing else (no week dates, no times)."""
    return parse_day(value, field=field)


def read_staff(username: str, field: str) -> Staff:
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


def read_action_plan(
    items: Sequence[ActionIn | ConsequenceIn], field: str, default_due: date | None = None
) -> list[ActionData]:
    """R9: what, who, when, with each username looked up once; ``default_due`` for a line
    without a date (the consequences of a ruling, R11)."""
    people: dict[str, Staff] = {}
    plan = []
    for index, item in enumerate(items):
        key = item.who.strip().lower()
        if key not in people:
            people[key] = read_staff(item.who, f"{field}.{index}.who")
        due = read_day(item.due, f"{field}.{index}.due") if item.due is not None else default_due
        if due is None:
            raise InvalidInput("due_required", _("Vul in wanneer het klaar is."), field=field)
        plan.append(ActionData(what=item.what, who=people[key], due=due))
    return plan


def plan_dates(plan: Sequence[ActionData], field: str) -> list[tuple[str, date]]:
    """Each line's date with the field it came from, for the warnings of a day off."""
    return [(f"{field}.{index}.due", line.due) for index, line in enumerate(plan)]


def read_customer_file(customer_id: int, staff: Staff, now: datetime) -> CustomerFile:
    """An existing customer file to register a complaint in (no complaints are shown: R2);
    for an employee only one they found by the customer's e-mail or address (#15)."""
    try:
        return customer_file_for_intake(customer_id=customer_id, staff=staff, now=now)
    except NotFound as error:
        raise InvalidInput(
            "unknown_customer", _("Deze klantmap bestaat niet."), field="customer_id"
        ) from error


Choice = TypeVar("Choice", Category, RootCause, Course, Trainer)


def read_choice(found: Choice | None, field: str) -> Choice:
    """A category, root cause, course or trainer still in use, or bad input."""
    if found is None:
        raise InvalidInput("unknown_choice", _("Deze keuze bestaat niet."), field=field)
    return found


# --- Writing output ----------------------------------------------------------------------------


def local_time(moment: datetime | None) -> datetime | None:
    """Times are given in Europe/Amsterdam, with their offset (CONTRACT.md): that zone itself,
    not the request's current one (looking that up was a tenth of the list's time, #17)."""
    return moment.astimezone(AMSTERDAM) if moment is not None else None


def _person(staff: Staff | ListPerson) -> dict[str, str]:
    return {"username": staff.username, "name": str(staff)}


def _named(
    choice: Category | RootCause | Course | Trainer | ListChoice | None,
) -> dict[str, Any] | None:
    return {"id": choice.pk, "name": choice.name} if choice is not None else None


def _reason(reason: lifecycle.Reason) -> dict[str, str]:
    return {"code": reason.code.value, "rule": reason.rule, "message": reason_text(reason)}


def complaint_summary_out(complaint: Complaint | ComplaintListRow, now: datetime) -> dict[str, Any]:
    """A complaint as a list shows it: only what its own row and joined rows hold (a list's
    row of plain values or, for one complaint, the model)."""
    customer = complaint.customer
    return {
        "reference": complaint.reference,
        "status": complaint.status,
        "received_at": local_time(complaint.received_at),
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
            "naw_checked_at": local_time(customer.naw_checked_at),
        },
        "deadlines": {
            "contact_due": local_time(complaint.contact_due),
            "delay_notice_due": local_time(complaint.delay_notice_due),
            "settlement_due": local_time(complaint.settlement_due),
        },
        "agreed_term": complaint.agreed_term,
        "attention_due": local_time(complaint.attention_due),
        "overdue": complaint.attention_due is not None and complaint.attention_due < now,
        "outcome": complaint.outcome,
        "closed_at": local_time(complaint.closed_at),
        "category": _named(complaint.category),
    }


def _action(action: ActionItem) -> dict[str, Any]:
    return {
        "id": action.pk,
        "what": action.what,
        "who": _person(action.who),
        "due": action.due,
        "done_at": local_time(action.done_at),
        "from_ruling": action.from_ruling,
    }


def _contact(contact: ContactMoment) -> dict[str, Any]:
    return {
        "at": local_time(contact.at),
        "by": _person(contact.by),
        "channel": contact.channel,
        "summary": contact.summary,
        "agreed_term": contact.agreed_term,
    }


def _history(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "at": local_time(entry.at),
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
    AlertState.IMPORTED: "imported",
}


def _management_alert(mail: ComplaintMail) -> dict[str, Any]:
    """``failed_at`` only once every alert was given up; while one is still on its way, the
    ``reason`` of the last refusal says why it is taking long."""
    problem = mail.alert_problem if mail.alert_state != AlertState.INFORMED else None
    failed = mail.alert_state == AlertState.FAILED
    return {
        "state": _ALERT_STATES[mail.alert_state],
        "accepted_at": local_time(mail.informed_at),
        "failed_at": local_time(problem.failed_at) if problem and failed else None,
        "reason": (problem.reason or None) if problem else None,
    }


def _undelivered(problem: MailProblem) -> dict[str, Any]:
    return {
        "to": problem.to,
        "subject": problem.subject,
        "purpose": problem.purpose or MailPurpose.STAFF.value,
        "state": "failed" if problem.given_up else "queued",
        "failing_since": local_time(problem.failing_since),
        "failed_at": local_time(problem.failed_at),
        "reason": problem.reason,
    }


def _regulation_version(complaint: Complaint) -> dict[str, Any] | None:
    """R17, #16 item 7: the regulation in force when the complaint was received."""
    version = regulation_version_at(complaint.received_at)
    if version is None:
        return None
    return {
        "number": version.number,
        "in_force_from": local_time(version.in_force_from),
        "url": settings.BASE_URL
        + reverse("public-regulation-version", kwargs={"number": version.number}),
    }


def complaint_out(
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
    steps = complaint_next_steps(
        complaint,
        now,
        action_counts=(len(actions), sum(action.done_at is None for action in actions)),
    )
    mail = complaint_mail(complaint)  # one query: the alerts and the mails not delivered
    return {
        **complaint_summary_out(complaint, now),
        "report": complaint.report,
        "checklist": {
            "not_interrupted": complaint.not_interrupted,
            "vented": complaint.vented,
            "put_at_ease": complaint.put_at_ease,
            "apologised": complaint.apologised,
            "business_card_given": complaint.business_card_given,
        },
        "registered_at": local_time(complaint.registered_at),
        "management_informed_at": local_time(complaint.management_informed_at),
        "management_alert": _management_alert(mail),
        "undelivered_mails": [_undelivered(problem) for problem in mail.problems],
        "contacted_at": local_time(complaint.contacted_at),
        "delay_notice_sent_at": local_time(complaint.delay_notice_sent_at),
        "delay_reason": complaint.delay_reason,
        "delay_expected_date": complaint.delay_expected_date,
        "extended_until": complaint.extended_until,
        "solution": complaint.solution,
        "customer_view": complaint.customer_view,
        "customer_view_note": complaint.customer_view_note,
        "follow_up_solved": complaint.follow_up_solved,
        "follow_up_note": complaint.follow_up_note,
        "follow_up_requested_at": local_time(complaint.follow_up_requested_at),
        "dispute_referred_at": local_time(complaint.dispute_referred_at),
        "dispute_third_party": complaint.dispute_third_party,
        "ruling_at": local_time(complaint.ruling_at),
        "ruling_on": complaint.ruling_on,
        "ruling_text": complaint.ruling_text,
        "closing_note": complaint.closing_note,
        "root_cause": _named(complaint.root_cause),
        "booked_again": complaint.booked_again,
        "course": _named(complaint.course),
        "course_text": complaint.course_text,
        "trainer": _named(complaint.trainer),
        "training_location": complaint.training_location,
        "training_date": complaint.training_date,
        "imported_at": local_time(complaint.imported_at),
        "regulation_version": _regulation_version(complaint),
        "actions": [_action(action) for action in actions],
        "contacts": [_contact(contact) for contact in contacts],
        "history": [_history(entry) for entry in complaint_timeline(complaint)],
        "next_step": steps.main.value if steps.main else None,
        "next_step_waits_for": [_reason(reason) for reason in steps.waits_for],
        "allowed_steps": [step.value for step in steps.allowed],
        "awaiting_take_up": steps.awaiting_take_up,
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


def refusal_out(refused: StepRefused) -> dict[str, Any]:
    """A step the lifecycle refused: 409 with every reason (``RefusalOut``)."""
    reasons = [_reason(reason) for reason in refused.reasons]
    return {"detail": refused.detail, "code": refused.code, "reasons": reasons}


def step_answer(
    take_step: Callable[[], Complaint],
    now: datetime,
    dates: Sequence[tuple[str, date]] = (),
) -> Status[dict[str, Any]]:
    """Take one step; the complaint afterwards with a warning for each of ``dates`` (a field
    and its date) on a day off, or a 409 with every reason the step was refused."""
    try:
        complaint = take_step()
    except StepRefused as refused:
        return Status(409, refusal_out(refused))
    except NotAllowed as refused:
        reason = {"code": refused.code, "rule": "", "message": refused.detail}
        return Status(409, {"detail": refused.detail, "code": refused.code, "reasons": [reason]})
    return Status(200, {**complaint_out(complaint, now), "warnings": _day_off_warnings(dates)})


# --- Messages to the customer ------------------------------------------------------------------


def _delivery(message: CustomerMessage) -> dict[str, Any]:
    """How far the message got (``DeliveryOut``)."""
    delivery = message_delivery(message)
    return {
        "state": delivery.state,
        "accepted_at": local_time(delivery.accepted_at),
        "posted_at": local_time(delivery.posted_at),
        "failed_at": local_time(delivery.failed_at),
        "next_attempt_at": local_time(delivery.next_attempt_at),
        "reason": delivery.reason or None,
    }


def message_out(message: CustomerMessage) -> dict[str, Any]:
    """A message to the customer as it was sent, with how far it got (``MessageOut``)."""
    card = message.card
    delivery = _delivery(message)
    return {
        "id": message.pk,
        "direction": "out",
        "kind": message.kind,
        "channel": message.channel,
        "recipient": message.recipient,
        "subject": message.subject,
        "body": message.body,
        "card": {key: card.get(key, "") for key in CardOut.model_fields},
        "author": str(message.author),
        "created_at": local_time(message.created_at),
        "sent_at": local_time(message.sent_at),
        "delivered_at": delivery["accepted_at"],
        "delivery": delivery,
        "warnings_confirmed": message.warnings_confirmed,
    }


def incoming_message_out(message: IncomingMessage) -> dict[str, Any]:
    """A message from the customer (``IncomingMessageOut``, #13)."""
    return {
        "id": message.pk,
        "direction": "in",
        "channel": message.channel,
        "sender": message.sender,
        "sender_name": message.sender_name,
        "subject": message.subject,
        "text": message.text,
        "received_at": local_time(message.received_at),
        "attachments": [file.original_name for file in message.attachments.all()],
        "notes": list(message.notes),
    }
