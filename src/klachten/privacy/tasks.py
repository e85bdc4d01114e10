"""Privacy's background work. Tasks only call services (ARCHITECTURE.md)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from klachten.privacy.retention import retention_run


@db_periodic_task(crontab(hour="2", minute="30"))
def apply_retention() -> None:
    """Every night at 02:30 (UTC): the retention term (R5). Logs counts only."""
    retention_run(now=timezone.now())
