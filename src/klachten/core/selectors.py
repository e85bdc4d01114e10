"""Reads for the installation's health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, Max, Q

from klachten.accounts.models import Staff
from klachten.core.models import SetupToken, WorkerHeartbeat, WorkerRestart

# The worker beats every minute; three missed beats mean it is gone.
WORKER_SILENCE_LIMIT = timedelta(minutes=3)
# Health counts the restarts of a worker (by ``klachten serve``) over this window.
WORKER_RESTART_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Health:
    database_ok: bool
    worker_last_seen: datetime | None
    worker_ok: bool
    # How often ``serve`` restarted a worker that stopped (issue #10): in the last 24 hours,
    # and when it last did.
    worker_restarts: int = 0
    worker_last_restart: datetime | None = None

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
        restarts = WorkerRestart.objects.aggregate(
            count=Count("id", filter=Q(at__gt=now - WORKER_RESTART_WINDOW)), last=Max("at")
        )
    except Exception:
        return Health(database_ok=False, worker_last_seen=None, worker_ok=False)
    return Health(
        database_ok=True,
        worker_last_seen=last,
        worker_ok=last is not None and now - last <= WORKER_SILENCE_LIMIT,
        worker_restarts=restarts["count"],
        worker_last_restart=restarts["last"],
    )


def staff_exists() -> bool:
    """Whether the installation has any staff account yet (none: it is still to be set up)."""
    return Staff.objects.exists()


def setup_link_valid(token: str) -> bool:
    """Whether ``token`` is a set-up link of this installation that still works."""
    from klachten.core.services import setup_digest

    return (
        not Staff.objects.exists()
        and SetupToken.objects.filter(digest=setup_digest(token)).exists()
    )
