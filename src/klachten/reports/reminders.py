"""Reminders to the owners of improvement measures (#16 item 2), as action items get them (R9).

Two moments, one mail each: a measure still open after its due date (``overdue``), and a done
measure whose effect check is due and not recorded (``check_due``). Run by the worker
(``reports.tasks``). As for the complaints' reminders (issue #5), each is found by an indexed
query that leaves out what was sent (``NOT EXISTS`` on the unique ``MeasureReminder`` record),
and sent in its own transaction with that record, its audit entry and the mail (through the
outbox): a run that stops halfway leaves each either fully sent or not at all, and overlapping
runs send it once. The record names the date it is about, so a measure given a new due date or
check date that passes again is reminded again.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.complaints.services import management_staff, staff_mail
from klachten.core.clock import local_today
from klachten.domain.improvement import OPEN_STATUSES, MeasureStatus
from klachten.reports.models import ImprovementMeasure, MeasureReminder

logger = logging.getLogger(__name__)

Stage = MeasureReminder.Stage

# At most this many of each stage per run; a backlog drains over the next runs.
PER_RUN = 500


def measure_reminders_send(*, now: datetime) -> int:
    """Send every measure reminder that is due at ``now`` and was not sent yet."""
    today = local_today(now)
    sent = 0
    for measure in _overdue(today):
        sent += _send(measure, Stage.OVERDUE, measure.due_on, now)
    for measure in _check_due(today):
        assert measure.check_due_on is not None  # noqa: S101 - filtered on below
        sent += _send(measure, Stage.CHECK_DUE, measure.check_due_on, now)
    if sent:
        logger.info("Sent %s reminder(s) about improvement measures.", sent)
    return sent


def _lacks(stage: str, field: str) -> Exists:
    return Exists(
        MeasureReminder.objects.filter(
            measure=OuterRef("pk"),
            stage=stage,
            target=Cast(OuterRef(field), output_field=CharField()),
        )
    )


def _first(queryset: QuerySet[ImprovementMeasure], order: str) -> list[ImprovementMeasure]:
    return list(queryset.select_related("owner").order_by(order, "pk")[:PER_RUN])


def _overdue(today: date) -> list[ImprovementMeasure]:
    """Planned or in progress, and the due date has passed (the day itself is in time)."""
    waiting = ImprovementMeasure.objects.filter(
        status__in=[status.value for status in OPEN_STATUSES], due_on__lt=today
    )
    return _first(waiting.exclude(_lacks(Stage.OVERDUE, "due_on")), "due_on")


def _check_due(today: date) -> list[ImprovementMeasure]:
    """Done, the effect check planned for today or before, and no result recorded."""
    waiting = ImprovementMeasure.objects.filter(
        status=MeasureStatus.DONE, check_result="", check_due_on__lte=today
    )
    return _first(waiting.exclude(_lacks(Stage.CHECK_DUE, "check_due_on")), "check_due_on")


def _recipients(measure: ImprovementMeasure) -> list[Staff]:
    """The owner; management instead when the owner cannot be reached (left, or no address),
    so no reminder goes nowhere."""
    owner = measure.owner
    if owner.is_active and owner.email:
        return [owner]
    return management_staff()


def _send(measure: ImprovementMeasure, stage: str, target: date, now: datetime) -> int:
    """One reminder in its own transaction; 0 when another run already sent it."""
    to = _recipients(measure)
    try:
        with transaction.atomic():
            MeasureReminder.objects.create(
                measure=measure, stage=stage, target=target.isoformat(), sent_at=now
            )
            audit_append(
                complaint=None,
                actor=None,
                action=f"measure.{stage}_reminded",
                now=now,
                after={
                    "id": measure.pk,
                    "title": measure.title,
                    "date": target,
                    "sent_to": [person.pk for person in to],
                },
            )
            staff_mail(
                key=f"measure-{measure.pk}-{stage}-{target.isoformat()}",
                to=to,
                template="reports/mail/measure_reminder.txt",
                context={
                    "measure": measure,
                    "stage": stage,
                    "check_url": settings.BASE_URL
                    + reverse("reports:measure-check", args=[measure.pk]),
                    "edit_url": settings.BASE_URL
                    + reverse("reports:measure-edit", args=[measure.pk]),
                },
                now=now,
            )
    except IntegrityError:
        return 0  # an overlapping run sent it first: the unique record keeps it to once
    return 1
