"""The complaints' background work. Tasks only call services (ARCHITECTURE.md)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from klachten.complaints.reminders import reminders_send
from klachten.complaints.satisfaction import satisfaction_run


@db_periodic_task(crontab(minute="*"))
def send_reminders() -> None:
    """Every minute: the reminders and breach alerts that are due (issue #5; R3, R9, R16).

    Returns nothing: Huey would keep a periodic task's result nobody reads.
    """
    reminders_send(now=timezone.now())


@db_periodic_task(crontab(minute="*"))
def ask_satisfaction() -> None:
    """Every minute: ask customers of cases just closed how satisfied they are; remind once
    after a week (R1)."""
    satisfaction_run(now=timezone.now())
