"""Writes for the installation's own state."""

from __future__ import annotations

from datetime import datetime

from klachten.core.models import WorkerHeartbeat


def heartbeat_record(*, worker: str, now: datetime) -> None:
    """Record that ``worker`` is alive at ``now``."""
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"last_seen": now})
