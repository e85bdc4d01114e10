"""What the console shows while ``klachten serve`` runs (issue #10, the first run)."""

from __future__ import annotations

import logging


def test_the_worker_does_not_log_every_periodic_task(settings) -> None:
    """The set-up link and the address stay readable: Huey's "Executing …" lines every minute
    are not printed, while its warnings and failures still are."""
    huey = logging.getLogger("huey")
    assert not huey.isEnabledFor(logging.INFO)
    assert huey.isEnabledFor(logging.WARNING)
    assert logging.getLogger("huey.consumer").isEnabledFor(logging.ERROR)
