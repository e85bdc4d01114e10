"""Background delivery of the outbox. Tasks only call services (ARCHITECTURE.md).

Several workers may run these at once: each message is claimed before it is sent.

The tasks return nothing on purpose: Huey keeps the return value of every non-periodic task in
its result store until someone reads it, and nobody reads these; a count returned from the
task woken after every mail-queuing transaction would pile up in the queue database forever.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from klachten.messaging.outbox import outbox_deliver

logger = logging.getLogger(__name__)


def _deliver() -> None:
    sent = outbox_deliver(now=timezone.now())
    if sent:
        logger.info("Delivered %s outbox message(s).", sent)


@db_task()
def deliver_outbox() -> None:
    """Deliver what is due now; queued right after every transaction that adds mail."""
    _deliver()


@db_periodic_task(crontab(minute="*"))
def deliver_outbox_periodically() -> None:
    """Every minute: retries, expired claims, and anything queued while no worker ran."""
    _deliver()
