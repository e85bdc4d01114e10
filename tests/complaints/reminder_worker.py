"""A real, separate worker process for the reminder crash test (issue #5).

Run as ``python reminder_worker.py COMMAND …`` with ``KLACHTEN_DATA_DIR`` in the environment:

* ``setup N`` — migrate, create a receiver and a manager, register N complaints on Monday
  2 November 2026 at 10:00, so each has its contact reminder due Tuesday 06:00.
* ``run NOW [--die-in K]`` — run ``reminders_send(now=NOW)`` and print the reminders and the
  outbox as JSON. With ``--die-in K`` the process kills itself (SIGKILL) while writing the K-th
  reminder, inside its transaction, as a worker killed mid-run.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from datetime import datetime
from typing import Any


def _setup(count: int) -> None:
    from django.core.management import call_command

    from klachten.accounts.services import staff_create
    from klachten.complaints.services import Checklist, complaint_register
    from klachten.customers.validation import CustomerData
    from klachten.domain.workdays import AMSTERDAM

    call_command("migrate", interactive=False, verbosity=0)
    receiver = staff_create(username="petra", role="employee", email="petra@kerngroep.nl")
    staff_create(username="directie", role="management", email="directie@kerngroep.nl")
    now = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)
    for number in range(count):
        complaint_register(
            receiver=receiver,
            customer=CustomerData(
                name=f"Klant {number}",
                street="Stationsweg",
                house_number=str(number + 1),
                postcode="8011 CZ",
                town="Zwolle",
            ),
            received_at=now,
            channel="phone",
            report="Cursusmap ontbrak.",
            checklist=Checklist(),
            now=now,
        )


def _die_in(k: int) -> None:
    """SIGKILL the process while the K-th reminder's mails are being queued (in its transaction)."""
    from klachten.complaints import reminders

    queue_mail = reminders.staff_mail
    calls = 0

    def queue_or_die(**kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        queue_mail(**kwargs)
        if calls == k:
            os.kill(os.getpid(), signal.SIGKILL)

    reminders.staff_mail = queue_or_die  # type: ignore[assignment]


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
    import django

    django.setup()
    command, argument, *options = argv
    if command == "setup":
        _setup(int(argument))
        return
    from klachten.complaints.models import Reminder
    from klachten.complaints.reminders import reminders_send
    from klachten.mail.models import OutboxMessage

    if "--die-in" in options:
        _die_in(int(options[options.index("--die-in") + 1]))
    sent = reminders_send(now=datetime.fromisoformat(argument))
    print(
        json.dumps(
            {
                "sent": sent,
                "reminders": list(Reminder.objects.values_list("complaint_id", "kind", "stage")),
                "mails": list(
                    OutboxMessage.objects.filter(key__contains="-reminder-").values_list(
                        "key", flat=True
                    )
                ),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
