"""``/api/v1/complaints`` — register, list, read and handle complaints (CONTRACT.md).

Thin endpoints (STYLE.md, 3): each checks the shape of its input, asks ``complaint_get_for``
for the complaint — not found, never "forbidden", for one the caller may not see (R2) — turns
usernames and dates into what the service takes, calls exactly one service and answers with
the complaint as ``GET /complaints/{reference}`` shows it. Every input is checked before the
service is called and every service is one transaction, so a refusal never half-saves.
The bodies and answers are in ``klachten.api.schemas.complaints``; reading the input and
writing the complaint, shared with the other endpoints, in ``klachten.api.helpers``.

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

import dataclasses
import json
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.params import P, QueryEx
from ninja.responses import NinjaJSONEncoder

from klachten.api.helpers import (
    caller,
    complaint_out,
    complaint_summary_out,
    plan_dates,
    read_action_plan,
    read_choice,
    read_customer_file,
    read_day,
    read_moment,
    read_staff,
    step_answer,
    visible_complaint,
)
from klachten.api.schemas.complaints import (
    STEP_RESPONSES,
    ActionsIn,
    AssignIn,
    CloseIn,
    ComplaintIn,
    ComplaintOut,
    ComplaintPageOut,
    ContactIn,
    CustomerPatchIn,
    CustomerRelinkIn,
    CustomerViewIn,
    DelayNoticeIn,
    DisputeIn,
    FollowUpIn,
    RulingIn,
    SolutionIn,
)
from klachten.api.schemas.errors import ErrorOut, InvalidOut
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import (
    PAGE_SIZE,
    category_get_active,
    complaint_actions,
    complaint_get_for_take_up,
    complaints_page,
    read_complaint_cursor,
    root_cause_get_active,
)
from klachten.complaints.services import (
    Checklist,
    Training,
    action_mark_done,
    complaint_assign,
    complaint_close,
    complaint_contact,
    complaint_customer_change,
    complaint_extend,
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
from klachten.core.errors import InvalidInput, NotFound
from klachten.customers.validation import CustomerData
from klachten.domain import lifecycle
from klachten.messaging.services import complaint_delay_notice_send, complaint_register_and_confirm
from klachten.organisation.selectors import course_get_active, trainer_get_active

router = Router(tags=["complaints"])

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000  # keeps the OFFSET far inside the database's integer range


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
    ``course_id`` and ``trainer_id`` (in use; an unknown or retired id is a 422
    ``unknown_choice``), ``training_location`` and ``training_date`` say what it concerns.
    """
    staff, now = caller(request), timezone.now()
    training = Training(
        course=(
            read_choice(course_get_active(payload.course_id), "course_id")
            if payload.course_id is not None
            else None
        ),
        trainer=(
            read_choice(trainer_get_active(payload.trainer_id), "trainer_id")
            if payload.trainer_id is not None
            else None
        ),
        location=payload.training_location,
        day=(
            read_day(payload.training_date, "training_date")
            if payload.training_date is not None
            else None
        ),
        course_text=payload.course_text,
    )
    complaint = complaint_register_and_confirm(
        send_receipt=payload.send_receipt,
        receiver=staff,
        customer=CustomerData(**payload.customer.model_dump()) if payload.customer else None,
        customer_file=(
            read_customer_file(payload.customer_id, staff, now)
            if payload.customer_id is not None
            else None
        ),
        naw_checked=payload.naw_checked,
        received_at=read_moment(payload.received_at, "received_at"),
        channel=payload.channel,
        report=payload.report,
        checklist=Checklist(**payload.checklist.model_dump()),
        training=training,
        now=now,
    ).complaint
    # Just registered: no action items or contact moments yet (two queries fewer, issue #3).
    return Status(201, complaint_out(complaint, now, actions=[], contacts=[]))


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
    cursor: QueryEx[
        str | None, P(description="next_cursor of the page before; page then counts from it")
    ] = None,
) -> HttpResponse:
    """The complaints the caller may see (R2), newest first, a page at a time.

    ``status`` keeps one status; ``overdue=true`` keeps open complaints whose nearest deadline
    has passed. ``has_more`` says whether there is a next page and ``next_cursor`` fetches it
    by keyset; ``count`` is exact up to 10,000 (``count_exact``), so no request counts the
    whole table (#17 item 3). Two queries, whatever the number of complaints.
    """
    staff, now = caller(request), timezone.now()
    try:
        wanted = lifecycle.Status(status) if status else None
    except ValueError as error:
        raise InvalidInput(
            "invalid_status",
            _("Status moet een van %(choices)s zijn."),
            {"choices": ", ".join(lifecycle.Status)},
            field="status",
        ) from error
    after = read_complaint_cursor(cursor) if cursor is not None else None
    if cursor is not None and after is None:
        raise InvalidInput(
            "invalid_cursor", _("Deze cursor is niet geldig: gebruik next_cursor."), field="cursor"
        )
    found = complaints_page(
        staff=staff,
        status=wanted.value if wanted is not None else None,
        overdue=overdue,
        now=now,
        offset=(page - 1) * page_size,
        limit=page_size,
        after=after,
    )
    page_out = {
        "items": [complaint_summary_out(complaint, now) for complaint in found.items],
        "count": found.count,
        "count_exact": found.count_exact,
        "page": page,
        "page_size": page_size,
        "has_more": found.has_more,
        "next_cursor": found.next_cursor,
    }
    # Built to ComplaintPageOut's shape above (the OpenAPI conformance test holds it to the
    # document) and rendered as ninja renders it, without validating the 50 rows' 250 nested
    # values again: that was a third of the list's time (#17 item 2).
    return HttpResponse(
        json.dumps(page_out, cls=NinjaJSONEncoder),
        content_type="application/json; charset=utf-8",
    )


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    complaint_read_log(complaint=complaint, actor=staff, now=now)
    return complaint_out(complaint, now)


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    agreed_term = read_day(payload.agreed_term, "agreed_term") if payload.agreed_term else None
    take_step = partial(
        complaint_contact,
        complaint=complaint,
        actor=staff,
        at=read_moment(payload.at, "at"),
        channel=payload.channel,
        summary=payload.summary,
        agreed_term=agreed_term,
        management_consulted=payload.management_consulted,
        now=now,
    )
    return step_answer(take_step, now, [("agreed_term", agreed_term)] if agreed_term else [])


@router.post(
    "/{reference}/actions",
    response=STEP_RESPONSES,
    summary="Plan actions",
    operation_id="planActions",
)
def actions(request: HttpRequest, reference: str, payload: ActionsIn) -> Status[dict[str, Any]]:
    """R9: what will be done, by whom (``who``: a username), by when (``due``)."""
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    plan = read_action_plan(payload.actions, "actions")
    take_step = partial(
        complaint_plan_actions, complaint=complaint, actor=staff, actions=plan, now=now
    )
    return step_answer(take_step, now, plan_dates(plan, "actions"))


@router.post(
    "/{reference}/actions/{int:action_id}/done",
    response=STEP_RESPONSES,
    summary="Mark an action done",
    operation_id="markActionDone",
)
def action_done(request: HttpRequest, reference: str, action_id: int) -> Status[dict[str, Any]]:
    """R9: one action item of this complaint is done (marking it twice changes nothing)."""
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    action = next((a for a in complaint_actions(complaint) if a.pk == action_id), None)
    if action is None:
        raise NotFound("not_found", _("Deze actie hoort niet bij deze melding."))
    action_mark_done(action=action, actor=staff, now=now)
    return Status(200, {**complaint_out(complaint, now), "warnings": []})


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    take_step = partial(
        complaint_delay_notice_send,
        complaint=complaint,
        author=staff,
        reason=payload.reason,
        expected_date=read_day(payload.expected_date, "expected_date"),
        channel=payload.channel,
        confirm_warnings=payload.confirm_warnings,
        now=now,
    )
    return step_answer(take_step, now)


@router.post(
    "/{reference}/extend",
    response=STEP_RESPONSES,
    summary="Extend the term",
    operation_id="extendTerm",
)
def extend(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    """R16: move the settlement goal to the delay notice's expected date."""
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    return step_answer(partial(complaint_extend, complaint=complaint, actor=staff, now=now), now)


@router.post(
    "/{reference}/solution",
    response=STEP_RESPONSES,
    summary="Propose a solution",
    operation_id="proposeSolution",
)
def solution(request: HttpRequest, reference: str, payload: SolutionIn) -> Status[dict[str, Any]]:
    """R7, R9: put the solution to the customer; their earlier view and check are cleared."""
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    take_step = partial(
        complaint_propose_solution,
        complaint=complaint,
        actor=staff,
        solution=payload.solution,
        now=now,
    )
    return step_answer(take_step, now)


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    take_step = partial(
        complaint_record_view,
        complaint=complaint,
        actor=staff,
        agrees=payload.agrees,
        note=payload.note,
        now=now,
    )
    return step_answer(take_step, now)


@router.post(
    "/{reference}/follow-up",
    response=STEP_RESPONSES,
    summary="Follow-up check",
    operation_id="recordFollowUp",
)
def follow_up(request: HttpRequest, reference: str, payload: FollowUpIn) -> Status[dict[str, Any]]:
    """R10: check with the customer that the matter was really solved."""
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    take_step = partial(
        complaint_follow_up,
        complaint=complaint,
        actor=staff,
        solved=payload.solved,
        note=payload.note,
        now=now,
    )
    return step_answer(take_step, now)


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    take_step = partial(
        complaint_close,
        complaint=complaint,
        actor=staff,
        outcome=payload.outcome,
        note=payload.note,
        now=now,
    )
    return step_answer(take_step, now)


@router.post(
    "/{reference}/dispute",
    response=STEP_RESPONSES,
    summary="Refer to the third party",
    operation_id="referToDispute",
)
def dispute(request: HttpRequest, reference: str, payload: DisputeIn) -> Status[dict[str, Any]]:
    """R11: the customer engages the independent third party (also after closing)."""
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    take_step = partial(
        complaint_refer_to_dispute, complaint=complaint, actor=staff, note=payload.note, now=now
    )
    return step_answer(take_step, now)


@router.post(
    "/{reference}/ruling",
    response=STEP_RESPONSES,
    summary="Record the ruling",
    operation_id="recordRuling",
)
def ruling(request: HttpRequest, reference: str, payload: RulingIn) -> Status[dict[str, Any]]:
    """R11: the binding ruling; its consequences become action items with short deadlines."""
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    consequences = read_action_plan(
        payload.consequences, "consequences", ruling_consequence_default(now)
    )
    ruled_on = read_day(payload.ruled_on, "ruled_on") if payload.ruled_on else None
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
    return step_answer(take_step, now, dates + plan_dates(consequences, "consequences"))


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
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
        handler=read_staff(payload.handler, "handler") if payload.handler else None,
        category=(
            read_choice(category_get_active(payload.category_id), "category_id")
            if payload.category_id is not None
            else None
        ),
        root_cause=(
            read_choice(root_cause_get_active(payload.root_cause_id), "root_cause_id")
            if payload.root_cause_id is not None
            else None
        ),
        booked_again=payload.booked_again or "",
        now=now,
    )
    return step_answer(take_step, now)


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
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
        return visible_complaint(staff, reference)  # with the customer file as it is now

    return step_answer(update, now)


@router.put(
    "/{reference}/customer-file",
    response=STEP_RESPONSES,
    summary="File the complaint in an existing customer file",
    operation_id="relinkCustomerFile",
)
def customer_relink(
    request: HttpRequest, reference: str, payload: CustomerRelinkIn
) -> Status[dict[str, Any]]:
    """R5, R6: a report by e-mail or from the website whose sender's file could not be told
    apart gets a provisional file; this moves the complaint into the customer's existing file
    (``history``: ``customer_relinked``). The provisional file is removed when no other
    complaint is in it and its NAW was never checked. 409 ``not_taken_up`` before someone
    took the report up, 409 ``complaint_closed`` once closed, 422 ``not_found`` for an unknown
    file, 409 ``customer_anonymised`` for an erased one.
    """
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)

    def relink() -> Complaint:
        complaint_customer_change(
            complaint=complaint, customer_id=payload.customer_id, actor=staff, now=now
        )
        return visible_complaint(staff, reference)

    return step_answer(relink, now)


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference, complaint_get_for_take_up)
    return step_answer(partial(complaint_take_up, complaint=complaint, actor=staff, now=now), now)


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
    staff, now = caller(request), timezone.now()
    complaint = visible_complaint(staff, reference)
    take_step = partial(complaint_request_follow_up, complaint=complaint, actor=staff, now=now)
    return step_answer(take_step, now)
