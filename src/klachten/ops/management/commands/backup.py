"""``klachten backup FILE``: a consistent copy of all data while the system runs.

The database (SQLite's online backup API, or ``pg_dump`` of one snapshot on PostgreSQL), the
stored files and the generated secret key, in one ZIP archive with a manifest of checksums
(``klachten.ops.backup``). Exit status 0 when the backup is written, 1 when it is refused or
fails (the reason on standard error; no file is left behind), 2 for wrong arguments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.ops.backup import BackupError, backup_create, size_text
from klachten.ops.management.base import ProjectCommand, failure_text


class Command(ProjectCommand):
    help = (
        "Write a consistent copy of all data (database, stored files, secret key) to FILE, "
        "a ZIP archive, while the system runs."
    )

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
            raise CommandError(
                _("Geen back-up gemaakt: %(reason)s") % {"reason": error.message}
            ) from error
        except (OSError, DatabaseError) as error:
            raise CommandError(
                _("Geen back-up gemaakt: %(reason)s") % {"reason": failure_text(error)}
            ) from error
        key = (
            _("de geheime sleutel zit erin")
            if summary.manifest.secret_key_included
            else _("SECRET_KEY komt uit de omgeving en zit er niet in: bewaar die ook goed")
        )
        self.stdout.write(
            _("Back-up geschreven naar %(path)s (%(made)s, %(size)s): %(contents)s; %(key)s.")
            % {
                "path": summary.path,
                "made": summary.describe(),
                "size": size_text(summary.size),
                "contents": summary.contents(),
                "key": key,
            }
        )
        for warning in summary.warnings:
            self.stderr.write(_("Let op: %(warning)s") % {"warning": warning})
