"""A real, separate application process for the tests of what several workers share.

Run as ``python report_process.py COMMAND …`` with ``KLACHTEN_DATA_DIR`` (its own SQLite file):

* ``setup`` — migrate, create two employees and a manager.
* ``submit ADDRESS`` — send the public form once from client ADDRESS through the whole Django
  stack (middleware, CSRF, the view), with a limit of 2 reports per hour, and print the
  status code.
* ``take-up USERNAME --wait-for FILE`` — print ``ready``, wait until FILE exists (a start line
  for two processes at once), take up the one report and print ``taken`` or the refusal's
  code.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

FORM = {
    "name": "Mevrouw J. Brouwer",
    "street": "Lange Nieuwstraat",
    "house_number": "21",
    "postcode": "3512 PD",
    "town": "Utrecht",
    "country": "NL",
    "email": "j.brouwer@example.nl",
    "course": "Excel voor gevorderden",
    "what_happened": "De lesdag ging niet door.",
    "consent": "on",
}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
    import django

    django.setup()
    from django.conf import settings

    command, *arguments = argv
    if command == "setup":
        from django.core.management import call_command

        from klachten.accounts.services import staff_create

        call_command("migrate", interactive=False, verbosity=0)
        staff_create(username="petra", role="employee", email="petra@kerngroep.nl")
        staff_create(username="sanne", role="employee", email="sanne@kerngroep.nl")
        staff_create(username="marco", role="management", email="marco@kerngroep.nl")
    elif command == "submit":
        from django.test import Client

        settings.PUBLIC_RATE_LIMITS = ((3600, 2),)
        # Pages are rendered without collectstatic, as in the test suite.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        response = Client(REMOTE_ADDR=arguments[0]).post("/melding/", FORM)
        print(response.status_code, flush=True)
    elif command == "take-up":
        from django.utils import timezone

        from klachten.accounts.models import Staff
        from klachten.complaints.models import Complaint
        from klachten.complaints.services import complaint_take_up
        from klachten.core.errors import ApplicationError

        staff = Staff.objects.get(username=arguments[0])
        complaint = Complaint.objects.get()
        start_line = Path(arguments[arguments.index("--wait-for") + 1])
        print("ready", flush=True)
        while not start_line.exists():
            time.sleep(0.005)
        try:
            complaint_take_up(complaint=complaint, actor=staff, now=timezone.now())
        except ApplicationError as error:
            print(error.code, flush=True)
        else:
            print("taken", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
