"""What the commands that write a file for a period share (``klachten register``, ``klachten
evidence``; #16): ``--from``/``--to``/``--output``, the period checked as the pages check it,
a refusal for a folder that does not exist, and no half-written file left behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from klachten.core.errors import ApplicationError
from klachten.reports.register import register_period_parse


def add_period_arguments(parser: CommandParser, *, output_help: str) -> None:
    """``--from YYYY-MM-DD --to YYYY-MM-DD --output FILE``."""
    parser.add_argument(
        "--from", required=True, dest="first", help="The first day of receipt, YYYY-MM-DD."
    )
    parser.add_argument(
        "--to", required=True, dest="last", help="The last day of receipt, YYYY-MM-DD."
    )
    parser.add_argument("--output", required=True, help=output_help)


def period_and_output(options: dict[str, Any]) -> tuple[date, date, Path]:
    """The period (both days included) and the file to write, or a one-line refusal."""
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
    return first, last, output


@contextmanager
def written_in_dutch(output: Path) -> Iterator[BinaryIO]:
    """``output`` opened for writing, in Dutch whatever language the command's lines are in;
    removed again when writing fails, so no half-written file is left behind."""
    try:
        with translation.override("nl"), output.open("wb") as target:
            yield target
    except ApplicationError as error:
        output.unlink(missing_ok=True)
        raise CommandError(error.detail) from None
    except BaseException:
        output.unlink(missing_ok=True)
        raise
