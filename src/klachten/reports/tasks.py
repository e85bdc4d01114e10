"""The worker's part of the reports: the dashboard's figures kept current in the background,
and the reminders to the owners of improvement measures."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from klachten.reports.insight import dashboard_figures_keep
from klachten.reports.reminders import measure_reminders_send


@db_periodic_task(crontab(minute="*"))
def keep_dashboard_figures() -> None:
    """Every minute: the months the dashboard opens with, computed again where a complaint
    changed them, so the first visit after a start or a busy day reads kept figures (#14).

    Returns nothing: Huey would keep a periodic task's result nobody reads.
    """
    dashboard_figures_keep(now=timezone.now())


@db_periodic_task(crontab(minute="*/5"))
def send_measure_reminders() -> None:
    """Every five minutes: the reminders about improvement measures that are due (#16 item 2;
    a measure's dates are whole days, so a few minutes' delay costs nothing)."""
    measure_reminders_send(now=timezone.now())
