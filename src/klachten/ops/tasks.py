"""Background tasks of the installation itself. Tasks only call services (ARCHITECTURE.md)."""

from __future__ import annotations

import os
import socket

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup, periodic_task

from klachten.ops.services import database_statistics_refresh, heartbeat_record


def worker_name() -> str:
    """Host and process id: unique per running worker."""
    return f"{socket.gethostname()}:{os.getpid()}"


@on_startup()
def heartbeat_on_startup() -> None:
    """Beat at once when the worker starts, so ``serve`` and monitoring see it immediately."""
    heartbeat_record(worker=worker_name(), now=timezone.now())


@periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    """Beat every minute."""
    heartbeat_record(worker=worker_name(), now=timezone.now())


@db_periodic_task(crontab(hour="3", minute="15"))
def refresh_database_statistics() -> None:
    """Every night at 03:15 (UTC): the database planner's statistics (SQLite, #17)."""
    database_statistics_refresh()
