"""``klachten register --from YYYY-MM-DD --to YYYY-MM-DD --format {xlsx,csv} --output FILE``.

The register of complaints of a period (#16 item 3): the same file as the dashboard's
*Register van meldingen* page and ``GET /api/v1/register`` (``klachten.reports.register``),
one row per complaint received from ``--from`` to ``--to`` (Amsterdam dates, both included),
with the customers' names unless ``--without-names``. The command is the installation's
operator, who reads every complaint; the export is logged all the same (R2,
``register_exported``, without an actor). It lives here, beside ``report``, because a command
of ``reports`` may not import the commands' shared one-line refusals from ``ops``
(docs/architecture.md, "The layers").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import ngettext

from klachten.ops.backup import size_text
from klachten.ops.management.base import ProjectCommand
from klachten.ops.management.period_files import (
    add_period_arguments,
    period_and_output,
    written_in_dutch,
)
from klachten.reports.register import (
    FORMATS,
    register_all,
    register_export,
)


class Command(ProjectCommand):
    help = "Write the register of complaints received in a period as XLSX or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_arguments(parser, output_help="The file to write.")
        parser.add_argument("--format", choices=FORMATS, required=True, dest="file_format")
        parser.add_argument(
            "--without-names",
            action="store_true",
            help="Leave the customers' names out (a register to hand on).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        first, last, output = period_and_output(options)
        now = timezone.now()
        with written_in_dutch(output) as target:  # the register itself is Dutch
            found = register_export(
                register=register_all(
                    first=first, last=last, now=now, names=not options["without_names"]
                ),
                file_format=options["file_format"],
                actor=None,
                now=now,
                target=target,
            )
        size = output.stat().st_size
        self.stdout.write(
            ngettext(
                "Register van %(first)s tot en met %(last)s geschreven naar %(path)s: "
                "%(rows)s melding (%(size)s).",
                "Register van %(first)s tot en met %(last)s geschreven naar %(path)s: "
                "%(rows)s meldingen (%(size)s).",
                found.rows,
            )
            % {
                "first": first.isoformat(),
                "last": last.isoformat(),
                "path": output,
                "rows": found.rows,
                "size": size_text(size),
            }
        )
