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

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from klachten.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `klachten backup` into this (empty) installation."
    # Works on the data alone: the system checks (which import every URL and the API) are
    # for `klachten check`, not for each start of a command (issue #10).
    requires_system_checks = ()

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
            raise CommandError(f"Not restored: {error.message}") from error
        except (OSError, DatabaseError) as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(
            f"Restored {summary.path} ({summary.describe()}): {summary.contents()}. "
            "Every table's row count and every file's checksum matches the backup."
        )
        for note in summary.notes:
            self.stdout.write(note)
