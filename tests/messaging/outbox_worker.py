"""A real, separate outbox worker process for the crash and concurrency tests.

Run as ``python outbox_worker.py COMMAND …`` with ``KLACHTEN_DATA_DIR`` (its own SQLite file)
and ``EMAIL_URL`` (the test's SMTP server) in the environment:

* ``setup MANAGERS`` — migrate, create a receiver and MANAGERS managers, register one
  complaint at ``NOW`` (so the outbox holds one alert per manager, written by the service).
* ``deliver NOW [--die-after-send] [--wait-for FILE]`` — run ``outbox_deliver(now=NOW)`` and
  print ``{"sent": n, "outbox": [...]}`` as JSON; ``NOW`` may be ``now``: the real clock.
  With ``--die-after-send`` the process kills itself (SIGKILL) the moment the SMTP server has
  accepted the first mail, before it is marked sent. With ``--wait-for`` it prints ``ready``
  and waits until FILE exists (a start line for two workers at once).
* ``poll SECONDS [--until-sent]`` — a worker that keeps running: ``outbox_deliver`` on the real
  clock every 0.1 s for SECONDS (or until every mail is sent), then the same JSON report.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any


def _setup(managers: int, now: datetime) -> None:
    from django.core.management import call_command

    from klachten.accounts.services import staff_create
    from klachten.complaints.services import Checklist, complaint_register
    from klachten.customers.validation import CustomerData

    call_command("migrate", interactive=False, verbosity=0)
    receiver = staff_create(username="petra", role="employee", email="petra@kerngroep.nl")
    for number in range(1, managers + 1):
        staff_create(
            username=f"directie{number}", role="management", email=f"d{number}@kerngroep.nl"
        )
    complaint_register(
        receiver=receiver,
        customer=CustomerData(
            name="De heer K. de Boer",
            street="Stationsweg",
            house_number="4",
            postcode="8011 CZ",
            town="Zwolle",
        ),
        received_at=now,
        channel="phone",
        report="Facturatie: twee keer gefactureerd voor dezelfde training.",
        checklist=Checklist(not_interrupted=True),
        now=now,
    )


def _die_after_first_send() -> None:
    """Make the process die like a killed worker: after the server accepted, before marking."""
    from django.core.mail.backends.smtp import EmailBackend

    send_messages = EmailBackend.send_messages

    def send_then_die(self: EmailBackend, messages: Any) -> int:
        sent: int = send_messages(self, messages)
        os.kill(os.getpid(), signal.SIGKILL)
        return sent

    EmailBackend.send_messages = send_then_die  # type: ignore[method-assign]


def _outbox() -> list[dict[str, Any]]:
    from klachten.mail.models import OutboxMessage

    return [
        {
            "key": message.key,
            "to": message.to,
            "attempts": message.attempts,
            "claimed": message.claimed_at is not None,
            "sent": message.sent_at is not None,
            "sent_at": message.sent_at.isoformat() if message.sent_at else None,
            "failed": message.failed_at is not None,
            "last_error": message.last_error,
        }
        for message in OutboxMessage.objects.order_by("id")
    ]


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
    import django

    django.setup()
    command, argument, *options = argv
    if command == "setup":
        from klachten.domain.workdays import AMSTERDAM

        _setup(int(argument), datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM))
        return
    from django.utils import timezone

    from klachten.mail.outbox import outbox_deliver

    if command == "poll":
        _poll(float(argument), until_sent="--until-sent" in options)
        return
    if "--die-after-send" in options:
        _die_after_first_send()
    if "--wait-for" in options:
        start_line = Path(options[options.index("--wait-for") + 1])
        print("ready", flush=True)
        while not start_line.exists():
            time.sleep(0.01)
    now = timezone.now() if argument == "now" else datetime.fromisoformat(argument)
    sent = outbox_deliver(now=now)
    print(json.dumps({"sent": sent, "outbox": _outbox()}), flush=True)


def _poll(seconds: float, *, until_sent: bool) -> None:
    from django.utils import timezone

    from klachten.mail.models import OutboxMessage
    from klachten.mail.outbox import outbox_deliver

    print("ready", flush=True)
    sent = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        sent += outbox_deliver(now=timezone.now())
        if until_sent and not OutboxMessage.objects.filter(sent_at__isnull=True).exists():
            break
        time.sleep(0.1)
    print(json.dumps({"sent": sent, "outbox": _outbox()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
