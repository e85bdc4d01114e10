"""``klachten mail fetch [--once]`` and ``klachten mail import FILE.eml|-`` (#13, CONTRACT.md).

``fetch`` reads the mailbox of ``INBOUND_MAIL_URL`` as the worker does: every new mail is
attached to its complaint, becomes a new report, marks a bounced mail or is ignored; without
``--once`` it keeps reading (IDLE where the server offers it, else every minute) until
stopped. ``import`` takes one mail from a file (``-``: standard input) and prints what became
of it: ``attached: KG-2026-00042``, ``created: KG-2026-00043``, ``bounce: …`` or
``ignored: <reason>``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.ops.management.base import ProjectCommand, os_error_text
from klachten.public.inbound import MailboxNotConfigured, mail_receive, mailbox_fetch

# The largest mail ``import`` reads; a bigger file is refused whole (the mailbox limits too).
MAX_MAIL = 50 * 1024 * 1024


class Command(ProjectCommand):
    help = (
        "E-mail in: 'fetch [--once]' reads the mailbox of INBOUND_MAIL_URL; 'import FILE.eml' "
        "(or '-' for standard input) takes one mail and prints what became of it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        fetch = actions.add_parser("fetch", help="Read the mailbox of INBOUND_MAIL_URL.")
        fetch.add_argument("--once", action="store_true", help="Read what is there now, then stop.")
        imported = actions.add_parser("import", help="Take one mail from a file or '-'.")
        imported.add_argument("file", help="An .eml file, or '-' for standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options["file"])
        else:
            self._fetch(once=options["once"])

    def _import(self, name: str) -> None:
        raw = self._read(name)
        if not raw.strip():
            raise CommandError(
                _("%(file)s is leeg: er is geen e-mail om in te lezen.") % {"file": name}
            )
        received = mail_receive(raw, now=timezone.now())
        self.stdout.write(received.line())

    def _read(self, name: str) -> bytes:
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_MAIL + 1)
        else:
            try:
                with Path(name).open("rb") as file:
                    raw = file.read(MAX_MAIL + 1)
            except OSError as error:
                raise CommandError(os_error_text(error)) from error
        if len(raw) > MAX_MAIL:
            raise CommandError(
                _("%(file)s is groter dan 50 MB: zo'n e-mail wordt niet ingelezen.")
                % {"file": name}
            )
        return raw

    def _fetch(self, *, once: bool) -> None:
        try:
            for received in mailbox_fetch(once=once):
                self.stdout.write(received.line())
        except MailboxNotConfigured as error:
            raise CommandError(str(error)) from error
