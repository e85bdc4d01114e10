"""``klachten evidence --from YYYY-MM-DD --to YYYY-MM-DD --output FILE.zip``.

The evidence pack for the audit of the quality mark (#16 item 6, ``klachten.ops.evidence``):
the same ZIP as *Audit → Bewijspakket*, for the complaints received from ``--from`` to
``--to`` (Amsterdam dates, both included). The command is the installation's operator; the
pack is logged all the same (R2, ``evidence_pack_exported``, without an actor).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.ops.backup import size_text
from klachten.ops.evidence import evidence_pack
from klachten.ops.management.base import ProjectCommand
from klachten.ops.management.period_files import (
    add_period_arguments,
    period_and_output,
    written_in_dutch,
)


class Command(ProjectCommand):
    help = "Write the evidence pack (ZIP with a PDF cover) for the audit of a period."

    def add_arguments(self, parser: CommandParser) -> None:
        add_period_arguments(parser, output_help="The ZIP file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last, output = period_and_output(options)
        now = timezone.now()
        with written_in_dutch(output) as target:  # the pack is Dutch
            pack = evidence_pack(first=first, last=last, actor=None, now=now, target=target)
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
