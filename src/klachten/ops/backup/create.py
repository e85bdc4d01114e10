"""Writing a backup (``klachten backup``): one snapshot of the database, then the files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import FileField
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachten.ops.backup.common import (
    _VISIBLE_TABLES,
    CHUNK_SIZE,
    DATABASE_MEMBERS,
    FILES_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    KEY_MEMBER,
    MANIFEST,
    VENDOR_NAMES,
    BackupError,
    Member,
    Summary,
    _app_version,
    _parse_manifest,
    _pg_env,
    _pg_tool,
    _quote,
    _run,
    _secret_key_check,
    _unreachable,
    _unreadable,
)

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
