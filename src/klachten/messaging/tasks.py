"""Background delivery of the outbox. Tasks only call services (ARCHITECTURE.md).

Several workers may run these at once: each message is claimed before it is sent.
"""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from klachten.messaging.services import outbox_deliver


@db_task()
def deliver_outbox() -> int:
    """Deliver what is due now; queued right after every transaction that adds mail."""
    return outbox_deliver(now=timezone.now())


@db_periodic_task(crontab(minute="*"))
def deliver_outbox_periodically() -> int:
    """Every minute: retries, and anything queued while no worker ran."""
    return outbox_deliver(now=timezone.now())
