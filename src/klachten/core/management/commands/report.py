"""``klachten report --year YYYY --format {pdf,csv} --output FILE`` — the annual report.

The same report as the dashboard's "Jaarverslag" button (CONTRACT.md): the figures per rule,
the charts, anonymised short summaries and the improvement measures of the year, as a PDF, or
the figures as a CSV for Excel (semicolons, UTF-8 with BOM, Dutch dates and decimals).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from klachten.core.timeparse import SUPPORTED_YEARS
from klachten.reports import insight


class Command(BaseCommand):
    help = "Write the annual complaints report of a year as PDF or CSV."
    # Works on the data alone: the system checks (which import every URL and the API) are
    # for `klachten check`, not for each start of a command (issue #10).
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="The year, e.g. 2026.")
        parser.add_argument("--format", choices=["pdf", "csv"], required=True, dest="file_format")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if year not in SUPPORTED_YEARS:
            raise CommandError(
                f"--year must lie between {SUPPORTED_YEARS[0]} and {SUPPORTED_YEARS[-1]}."
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        with translation.override("nl"):
            report = insight.annual_report(year=year, now=timezone.now())
            body = (
                insight.report_csv(report)
                if options["file_format"] == "csv"
                else insight.report_pdf(report)
            )
        output.write_bytes(body)
        self.stdout.write(f"Wrote the annual report {year} to {output} ({len(body):,} bytes).")
