"""``klachten evidence --from YYYY-MM-DD --to YYYY-MM-DD --output FILE.zip``.

The evidence pack for the audit of the quality mark (#16 item 6, ``klachten.ops.evidence``):
the same ZIP as *Audit → Bewijspakket*, for the complaints received from ``--from`` to
``--to`` (Amsterdam dates, both included). The command is the installation's operator; the
pack is logged all the same (R2, ``evidence_pack_exported``, without an actor).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klachten.core.errors import ApplicationError
from klachten.ops.backup import size_text
from klachten.ops.evidence import evidence_pack
from klachten.ops.management.base import ProjectCommand
from klachten.reports.register import register_period_parse


class Command(ProjectCommand):
    help = "Write the evidence pack (ZIP with a PDF cover) for the audit of a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", required=True, dest="first", help="The first day of receipt, YYYY-MM-DD."
        )
        parser.add_argument(
            "--to", required=True, dest="last", help="The last day of receipt, YYYY-MM-DD."
        )
        parser.add_argument("--output", required=True, help="The ZIP file to write.")

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
            # The pack is Dutch, whatever language the command's lines are in.
            with translation.override("nl"), output.open("wb") as target:
                pack = evidence_pack(first=first, last=last, actor=None, now=now, target=target)
        except ApplicationError as error:
            output.unlink(missing_ok=True)
            raise CommandError(error.detail) from None
        except BaseException:
            output.unlink(missing_ok=True)  # no half-written pack is left behind
            raise
        self.stdout.write(
            _(
                "Bewijspakket van %(first)s tot en met %(last)s geschreven naar %(path)s: "
                "%(files)s bestanden (%(size)s)."
            )
            % {
                "first": first.isoformat(),
                "last": last.isoformat(),
                "path": output,
                "files": len(pack.names),
                "size": size_text(output.stat().st_size),
            }
        )
