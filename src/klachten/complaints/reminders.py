"""Reminders before each deadline and alerts when one passes unmet (issue #5; R3, R9, R15, R16).

Run every minute by the worker (``complaints.tasks``). Each kind of reminder is found by an
indexed query over the open complaints that do not have it yet (``NOT EXISTS`` on the unique
reminder record), so the cost is that of the reminders due, not of the number of complaints.
Each reminder is sent in its own transaction, which writes the unique record, the timeline
entry and the mails (through the outbox) together: a run that crashes halfway leaves every
reminder either fully sent or not at all, and the next run sends the rest exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, Model, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.complaints.models import ActionItem, Complaint, Reminder
from klachten.complaints.services import management_staff, staff_mail
from klachten.core.clock import local_today
from klachten.domain import reminders as rules
from klachten.domain.deadlines import day_of_receipt
from klachten.domain.lifecycle import Status
from klachten.domain.reminders import Kind, ReminderLeads, Stage
from klachten.domain.terms import Terms
from klachten.domain.workdays import WorkCalendar, end_of_day
from klachten.organisation.models import OrganisationSettings
from klachten.organisation.selectors import organisation_settings, work_calendar
from klachten.organisation.texts import terms_text

logger = logging.getLogger(__name__)

# The longest a contact reminder can come before its deadline in calendar time: 23 working
# hours across a long closure (Christmas to New Year, a weekend on either side).
CONTACT_HORIZON = timedelta(days=21)
# The longest a date reminder (a few working days) can come before its date, across closures.
LEAD_HORIZON = timedelta(days=21)
# At most this many of each kind and stage per run (a backlog after a long stop drains in a
# few minutes; a normal minute has a handful).
PER_RUN = 500
# R16 reminders are about the three- and four-week terms; a case before the independent third
# party (R11) waits for the ruling instead.
R16_EXCLUDED = (Status.IN_DISPUTE,)


@dataclass(frozen=True)
class Due:
    """One reminder or breach alert to send now."""

    complaint: Complaint
    kind: Kind
    stage: Stage
    target: str
    deadline: datetime
    action: ActionItem | None = None


def reminder_leads(found: OrganisationSettings) -> ReminderLeads:
    """The lead times management set (organisation settings)."""
    return ReminderLeads(
        contact_working_hours=found.reminder_contact_working_hours,
        delay_notice_day=found.reminder_delay_notice_day,
        settlement_day=found.reminder_settlement_day,
        action_working_days=found.reminder_action_working_days,
    )


def reminders_send(*, now: datetime) -> int:
    """Send every reminder and breach alert that is due at ``now`` and not sent yet."""
    leads, calendar = reminder_leads(organisation_settings()), work_calendar()
    sent = sum(_send(due, now) for due in _due(now, leads, calendar))
    if sent:
        logger.info("Sent %s reminder(s) and breach alert(s).", sent)
    return sent


# --- Finding what is due -----------------------------------------------------------------------


def _lacks(kind: Kind, stage: Stage, target: Cast | Value | None = None) -> Q:
    """``NOT EXISTS`` a reminder record of this kind, stage and target for the outer complaint."""
    return ~Q(
        Exists(
            Reminder.objects.filter(
                complaint=OuterRef("pk"),
                kind=kind,
                stage=stage,
                target=target if target is not None else Value(""),
            )
        )
    )


M = TypeVar("M", bound=Model)


def _first(queryset: QuerySet[M], order: str) -> list[M]:
    """The ``PER_RUN`` rows of ``queryset`` with the earliest ``order``: a run's work and memory
    stay bounded, and the rest follows next minute (the records say what was sent). The orders
    are those of the reminder moments too, so nothing due waits behind something that is not.
    """
    return list(queryset.order_by(order, "pk")[:PER_RUN])


def _as_text(field: str) -> Cast:
    return Cast(OuterRef(field), output_field=CharField())


def _open() -> QuerySet[Complaint]:
    """Open complaints (``attention_due`` is NULL exactly once closed), with their people."""
    return Complaint.objects.filter(attention_due__isnull=False).select_related(
        "receiver", "handler"
    )


def _not_history(deadline: str) -> Q:
    """A deadline that had already passed when its complaint was imported from an old
    register (#16 item 5) is history: nobody is alerted about it."""
    return Q(imported_at__isnull=True) | Q(**{f"{deadline}__gt": F("imported_at")})


def _due(now: datetime, leads: ReminderLeads, calendar: WorkCalendar) -> Iterator[Due]:
    today = local_today(now)
    yield from _contact(now, leads, calendar)
    yield from _delay_notice(now, leads)
    yield from _settlement(now, today, leads)
    yield from _agreed_term(now, today, leads, calendar)
    yield from _actions(now, today, leads, calendar)


def _contact(now: datetime, leads: ReminderLeads, calendar: WorkCalendar) -> Iterator[Due]:
    """R3: contact within 24 working hours of receipt."""
    waiting = _open().filter(contacted_at__isnull=True)
    for complaint in _first(
        waiting.filter(_not_history("contact_due"), contact_due__lte=now).filter(
            _lacks(Kind.CONTACT, Stage.BREACH)
        ),
        "contact_due",
    ):
        yield Due(complaint, Kind.CONTACT, Stage.BREACH, "", complaint.contact_due)
    for complaint in _first(
        waiting.filter(contact_due__gt=now, contact_due__lte=now + CONTACT_HORIZON).filter(
            _lacks(Kind.CONTACT, Stage.REMINDER)
        ),
        "contact_due",
    ):
        remind_at = rules.contact_reminder_at(complaint.contact_due, leads, calendar)
        if rules.is_due(remind_at, complaint.contact_due, now)[0]:
            yield Due(complaint, Kind.CONTACT, Stage.REMINDER, "", complaint.contact_due)


def _delay_notice(now: datetime, leads: ReminderLeads) -> Iterator[Due]:
    """R16: a delay notice within 3 weeks; asked for from day 14."""
    waiting = _open().filter(delay_notice_sent_at__isnull=True).exclude(status__in=R16_EXCLUDED)
    for complaint in _first(
        waiting.filter(_not_history("delay_notice_due"), delay_notice_due__lte=now).filter(
            _lacks(Kind.DELAY_NOTICE, Stage.BREACH)
        ),
        "delay_notice_due",
    ):
        yield Due(complaint, Kind.DELAY_NOTICE, Stage.BREACH, "", complaint.delay_notice_due)
    # Day N starts at most a day after ``received_at + N days`` (receipt late in the day).
    started = now - timedelta(days=leads.delay_notice_day - 1)
    for complaint in _first(
        waiting.filter(delay_notice_due__gt=now, received_at__lte=started).filter(
            _lacks(Kind.DELAY_NOTICE, Stage.REMINDER)
        ),
        "received_at",
    ):
        remind_at = rules.day_reminder_at(
            day_of_receipt(complaint.received_at),
            leads.delay_notice_day,
            complaint.delay_notice_due,
        )
        if rules.is_due(remind_at, complaint.delay_notice_due, now)[0]:
            yield Due(complaint, Kind.DELAY_NOTICE, Stage.REMINDER, "", complaint.delay_notice_due)


def _settlement(now: datetime, today: date, leads: ReminderLeads) -> Iterator[Due]:
    """R16: settled within 4 weeks (the complaint's own term), or by the date given in the
    delay notice."""
    waiting = _open().exclude(status__in=R16_EXCLUDED)
    plain = waiting.filter(extended_until__isnull=True)
    extended = waiting.filter(extended_until__isnull=False)
    extension = _as_text("extended_until")
    breaches = [
        *_first(
            plain.filter(_not_history("settlement_due"), settlement_due__lte=now).filter(
                _lacks(Kind.SETTLEMENT, Stage.BREACH)
            ),
            "settlement_due",
        ),
        *_first(
            extended.filter(extended_until__lt=today).filter(
                _lacks(Kind.SETTLEMENT, Stage.BREACH, extension)
            ),
            "extended_until",
        ),
    ]
    started = now - timedelta(days=leads.settlement_day - 1)
    soon = [
        *_first(
            plain.filter(settlement_due__gt=now, received_at__lte=started).filter(
                _lacks(Kind.SETTLEMENT, Stage.REMINDER)
            ),
            "received_at",
        ),
        *_first(
            extended.filter(
                extended_until__gte=today,
                extended_until__lte=today + LEAD_HORIZON,
            ).filter(_lacks(Kind.SETTLEMENT, Stage.REMINDER, extension)),
            "extended_until",
        ),
    ]
    for complaint in breaches:
        deadline = rules.settlement_deadline(complaint.settlement_due, complaint.extended_until)
        yield Due(complaint, Kind.SETTLEMENT, Stage.BREACH, _target(complaint), deadline)
    for complaint in soon:
        deadline = rules.settlement_deadline(complaint.settlement_due, complaint.extended_until)
        remind_at = rules.settlement_reminder_at(
            day_of_receipt(complaint.received_at),
            complaint.settlement_due,
            complaint.extended_until,
            leads,
            complaint.settlement_days,
        )
        if rules.is_due(remind_at, deadline, now)[0]:
            yield Due(complaint, Kind.SETTLEMENT, Stage.REMINDER, _target(complaint), deadline)


def _target(complaint: Complaint) -> str:
    return complaint.extended_until.isoformat() if complaint.extended_until else ""


def _agreed_term(
    now: datetime, today: date, leads: ReminderLeads, calendar: WorkCalendar
) -> Iterator[Due]:
    """R3: the term agreed with the customer; a new term gets reminders of its own."""
    waiting = _open().filter(agreed_term__isnull=False).exclude(status__in=R16_EXCLUDED)
    target = _as_text("agreed_term")
    for complaint in _first(
        waiting.filter(agreed_term__lt=today).filter(
            _lacks(Kind.AGREED_TERM, Stage.BREACH, target)
        ),
        "agreed_term",
    ):
        assert complaint.agreed_term is not None  # noqa: S101 - filtered above
        deadline = end_of_day(complaint.agreed_term)
        yield Due(
            complaint, Kind.AGREED_TERM, Stage.BREACH, complaint.agreed_term.isoformat(), deadline
        )
    for complaint in _first(
        waiting.filter(agreed_term__gte=today, agreed_term__lte=today + LEAD_HORIZON).filter(
            _lacks(Kind.AGREED_TERM, Stage.REMINDER, target)
        ),
        "agreed_term",
    ):
        assert complaint.agreed_term is not None  # noqa: S101 - filtered above
        deadline = end_of_day(complaint.agreed_term)
        remind_at = rules.date_reminder_at(complaint.agreed_term, leads, calendar)
        if rules.is_due(remind_at, deadline, now)[0]:
            yield Due(
                complaint,
                Kind.AGREED_TERM,
                Stage.REMINDER,
                complaint.agreed_term.isoformat(),
                deadline,
            )


def _actions(
    now: datetime, today: date, leads: ReminderLeads, calendar: WorkCalendar
) -> Iterator[Due]:
    """R9, R11: every action item's date, also the consequences of a ruling."""

    def lacks(stage: Stage) -> Q:
        return ~Q(
            Exists(
                Reminder.objects.filter(
                    complaint=OuterRef("complaint"),
                    kind=Kind.ACTION,
                    stage=stage,
                    target=Cast(OuterRef("pk"), output_field=CharField()),
                )
            )
        )

    waiting = ActionItem.objects.filter(
        done_at__isnull=True, complaint__attention_due__isnull=False
    ).select_related("who", "complaint__receiver", "complaint__handler")
    for action in _first(waiting.filter(due__lt=today).filter(lacks(Stage.BREACH)), "due"):
        deadline = end_of_day(action.due)
        yield Due(action.complaint, Kind.ACTION, Stage.BREACH, str(action.pk), deadline, action)
    for action in _first(
        waiting.filter(due__gte=today, due__lte=today + LEAD_HORIZON).filter(lacks(Stage.REMINDER)),
        "due",
    ):
        deadline = end_of_day(action.due)
        remind_at = rules.date_reminder_at(action.due, leads, calendar)
        if rules.is_due(remind_at, deadline, now)[0]:
            yield Due(
                action.complaint, Kind.ACTION, Stage.REMINDER, str(action.pk), deadline, action
            )


# --- Sending one -------------------------------------------------------------------------------


def _recipients(due: Due) -> list[Staff]:
    """Reminders go to the handler and the receiver (R15), and for an action also to whoever
    does it (R9); a breach also goes to management (R3). Nobody twice, nobody inactive."""
    people: dict[int, Staff] = {}
    for person in (due.complaint.handler, due.complaint.receiver):
        if person is not None:
            people[person.pk] = person
    if due.action is not None:
        people[due.action.who.pk] = due.action.who
    if due.stage is Stage.BREACH or not people:
        for manager in management_staff():
            people[manager.pk] = manager
    return sorted(people.values(), key=lambda staff: staff.pk)


def _send(due: Due, now: datetime) -> int:
    """Send one reminder in its own transaction; 0 when another run already sent it."""
    complaint = due.complaint
    to = _recipients(due)
    key = f"{complaint.reference}-{due.kind}-{due.stage}-{due.target or 'x'}"
    try:
        with transaction.atomic():
            Reminder.objects.create(
                complaint=complaint,
                kind=due.kind,
                stage=due.stage,
                target=due.target,
                deadline=due.deadline,
                sent_at=now,
            )
            audit_append(
                complaint=complaint,
                actor=None,
                action=f"{due.stage}_sent",
                now=now,
                after={
                    "reminder_kind": due.kind.value,
                    "deadline": due.deadline,
                    "sent_to": [person.pk for person in to],
                },
            )
            staff_mail(
                key=key,
                to=to,
                template=f"complaints/mail/{due.stage}.txt",
                context={
                    "complaint": complaint,
                    "kind": due.kind.value,
                    "deadline": due.deadline,
                    "action": due.action,
                    # Called while rendering, in each recipient's language (#10, item 14).
                    "terms": partial(
                        terms_text,
                        Terms(
                            contact_working_hours=complaint.contact_working_hours,
                            delay_notice_days=complaint.delay_notice_days,
                            settlement_days=complaint.settlement_days,
                        ),
                    ),
                },
                now=now,
            )
    except IntegrityError:
        return 0  # an overlapping run sent it first: the unique record keeps it to once
    return 1
