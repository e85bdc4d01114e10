"""Background delivery of the outbox. Tasks only call services (ARCHITECTURE.md).

Several workers may run these at once: each message is claimed before it is sent.

The tasks return nothing on purpose: Huey keeps the return value of every non-periodic task in
its result store until someone reads it, and nobody reads these; a count returned from the
task woken after every mail-queuing transaction would pile up in the queue database forever.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from klachten.mail.outbox import outbox_deliver, outbox_next_wake

logger = logging.getLogger(__name__)

# A wake-up further away than this is left to the periodic run.
WAKE_HORIZON = timedelta(minutes=1)
# Come back just after a claim runs out or a back-off ends, not just before.
WAKE_MARGIN = timedelta(milliseconds=500)

_wake_lock = threading.Lock()
_wake_at: datetime | None = None  # the earliest wake-up this process has scheduled


def _deliver() -> None:
    sent = outbox_deliver(now=timezone.now())
    if sent:
        logger.info("Delivered %s outbox message(s).", sent)
    _schedule_next_run(timezone.now())


def _schedule_next_run(now: datetime) -> None:
    """Come back the moment a claim of a killed worker runs out or a back-off ends (R3: an
    alert is late by seconds, not until the next periodic run). One wake-up at a time per
    process; later ones are scheduled by the run it starts."""
    global _wake_at
    wake = outbox_next_wake(now)
    if wake is None or wake - now > WAKE_HORIZON:
        return
    wake += WAKE_MARGIN
    with _wake_lock:
        if _wake_at is not None and now < _wake_at <= wake:
            return  # an earlier wake-up is on its way and looks again
        _wake_at = wake
    deliver_outbox.schedule(delay=(wake - now).total_seconds())


@db_task()
def deliver_outbox() -> None:
    """Deliver what is due now; queued right after every transaction that adds mail."""
    _deliver()


@db_periodic_task(crontab(minute="*"))
def deliver_outbox_periodically() -> None:
    """Every minute: retries, expired claims, and anything queued while no worker ran."""
    _deliver()
