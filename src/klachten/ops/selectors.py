"""Reads for the installation's health."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, Q

from klachten.accounts.models import Staff
from klachten.core.errors import write_failure_last
from klachten.ops.models import SetupToken, WorkerHeartbeat, WorkerRestart

# The worker beats every minute; three missed beats mean it is gone.
WORKER_SILENCE_LIMIT = timedelta(minutes=3)
# A write that failed this long ago or less still counts as "writes fail" (issue #10).
WRITE_FAILURE_MEMORY = timedelta(minutes=5)
# How long the write probe waits for a lock before it reports that writes fail.
WRITE_PROBE_WAIT_SECONDS = 2
WRITE_PROBE_NAME = "gezondheid: schrijftest"
# Health counts the restarts of a worker (by ``klachten serve``) over this window.
WORKER_RESTART_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Health:
    database_ok: bool
    worker_last_seen: datetime | None
    worker_ok: bool
    database_writes_ok: bool = True
    database_write_failed_at: datetime | None = None
    # How often ``serve`` restarted a worker that stopped (issue #10): in the last 24 hours,
    # and when it last did.
    worker_restarts: int = 0
    worker_last_restart: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.database_ok and self.worker_ok and self.database_writes_ok


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
        return Health(
            database_ok=False,
            worker_last_seen=None,
            worker_ok=False,
            database_writes_ok=False,
            database_write_failed_at=write_failure_last(),
        )
    failed_at = write_failure_last()
    return Health(
        database_ok=True,
        worker_last_seen=last,
        worker_ok=last is not None and now - last <= WORKER_SILENCE_LIMIT,
        database_writes_ok=database_writable(now=now)
        and (failed_at is None or not now - WRITE_FAILURE_MEMORY < failed_at <= now),
        database_write_failed_at=failed_at,
        worker_restarts=restarts["count"],
        worker_last_restart=restarts["last"],
    )


def staff_exists() -> bool:
    """Whether the installation has any staff account yet (none: it is still to be set up)."""
    return Staff.objects.exists()


def setup_link_valid(token: str) -> bool:
    """Whether ``token`` is a set-up link of this installation that still works."""
    from klachten.ops.services import setup_digest

    return (
        not Staff.objects.exists()
        and SetupToken.objects.filter(digest=setup_digest(token)).exists()
    )


class _ProbeWritten(Exception):
    """Raised to roll the probe's write back."""


def database_writable(*, now: datetime) -> bool:
    """Does the database take a write now? One row written and rolled back, never kept.

    A read-only database, a full PostgreSQL disk or a lock held longer than
    ``WRITE_PROBE_WAIT_SECONDS`` makes it fail. A full SQLite disk shows only when a write
    is committed, so ``/gezondheid/`` also reports the last write a request saw fail.
    """
    vendor = connection.vendor
    try:
        with _short_lock_wait(vendor), transaction.atomic():
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{WRITE_PROBE_WAIT_SECONDS}s'")
            WorkerHeartbeat.objects.create(worker=WRITE_PROBE_NAME, last_seen=now)
            raise _ProbeWritten
    except _ProbeWritten:
        return True
    except DatabaseError:
        return False


@contextmanager
def _short_lock_wait(vendor: str) -> Iterator[None]:
    """SQLite: wait for another writer's lock as long as the probe may, not 20 seconds."""
    if vendor != "sqlite":
        yield
        return
    usual = int(float(settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {WRITE_PROBE_WAIT_SECONDS * 1000}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {usual}")
