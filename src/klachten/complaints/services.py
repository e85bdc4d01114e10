"""Every write to a complaint (STYLE.md, 2): registering, and one service per handling step.

Each step goes through :func:`_take_step`, the single transition service: it locks the row,
asks the domain lifecycle whether the step is allowed (with every reason if not), applies the
change, keeps ``attention_due`` current, appends to the audit log and queues the mail to the
receiver (R15) — all in one transaction.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff, management_filter
from klachten.audit.models import AuditEntry
from klachten.audit.services import audit_append
from klachten.complaints.models import (
    STATUS_LINK_FIELDS,
    AccountRequest,
    ActionItem,
    Channel,
    Complaint,
    ContactMoment,
    InternalNote,
)
from klachten.complaints.selectors import (
    complaint_facts,
    complaint_status_url,
    customer_found_recently,
)
from klachten.complaints.texts import reason_text
from klachten.core.clock import local_today
from klachten.core.errors import InvalidInput, InvalidInputs, NotAllowed, Problems
from klachten.core.prepared import Prepared
from klachten.core.timeparse import SUPPORTED_YEARS
from klachten.core.validation import MAX_TEXT
from klachten.core.validation import required as _required
from klachten.core.wording import text_check
from klachten.customers.models import CustomerFile
from klachten.customers.validation import (
    CustomerData,
    customer_data_clean,
)
from klachten.domain import lifecycle, status_code, status_link
from klachten.domain.deadlines import deadlines_for, ruling_consequence_due
from klachten.domain.delay_notice import (
    ExpectedDateProblem,
    expected_date_problems,
    settlement_goal_day,
)
from klachten.domain.lifecycle import ContactInput, CustomerView, Outcome, Status, Step
from klachten.domain.urgency import attention_due, open_deadlines
from klachten.domain.workdays import WorkCalendar
from klachten.mail.cards import card_for, vcard_attachment
from klachten.mail.models import MailPurpose
from klachten.mail.outbox import customer_reply_to, mail_parts, outbox_enqueue
from klachten.organisation.models import (
    Category,
    Course,
    OrganisationSettings,
    RootCause,
    Trainer,
)
from klachten.organisation.selectors import (
    organisation_settings,
    organisation_terms,
    work_calendar,
)
from klachten.organisation.texts import working_days_text, working_hours_text

# The audit log's mark for what the customer did on the public pages (``actor`` is then None).
BY_CUSTOMER = "customer"


# --- Input -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Checklist:
    """The conversation checklist, ticked as the call goes (R4, R8, R14)."""

    not_interrupted: bool = False
    vented: bool = False
    put_at_ease: bool = False
    apologised: bool = False
    business_card_given: bool = False


@dataclass(frozen=True, kw_only=True)
class Training:
    """What a complaint concerns (#16 item 1): the course and the trainer from management's
    lists, where and on which day the training was, and ``course_text``, the customer's own
    name for a course they could not pick from the list."""

    course: Course | None = None
    trainer: Trainer | None = None
    location: str = ""
    day: date | None = None
    course_text: str = ""


@dataclass(frozen=True, kw_only=True)
class Imported:
    """A complaint taken over from the institute's own register (``klachten import``, #16
    item 5): from which file and row, and — for a case the register says was settled — when it
    was closed and how."""

    file: str
    row: int
    closed_at: datetime | None = None
    outcome: str = ""


@dataclass(frozen=True, kw_only=True)
class ActionData:
    """What, who, when (R9)."""

    what: str
    who: Staff
    due: date


# --- Validation --------------------------------------------------------------------------------


def _optional(value: str, field: str, label: str) -> str:
    """An optional text, stripped, at most ``MAX_TEXT`` characters."""
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(
            "too_long",
            _("%(label)s is te lang (maximaal %(max)s tekens)."),
            {"label": label, "max": MAX_TEXT},
            field=field,
        )
    return value


def status_link_new() -> dict[str, str | None]:
    """A new private status link (``/status/<token>/``) and the digest of its short code, by
    which a customer finds the page from a letter (``domain.status_code``): set together.

    The token is not stored (#15 item 5, R2): a random nonce, from which the token is rebuilt
    under ``SECRET_KEY`` (``selectors.status_token_for``), and the token's digest to find it.
    """
    nonce = secrets.token_hex(status_link.NONCE_BYTES)
    token = status_link.token_for(secret=settings.SECRET_KEY, nonce=nonce)
    return {
        "status_nonce": nonce,
        "status_token_digest": status_link.digest(token),
        "status_legacy_sealed": "",
        "status_code_digest": status_code.digest(status_code.code_for(token)),
    }


def _customer_facing(value: str, field: str) -> str:
    """R13: a text that reaches the customer may not contain *klacht*, *probleem* or *fout*.

    The screens show the findings while typing, with suggestions; this is the last check.
    """
    if not text_check(text=value).sendable:
        raise InvalidInput(
            "wording_blocked",
            _("Deze tekst gaat naar de klant: herformuleer eerst (R13)."),
            field=field,
        )
    return value


def training_problems(training: Training) -> list[InvalidInput]:
    """Every reason the facts of a training cannot be stored (#16 item 1), each with its field."""
    problems = []
    for field, value in (
        ("training_location", training.location),
        ("course_text", training.course_text),
    ):
        limit = getattr(Complaint._meta.get_field(field), "max_length", None) or 0
        if len((value or "").strip()) > limit:
            problems.append(
                InvalidInput(
                    "too_long",
                    _("Dit veld is te lang (maximaal %(max)s tekens)."),
                    {"max": limit},
                    field=field,
                )
            )
    if training.day is not None and training.day.year not in SUPPORTED_YEARS:
        problems.append(
            InvalidInput(
                "out_of_range",
                _("De datum van de training moet tussen %(first)s en %(last)s liggen."),
                {"first": SUPPORTED_YEARS[0], "last": SUPPORTED_YEARS[-1]},
                field="training_date",
            )
        )
    return problems


def _training_fields(training: Training) -> dict[str, Any]:
    """The complaint's fields for ``training`` (checked by :func:`training_problems`)."""
    return {
        "course": training.course,
        "trainer": training.trainer,
        "training_location": " ".join((training.location or "").split()),
        "training_date": training.day,
        "course_text": " ".join((training.course_text or "").split()),
    }


def _imported_problems(
    imported: Imported, received_at: datetime, now: datetime
) -> list[InvalidInput]:
    """A closing date from a register lies between receipt and now; its outcome is one of ours."""
    problems = []
    if imported.closed_at is not None and imported.closed_at < received_at:
        problems.append(
            InvalidInput(
                "closed_before_received",
                _("Afgehandeld ligt vóór ontvangen."),
                field="closed_at",
            )
        )
    if imported.closed_at is not None and imported.closed_at > now:
        problems.append(
            InvalidInput(
                "closed_in_future",
                _("Afgehandeld ligt in de toekomst."),
                field="closed_at",
            )
        )
    if imported.outcome and (
        imported.outcome not in {outcome.value for outcome in Outcome} or imported.closed_at is None
    ):
        problems.append(
            InvalidInput(
                "invalid_outcome",
                _("Een uitkomst hoort bij een afgehandelde melding: %(choices)s."),
                {"choices": ", ".join(outcome.value for outcome in Outcome)},
                field="outcome",
            )
        )
    return problems


# --- Audit and notification --------------------------------------------------------------------


def complaint_read_log(*, complaint: Complaint, actor: Staff, now: datetime) -> None:
    """R2: every read of a complaint is logged."""
    audit_append(complaint=complaint, actor=actor, action="viewed", now=now)


def customer_file_read_log(
    *, customer: CustomerFile, complaints: Iterable[Complaint], actor: Staff, now: datetime
) -> None:
    """R2: opening a customer file is a read too — its NAW and the references, statuses and
    people of the complaints listed: one entry naming the file and those complaints."""
    audit_append(
        complaint=None,
        actor=actor,
        action="customer_file_viewed",
        now=now,
        after={"customer_file": customer.pk, "complaints": [c.pk for c in complaints]},
    )


def complaint_url(complaint: Complaint) -> str:
    """The complaint's page, as staff open it from a mail (``KLACHTEN_BASE_URL`` + path)."""
    return settings.BASE_URL + reverse("complaints:detail", args=[complaint.reference])


def staff_mail(
    *,
    key: str,
    to: Iterable[Staff],
    template: str,
    context: dict[str, Any],
    now: datetime,
    purpose: str = MailPurpose.STAFF,
    fresh: bool = False,
) -> None:
    """Queue a mail to staff members (with an address) through the outbox.

    Each is written in the recipient's own language (their setting, #10 item 14) and carries
    the link to the complaint. ``fresh``: ``key`` names what the transaction just created
    (``outbox_enqueue``).
    """
    complaint = context.get("complaint")
    if complaint is not None:
        context = {"url": complaint_url(complaint), **context}
    for staff in to:
        if not staff.email or not staff.is_active:
            continue
        with translation.override(staff.language or settings.LANGUAGE_CODE):
            text = render_to_string(template, {**context, "recipient": staff})
        subject, body = mail_parts(text)
        outbox_enqueue(
            key=f"{key}-{staff.pk}",
            to=staff.email,
            subject=subject,
            body=body,
            now=now,
            complaint=complaint,
            purpose=purpose,
            fresh=fresh,
        )


_MANAGEMENT = Prepared(lambda: Staff.objects.filter(management_filter(), is_active=True))


def management_staff() -> list[Staff]:
    """Every active manager (R3: each hears of a new complaint); a query compiled once (#17:
    it runs inside the registration's transaction)."""
    return _MANAGEMENT()


# The channels a complaint can arrive by without an employee: it waits to be taken up (R15).
ARRIVES_BY_ITSELF = frozenset({Channel.WEB, Channel.EMAIL})


# --- Registering (R3, R5, R6, R15) -------------------------------------------------------------


@transaction.atomic
def complaint_register(
    *,
    receiver: Staff | None,
    customer: CustomerData | None = None,
    customer_file: CustomerFile | None = None,
    naw_checked: bool = False,
    received_at: datetime | None,
    channel: str,
    report: str,
    checklist: Checklist,
    category: Category | None = None,
    training: Training | None = None,
    imported: Imported | None = None,
    now: datetime,
) -> Complaint:
    """Register a complaint the moment the customer raises it; management hears of it at once.

    The report (R5) is part of registering; the customer file is new (``customer``) or an
    existing one (``customer_file``); ``naw_checked`` records that the receiver checked NAW
    with the customer (R6). The deadlines are computed once, now (R3, R16). Every manager is
    alerted by mail through the outbox (R3); the receiver stays attached (R15).

    A report from the public form (channel ``web``) or one that arrived by e-mail in the
    product's mailbox (channel ``email``, #13) is registered the moment it arrives, with
    ``receiver=None``: nobody is responsible yet, and the first employee who takes it up
    becomes its receiver and handler (:func:`complaint_take_up`, R15). Its NAW cannot have
    been checked (R6): an employee does that later.

    ``training`` is what the complaint concerns: course, trainer, where and when (#16 item 1).
    ``imported`` marks a complaint taken over from the institute's own register (#16 item 5):
    its receipt (and closing) are the register's, its deadlines are computed from that receipt
    like any other's, and it is history: logged as ``imported``, management is not alerted.
    """
    if receiver is not None and receiver.is_auditor:
        raise NotAllowed(
            "read_only",
            _("Een auditor leest alleen mee; een melding registreert een medewerker."),
        )
    if receiver is None and (channel not in ARRIVES_BY_ITSELF or naw_checked):
        raise InvalidInput(
            "receiver_required",
            _("Alleen een melding via de website of per e-mail komt binnen zonder ontvanger."),
            field="channel",
        )
    if (customer is None) == (customer_file is None):
        raise InvalidInput(
            "customer_required",
            _("Kies een bestaande klantmap of vul de NAW-gegevens in."),
            field="customer",
        )
    if channel not in Channel.values:
        raise InvalidInput(
            "invalid_channel",
            _("Kanaal moet een van %(choices)s zijn."),
            {"choices": ", ".join(Channel.values)},
            field="channel",
        )
    report = _required(report, "report", str(_("het verslag")))
    received_at = received_at or now
    if received_at > now:
        raise InvalidInput(
            "received_in_future",
            _("Een melding kan niet in de toekomst ontvangen zijn."),
            field="received_at",
        )
    training = training or Training()
    InvalidInputs.raise_any(
        training_problems(training)
        + (_imported_problems(imported, received_at, now) if imported is not None else [])
    )
    closed_at = imported.closed_at if imported is not None else None
    if customer is not None:
        data = customer_data_clean(customer)
        customer_file = CustomerFile.objects.create(**asdict(data))
    assert customer_file is not None  # noqa: S101 - narrowed by the check above
    if naw_checked and receiver is not None:
        customer_file.naw_checked_at = now
        customer_file.naw_checked_by = receiver
        customer_file.save(update_fields=["naw_checked_at", "naw_checked_by"])

    # The calendar and terms in force now; later changes never move these (R3, R16).
    terms = organisation_terms()
    due = deadlines_for(received_at, work_calendar(), terms)
    complaint = Complaint.objects.create(
        reference=uuid.uuid4().hex[:20],  # replaced by the real one below, from the id
        customer=customer_file,
        received_at=received_at,
        channel=channel,
        report=report,
        receiver=receiver,
        handler=receiver,
        registered_at=now,
        contact_due=due.contact_due,
        delay_notice_due=due.delay_notice_due,
        settlement_due=due.settlement_due,
        contact_working_hours=terms.contact_working_hours,
        delay_notice_days=terms.delay_notice_days,
        settlement_days=terms.settlement_days,
        status=Status.NEW if closed_at is None else Status.CLOSED,
        closed_at=closed_at,
        outcome=imported.outcome if imported is not None else "",
        imported_at=now if imported is not None else None,
        category=category,
        **_training_fields(training),
        # R3: stamped when the mail server accepts the first alert (messaging.outbox), not
        # now: a queued alert has told nobody yet (#10, item 20).
        management_informed_at=None,
        **status_link_new(),
        **asdict(checklist),
    )
    complaint.reference = f"KG-{received_at.year}-{complaint.pk:05d}"
    complaint.attention_due = _attention_due(complaint)
    complaint.save(update_fields=["reference", "attention_due"])
    if imported is not None:
        # History, not news: its own entry on the timeline, and no alert to management.
        audit_append(
            complaint=complaint,
            actor=receiver,
            action="imported",
            now=now,
            after={
                "reference": complaint.reference,
                "channel": channel,
                "file": imported.file,
                "row": imported.row,
                "received_at": received_at,
                "closed_at": closed_at,
                "outcome": imported.outcome,
            },
        )
        return complaint
    audit_append(
        complaint=complaint,
        actor=receiver,
        action="registered",
        now=now,
        after={
            "reference": complaint.reference,
            "channel": channel,
            **asdict(checklist),
            **({"by": BY_CUSTOMER} if receiver is None else {}),
        },
    )
    staff_mail(
        key=f"{complaint.reference}-registered",
        to=management_staff(),
        template="complaints/mail/management_alert.txt",
        context={
            "complaint": complaint,
            # Called while rendering, in each recipient's language.
            "contact_term": partial(working_hours_text, complaint.contact_working_hours),
        },
        now=now,
        purpose=MailPurpose.ALERT,
        fresh=True,  # the complaint was created above: its reference is new
    )
    return complaint


# --- The single transition service -------------------------------------------------------------


class StepRefused(NotAllowed):
    """A step the lifecycle does not allow now, with every reason (lifecycle.Reason)."""

    def __init__(self, step: Step, reasons: tuple[lifecycle.Reason, ...]) -> None:
        self.step = step
        self.reasons = reasons
        super().__init__(
            reasons[0].code.value if reasons else "not_allowed",
            " ".join(reason_text(reason) for reason in reasons),
        )


def _attention_due(complaint: Complaint) -> datetime | None:
    return attention_due(
        open_deadlines(
            contact_due=complaint.contact_due,
            delay_notice_due=complaint.delay_notice_due,
            settlement_due=complaint.settlement_due,
            contacted=complaint.contacted_at is not None,
            delay_notice_sent=complaint.delay_notice_sent_at is not None,
            closed=complaint.status == Status.CLOSED,
            agreed_term=complaint.agreed_term,
            extended_until=complaint.extended_until,
        )
    )


BOOKED_AGAIN: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}
"""R1: whether the customer booked again, where staff know it."""

SNAPSHOT_FIELDS = (
    "status",
    "booked_again",
    "receiver_id",
    "handler_id",
    "agreed_term",
    "delay_notice_sent_at",
    "delay_expected_date",
    "extended_until",
    "solution",
    "customer_view",
    "follow_up_solved",
    "outcome",
    "closed_at",
    "ruling_at",
    "category_id",
    "root_cause_id",
)


def _snapshot(complaint: Complaint) -> dict[str, Any]:
    return {field: getattr(complaint, field) for field in SNAPSHOT_FIELDS}


def _take_step(
    *,
    complaint: Complaint,
    actor: Staff | None,
    step: Step,
    now: datetime,
    change: Callable[[Complaint], dict[str, Any] | None],
    contact: ContactInput | None = None,
) -> Complaint:
    """Lock, decide, change, save, log and notify: every step, in one transaction.

    ``actor`` is None when the customer takes the step on their status page (R7, R10); the
    audit log then says ``by: customer``.
    """
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _require_taken_up(locked)
        decision = lifecycle.decide(
            Status(locked.status), step, complaint_facts(locked), now, contact=contact
        )
        if not decision.allowed:
            raise StepRefused(step, decision.reasons)
        before = _snapshot(locked)
        extra = change(locked) or {}
        if actor is None:
            extra["by"] = BY_CUSTOMER
        assert decision.target is not None  # noqa: S101 - allowed decisions have a target
        locked.status = decision.target
        locked.attention_due = _attention_due(locked)
        locked.save()
        after = _snapshot(locked)
        audit_append(
            complaint=locked,
            actor=actor,
            action=step.value,
            now=now,
            before={key: value for key, value in before.items() if after[key] != value},
            after={
                **{key: value for key, value in after.items() if before[key] != value},
                **extra,
            },
        )
        _notify_responsible(locked, actor=actor, step=step, now=now)
    return locked


def _require_taken_up(locked: Complaint) -> None:
    """R15: a report from the website is handled only once an employee has taken it up."""
    if locked.receiver_id is None:
        raise NotAllowed(
            "not_taken_up",
            _("Nog niemand heeft deze melding opgepakt: pak haar eerst op (R15)."),
        )


def _notify_responsible(
    locked: Complaint, *, actor: Staff | None, step: Step, now: datetime
) -> None:
    """R15: the receiver hears of every step (and the handler, when someone else acts)."""
    to = {staff for staff in (locked.receiver, locked.handler) if staff is not None} - {actor}
    staff_mail(
        key=f"{locked.reference}-{step.value}-{now.timestamp()}",
        to=sorted(to, key=lambda staff: staff.pk),
        template="complaints/mail/step_update.txt",
        context={"complaint": locked, "step": step, "actor": actor, "by_customer": actor is None},
        now=now,
    )


# --- The handling steps ------------------------------------------------------------------------


def complaint_contact(
    *,
    complaint: Complaint,
    actor: Staff,
    at: datetime | None,
    channel: str,
    summary: str,
    agreed_term: date | None,
    management_consulted: str = "",
    now: datetime,
) -> Complaint:
    """R3: a contact with the customer (in consultation with management) and the agreed term."""
    summary = _required(summary, "summary", str(_("het verslag van het gesprek")))
    if channel not in Channel.values:
        raise InvalidInput("invalid_channel", _("Kies een geldig kanaal."), field="channel")
    moment = at or now
    if moment > now:
        raise InvalidInput(
            "contact_in_future", _("Contact kan niet in de toekomst liggen."), field="at"
        )

    def change(locked: Complaint) -> dict[str, Any]:
        ContactMoment.objects.create(
            complaint=locked,
            at=moment,
            by=actor,
            channel=channel,
            summary=summary,
            agreed_term=agreed_term,
        )
        if locked.contacted_at is None:
            locked.contacted_at = moment
        if agreed_term is not None:
            locked.agreed_term = agreed_term
        if management_consulted.strip():
            locked.management_consulted = management_consulted.strip()
        return {"contact_at": moment, "summary": summary}

    return _take_step(
        complaint=complaint,
        actor=actor,
        step=Step.CONTACT,
        now=now,
        change=change,
        contact=ContactInput(agreed_term=agreed_term),
    )


def _action_what(what: str, field: str) -> str:
    """R9, R13: what will be done is said, in words the customer may read."""
    return _customer_facing(_required(what, field, str(_("wat er gebeurt"))), field)


def complaint_plan_actions(
    *, complaint: Complaint, actor: Staff, actions: list[ActionData], now: datetime
) -> Complaint:
    """R9: what will be done, by whom, by when."""
    if not actions:
        raise InvalidInput("actions_required", _("Geef ten minste één actie op."), field="actions")
    problems = Problems()
    today = local_today(now)
    for index, action in enumerate(actions):
        problems.check(partial(_action_what, action.what, f"actions.{index}.what"))
        if action.due < today:
            problems.found.append(
                InvalidInput(
                    "action_due_in_past",
                    _("Een actie kan niet in het verleden gepland worden."),
                    field=f"actions.{index}.due",
                )
            )
    InvalidInputs.raise_any(problems.found)  # every line's problems at once

    def change(locked: Complaint) -> dict[str, Any]:
        ActionItem.objects.bulk_create(
            ActionItem(complaint=locked, what=a.what.strip(), who=a.who, due=a.due, created_at=now)
            for a in actions
        )
        return {
            "actions": [
                {"what": a.what, "who": a.who.pk, "due": a.due.isoformat()} for a in actions
            ]
        }

    return _take_step(
        complaint=complaint, actor=actor, step=Step.PLAN_ACTIONS, now=now, change=change
    )


@transaction.atomic
def action_mark_done(*, action: ActionItem, actor: Staff, now: datetime) -> ActionItem:
    """R9: an action item is done (not a status change; logged like one)."""
    if action.done_at is not None:
        return action
    action.done_at = now
    action.done_by = actor
    action.save(update_fields=["done_at", "done_by"])
    audit_append(
        complaint=action.complaint,
        actor=actor,
        action="action_done",
        now=now,
        after={"action": action.pk, "what": action.what},
    )
    return action


EXPECTED_DATE_MESSAGES: dict[ExpectedDateProblem, Any] = {
    ExpectedDateProblem.NOT_IN_FUTURE: _("De verwachte datum moet in de toekomst liggen."),
    ExpectedDateProblem.NOT_AFTER_DEADLINE: _(
        "De verwachte datum moet na de huidige afhandeltermijn liggen (%(deadline)s): een "
        "uitstelbericht geeft de klant meer tijd, nooit minder (R16)."
    ),
    ExpectedDateProblem.NOT_A_WORKING_DAY: _(
        "De verwachte datum (%(day)s) is geen werkdag. Kies een werkdag: de datum is een "
        "belofte aan de klant (R16)."
    ),
}


def delay_expected_date_problems(
    *, complaint: Complaint, expected_date: date, now: datetime, calendar: WorkCalendar
) -> list[InvalidInput]:
    """R16: why ``expected_date`` cannot be a delay notice's date for this complaint, in words.

    The rule itself is the domain's (``delay_notice.expected_date_problems``); the settlement
    deadline in force is the complaint's own (extended or not), the calendar the organisation's.
    """
    problems = expected_date_problems(
        expected_date,
        settlement_due=complaint.settlement_due,
        extended_until=complaint.extended_until,
        today=local_today(now),
        calendar=calendar,
    )
    params = {
        "day": date_format(expected_date, "l j F Y"),
        "deadline": date_format(
            settlement_goal_day(complaint.settlement_due, complaint.extended_until), "l j F Y"
        ),
    }
    return [
        InvalidInput(problem.value, EXPECTED_DATE_MESSAGES[problem], params, field="expected_date")
        for problem in problems
    ]


def delay_expected_date_clean(*, complaint: Complaint, expected_date: date, now: datetime) -> date:
    """R16: ``expected_date`` if a delay notice of this complaint may give it; every reason
    why not otherwise (``InvalidInputs``), for the message screen before it drafts the text."""
    InvalidInputs.raise_any(
        delay_expected_date_problems(
            complaint=complaint, expected_date=expected_date, now=now, calendar=work_calendar()
        )
    )
    return expected_date


def complaint_send_delay_notice(
    *, complaint: Complaint, actor: Staff, reason: str, expected_date: date, now: datetime
) -> Complaint:
    """R16: tell the customer that more time is needed, why, and when to expect a decision.

    The expected date lies after the settlement deadline in force and on a working day
    (``delay_notice.expected_date_problems``); every problem with the reason and the date is
    reported at once.
    """
    calendar = work_calendar()
    problems = delay_expected_date_problems(
        complaint=complaint, expected_date=expected_date, now=now, calendar=calendar
    )
    try:
        reason = _customer_facing(
            _required(reason, "reason", str(_("de reden van het uitstel"))), "reason"
        )
    except InvalidInput as error:
        problems.insert(0, error)
    InvalidInputs.raise_any(problems)

    def change(locked: Complaint) -> dict[str, Any]:
        # Checked again under the lock: an extension may have moved the deadline meanwhile.
        InvalidInputs.raise_any(
            delay_expected_date_problems(
                complaint=locked, expected_date=expected_date, now=now, calendar=calendar
            )
        )
        # R16 asks for a notice within 3 weeks: a later, further notice updates the reason and
        # the date but keeps the moment the customer was first told.
        if locked.delay_notice_sent_at is None:
            locked.delay_notice_sent_at = now
        locked.delay_reason = reason
        locked.delay_expected_date = expected_date
        return {"reason": reason}

    return _take_step(
        complaint=complaint, actor=actor, step=Step.SEND_DELAY_NOTICE, now=now, change=change
    )


def complaint_extend(*, complaint: Complaint, actor: Staff, now: datetime) -> Complaint:
    """R16: move the settlement goal to the delay notice's expected date.

    Only later, never earlier: the lifecycle refuses an extension that would not move the
    deadline in force (``extension_not_later``).
    """

    def change(locked: Complaint) -> None:
        locked.extended_until = locked.delay_expected_date

    return _take_step(complaint=complaint, actor=actor, step=Step.EXTEND, now=now, change=change)


def complaint_propose_solution(
    *, complaint: Complaint, actor: Staff, solution: str, now: datetime
) -> Complaint:
    """R7: put the solution to the customer; their earlier view and check are cleared."""
    solution = _customer_facing(_required(solution, "solution", str(_("de oplossing"))), "solution")

    def change(locked: Complaint) -> None:
        locked.solution = solution
        locked.solution_proposed_at = now
        locked.customer_view = ""
        locked.customer_view_note = ""
        locked.customer_view_at = None
        locked.follow_up_solved = None
        locked.follow_up_requested_at = None

    return _take_step(
        complaint=complaint, actor=actor, step=Step.PROPOSE_SOLUTION, now=now, change=change
    )


def complaint_record_view(
    *, complaint: Complaint, actor: Staff | None, agrees: bool, note: str, now: datetime
) -> Complaint:
    """R7: the customer's view of the proposed solution, before it is final.

    Recorded by an employee (from a conversation) or, with ``actor=None``, by the customer
    on their status page.
    """
    note = _optional(note, "note", str(_("De toelichting")))

    def change(locked: Complaint) -> dict[str, Any]:
        locked.customer_view = (CustomerView.AGREES if agrees else CustomerView.DISAGREES).value
        locked.customer_view_note = note
        locked.customer_view_at = now
        return {"note": note} if note else {}

    step = Step.ACCEPT_SOLUTION if agrees else Step.REJECT_SOLUTION
    return _take_step(complaint=complaint, actor=actor, step=step, now=now, change=change)


def complaint_follow_up(
    *, complaint: Complaint, actor: Staff | None, solved: bool, note: str, now: datetime
) -> Complaint:
    """R10: check with the customer that the matter was really solved.

    An employee writes a report of the check; the customer (``actor=None``) answers on the
    status page, once the handler asked (:func:`complaint_request_follow_up`), with an
    optional comment.
    """
    if actor is None:
        note = _optional(note, "note", str(_("De toelichting")))
    else:
        note = _required(note, "note", str(_("het verslag van de nacontrole")))

    def change(locked: Complaint) -> dict[str, Any]:
        if actor is None and locked.follow_up_requested_at is None:
            raise NotAllowed(
                "follow_up_not_requested",
                _("Deze vraag is (nog) niet aan de klant gesteld (R10)."),
            )
        locked.follow_up_solved = solved
        locked.follow_up_note = note
        locked.follow_up_at = now
        return {"note": note} if note and actor is None else {}

    step = Step.CONFIRM_SOLVED if solved else Step.REPORT_UNSOLVED
    return _take_step(complaint=complaint, actor=actor, step=step, now=now, change=change)


CLOSING_STEPS = {
    "solved": Step.CLOSE_SOLVED,
    "unsolved": Step.CLOSE_UNSOLVED,
    "withdrawn": Step.WITHDRAW,
    "ruling": Step.CLOSE_AFTER_RULING,
}


def complaint_close(
    *, complaint: Complaint, actor: Staff, outcome: str, note: str, now: datetime
) -> Complaint:
    """Close with an outcome; "solved" only after R7 and R10, "ruling" only after R11."""
    step = CLOSING_STEPS.get(outcome)
    if step is None:
        raise InvalidInput(
            "invalid_outcome",
            _("Uitkomst moet een van %(choices)s zijn."),
            {"choices": ", ".join(CLOSING_STEPS)},
            field="outcome",
        )

    def change(locked: Complaint) -> None:
        locked.outcome = lifecycle.OUTCOME_OF[step].value
        locked.closing_note = note.strip()
        locked.closed_at = now

    return _take_step(complaint=complaint, actor=actor, step=step, now=now, change=change)


def complaint_refer_to_dispute(
    *, complaint: Complaint, actor: Staff, note: str, now: datetime
) -> Complaint:
    """R11: the customer engages the independent third party (named in the settings)."""
    note = _required(note, "note", str(_("wat aan de derde is voorgelegd")))
    found = organisation_settings()
    third_party = f"{found.third_party_name} ({found.third_party_website})"

    def change(locked: Complaint) -> None:
        locked.dispute_referred_at = now
        locked.dispute_note = note
        locked.dispute_third_party = third_party
        locked.closed_at = None
        locked.outcome = ""

    return _take_step(
        complaint=complaint, actor=actor, step=Step.REFER_TO_DISPUTE, now=now, change=change
    )


def complaint_record_ruling(
    *,
    complaint: Complaint,
    actor: Staff,
    text: str,
    consequences: list[ActionData],
    ruled_on: date | None = None,
    now: datetime,
) -> Complaint:
    """R11: the binding ruling (its date and text); its consequences become action items with
    short deadlines: none later than the settings' short term allows
    (:func:`ruling_consequence_latest`). From then on the outcome is fixed. Every problem with
    the input is reported at once.
    """
    problems: list[InvalidInput] = []
    try:
        text = _required(text, "text", str(_("de uitspraak")))
    except InvalidInput as error:
        problems.append(error)
    today = local_today(now)
    ruled_on = ruled_on or today
    if ruled_on > today:
        problems.append(
            InvalidInput(
                "ruling_in_future",
                _("De datum van de uitspraak kan niet in de toekomst liggen."),
                field="ruled_on",
            )
        )
    latest, working_days = ruling_consequence_latest(now)
    for index, consequence in enumerate(consequences):
        if consequence.due < today:
            problems.append(
                InvalidInput(
                    "due_in_past",
                    _("De datum van een gevolg ligt in het verleden."),
                    field=f"consequences.{index}.due",
                )
            )
        elif consequence.due > latest:
            problems.append(
                InvalidInput(
                    "consequence_too_late",
                    _(
                        "Een gevolg van de uitspraak is binnen %(days)s klaar: uiterlijk "
                        "%(latest)s (R11)."
                    ),
                    {
                        "days": working_days_text(working_days),
                        "latest": date_format(latest, "l j F Y"),
                    },
                    field=f"consequences.{index}.due",
                )
            )
    InvalidInputs.raise_any(problems)

    def change(locked: Complaint) -> dict[str, Any]:
        locked.ruling_at = now
        locked.ruling_on = ruled_on
        locked.ruling_text = text
        ActionItem.objects.bulk_create(
            ActionItem(
                complaint=locked,
                what=a.what.strip(),
                who=a.who,
                due=a.due,
                created_at=now,
                from_ruling=True,
            )
            for a in consequences
        )
        return {"consequences": len(consequences)}

    return _take_step(
        complaint=complaint, actor=actor, step=Step.RECORD_RULING, now=now, change=change
    )


def ruling_consequence_latest(now: datetime) -> tuple[date, int]:
    """R11: the latest date for a consequence of a ruling recorded now, and the short term in
    working days it comes from (``ruling_consequence_working_days``, a setting; default 5)."""
    working_days = organisation_settings().ruling_consequence_working_days
    return (
        ruling_consequence_due(local_today(now), work_calendar(), working_days),
        working_days,
    )


def ruling_consequence_default(now: datetime) -> date:
    """R11: a consequence of a ruling without a date of its own is due at the end of the short
    term (5 working days unless the settings say otherwise)."""
    return ruling_consequence_latest(now)[0]


# --- Taking up a report from the website (R2, R15) ---------------------------------------------


@transaction.atomic
def complaint_take_up(*, complaint: Complaint, actor: Staff, now: datetime) -> Complaint:
    """R15: the first employee who takes up a report from the website becomes its receiver,
    and its handler; from then on the normal rules of who sees it apply (R2).

    Under a row lock, so of two employees clicking at once exactly one succeeds; the other
    gets a clear refusal naming who was first.
    """
    # Only the complaint's row is locked (PostgreSQL cannot lock the outer side of a join).
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("receiver")
        .get(pk=complaint.pk)
    )
    if locked.receiver_id is not None:
        raise NotAllowed(
            "already_taken_up",
            _("Deze melding is al opgepakt door %(name)s."),
            {"name": str(locked.receiver)},
        )
    if locked.status == Status.CLOSED:
        raise NotAllowed("complaint_closed", _("Deze melding is afgesloten."))
    before = _snapshot(locked)
    locked.receiver = actor
    locked.handler = actor
    locked.save(update_fields=["receiver", "handler"])
    after = _snapshot(locked)
    audit_append(
        complaint=locked,
        actor=actor,
        action="taken_up",
        now=now,
        before={key: value for key, value in before.items() if after[key] != value},
        after={key: value for key, value in after.items() if before[key] != value},
    )
    return locked


# --- What the customer is asked and sent on the status page (R7, R10) --------------------------


@transaction.atomic
def complaint_request_follow_up(*, complaint: Complaint, actor: Staff, now: datetime) -> Complaint:
    """R10: ask the customer on their status page whether it is really solved.

    Only when the follow-up check is the step that may be taken now (the customer agreed to
    the solution, R7). The customer is told by mail, with their status link and the
    handler's card (R14), when their file has an e-mail address.
    """
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require_taken_up(locked)
    decision = lifecycle.decide(
        Status(locked.status), Step.CONFIRM_SOLVED, complaint_facts(locked), now
    )
    if not decision.allowed:
        raise StepRefused(Step.CONFIRM_SOLVED, decision.reasons)
    locked.follow_up_requested_at = now
    locked.save(update_fields=["follow_up_requested_at"])
    audit_append(complaint=locked, actor=actor, action="follow_up_requested", now=now)
    customer_mail(
        complaint=locked,
        key=f"{locked.reference}-follow-up-request-{now.timestamp()}",
        template="public/mail/follow_up.txt",
        now=now,
    )
    return locked


def customer_mail(*, complaint: Complaint, key: str, template: str, now: datetime) -> bool:
    """Queue a short mail to the customer with their status link; False without an address.

    The templates' own words pass the wording guard (R13; tests/public pins that); the
    customer's name is theirs and is not checked, so no name can stop the mail.
    """
    customer = CustomerFile.objects.get(pk=complaint.customer_id)
    if not customer.email:
        return False
    organisation = organisation_settings()
    context = {
        "complaint": complaint,
        "customer": customer,
        "status_url": _status_url_for_mail(complaint, now=now),
        "card": complaint.handler,  # R14: the responsible employee's card
        "organisation": organisation,
    }
    # Staff may work in English; the customer is written to in the organisation's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = mail_parts(render_to_string(template, context))
    outbox_enqueue(
        key=key,
        to=customer.email,
        subject=subject,
        body=body,
        now=now,
        complaint=complaint,
        purpose=MailPurpose.CUSTOMER,
        **_card_attachment(complaint.handler, organisation),
    )
    return True


def _status_url_for_mail(complaint: Complaint, *, now: datetime) -> str | None:
    """The status link a mail to the customer carries; None once the data is erased (R5).

    A link made under a ``SECRET_KEY`` that is no longer configured (nor a fallback) opens
    nothing any more; rather than mail a dead link, it is replaced here by a new one, as
    staff would renew it (docs/decisions.md, "Status links stored as digests").
    """
    url = complaint_status_url(complaint)
    if url is not None or complaint.status_token_digest is None:
        return url
    fresh = status_link_new()
    replaced = Complaint.objects.filter(
        pk=complaint.pk, status_token_digest=complaint.status_token_digest
    ).update(**fresh)
    complaint.refresh_from_db(fields=STATUS_LINK_FIELDS)  # or the link another run made
    if replaced:
        audit_append(
            complaint=complaint,
            actor=None,
            action="status_link_renewed",
            now=now,
            after={"sent": True, "key_changed": True},
        )
    return complaint_status_url(complaint)


def _card_attachment(staff: Staff | None, organisation: OrganisationSettings) -> dict[str, Any]:
    """R14: the responsible employee's card as a vCard, and replies going to them; nothing
    when nobody holds the case yet or the card is incomplete (the text names the organisation)
    — then replies still go to the product's mailbox when one is read (#13)."""
    nobody = {"reply_to": customer_reply_to("")}
    if staff is None:
        return nobody
    try:
        card = card_for(staff, organisation)
    except InvalidInput:
        return nobody
    return {"reply_to": customer_reply_to(card.email), "attachments": [vcard_attachment(card)]}


@transaction.atomic
def complaint_status_link_renew(
    *, complaint: Complaint, actor: Staff, send: bool, now: datetime
) -> Complaint:
    """Revoke the customer's status link by issuing a new one; the old one stops working.

    For a link that reached someone else (R2). With ``send``, the customer gets the new link
    by mail. The tokens themselves are never stored, nor written to the audit log (#15).
    """
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status_token_digest is None:
        raise NotAllowed("status_link_erased", _("Van deze melding zijn de gegevens gewist (R5)."))
    for name, value in status_link_new().items():
        setattr(locked, name, value)
    locked.save(update_fields=STATUS_LINK_FIELDS)
    sent = send and customer_mail(
        complaint=locked,
        key=f"{locked.reference}-status-link-{now.timestamp()}",
        template="public/mail/status_link.txt",
        now=now,
    )
    audit_append(
        complaint=locked, actor=actor, action="status_link_renewed", now=now, after={"sent": sent}
    )
    return locked


@transaction.atomic
def customer_naw_check(*, complaint: Complaint, actor: Staff, now: datetime) -> Complaint:
    """R6: an employee checked the customer's NAW with them (a web report's NAW is unchecked).

    Recorded on the customer file, logged on the complaint it was checked for.
    """
    customer = CustomerFile.objects.select_for_update().get(pk=complaint.customer_id)
    if customer.naw_checked_at is None:
        customer.naw_checked_at = now
        customer.naw_checked_by = actor
        customer.save(update_fields=["naw_checked_at", "naw_checked_by"])
        audit_append(complaint=complaint, actor=actor, action="naw_checked", now=now)
    complaint.customer = customer
    return complaint


@transaction.atomic
def complaint_customer_change(
    *, complaint: Complaint, customer_id: int, actor: Staff, now: datetime
) -> Complaint:
    """R5, R6: file a complaint in another, existing customer file.

    For a report that came in by e-mail or through the website from someone whose file could
    not be told apart (no file, or several with the sender's address): the employee who took
    it up finds the customer's own file and moves the complaint there, so the customer's
    history stays in one file (R5). The provisional file it leaves behind is removed when no
    other complaint is in it and its NAW was never checked — it holds only what the mail or
    the form said, which the complaint keeps (the report, the ``.eml``). Its e-mail address
    goes to the chosen file when that has none, so the customer keeps getting answers. Logged
    on the complaint (R2).
    """
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=complaint.pk)
    )
    _require_taken_up(locked)
    if locked.status == Status.CLOSED:
        raise NotAllowed("complaint_closed", _("Deze melding is afgesloten."))
    target = CustomerFile.objects.select_for_update().filter(pk=customer_id).first()
    # Need to know (#15): an employee moves it only into a file they found themselves by the
    # customer's e-mail or address; any other id is as unknown as one that does not exist.
    if target is None or not (
        actor.is_management
        or customer_found_recently(staff=actor, customer_id=customer_id, now=now)
    ):
        raise InvalidInput("not_found", _("Klantmap niet gevonden."), field="customer_id")
    if target.anonymised_at is not None:
        raise NotAllowed("customer_anonymised", _("De gegevens van deze klant zijn gewist (R5)."))
    previous = locked.customer
    if target.pk == previous.pk:
        return locked
    locked.customer = target
    locked.save(update_fields=["customer"])
    if not target.email and previous.email:
        target.email = previous.email
        target.save(update_fields=["email"])
    removed = (
        previous.naw_checked_at is None
        and not Complaint.objects.filter(customer_id=previous.pk).exists()
    )
    before = {"customer_id": previous.pk, "customer": str(previous.name)}
    if removed:
        previous.delete()
    audit_append(
        complaint=locked,
        actor=actor,
        action="customer_relinked",
        now=now,
        before=before,
        after={"customer_id": target.pk, "customer": str(target.name), "removed": removed},
    )
    return locked


def customer_lookup_log(
    *, actor: Staff, words: str, found: Iterable[CustomerFile], now: datetime
) -> None:
    """R2 (#15, need to know): every search for a customer file is logged — who, when, how
    (e-mail, postcode and house number, or management's name search) and which files it
    found. Not the words themselves: they are a customer's e-mail or address, and the log
    outlives the files (R5)."""
    words = words.strip()
    if len(words) < 2:
        return
    how = "email" if "@" in words else "address" if any(c.isdigit() for c in words) else "name"
    audit_append(
        complaint=None,
        actor=actor,
        action="customer_looked_up",
        now=now,
        after={"by": how, "found": [customer.pk for customer in found]},
    )


NAW_FIELDS = frozenset({"name", "street", "house_number", "postcode", "town", "country"})
"""R6: the details that are checked with the customer; a change of one asks for the check again."""


@transaction.atomic
def customer_file_update(
    *,
    customer: CustomerFile,
    actor: Staff,
    data: CustomerData,
    naw_checked: bool,
    now: datetime,
) -> CustomerFile:
    """Correct a customer file (R5, R6): NAW and contact details, checked like at intake.

    The caller has the file from a selector that applies R2 (``customer_file_get_for``).
    ``naw_checked`` records that the employee checked NAW with the customer just now (R6);
    a changed NAW without that check is no longer "checked", e-mail or phone alone keeps an
    earlier check. The change — old and new values — is appended to the audit log of every
    complaint in the file, so it is read exactly where the file's complaints may be read
    (R2) and leaves with them at the end of their retention (R5). Nothing changed, nothing
    written.
    """
    locked = CustomerFile.objects.select_for_update().get(pk=customer.pk)
    if locked.anonymised_at is not None:
        raise NotAllowed("customer_anonymised", _("De gegevens van deze klant zijn gewist (R5)."))
    cleaned = asdict(customer_data_clean(data))
    before_all = {name: getattr(locked, name) for name in cleaned}
    changed = [name for name, value in cleaned.items() if before_all[name] != value]
    was_checked = locked.naw_checked_at is not None
    checked = naw_checked or (was_checked and not NAW_FIELDS.intersection(changed))
    if not changed and not naw_checked:
        return locked
    for name in changed:
        setattr(locked, name, cleaned[name])
    if naw_checked:
        locked.naw_checked_at, locked.naw_checked_by = now, actor
    elif not checked:
        locked.naw_checked_at, locked.naw_checked_by = None, None
    locked.save(update_fields=[*changed, "naw_checked_at", "naw_checked_by"])
    before = {name: before_all[name] for name in changed}
    after = {name: cleaned[name] for name in changed}
    if checked != was_checked or naw_checked:
        before["naw_checked"], after["naw_checked"] = was_checked, checked
    AuditEntry.objects.bulk_create(
        AuditEntry(
            complaint_id=pk,
            actor=actor,
            at=now,
            action="customer_changed",
            before=before,
            after=after,
        )
        for pk in Complaint.objects.filter(customer=locked).values_list("pk", flat=True)
    )
    return locked


def complaint_may_reassign(*, actor: Staff, complaint: Complaint) -> bool:
    """R15: management, the receiver and the current handler may hand a complaint on."""
    return actor.is_management or actor.pk in {complaint.receiver_id, complaint.handler_id}


@transaction.atomic
def complaint_assign(
    *,
    complaint: Complaint,
    actor: Staff,
    handler: Staff | None = None,
    category: Category | None = None,
    root_cause: RootCause | None = None,
    booked_again: str = "",
    now: datetime,
) -> Complaint:
    """Hand a complaint to another handler and/or set its category, root cause, and whether
    the customer booked again (R1: ``"yes"``, ``"no"`` or ``"unknown"``; empty keeps it).

    The receiver stays attached and co-responsible (R15). A report from the website that
    nobody has taken up yet can be handed to someone by management; that person takes it up,
    becoming receiver and handler.
    """
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if handler is not None and handler.pk != locked.handler_id:
        if locked.status == Status.CLOSED:
            raise NotAllowed("complaint_closed", _("Deze melding is afgesloten."))
        if not complaint_may_reassign(actor=actor, complaint=locked):
            raise NotAllowed(
                "reassign_not_allowed",
                _(
                    "Alleen de directie, de ontvanger of de behandelaar kan de melding "
                    "doorgeven (R15)."
                ),
            )
    before = _snapshot(locked)
    if handler is not None:
        locked.handler = handler
        if locked.receiver_id is None:
            locked.receiver = handler
    if category is not None:
        locked.category = category
    if root_cause is not None:
        locked.root_cause = root_cause
    if booked_again:
        if booked_again not in BOOKED_AGAIN:
            raise InvalidInput(
                "invalid_booked_again",
                _("Opnieuw geboekt is een van: %(choices)s."),
                {"choices": ", ".join(BOOKED_AGAIN)},
                field="booked_again",
            )
        locked.booked_again = BOOKED_AGAIN[booked_again]
    after = _snapshot(locked)
    if after == before:
        return locked  # nothing changed, nothing to log
    locked.save(update_fields=["receiver", "handler", "category", "root_cause", "booked_again"])
    audit_append(
        complaint=locked,
        actor=actor,
        action="assigned",
        now=now,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    if handler is not None and handler != actor:
        staff_mail(
            key=f"{locked.reference}-assigned-{now.timestamp()}",
            to=[handler],
            template="complaints/mail/assigned.txt",
            context={"complaint": locked, "actor": actor},
            now=now,
        )
    return locked


TRAINING_FIELDS = ("course", "trainer", "training_location", "training_date", "course_text")


@transaction.atomic
def complaint_training_update(
    *, complaint: Complaint, actor: Staff, training: Training, now: datetime
) -> Complaint:
    """Correct what a complaint concerns (#16 item 1): course, trainer, where and when, and the
    customer's own name for the course.

    Whoever may see the complaint may, as with its category; also once it is closed, since the
    figures per course and trainer count it. A course or trainer out of use may stay on the
    complaint that has it, but is not newly chosen.
    """
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    problems = training_problems(training)
    for field, chosen, current in (
        ("course", training.course, locked.course_id),
        ("trainer", training.trainer, locked.trainer_id),
    ):
        if chosen is not None and not chosen.active and chosen.pk != current:
            problems.append(
                InvalidInput("unknown_choice", _("Deze keuze bestaat niet."), field=field)
            )
    InvalidInputs.raise_any(problems)

    def facts() -> dict[str, Any]:
        return {
            "course_id": locked.course_id,
            "trainer_id": locked.trainer_id,
            "training_location": locked.training_location,
            "training_date": locked.training_date,
            "course_text": locked.course_text,
        }

    before = facts()
    for name, value in _training_fields(training).items():
        setattr(locked, name, value)
    after = facts()
    if after == before:
        return locked  # nothing changed, nothing to log
    locked.save(update_fields=list(TRAINING_FIELDS))
    audit_append(
        complaint=locked,
        actor=actor,
        action="training_changed",
        now=now,
        before={key: value for key, value in before.items() if after[key] != value},
        after={key: value for key, value in after.items() if before[key] != value},
    )
    return locked


# --- Internal notes and a colleague's account (#13; R2, R10) ------------------------------------

MAX_NOTE = 20_000


@transaction.atomic
def note_add(*, complaint: Complaint, author: Staff, text: str, now: datetime) -> InternalNote:
    """A note for staff only, never for the customer. When ``author`` was asked for their
    account of this complaint (R10), the note is that account: the request is answered, the
    colleague who asked hears of it, and the author's access ends with it (R2)."""
    text = _required(text, "text", str(_("de notitie")))
    if len(text) > MAX_NOTE:
        raise InvalidInput(
            "too_long",
            _("De notitie is te lang (maximaal %(max)s tekens)."),
            {"max": MAX_NOTE},
            field="text",
        )
    request = (
        AccountRequest.objects.select_for_update()
        .filter(complaint=complaint, asked_of=author, answered_at__isnull=True)
        .select_related("asked_by")
        .order_by("asked_at")
        .first()
    )
    note = InternalNote.objects.create(
        complaint=complaint, author=author, text=text, created_at=now, answers=request
    )
    audit_append(
        complaint=complaint,
        actor=author,
        action="note_added",
        now=now,
        after={"note": note.pk, **({"answers": request.pk} if request else {})},
    )
    if request is not None:
        AccountRequest.objects.filter(
            complaint=complaint, asked_of=author, answered_at__isnull=True
        ).update(answered_at=now)
        staff_mail(
            key=f"{complaint.reference}-account-given-{request.pk}",
            to=[request.asked_by],
            template="complaints/mail/account_given.txt",
            context={"complaint": complaint, "colleague": author},
            now=now,
        )
    return note


@transaction.atomic
def account_request(
    *, complaint: Complaint, asked_by: Staff, asked_of: Staff, question: str, now: datetime
) -> AccountRequest:
    """R10: ask a colleague for their account of what happened. Until they answer with a note
    they may see this one complaint (R2: every read is logged); they are told by mail."""
    question = _required(question, "question", str(_("de vraag")))
    if asked_of == asked_by:
        raise InvalidInput("asked_yourself", _("Vraag een collega, niet uzelf."), field="asked_of")
    if not asked_of.is_active:
        raise InvalidInput(
            "inactive_staff", _("Deze medewerker is niet meer actief."), field="asked_of"
        )
    request = AccountRequest.objects.create(
        complaint=complaint, asked_by=asked_by, asked_of=asked_of, question=question, asked_at=now
    )
    audit_append(
        complaint=complaint,
        actor=asked_by,
        action="account_requested",
        now=now,
        after={"asked_of": asked_of.pk, "request": request.pk},
    )
    staff_mail(
        key=f"{complaint.reference}-account-asked-{request.pk}",
        to=[asked_of],
        template="complaints/mail/account_asked.txt",
        context={"complaint": complaint, "asked_by": asked_by, "question": question},
        now=now,
    )
    return request
