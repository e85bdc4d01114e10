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

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachten.core.errors import ApplicationError
from klachten.ops.backup import size_text
from klachten.ops.management.base import ProjectCommand
from klachten.reports.register import (
    FORMATS,
    register_all,
    register_export,
    register_period_parse,
)


class Command(ProjectCommand):
    help = "Write the register of complaints received in a period as XLSX or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", required=True, dest="first", help="The first day of receipt, YYYY-MM-DD."
        )
        parser.add_argument(
            "--to", required=True, dest="last", help="The last day of receipt, YYYY-MM-DD."
        )
        parser.add_argument("--format", choices=FORMATS, required=True, dest="file_format")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            "--without-names",
            action="store_true",
            help="Leave the customers' names out (a register to hand on).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first, last = register_period_parse(
                options["first"], options["last"], first_field="--from", last_field="--to"
            )
        except ApplicationError as error:
            raise CommandError(error.detail) from None
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
        now = timezone.now()
        try:
            # The register itself is Dutch, whatever language the command's lines are in.
            with translation.override("nl"), output.open("wb") as target:
                found = register_export(
                    register=register_all(
                        first=first, last=last, now=now, names=not options["without_names"]
                    ),
                    file_format=options["file_format"],
                    actor=None,
                    now=now,
                    target=target,
                )
        except ApplicationError as error:
            output.unlink(missing_ok=True)
            raise CommandError(error.detail) from None
        except BaseException:
            output.unlink(missing_ok=True)  # no half-written register is left behind
            raise
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
