"""``klachten restore FILE [--force]``: a backup put back into an empty installation.

Checks the archive (every member's SHA-256), the database it was made on, the schema version
and that this installation holds no data, before it changes anything; then replaces the
database in one transaction and puts the stored files and the secret key in place. ``--force``
restores into an installation that holds data: its database content is replaced and its
stored files are moved aside. Exit status 0 when restored, 1 when refused or failed (the
reason on standard error), 2 for wrong arguments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.ops.backup import BackupError, backup_restore
from klachten.ops.management.base import ProjectCommand, failure_text


class Command(ProjectCommand):
    help = "Restore a backup made by `klachten backup` into this (empty) installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The archive written by `klachten backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Restore even though this installation holds data: everything in its database "
                "is replaced, and its stored files are moved aside."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(
                path=options["file"], force=options["force"], now=timezone.now()
            )
        except BackupError as error:
            raise CommandError(
                _("Niet teruggezet: %(reason)s") % {"reason": error.message}
            ) from error
        except (OSError, DatabaseError) as error:
            raise CommandError(
                _("Terugzetten mislukt: %(reason)s") % {"reason": failure_text(error)}
            ) from error
        self.stdout.write(
            _(
                "Teruggezet: %(path)s (%(made)s): %(contents)s. Het aantal rijen van elke "
                "tabel en de controlesom van elk bestand kloppen met de back-up."
            )
            % {"path": summary.path, "made": summary.describe(), "contents": summary.contents()}
        )
        for note in summary.notes:
            self.stdout.write(note)
