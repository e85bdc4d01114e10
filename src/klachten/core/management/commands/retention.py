"""``klachten retention [--dry-run]``: apply the retention rules now (R5, CONTRACT.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from klachten.complaints.retention import retention_run


class Command(BaseCommand):
    help = (
        "Anonymise or erase, as configured, every closed complaint whose retention term has "
        "passed (R5); --dry-run lists what would go and changes nothing."
    )
    # Works on the data alone: the system checks (which import every URL and the API) are
    # for `klachten check`, not for each start of a command (issue #10).
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        report = retention_run(now=timezone.now(), dry_run=dry_run)
        verb = {"anonymise": "anonymised", "erase": "erased"}[report.mode]
        if dry_run:
            for reference, closed_at in report.complaints:
                self.stdout.write(
                    f"would be {verb}: {reference} (closed {timezone.localdate(closed_at)})"
                )
        self.stdout.write(
            f"{'Dry run: ' if dry_run else ''}{len(report.complaints)} complaint(s) "
            f"{'would be ' if dry_run else ''}{verb} after {report.years} year(s); "
            f"{report.customer_files} customer file(s) emptied, "
            f"{report.attachments} attachment(s) removed; "
            f"{report.held_by_dispute} kept for an open dispute (R11)."
        )
