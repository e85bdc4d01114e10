"""Restoring a backup (``klachten restore``): every check first, then the database in one
transaction and the files with a rename."""

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
import zipfile
import zlib
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.migrations.loader import MigrationLoader
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
    LOCK_TIMEOUT,
    MANIFEST,
    NOT_DATA,
    VENDOR_NAMES,
    BackupError,
    Manifest,
    Summary,
    _cannot_run,
    _parse_manifest,
    _pg_env,
    _pg_tool,
    _quote,
    _secret_key_check,
    _unreachable,
    _unreadable,
)
from klachten.ops.management.base import os_reason

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
