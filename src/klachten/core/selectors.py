"""Reads for the installation's health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection

from klachten.core.models import WorkerHeartbeat

# The worker beats every minute; three missed beats mean it is gone.
WORKER_SILENCE_LIMIT = timedelta(minutes=3)


@dataclass(frozen=True)
class Health:
    database_ok: bool
    worker_last_seen: datetime | None
    worker_ok: bool

    @property
    def ok(self) -> bool:
        return self.database_ok and self.worker_ok


def health(*, now: datetime) -> Health:
    """Whether the database answers and a worker beat recently."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = (
            WorkerHeartbeat.objects.order_by("-last_seen")
            .values_list("last_seen", flat=True)
            .first()
        )
    except Exception:
        return Health(database_ok=False, worker_last_seen=None, worker_ok=False)
    return Health(
        database_ok=True,
        worker_last_seen=last,
        worker_ok=last is not None and now - last <= WORKER_SILENCE_LIMIT,
    )
