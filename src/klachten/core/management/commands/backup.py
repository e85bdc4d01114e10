"""``klachten backup FILE``: a consistent copy of all data while the system runs.

The database (SQLite's online backup API, or ``pg_dump`` of one snapshot on PostgreSQL), the
stored files and the generated secret key, in one ZIP archive with a manifest of checksums
(``klachten.core.backup``). Exit status 0 when the backup is written, 1 when it is refused or
fails (the reason on standard error; no file is left behind), 2 for wrong arguments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from klachten.core.backup import BackupError, backup_create, size_text


class Command(BaseCommand):
    help = (
        "Write a consistent copy of all data (database, stored files, secret key) to FILE, "
        "a ZIP archive, while the system runs."
    )
    # Works on the data alone: the system checks (which import every URL and the API) are
    # for `klachten check`, not for each start of a command (issue #10).
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The archive to write, e.g. klachten.zip.")
        parser.add_argument(
            "--force", action="store_true", help="Replace FILE when it exists already."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_create(
                path=options["file"], force=options["force"], now=timezone.now()
            )
        except BackupError as error:
            raise CommandError(f"No backup made: {error.message}") from error
        except (OSError, DatabaseError) as error:
            raise CommandError(f"No backup made: {error}") from error
        key = (
            "the secret key is included"
            if summary.manifest.secret_key_included
            else "SECRET_KEY comes from the environment and is not included: keep it safe too"
        )
        self.stdout.write(
            f"Backup written to {summary.path} ({summary.describe()}, {size_text(summary.size)}): "
            f"{summary.contents()}; {key}."
        )
        for warning in summary.warnings:
            self.stderr.write(f"Warning: {warning}")
