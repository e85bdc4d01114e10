"""Backup and restore of a whole installation (CONTRACT.md: ``klachten backup`` / ``restore``).

A backup is one ZIP archive, the same for both databases:

    database/klachten.sqlite3   SQLite: a copy made with SQLite's online backup API
    database/klachten.pgdump    PostgreSQL: ``pg_dump --format=custom`` of one snapshot
    secret_key                  the generated secret key, when the data dir holds it
    files/…                     every stored file (``MEDIA_ROOT``): attachments and the like
    manifest.json               what is inside: the format, when, which database and version,
                                the migrations and row count of every table, and the size
                                and SHA-256 of every member

The database is copied first, in one snapshot, while the application keeps working; the
stored files are copied after it. A file is written before the row that points to it commits
(``attachment_add``), so every file the snapshot refers to is already on disk when the files
are copied; one erased in between (retention, R5) is listed in the manifest as missing.

The archive is written next to FILE under a hidden temporary name and renamed only when it is
complete, so a failed or interrupted backup never leaves a file that looks like a backup.
A restore checks every member's checksum, the database, the schema version and that the
installation is empty before it changes anything; the database is then replaced in one
transaction and the files are put in place with a rename.

Not in a backup, on purpose (docs/decisions.md): the worker's queue (wake-up calls only; the
outbox in the database is the truth), the mail folder (copies of mail the outbox holds too)
and the collected static files (rebuilt by ``klachten serve``).
"""

from klachten.ops.backup.common import BackupError, Manifest, Summary, size_text
from klachten.ops.backup.create import backup_create
from klachten.ops.backup.restore import backup_restore

__all__ = [
    "BackupError",
    "Manifest",
    "Summary",
    "backup_create",
    "backup_restore",
    "size_text",
]
