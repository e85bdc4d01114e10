"""``klachten worker``: the background worker alone (deadline reminders, outgoing mail)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from klachten.ops.management.base import ProjectCommand


class Command(ProjectCommand):
    help = "Run the background worker (Huey consumer) until Ctrl-C or SIGTERM."

    def handle(self, *args: Any, **options: Any) -> None:
        # Huey's consumer stops cleanly on SIGINT and SIGTERM (finishing running tasks).
        call_command("run_huey")
