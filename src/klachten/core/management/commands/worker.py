"""``klachten worker``: the background worker alone (deadline reminders, outgoing mail)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (Huey consumer) until Ctrl-C or SIGTERM."
    # Works on the data alone: the system checks (which import every URL and the API) are
    # for `klachten check`, not for each start of a command (issue #10).
    requires_system_checks = ()

    def handle(self, *args: Any, **options: Any) -> None:
        # Huey's consumer stops cleanly on SIGINT and SIGTERM (finishing running tasks).
        call_command("run_huey")
