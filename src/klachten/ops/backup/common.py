"""What backup and restore share: the archive's format, the manifest, the summaries, and the
helpers that run PostgreSQL's tools."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
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
        # migrate keeps the regulation as it reads as its first version (R17, #16 item 7)
        "organisation.regulationversion",
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
