"""``klachten report --year YYYY --format {pdf,csv} --output FILE`` — the annual report.

The same report as the dashboard's "Jaarverslag" button (CONTRACT.md): the figures per rule,
the charts, anonymised short summaries and the improvement measures of the year, as a PDF, or
the figures as a CSV for Excel (semicolons, UTF-8 with BOM, Dutch dates and decimals).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klachten.core.clock import local_today
from klachten.core.timeparse import SUPPORTED_YEARS
from klachten.ops.backup import size_text
from klachten.ops.management.base import ProjectCommand
from klachten.reports import insight


class Command(ProjectCommand):
    help = "Write the annual complaints report of a year as PDF or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="The year, e.g. 2026.")
        parser.add_argument("--format", choices=["pdf", "csv"], required=True, dest="file_format")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        this_year = local_today().year
        if year not in SUPPORTED_YEARS:
            raise CommandError(
                _("Kies een jaar van %(first)s tot en met %(last)s, niet %(year)s.")
                % {"first": SUPPORTED_YEARS[0], "last": this_year, "year": year}
            )
        if year > this_year:
            raise CommandError(
                _("%(year)s is nog niet begonnen; kies %(this_year)s of een eerder jaar.")
                % {"year": year, "this_year": this_year}
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(
                _("De map %(folder)s bestaat niet; maak haar eerst aan of kies een andere.")
                % {"folder": output.parent}
            )
        if output.is_dir():
            raise CommandError(
                _("%(path)s is een map; geef de naam van het bestand dat er moet komen.")
                % {"path": output}
            )
        # The report itself is Dutch, whatever language the lines of the command are in.
        with translation.override("nl"):
            report = insight.annual_report(year=year, now=timezone.now())
            body = (
                insight.report_csv(report)
                if options["file_format"] == "csv"
                else insight.report_pdf(report)
            )
        output.write_bytes(body)
        self.stdout.write(
            _("Jaarverslag %(year)s geschreven naar %(path)s (%(size)s).")
            % {"year": year, "path": output, "size": size_text(len(body))}
        )
