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

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from klachten.ops.management.base import os_error_text, os_reason

FORMAT = "kerngroep-klachten-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {
    "sqlite": "database/klachten.sqlite3",
    "postgresql": "database/klachten.pgdump",
}
KEY_MEMBER = "secret_key"  # the member holding the generated key
FILES_PREFIX = "files/"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK_SIZE = 1024 * 1024
# A restore waits at most this long for a table lock, then says the database is in use.
LOCK_TIMEOUT = "10s"

# Rows a new installation gets by itself (migrations, a visitor, a running worker, the
# set-up link ``serve`` prints, a worker ``serve`` restarted): they do not make it "hold
# data". Everything else does, including what later versions add.
NOT_DATA = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "core.workerheartbeat",
        "core.setuptoken",
        "core.workerrestart",
    }
)

# What the summaries count, by model: (label, "%(count)d …" in the singular and plural).
COUNTED = (
    ("accounts.staff", ngettext_lazy("%(count)d account", "%(count)d accounts", "count")),
    (
        "customers.customerfile",
        ngettext_lazy("%(count)d klantmap", "%(count)d klantmappen", "count"),
    ),
    ("complaints.complaint", ngettext_lazy("%(count)d melding", "%(count)d meldingen", "count")),
    ("complaints.attachment", ngettext_lazy("%(count)d bijlage", "%(count)d bijlagen", "count")),
    (
        "audit.auditentry",
        ngettext_lazy(
            "%(count)d regel in het auditlogboek", "%(count)d regels in het auditlogboek", "count"
        ),
    ),
    ("mail.outboxmessage", ngettext_lazy("%(count)d e-mail", "%(count)d e-mails", "count")),
)

_SECRET_KEY_CHECK = b"kerngroep-klachten-backup secret key check"

_VISIBLE_TABLES = """
    SELECT n.nspname, c.relname FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND pg_catalog.pg_table_is_visible(c.oid)
    ORDER BY c.relname
"""


class BackupError(Exception):
    """An expected refusal or failure, with a stable code and a message for the operator
    (Dutch, through gettext: the language active when it is raised)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Member:
    """One file in the archive, as the manifest lists it."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """``manifest.json``, read and checked."""

    created_at: datetime
    app_version: str
    vendor: str
    database_member: str
    database_tool: str
    tables: dict[str, int]
    migrations: list[tuple[str, str]]
    # The generated key is in the archive; False when SECRET_KEY came from the environment.
    secret_key_included: bool
    secret_key_check: str
    members: list[Member]
    missing_files: list[str]

    @property
    def stored_files(self) -> list[Member]:
        return [member for member in self.members if member.path.startswith(FILES_PREFIX)]


@dataclass(frozen=True)
class Summary:
    """What a backup holds, or what a restore put back."""

    path: Path
    manifest: Manifest
    size: int
    notes: list[str] = field(default_factory=list)  # things the operator should know
    warnings: list[str] = field(default_factory=list)  # things the operator should act on

    def contents(self) -> str:
        """``7 accounts, 40 klantmappen, …; 3 opgeslagen bestanden (12,3 kB)``."""
        tables = self.manifest.tables
        parts = []
        for label, counted in COUNTED:
            table = _table_of(label)
            if table is not None and table in tables:
                parts.append(counted % {"count": tables[table]})
        rows = sum(tables.values())
        parts.append(
            ngettext(
                "%(rows)d rij in %(tables)d tabellen", "%(rows)d rijen in %(tables)d tabellen", rows
            )
            % {"rows": rows, "tables": len(tables)}
        )
        files = self.manifest.stored_files
        stored = ngettext(
            "%(count)d opgeslagen bestand", "%(count)d opgeslagen bestanden", len(files)
        ) % {"count": len(files)}
        return f"{', '.join(parts)}; {stored} ({size_text(sum(m.size for m in files))})"

    def describe(self) -> str:
        """The backup or restore in one line: when, which database, which version."""
        manifest = self.manifest
        return _("gemaakt op %(moment)s UTC met %(database)s door versie %(version)s") % {
            "moment": f"{manifest.created_at.astimezone(UTC):%Y-%m-%d %H:%M}",
            "database": VENDOR_NAMES[manifest.vendor],
            "version": manifest.app_version,
        }


# --- Backup -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    file: Path
    tool: str
    tables: dict[str, int]
    migrations: list[tuple[str, str]]
    referenced_files: set[str]


def backup_create(*, path: Path, force: bool = False, now: datetime) -> Summary:
    """Write a consistent copy of the installation's data to ``path`` while it runs.

    Refuses to replace an existing ``path`` unless ``force``. The archive appears at ``path``
    only once it is complete and on disk.
    """
    path = Path(os.path.abspath(path))
    _check_destination(path, force=force)
    vendor = connection.vendor
    if vendor not in VENDOR_NAMES:
        raise BackupError(
            "unsupported_database",
            _("Back-ups werken met SQLite en PostgreSQL; deze installatie gebruikt %(vendor)s.")
            % {"vendor": vendor},
        )
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if path.resolve().is_relative_to(media_root):
        raise BackupError(
            "inside_files",
            _(
                "Schrijf de back-up buiten de opgeslagen bestanden (%(folder)s); anders zou "
                "elke back-up de vorige bevatten."
            )
            % {"folder": media_root},
        )

    work = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        snapshot = _snapshot_sqlite(work) if vendor == "sqlite" else _snapshot_postgresql(work)
        partial = work / "archive.partial"
        with partial.open("wb") as raw:
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                writer = _ArchiveWriter(archive)
                # A custom-format dump is compressed already; a SQLite file is not.
                writer.add_file(
                    DATABASE_MEMBERS[vendor], snapshot.file, compress=vendor == "sqlite"
                )
                snapshot.file.unlink()
                key_included = not os.environ.get("SECRET_KEY")
                if key_included:
                    writer.add_bytes(KEY_MEMBER, settings.SECRET_KEY.encode())
                stored = set()
                for relative, file in _stored_files(media_root):
                    if writer.add_file(FILES_PREFIX + relative, file, compress=True):
                        stored.add(relative)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": now.astimezone(UTC).isoformat(),
                    "app_version": _app_version(),
                    "database": {
                        "vendor": vendor,
                        "member": DATABASE_MEMBERS[vendor],
                        "tool": snapshot.tool,
                        "tables": snapshot.tables,
                        "migrations": [list(item) for item in snapshot.migrations],
                    },
                    "secret_key": {"included": key_included, "check": _secret_key_check()},
                    "members": [vars(member) for member in writer.members],
                    "missing_files": sorted(snapshot.referenced_files - stored),
                }
                text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
                archive.writestr(_zip_info(MANIFEST, time.time()), text)
            raw.flush()
            os.fsync(raw.fileno())
        _publish(partial, path, force=force)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    result = _parse_manifest(json.loads(text))
    warnings = []
    if result.missing_files:
        count = len(result.missing_files)
        warnings.append(
            ngettext(
                "%(count)d opgeslagen bestand waarnaar de database verwijst, stond niet op de "
                "schijf (gewist terwijl de back-up liep, of al eerder kwijt): %(names)s. Het "
                "staat in het manifest.",
                "%(count)d opgeslagen bestanden waarnaar de database verwijst, stonden niet op "
                "de schijf (gewist terwijl de back-up liep, of al eerder kwijt): %(names)s. Ze "
                "staan in het manifest.",
                count,
            )
            % {"count": count, "names": ", ".join(result.missing_files[:5])}
        )
    return Summary(path=path, manifest=result, size=path.stat().st_size, warnings=warnings)


def _check_destination(path: Path, *, force: bool) -> None:
    if not path.parent.is_dir():
        raise BackupError(
            "no_directory",
            _("De map %(folder)s bestaat niet; maak haar eerst aan of kies een andere.")
            % {"folder": path.parent},
        )
    if path.is_dir():
        raise BackupError(
            "is_directory",
            _("%(path)s is een map; geef de naam van het bestand dat er moet komen.")
            % {"path": path},
        )
    if path.exists() and not force:
        raise BackupError("exists", _exists(path))


def _exists(path: Path) -> str:
    return _(
        "%(path)s bestaat al; kies een andere naam, of voeg --force toe om het te vervangen."
    ) % {"path": path}


def _publish(partial: Path, path: Path, *, force: bool) -> None:
    """Put the finished archive at ``path``: atomically, and never over a file unless forced."""
    os.chmod(partial, 0o600)  # personal data and the secret key: for the owner only
    if force:
        os.replace(partial, path)
    else:
        try:
            os.link(partial, path)  # fails if ``path`` appeared in the meantime
        except FileExistsError as error:
            raise BackupError("exists", _exists(path)) from error
        except OSError:  # a file system without hard links
            if path.exists():
                raise BackupError("exists", _exists(path)) from None
            os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _snapshot_sqlite(work: Path) -> _Snapshot:
    """Copy the live SQLite database with the online backup API, then check the copy."""
    name = str(connection.settings_dict["NAME"])
    source = Path(name)
    if name == ":memory:" or name.startswith("file:") or not source.is_file():
        raise BackupError(
            "no_database",
            _(
                "Er is nog geen database in %(path)s, dus niets om een back-up van te maken. "
                "(Klopt KLACHTEN_DATA_DIR? `klachten serve` of `klachten migrate` maakt de "
                "database aan.)"
            )
            % {"path": source},
        )
    copy = work / "klachten.sqlite3"
    try:
        with (
            closing(sqlite3.connect(source, timeout=30)) as live,
            closing(sqlite3.connect(copy)) as target,
        ):
            # One step (pages=-1) copies every page inside one read transaction: one moment
            # of the database, while the application goes on writing (WAL lets a reader and
            # a writer work side by side, so nobody waits for the backup).
            live.backup(target, pages=-1)
        with closing(sqlite3.connect(copy, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
            problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(
                    "database_damaged",
                    _(
                        "De kopie van de database komt niet door de integriteitscontrole van "
                        "SQLite (%(problems)s): de database zelf is misschien beschadigd. "
                        "Controleer haar met: sqlite3 DATABASE 'PRAGMA integrity_check'."
                    )
                    % {"problems": "; ".join(problems[:3])},
                )
            tables = [
                row[0]
                for row in db.execute(
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                )
            ]
            counts, migrations, referenced = _describe(db.cursor(), tables)
    except sqlite3.Error as error:
        raise BackupError(
            "database_unreadable",
            _("De database kon niet worden gekopieerd: %(reason)s") % {"reason": error},
        ) from error
    if "django_migrations" not in counts:
        raise BackupError(
            "no_database",
            _(
                "De database in %(path)s is nog niet ingericht, dus er is niets om een back-up "
                "van te maken."
            )
            % {"path": source},
        )
    return _Snapshot(copy, f"SQLite {sqlite3.sqlite_version}", counts, migrations, referenced)


def _snapshot_postgresql(work: Path) -> _Snapshot:
    """``pg_dump`` one exported snapshot, and describe that very snapshot for the manifest."""
    dump = work / "klachten.pgdump"
    try:
        raw = connection.get_new_connection(connection.get_connection_params())
    except DatabaseError as error:
        raise BackupError("database_unreachable", _unreachable(error)) from error
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            server_major = int(cursor.fetchone()[0]) // 10000
            pg_dump = _pg_tool("pg_dump", minimum_major=server_major)
            # The snapshot stays open until COMMIT: pg_dump and the counts below see exactly
            # the same moment, however much the application writes meanwhile.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_catalog.pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            _run(
                [
                    str(pg_dump.path),
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot_id}",
                    f"--file={dump}",
                ],
                env=_pg_env(),
                what="pg_dump",
            )
            cursor.execute(_VISIBLE_TABLES)
            tables = [name for _, name in cursor.fetchall()]
            counts, migrations, referenced = _describe(cursor, tables)
            cursor.execute("COMMIT")
    except DatabaseError as error:
        raise BackupError(
            "database_unreadable",
            _("De database kon niet worden gelezen: %(reason)s") % {"reason": error},
        ) from error
    finally:
        raw.close()
    if "django_migrations" not in counts:
        raise BackupError(
            "no_database",
            _(
                "De database is nog niet ingericht (geen migraties), dus er is niets om een "
                "back-up van te maken."
            ),
        )
    return _Snapshot(dump, pg_dump.version, counts, migrations, referenced)


def _describe(
    cursor: Any, tables: list[str]
) -> tuple[dict[str, int], list[tuple[str, str]], set[str]]:
    """Row counts per table, applied migrations, and the stored files the rows refer to.

    ``cursor`` is any DB-API cursor on the snapshot (SQLite's or psycopg's).
    """
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - catalogue names
        counts[table] = int(cursor.fetchone()[0])
    migrations: list[tuple[str, str]] = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = [(str(app), str(name)) for app, name in cursor.fetchall()]
    referenced: set[str] = set()
    for table, column in _file_columns():
        if table not in counts:
            continue
        cursor.execute(f"SELECT * FROM {_quote(table)} WHERE 1 = 0")  # noqa: S608
        if column not in {description[0] for description in cursor.description}:
            continue  # a schema older than the code
        cursor.execute(
            f"SELECT {_quote(column)} FROM {_quote(table)} "  # noqa: S608
            f"WHERE {_quote(column)} IS NOT NULL AND {_quote(column)} <> ''"
        )
        referenced.update(str(name) for (name,) in cursor.fetchall())
    return counts, migrations, referenced


def _file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field: the rows that point into ``MEDIA_ROOT``."""
    return [
        (model._meta.db_table, model_field.column)
        for model in apps.get_models()
        for model_field in model._meta.local_concrete_fields
        if isinstance(model_field, FileField)
    ]


def _stored_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every file under ``root`` as (path relative to it, in POSIX form; absolute path)."""
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        base = Path(directory)
        dirnames.sort()
        for name in dirnames:
            if (base / name).is_symlink():
                raise BackupError(
                    "unsupported_file",
                    _(
                        "%(path)s is een link naar een map; de back-up kopieert alleen echte "
                        "mappen en bestanden onder de opgeslagen bestanden. Vervang de link "
                        "door de map zelf."
                    )
                    % {"path": base / name},
                )
        for name in sorted(filenames):
            path = base / name
            relative = path.relative_to(root).as_posix()
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError:
                raise BackupError(
                    "unsupported_file",
                    _(
                        "De naam van het opgeslagen bestand %(path)s is geen geldige UTF-8; "
                        "geef het een andere naam."
                    )
                    % {"path": repr(path)},
                ) from None
            yield relative, path


def _zip_info(name: str, mtime: float) -> zipfile.ZipInfo:
    # ZIP times start in 1980 and have no zone; UTC keeps archives comparable.
    stamp = max(time.gmtime(mtime)[:6], (1980, 1, 1, 0, 0, 0))
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.external_attr = 0o600 << 16
    return info


class _ArchiveWriter:
    """Adds members to the archive, computing each one's size and SHA-256 as it streams."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members: list[Member] = []

    def add_bytes(self, name: str, data: bytes) -> None:
        info = _zip_info(name, time.time())
        info.compress_type = zipfile.ZIP_DEFLATED
        self.archive.writestr(info, data)
        self.members.append(Member(name, len(data), hashlib.sha256(data).hexdigest()))

    def add_file(self, name: str, path: Path, *, compress: bool) -> bool:
        """Stream ``path`` into the archive; False when it vanished before it could be read."""
        try:
            if not path.is_file():
                raise BackupError(
                    "unsupported_file",
                    _(
                        "%(path)s is geen gewoon bestand (een gebroken link of een apparaat); "
                        "de back-up kan het niet kopiëren. Verwijder het, of zet het echte "
                        "bestand ervoor in de plaats."
                    )
                    % {"path": path},
                )
            source = path.open("rb")
        except FileNotFoundError:
            if os.path.lexists(path):
                raise BackupError(
                    "unreadable_file", _("%(path)s is niet te lezen.") % {"path": path}
                ) from None
            return False  # erased after it was listed (retention): not part of this moment
        except OSError as error:
            raise BackupError("unreadable_file", _unreadable(path, error)) from error
        with source:
            info = _zip_info(name, os.fstat(source.fileno()).st_mtime)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            digest = hashlib.sha256()
            size = 0
            with self.archive.open(info, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK_SIZE):
                    digest.update(chunk)
                    target.write(chunk)
                    size += len(chunk)
        self.members.append(Member(name, size, digest.hexdigest()))
        return True


# --- Restore ------------------------------------------------------------------------------------


def backup_restore(*, path: Path, force: bool = False, now: datetime) -> Summary:
    """Restore the backup at ``path`` into this (empty) installation.

    Everything is checked before anything changes: the archive's checksums, the database it
    was made on, the schema version, and that the installation holds no data (unless
    ``force``, which replaces what it holds). Stored files that were there are moved aside.
    """
    path = Path(os.path.abspath(path))
    if not path.is_file():
        raise BackupError(
            "no_backup",
            _("Er is geen back-up op %(path)s: dat bestand bestaat niet.") % {"path": path}
            if not path.exists()
            else _("%(path)s is geen bestand; geef het bestand van de back-up.") % {"path": path},
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError) as error:
        raise BackupError(
            "not_a_backup",
            _(
                "%(path)s is geen volledige back-up: het is geen leesbaar ZIP-archief "
                "(beschadigd, afgebroken, of een ander soort bestand)."
            )
            % {"path": path},
        ) from error
    except OSError as error:
        raise BackupError("unreadable", _unreadable(path, error)) from error
    with archive:
        manifest = _read_manifest(archive, path)
        _verify_members(archive, manifest, path)
        _check_target(manifest, force=force)
        notes = _restore(archive, manifest, now=now)
    _verify_counts(manifest)
    return Summary(path=path, manifest=manifest, size=path.stat().st_size, notes=notes)


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> Manifest:
    if MANIFEST not in archive.namelist():
        raise BackupError(
            "not_a_backup",
            _("%(path)s is geen back-up van Kerngroep Klachten (er zit geen %(manifest)s in).")
            % {"path": path, "manifest": MANIFEST},
        )
    try:
        data = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise BackupError(
            "damaged",
            _("Het manifest van %(path)s is beschadigd: %(reason)s")
            % {"path": path, "reason": error},
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(
            "not_a_backup",
            _("%(path)s is geen back-up van Kerngroep Klachten.") % {"path": path},
        )
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            "newer_format",
            _(
                "%(path)s is geschreven in back-upformaat %(version)s, nieuwer dan deze versie "
                "kent (%(known)s); zet haar terug met de versie die haar maakte "
                "(%(app_version)s) of een nieuwere."
            )
            % {
                "path": path,
                "version": version,
                "known": FORMAT_VERSION,
                "app_version": data.get("app_version", "?"),
            },
        )
    try:
        return _parse_manifest(data)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(
            "damaged",
            _("Het manifest van %(path)s is ongeldig (%(reason)s).")
            % {"path": path, "reason": error},
        ) from error


def _parse_manifest(data: dict[str, Any]) -> Manifest:
    database = data["database"]
    vendor = str(database["vendor"])
    if vendor not in VENDOR_NAMES:
        raise ValueError(_("onbekende database %(vendor)s") % {"vendor": repr(vendor)})
    created_at = datetime.fromisoformat(data["created_at"])
    if created_at.tzinfo is None:
        raise ValueError(_("created_at heeft geen tijdzone"))
    tables = {str(table): int(count) for table, count in database["tables"].items()}
    migrations = [(str(app), str(name)) for app, name in database["migrations"]]
    members = [Member(str(m["path"]), int(m["size"]), str(m["sha256"])) for m in data["members"]]
    return Manifest(
        created_at=created_at,
        app_version=str(data["app_version"]),
        vendor=vendor,
        database_member=str(database["member"]),
        database_tool=str(database["tool"]),
        tables=tables,
        migrations=migrations,
        secret_key_included=_boolean(data["secret_key"]["included"]),
        secret_key_check=str(data["secret_key"]["check"]),
        members=members,
        missing_files=[str(name) for name in data["missing_files"]],
    )


def _safe_member(name: str) -> bool:
    """A member name the restore writes only where it belongs (no ``..``, no absolute path)."""
    if name == KEY_MEMBER or name in DATABASE_MEMBERS.values():
        return True
    if not name.startswith(FILES_PREFIX) or "\\" in name or "\x00" in name:
        return False
    parts = name[len(FILES_PREFIX) :].split("/")
    return all(part not in {"", ".", ".."} for part in parts)


def _verify_members(archive: zipfile.ZipFile, manifest: Manifest, path: Path) -> None:
    """Every listed member is there, nothing else is, and each has its size and SHA-256."""
    names = archive.namelist()
    if len(names) != len(set(names)):
        raise BackupError(
            "damaged",
            _("%(path)s bevat een onderdeel twee keer; het is geen geldige back-up.")
            % {"path": path},
        )
    listed = {member.path for member in manifest.members}
    present = set(names) - {MANIFEST}
    if missing := sorted(listed - present):
        raise BackupError(
            "incomplete",
            ngettext(
                "%(path)s is onvolledig: %(count)d onderdeel uit het manifest ontbreekt "
                "(%(names)s).",
                "%(path)s is onvolledig: %(count)d onderdelen uit het manifest ontbreken "
                "(%(names)s).",
                len(missing),
            )
            % {"path": path, "count": len(missing), "names": ", ".join(missing[:3])},
        )
    if extra := sorted(present - listed):
        raise BackupError(
            "damaged",
            _("%(path)s bevat onderdelen die het manifest niet noemt (%(names)s).")
            % {"path": path, "names": ", ".join(extra[:3])},
        )
    if manifest.database_member != DATABASE_MEMBERS[manifest.vendor] or (
        manifest.database_member not in listed
    ):
        raise BackupError("incomplete", _("%(path)s bevat geen database.") % {"path": path})
    if manifest.secret_key_included != (KEY_MEMBER in listed):
        raise BackupError(
            "damaged",
            _("Het manifest van %(path)s spreekt zichzelf tegen over de geheime sleutel.")
            % {"path": path},
        )
    for member in manifest.members:
        if not _safe_member(member.path):
            raise BackupError(
                "damaged",
                _("%(path)s bevat een onderdeel met een onveilige naam: %(name)s.")
                % {"path": path, "name": repr(member.path)},
            )
        digest = hashlib.sha256()
        size = 0
        try:
            with archive.open(member.path) as source:
                while chunk := source.read(CHUNK_SIZE):
                    digest.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise BackupError(
                "damaged",
                _("%(path)s is beschadigd: %(name)s is niet te lezen (%(reason)s).")
                % {"path": path, "name": member.path, "reason": error},
            ) from error
        if size != member.size or not hmac.compare_digest(digest.hexdigest(), member.sha256):
            raise BackupError(
                "damaged",
                _(
                    "%(path)s is beschadigd: %(name)s klopt niet met zijn controlesom. Er is "
                    "niets teruggezet."
                )
                % {"path": path, "name": member.path},
            )


def _check_target(manifest: Manifest, *, force: bool) -> None:
    """Same database, a schema this version knows, and (unless forced) no data yet."""
    vendor = connection.vendor
    if manifest.vendor != vendor:
        raise BackupError(
            "other_database",
            _(
                "Deze back-up is gemaakt op %(made_on)s en deze installatie gebruikt "
                "%(uses)s. Zet haar terug in een installatie op %(made_on)s; een back-up "
                "verhuist niet naar een ander soort database."
            )
            % {"made_on": VENDOR_NAMES[manifest.vendor], "uses": VENDOR_NAMES.get(vendor, vendor)},
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = sorted(
        migration
        for migration in set(manifest.migrations) - known
        if migration[0] in loader.migrated_apps
    )
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:3])
        raise BackupError(
            "newer_schema",
            _(
                "Deze back-up is gemaakt door een nieuwere versie (%(version)s), met een "
                "databaseschema dat deze versie niet kent (%(names)s). Installeer die versie "
                "en zet de back-up dan terug."
            )
            % {"version": manifest.app_version, "names": names},
        )
    if force:
        return
    try:
        holding = _tables_holding_data()
    except DatabaseError as error:
        raise BackupError("database_unreachable", _unreachable(error)) from error
    if holding:
        raise BackupError(
            "not_empty",
            _(
                "Deze installatie bevat al gegevens (%(tables)s). Een back-up wordt "
                "teruggezet in een lege installatie: wijs KLACHTEN_DATA_DIR (en DATABASE_URL) "
                "naar een nieuwe. Voeg --force toe om alles in deze installatie door de "
                "back-up te vervangen."
            )
            % {"tables": ", ".join(holding[:4]) + (", …" if len(holding) > 4 else "")},
        )


def _tables_holding_data() -> list[str]:
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        holding = []
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.label_lower in NOT_DATA or not meta.managed or meta.proxy:
                continue
            if meta.db_table in existing:
                cursor.execute(f"SELECT 1 FROM {_quote(meta.db_table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone() is not None:
                    holding.append(meta.db_table)
    return sorted(holding)


def _restore(archive: zipfile.ZipFile, manifest: Manifest, *, now: datetime) -> list[str]:
    """Stage the files and the database next to their places, then put them there."""
    media_root = Path(settings.MEDIA_ROOT).resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    keep_work = False
    try:
        staged = work / "files"
        staged.mkdir()
        for member in manifest.stored_files:
            target = staged.joinpath(*member.path[len(FILES_PREFIX) :].split("/"))
            _extract(archive, member.path, target)
        database = work / PurePosixPath(manifest.database_member).name
        _extract(archive, manifest.database_member, database)

        connections.close_all()
        if manifest.vendor == "sqlite":
            _restore_sqlite(database)
        else:
            _restore_postgresql(database, manifest, work)
        connections.close_all()

        try:
            aside = _swap_files(staged, media_root, now=now)
        except OSError as error:
            keep_work = True
            raise BackupError(
                "files_not_placed",
                _(
                    "De database is teruggezet, maar de opgeslagen bestanden konden niet op hun "
                    "plaats worden gezet (%(reason)s). Ze staan in %(staged)s: verplaats ze naar "
                    "%(folder)s."
                )
                % {"reason": os_reason(error), "staged": staged, "folder": media_root},
            ) from error
        if aside is not None:
            notes.append(
                _("De opgeslagen bestanden die er al stonden, staan nu in %(folder)s.")
                % {"folder": aside}
            )
        notes.extend(_restore_secret_key(archive, manifest))
    finally:
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)

    loader = MigrationLoader(None, ignore_no_migrations=True)
    pending = set(loader.disk_migrations) - set(manifest.migrations)
    if any(app in loader.migrated_apps for app, _ in pending):
        notes.append(
            _(
                "De back-up komt van een oudere versie: `klachten serve` voert de nieuwere "
                "migraties uit bij het starten (of voer `klachten migrate` uit)."
            )
        )
    return notes


def _extract(archive: zipfile.ZipFile, name: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(name) as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK_SIZE)


def _restore_sqlite(copy: Path) -> None:
    """Replace the database's content with the copy, through SQLite's backup API.

    Through the API, not by moving files: SQLite takes its locks and the WAL stays right.
    """
    target = Path(str(connection.settings_dict["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(copy, isolation_level=None)) as source:
            problems = [row[0] for row in source.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(
                    "damaged",
                    _(
                        "De database in de back-up komt niet door de integriteitscontrole van "
                        "SQLite: %(problem)s"
                    )
                    % {"problem": problems[0]},
                )
            with closing(sqlite3.connect(target, timeout=5, isolation_level=None)) as live:
                # Leaving WAL needs the database to itself: a running installation says no.
                mode = live.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
                if str(mode).lower() != "delete":
                    raise sqlite3.OperationalError("database is locked")
                source.backup(live, pages=-1)
                live.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise BackupError("in_use", _in_use()) from error
        raise BackupError("restore_failed", _not_restored(error)) from error
    except sqlite3.Error as error:
        raise BackupError("restore_failed", _not_restored(error)) from error


def _in_use() -> str:
    return _(
        "De database is in gebruik: stop `klachten serve` en `klachten worker` van deze "
        "installatie en zet de back-up dan opnieuw terug. Er is niets veranderd."
    )


def _not_restored(error: Exception) -> str:
    return _("De database kon niet worden teruggezet: %(reason)s") % {"reason": error}


def _restore_postgresql(dump: Path, manifest: Manifest, work: Path) -> None:
    """Replace every table with the dump's, in one transaction: all of it or nothing.

    ``pg_restore`` turns the dump into SQL; ``psql`` runs it after dropping the tables the
    database holds now, between one BEGIN and COMMIT.
    """
    match = re.search(r"\)\s*(\d+)", manifest.database_tool)
    pg_restore = _pg_tool("pg_restore", minimum_major=int(match.group(1)) if match else 0)
    # psql reads what pg_restore writes (newer ones add meta-commands): the same version.
    psql = _pg_tool("psql", minimum_major=pg_restore.major, prefer=pg_restore.path.parent)
    try:
        with connection.cursor() as cursor:
            cursor.execute(_VISIBLE_TABLES)
            present = cursor.fetchall()
    except DatabaseError as error:
        raise BackupError("database_unreachable", _unreachable(error)) from error
    connections.close_all()
    prelude = work / "drop.sql"
    prelude.write_text(
        "".join(
            f"DROP TABLE IF EXISTS {_quote(schema)}.{_quote(table)} CASCADE;\n"
            for schema, table in present
        )
    )
    env = _pg_env()
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    with (work / "pg_restore.log").open("w+") as producer_errors:
        try:
            producer = subprocess.Popen(  # noqa: S603 - our own tool and arguments
                [str(pg_restore.path), "--no-owner", "--no-acl", "--file=-", str(dump)],
                stdout=subprocess.PIPE,
                stderr=producer_errors,
            )
        except OSError as error:
            raise BackupError("tool_failed", _cannot_run("pg_restore", error)) from error
        assert producer.stdout is not None  # noqa: S101 - stdout=PIPE
        try:
            consumer = subprocess.run(  # noqa: S603 - our own tool and arguments
                [
                    str(psql.path),
                    "--no-psqlrc",
                    "--quiet",
                    "--no-password",
                    "--set=ON_ERROR_STOP=1",
                    "--single-transaction",
                    f"--file={prelude}",
                    "--file=-",
                ],
                stdin=producer.stdout,
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
        finally:
            producer.stdout.close()
            producer.wait()
        producer_errors.seek(0)
        if producer.returncode != 0:
            raise BackupError(
                "restore_failed",
                _("pg_restore kon de dump niet lezen: %(reason)s Er is niets veranderd.")
                % {"reason": producer_errors.read().strip()[-1000:]},
            )
    if consumer.returncode != 0:
        message = consumer.stderr.strip()
        if "lock timeout" in message:
            raise BackupError("in_use", _in_use())
        raise BackupError(
            "restore_failed",
            _("Het terugzetten van de database is mislukt en teruggedraaid: %(reason)s")
            % {"reason": message[-1000:]},
        )


def _swap_files(staged: Path, media_root: Path, *, now: datetime) -> Path | None:
    """Put the staged files at ``media_root``; files that were there are moved aside."""
    aside = None
    if media_root.exists():
        if any(entry.is_file() for entry in media_root.rglob("*")):
            aside = media_root.with_name(
                f"{media_root.name}.before-restore-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
            )
            media_root.rename(aside)
        else:
            shutil.rmtree(media_root)
    staged.rename(media_root)
    return aside


def _restore_secret_key(archive: zipfile.ZipFile, manifest: Manifest) -> list[str]:
    """The key signs sessions and other signed values: keep it, or say what to do."""
    if manifest.secret_key_included:
        key_file = Path(settings.DATA_DIR) / "secret_key"
        partial = key_file.with_name(".secret_key.partial")
        partial.write_bytes(archive.read(KEY_MEMBER))
        partial.chmod(0o600)
        os.replace(partial, key_file)
        if os.environ.get("SECRET_KEY") and _secret_key_check() != manifest.secret_key_check:
            return [
                _(
                    "De geheime sleutel is teruggezet in de datamap, maar SECRET_KEY in de "
                    "omgeving gaat voor en is anders: medewerkers moeten opnieuw inloggen."
                )
            ]
        return []
    if _secret_key_check() != manifest.secret_key_check:
        return [
            _(
                "De back-up is gemaakt met SECRET_KEY uit de omgeving, en de sleutel van deze "
                "installatie is anders: zet SECRET_KEY op de waarde van toen, of medewerkers "
                "moeten opnieuw inloggen."
            )
        ]
    return []


def _verify_counts(manifest: Manifest) -> None:
    """Every table holds as many rows as the backup's snapshot did."""
    different = []
    try:
        with connection.cursor() as cursor:
            for table, expected in manifest.tables.items():
                cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
                if (found := cursor.fetchone()[0]) != expected:
                    different.append(
                        _("%(table)s: %(found)s in plaats van %(expected)s")
                        % {"table": table, "found": found, "expected": expected}
                    )
    except DatabaseError as error:
        raise BackupError(
            "restore_incomplete",
            _("De teruggezette database: %(reason)s") % {"reason": error},
        ) from error
    if different:
        raise BackupError(
            "restore_incomplete",
            _("De teruggezette database wijkt af van de back-up: %(differences)s.")
            % {"differences": "; ".join(different[:5])},
        )


# --- Helpers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tool:
    path: Path
    major: int
    version: str


def _pg_tool(name: str, *, minimum_major: int, prefer: Path | None = None) -> _Tool:
    """A PostgreSQL client program of at least ``minimum_major``: the oldest one that fits, or
    the one in ``prefer`` (the directory of its sibling). Looked for on PATH and in Debian's
    ``/usr/lib/postgresql/*/bin``.
    """
    candidates = [prefer / name] if prefer is not None else []
    if found := shutil.which(name):
        candidates.append(Path(found))
    candidates.extend(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}")))
    fitting = []
    for path in candidates:
        if not path.is_file():
            continue
        try:
            output = subprocess.run(  # noqa: S603 - a PostgreSQL client program
                [str(path), "--version"], capture_output=True, text=True, timeout=30, check=True
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        match = re.search(r"\)\s*(\d+)", output)  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
        if match and int(match.group(1)) >= minimum_major:
            fitting.append(_Tool(path, int(match.group(1)), output))
    if not fitting:
        raise BackupError(
            "tool_missing",
            _(
                "%(name)s van PostgreSQL %(major)s of nieuwer is nodig en staat niet op PATH of "
                "in /usr/lib/postgresql/*/bin. Installeer de programma's van PostgreSQL (op "
                "Debian: apt install postgresql-client-%(package)s)."
            )
            % {"name": name, "major": minimum_major, "package": minimum_major or 15},
        )
    if prefer is not None and fitting[0].path.parent == prefer:
        return fitting[0]
    return min(fitting, key=lambda tool: tool.major)


def _pg_env() -> dict[str, str]:
    """The environment for PostgreSQL's programs: the configured database, password included
    (in the environment, never on a command line that others can read)."""
    params = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if value := params.get(key):
            env[variable] = str(value)
    options = params.get("OPTIONS") or {}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if value := options.get(option):
            env[f"PG{option.upper()}"] = str(value)
    return env


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - our own tool and arguments
            command, capture_output=True, text=True, env=env, check=False
        )
    except OSError as error:
        raise BackupError("tool_failed", _cannot_run(what, error)) from error
    if result.returncode != 0:
        raise BackupError(
            "tool_failed",
            _("%(program)s is mislukt: %(reason)s")
            % {"program": what, "reason": result.stderr.strip()[-1000:]},
        )


def _cannot_run(program: str, error: OSError) -> str:
    return _("%(program)s kan niet worden gestart: %(reason)s") % {
        "program": program,
        "reason": os_error_text(error),
    }


def _unreachable(error: Exception) -> str:
    return _("De database is niet bereikbaar: %(reason)s") % {"reason": error}


def _unreadable(path: Path, error: OSError) -> str:
    return _("%(path)s is niet te lezen: %(reason)s.") % {"path": path, "reason": os_reason(error)}


def _quote(name: str) -> str:
    """An SQL identifier, quoted the way SQLite and PostgreSQL both read it."""
    return '"' + name.replace('"', '""') + '"'


def _secret_key_check() -> str:
    """Tells whether two installations share a secret key, without giving the key away."""
    return hmac.new(settings.SECRET_KEY.encode(), _SECRET_KEY_CHECK, hashlib.sha256).hexdigest()


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(_("%(value)s is geen true of false") % {"value": repr(value)})
    return value


def _table_of(label: str) -> str | None:
    try:
        return str(apps.get_model(label)._meta.db_table)
    except LookupError:
        return None


def _app_version() -> str:
    try:
        return metadata.version("kerngroep-klachten")
    except metadata.PackageNotFoundError:
        return "unknown"


def size_text(size: int) -> str:
    """``512 bytes``, ``12,3 kB``: a size as the active language writes it."""
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            if unit == "bytes":
                return ngettext("%(count)d byte", "%(count)d bytes", size) % {"count": size}
            return f"{number_format(value, 1)} {unit}"
        value /= 1000
    raise AssertionError  # pragma: no cover - the loop always returns
