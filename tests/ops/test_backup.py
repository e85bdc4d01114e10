"""``klachten backup FILE`` / ``klachten restore FILE`` (CONTRACT.md, issue #5).

A consistent copy while the system runs, restored completely into an empty installation:
every row of every table and every stored file comes back. Each test drives the real command
in its own process against real installations (a data dir, and on PostgreSQL a database of
its own), on the database of this test run: SQLite by default, PostgreSQL when DATABASE_URL
points to one (``DATABASE_URL=postgres://… scripts/test --create-db``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

# The commands reach the configured database themselves: in the PostgreSQL pass (-m database).
pytestmark = pytest.mark.database

DATABASE_URL = os.environ.get("DATABASE_URL", "")
VENDOR = "postgresql" if DATABASE_URL.startswith(("postgres://", "postgresql://")) else "sqlite"
OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}[VENDOR]
DATABASE_MEMBER = {"sqlite": "database/klachten.sqlite3", "postgresql": "database/klachten.pgdump"}
DEMO_PASSWORD = "Kerngroep-demo-2026!"
STAFF_PASSWORD = "Kerngroep-test-2026!"

SETUP = """\
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
import django
django.setup()
"""

# Every row of every table, as text: two installations hold the same records when equal.
CONTENT = """
from django.db import connection
content = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute("SELECT * FROM " + connection.ops.quote_name(table))
        content[table] = sorted(json.dumps(list(row), default=str) for row in cursor.fetchall())
print(json.dumps(content))
"""

# The tables that hold rows a new installation does not have by itself.
HOLDING = """
from klachten.ops.backup.restore import _tables_holding_data
print(json.dumps(_tables_holding_data()))
"""

# Attachments kept with three complaints, through the service (R5: the customer file).
ATTACH = """
from django.core.files.base import ContentFile
from django.utils import timezone
from klachten.complaints.attachments import attachment_add
from klachten.complaints.models import Complaint
files = [
    ("brief klant.pdf", b"%PDF-1.4\\n" + os.urandom(40_000) + b"\\n%%EOF\\n"),
    ("foto lokaal.png", b"\\x89PNG\\r\\n\\x1a\\n" + os.urandom(70_000)),
    ("gespreksnotitie.txt", "Gebeld op maandag; één vraag staat nog open.\\n".encode()),
]
complaints = Complaint.objects.select_related("receiver").order_by("id")[:3]
for complaint, (name, content) in zip(complaints, files, strict=True):
    attachment_add(
        complaint=complaint, actor=complaint.receiver, file=ContentFile(content, name=name),
        now=timezone.now(),
    )
"""

STAFF = f"""
from klachten.accounts.services import staff_create
staff_create(username="petra", role="employee", email="petra@kerngroep.example",
             password="{STAFF_PASSWORD}")
staff_create(username="marco", role="management", email="marco@kerngroep.example",
             password="{STAFF_PASSWORD}")
"""

# Registers complaints one after another, each in its own transaction, until told to stop.
WRITER = """
import itertools
from pathlib import Path
from django.utils import timezone
from klachten.accounts.models import Staff
from klachten.complaints.services import Checklist, complaint_register
from klachten.customers.validation import CustomerData
stop = Path(sys.argv[1])
receiver = Staff.objects.get(username="petra")
for number in itertools.count(1):
    if stop.exists():
        break
    complaint_register(
        receiver=receiver,
        customer=CustomerData(
            name=f"Klant {number}", street="Oudegracht", house_number=str(number),
            postcode="3511 AB", town="Utrecht", email=f"klant{number}@example.com",
        ),
        received_at=None, channel="phone", report="De cursusmap lag er niet bij de start.",
        checklist=Checklist(vented=True), now=timezone.now(),
    )
    print(number, flush=True)
"""

# What registering writes in one transaction: the customer file, the complaint with its
# reference, the audit entry and the alert to management (R3).
REGISTERED = """
from klachten.accounts.models import Staff
from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.customers.models import CustomerFile
from klachten.mail.models import OutboxMessage
manager = Staff.objects.get(username="marco")
print(json.dumps({
    "complaints": sorted(Complaint.objects.values_list("reference", flat=True)),
    "registered": sorted(
        AuditEntry.objects.filter(action="registered")
        .values_list("complaint__reference", flat=True)
    ),
    "alerts": sorted(OutboxMessage.objects.values_list("key", flat=True)),
    "customers": CustomerFile.objects.count(),
    "manager": manager.pk,
}))
"""

# One complaint with one attachment; prints where the attachment is stored.
ONE_ATTACHMENT = """
from django.core.files.base import ContentFile
from django.utils import timezone
from klachten.accounts.models import Staff
from klachten.complaints.attachments import attachment_add
from klachten.complaints.services import Checklist, complaint_register
from klachten.customers.validation import CustomerData
petra = Staff.objects.get(username="petra")
complaint = complaint_register(
    receiver=petra,
    customer=CustomerData(name="Anja de Boer", street="Kanaalweg", house_number="3",
                          postcode="3526 KL", town="Utrecht", email="anja@example.com"),
    received_at=None, channel="phone", report="Verkeerde datum op de uitnodiging.",
    checklist=Checklist(), now=timezone.now(),
)
attachment = attachment_add(
    complaint=complaint, actor=petra, file=ContentFile(b"%PDF-1.7 uitnodiging", name="u.pdf"),
    now=timezone.now(),
)
print(json.dumps(attachment.file.name))
"""

LOGIN = f"""
from django.contrib.auth import authenticate
from klachten.complaints.models import Attachment
staff = authenticate(username="petra", password="{DEMO_PASSWORD}")
opened = []
for attachment in Attachment.objects.order_by("id"):
    with attachment.file.open("rb") as file:
        opened.append(len(file.read()) == attachment.size)
print(json.dumps({{"login": staff is not None, "attachments": opened}}))
"""


# --- Installations ------------------------------------------------------------------------------


@dataclass
class Installation:
    """A data dir and, on PostgreSQL, a database of its own: one installation."""

    data_dir: Path
    database_url: str | None

    @property
    def files(self) -> Path:
        return self.data_dir / "files"

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
        }
        env["KLACHTEN_DATA_DIR"] = str(self.data_dir)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def klachten(
        self, *args: str, ok: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "klachten", *args],
            env=self.env(),
            cwd=self.data_dir.parent,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if ok:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def refuses(self, *args: str) -> str:
        """Run a command that must refuse: exit status 1, a message, no traceback."""
        result = self.klachten(*args, ok=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("klachten: "), result.stderr
        assert "CommandError" not in result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr  # one line (issue #10)
        return result.stderr

    def python(self, code: str, *args: str) -> Any:
        """Run ``code`` inside the installation; what it prints is read as JSON."""
        result = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", SETUP + code, *args],
            env=self.env(),
            cwd=self.data_dir.parent,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    def content(self) -> dict[str, list[str]]:
        return self.python(CONTENT)

    def stored_files(self) -> dict[str, bytes]:
        return _files_under(self.files)


def _files_under(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@dataclass
class Installations:
    """Makes installations and, on PostgreSQL, drops their databases afterwards."""

    root: Path
    databases: list[str] = field(default_factory=list)

    def new(self, name: str) -> Installation:
        data_dir = self.root / f"{name}-{uuid.uuid4().hex[:8]}"
        if VENDOR == "sqlite":
            return Installation(data_dir, None)
        database = f"klachten_backup_{name}_{uuid.uuid4().hex[:8]}"
        with _maintenance() as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        self.databases.append(database)
        parts = urlsplit(DATABASE_URL)
        return Installation(data_dir, urlunsplit(parts._replace(path=f"/{database}")))

    def close(self) -> None:
        if not self.databases:
            return
        with _maintenance() as admin:
            for database in self.databases:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _maintenance() -> Any:
    """A connection to the PostgreSQL server's maintenance database, in autocommit."""
    import psycopg

    parts = urlsplit(DATABASE_URL)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


@pytest.fixture(scope="module")
def module_installations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installations]:
    made = Installations(tmp_path_factory.mktemp("installations"))
    yield made
    made.close()


@pytest.fixture
def new_installation(tmp_path: Path) -> Iterator[Callable[[str], Installation]]:
    made = Installations(tmp_path)
    yield made.new
    made.close()


@pytest.fixture(scope="module")
def source(module_installations: Installations) -> Installation:
    """An installation in use: demo staff, customers and complaints, attachments (R5), and a
    file of another kind in the stored files."""
    installation = module_installations.new("source")
    installation.klachten("migrate", "--verbosity", "0")
    installation.klachten("demo", "--seed", "5", "--password", DEMO_PASSWORD)
    installation.python(ATTACH)
    (installation.files / "organisatie").mkdir(parents=True)
    (installation.files / "organisatie" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"K" * 99)
    return installation


@dataclass(frozen=True)
class Backup:
    path: Path
    output: str


@pytest.fixture(scope="module")
def backup(source: Installation, tmp_path_factory: pytest.TempPathFactory) -> Backup:
    path = tmp_path_factory.mktemp("backups") / "klachten-backup.zip"
    return Backup(path, source.klachten("backup", str(path)).stdout)


def _rewrite(
    archive: Path,
    target: Path,
    *,
    manifest: Callable[[dict[str, Any]], None] = lambda manifest: None,
    content: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    rename: dict[str, str] | None = None,
) -> Path:
    """A copy of ``archive`` as a valid ZIP, with members changed, renamed or left out
    (``content`` returning None) and the manifest edited."""
    rename = rename or {}
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        data = json.loads(source.read("manifest.json"))
        manifest(data)
        for member in data["members"]:
            member["path"] = rename.get(member["path"], member["path"])
        for name in source.namelist():
            if name == "manifest.json":
                continue
            changed = content(name, source.read(name))
            if changed is not None:
                copy.writestr(rename.get(name, name), changed)
        copy.writestr("manifest.json", json.dumps(data))
    return target


# --- A backup restores completely ---------------------------------------------------------------


@pytest.mark.parametrize("migrated", [True, False], ids=["migrated", "brand-new"])
def test_a_backup_restores_every_record_and_every_file_into_an_empty_installation(
    source: Installation,
    backup: Backup,
    new_installation: Callable[[str], Installation],
    migrated: bool,
) -> None:
    """Every row of every table (staff, customer files, complaints, the audit log, the
    outbox, …) and every stored file byte for byte, into an installation that never ran or
    one that `klachten serve` has only migrated; the same secret key; staff log in again."""
    expected = source.content()
    files = source.stored_files()
    assert len(expected["complaints_complaint"]) > 40
    assert len(expected["complaints_attachment"]) == 3
    assert len(files) == 4  # three attachments and the logo
    assert "3 bijlagen" in backup.output
    assert "4 opgeslagen bestanden" in backup.output

    target = new_installation("target")
    if migrated:
        target.klachten("migrate", "--verbosity", "0")
    result = target.klachten("restore", str(backup.path))

    complaints = len(expected["complaints_complaint"])
    assert f"{complaints} meldingen" in result.stdout
    assert "3 bijlagen" in result.stdout
    assert "4 opgeslagen bestanden" in result.stdout
    assert target.content() == expected
    assert target.stored_files() == files
    assert (target.data_dir / "secret_key").read_text() == (
        source.data_dir / "secret_key"
    ).read_text()
    assert target.python(LOGIN) == {"login": True, "attachments": [True, True, True]}


def test_the_manifest_lists_every_member_with_its_size_and_checksum(
    source: Installation, backup: Backup
) -> None:
    """The archive says what it holds: format, moment, database, version, migrations, row
    counts, and the SHA-256 of every member; only its owner may read it."""
    expected = source.content()
    with zipfile.ZipFile(backup.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for member in manifest["members"]:
            data = archive.read(member["path"])
            assert len(data) == member["size"]
            assert hashlib.sha256(data).hexdigest() == member["sha256"]
        names = set(archive.namelist())

    assert manifest["format"] == "kerngroep-klachten-backup"
    assert manifest["format_version"] == 1
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["database"]["vendor"] == VENDOR
    assert manifest["database"]["member"] == DATABASE_MEMBER[VENDOR]
    assert ["complaints", "0002_attachment"] in manifest["database"]["migrations"]
    assert manifest["database"]["tables"] == {table: len(rows) for table, rows in expected.items()}
    assert names == {member["path"] for member in manifest["members"]} | {"manifest.json"}
    assert {name for name in names if name.startswith("files/")} == {
        f"files/{name}" for name in source.stored_files()
    }
    assert manifest["secret_key"]["included"] is True
    assert "secret_key" in names
    assert manifest["missing_files"] == []
    assert backup.path.stat().st_mode & 0o777 == 0o600


def test_a_backup_taken_while_the_system_writes_is_one_consistent_moment(
    new_installation: Callable[[str], Installation], tmp_path: Path
) -> None:
    """While complaints keep being registered, the backup holds exactly the ones committed
    at one moment: no complaint without its customer file, audit entry or alert to
    management (R3), nobody waits for the backup, and the copy passes the integrity check."""
    live = new_installation("live")
    live.klachten("migrate", "--verbosity", "0")
    live.python(STAFF)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", SETUP + WRITER, str(stop)],
        env=live.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    try:
        for _ in range(10):  # the system is busy before the backup starts
            assert writer.stdout.readline(), writer.stderr.read() if writer.stderr else ""
        path = tmp_path / "live.zip"
        started = time.monotonic()
        live.klachten("backup", str(path))
        assert time.monotonic() - started < 120
    finally:
        stop.touch()
        output, errors = writer.communicate(timeout=120)
    assert writer.returncode == 0, errors  # never "database is locked"
    written = 10 + len(output.split())

    if VENDOR == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        with zipfile.ZipFile(path) as archive:
            copy.write_bytes(archive.read(DATABASE_MEMBER["sqlite"]))
        with closing(sqlite3.connect(copy)) as database:
            assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert database.execute("PRAGMA foreign_key_check").fetchall() == []

    restored = new_installation("restored")
    restored.klachten("restore", str(path))
    found = restored.python(REGISTERED)
    complaints = found["complaints"]
    assert 10 <= len(complaints) <= written
    assert len(complaints) < written, "the writer went on after the snapshot"
    assert found["registered"] == complaints
    assert found["customers"] == len(complaints)
    assert found["alerts"] == sorted(f"{ref}-registered-{found['manager']}" for ref in complaints)


# --- What a restore refuses ---------------------------------------------------------------------


def _flip_a_byte(name: str, data: bytes) -> bytes:
    if name.startswith("files/attachments/"):
        return data[:10] + bytes([data[10] ^ 0xFF]) + data[11:]
    return data


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("changed", "klopt niet met zijn controlesom"),
        ("cut short", "is geen volledige back-up"),
        ("member missing", "is onvolledig"),
        ("not a zip", "is geen volledige back-up"),
    ],
)
def test_a_damaged_backup_is_refused_and_nothing_changes(
    backup: Backup,
    new_installation: Callable[[str], Installation],
    tmp_path: Path,
    damage: str,
    message: str,
) -> None:
    """Every member is checked against its size and SHA-256 before anything is touched."""
    damaged = tmp_path / "damaged.zip"
    if damage == "changed":
        _rewrite(backup.path, damaged, content=_flip_a_byte)
    elif damage == "cut short":
        data = backup.path.read_bytes()
        damaged.write_bytes(data[: len(data) // 2])
    elif damage == "member missing":
        _rewrite(
            backup.path,
            damaged,
            content=lambda name, data: None if name.startswith("files/organisatie/") else data,
        )
    else:
        damaged.write_text("manifest.json\n")

    target = new_installation("target")
    target.klachten("migrate", "--verbosity", "0")
    assert message in target.refuses("restore", str(damaged))
    assert target.python(HOLDING) == []
    assert target.stored_files() == {}


def test_restore_refuses_an_installation_that_holds_data(
    source: Installation, backup: Backup
) -> None:
    """Restoring into an installation in use would mix or lose records: refused, and the
    message says how to restore anyway."""
    before = source.content()
    message = source.refuses("restore", str(backup.path))
    assert "bevat al gegevens" in message
    assert "accounts_staff" in message
    assert "--force" in message
    assert source.content() == before


def test_force_replaces_what_an_installation_holds_and_keeps_its_files_aside(
    source: Installation, backup: Backup, new_installation: Callable[[str], Installation]
) -> None:
    """With --force, the database becomes the backup's and the stored files that were there
    are moved aside, never deleted."""
    target = new_installation("target")
    target.klachten("migrate", "--verbosity", "0")
    target.klachten(
        "createstaff", "nieuw", "--role", "admin", "--password-stdin", stdin=STAFF_PASSWORD
    )
    (target.files / "attachments" / "1").mkdir(parents=True)
    (target.files / "attachments" / "1" / "oud").write_bytes(b"was already here")

    result = target.klachten("restore", "--force", str(backup.path))

    assert target.content() == source.content()
    assert target.stored_files() == source.stored_files()
    [aside] = target.data_dir.glob("files.before-restore-*")
    assert _files_under(aside) == {"attachments/1/oud": b"was already here"}
    assert str(aside) in result.stdout


@pytest.mark.parametrize(
    ("tampering", "message"),
    [
        ("other database", "verhuist niet naar een ander soort database"),
        ("newer schema", "gemaakt door een nieuwere versie"),
        ("newer format", "nieuwer dan deze versie kent"),
        ("unsafe name", "onveilige naam"),
        ("not ours", "is geen back-up van Kerngroep Klachten"),
    ],
)
def test_a_backup_this_installation_cannot_take_is_refused(
    backup: Backup,
    new_installation: Callable[[str], Installation],
    tmp_path: Path,
    tampering: str,
    message: str,
) -> None:
    """A backup from the other database, or from a newer version, is refused with a clear
    reason, as is an archive that would write outside the data dir."""
    changed = tmp_path / "changed.zip"
    if tampering == "other database":

        def to_other(manifest: dict[str, Any]) -> None:
            manifest["database"]["vendor"] = OTHER_VENDOR
            manifest["database"]["member"] = DATABASE_MEMBER[OTHER_VENDOR]

        _rewrite(
            backup.path,
            changed,
            manifest=to_other,
            rename={DATABASE_MEMBER[VENDOR]: DATABASE_MEMBER[OTHER_VENDOR]},
        )
    elif tampering == "newer schema":
        _rewrite(
            backup.path,
            changed,
            manifest=lambda m: m["database"]["migrations"].append(["complaints", "9999_later"]),
        )
    elif tampering == "newer format":
        _rewrite(backup.path, changed, manifest=lambda m: m.update(format_version=2))
    elif tampering == "unsafe name":
        _rewrite(
            backup.path, changed, rename={"files/organisatie/logo.png": "files/../../logo.png"}
        )
    else:
        _rewrite(backup.path, changed, manifest=lambda m: m.update(format="something-else"))

    target = new_installation("target")
    assert message in target.refuses("restore", str(changed))
    assert not (target.data_dir.parent / "logo.png").exists()
    assert target.stored_files() == {}


def test_restore_of_a_file_that_is_not_there_says_so(
    new_installation: Callable[[str], Installation], tmp_path: Path
) -> None:
    target = new_installation("target")
    assert "Er is geen back-up op" in target.refuses("restore", str(tmp_path / "nothing.zip"))


@pytest.mark.skipif(VENDOR != "sqlite", reason="SQLite's own locking")
def test_restore_refuses_while_the_installation_is_running(
    backup: Backup, new_installation: Callable[[str], Installation]
) -> None:
    """Replacing the database under a running application is refused, not waited for."""
    target = new_installation("target")
    target.klachten("migrate", "--verbosity", "0")
    with closing(sqlite3.connect(target.data_dir / "klachten.sqlite3")) as running:
        running.execute("SELECT COUNT(*) FROM django_migrations").fetchall()
        message = target.refuses("restore", str(backup.path))
    assert "in gebruik" in message
    assert target.python(HOLDING) == []


# --- What a backup refuses ----------------------------------------------------------------------


def test_a_backup_never_overwrites_a_file_unless_forced(
    source: Installation, tmp_path: Path
) -> None:
    existing = tmp_path / "klachten.zip"
    existing.write_bytes(b"yesterday's backup")
    assert "bestaat al" in source.refuses("backup", str(existing))
    assert existing.read_bytes() == b"yesterday's backup"

    source.klachten("backup", "--force", str(existing))
    with zipfile.ZipFile(existing) as archive:
        assert "manifest.json" in archive.namelist()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["klachten.zip"]


def test_a_failed_backup_leaves_no_file_behind(
    new_installation: Callable[[str], Installation], tmp_path: Path
) -> None:
    """A stored file that cannot be read stops the backup with its name, and nothing that
    looks like a backup (not even a half one) is left."""
    installation = new_installation("broken")
    installation.klachten("migrate", "--verbosity", "0")
    (installation.files / "attachments").mkdir(parents=True)
    (installation.files / "attachments" / "gone").symlink_to(tmp_path / "nowhere")
    out = tmp_path / "backups"
    out.mkdir()

    message = installation.refuses("backup", str(out / "klachten.zip"))

    assert "attachments/gone" in message
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("where", ["missing directory", "inside the stored files"])
def test_a_backup_needs_a_place_outside_the_stored_files(
    source: Installation, tmp_path: Path, where: str
) -> None:
    if where == "missing directory":
        message = source.refuses("backup", str(tmp_path / "not" / "there.zip"))
        assert "bestaat niet" in message
    else:
        message = source.refuses("backup", str(source.files / "backup.zip"))
        assert "buiten de opgeslagen bestanden" in message
        assert not (source.files / "backup.zip").exists()


def test_an_installation_without_a_database_has_nothing_to_back_up(
    new_installation: Callable[[str], Installation], tmp_path: Path
) -> None:
    installation = new_installation("empty")
    message = installation.refuses("backup", str(tmp_path / "nothing.zip"))
    assert "niets om een back-up van te maken" in message
    assert not (tmp_path / "nothing.zip").exists()


def test_a_stored_file_the_database_refers_to_but_that_is_gone_is_reported(
    new_installation: Callable[[str], Installation], tmp_path: Path
) -> None:
    """An attachment erased while the backup ran (retention, R5), or lost before, is named in
    a warning and in the manifest; the backup itself is still made and restores."""
    installation = new_installation("lost")
    installation.klachten("migrate", "--verbosity", "0")
    installation.python(STAFF)
    name = installation.python(ONE_ATTACHMENT)
    (installation.files / name).unlink()

    path = tmp_path / "lost.zip"
    result = installation.klachten("backup", str(path))

    assert "Let op: 1 opgeslagen bestand waarnaar de database verwijst, stond niet op" in (
        result.stderr
    )
    assert name in result.stderr
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("manifest.json"))["missing_files"] == [name]
    new_installation("target").klachten("restore", str(path))


def test_the_secret_key_from_the_environment_is_not_copied(
    new_installation: Callable[[str], Installation], tmp_path: Path
) -> None:
    """A key set in the environment belongs to the deployment's configuration, not to the
    data; the restore says when the new installation's key differs."""
    installation = new_installation("configured")
    installation.klachten("migrate", "--verbosity", "0")
    env_key = {"SECRET_KEY": "a-configured-key-" + "x" * 40}
    path = tmp_path / "configured.zip"
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "klachten", "backup", str(path)],
        env={**installation.env(), **env_key},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "zit er niet in" in result.stdout
    with zipfile.ZipFile(path) as archive:
        assert "secret_key" not in archive.namelist()
        assert json.loads(archive.read("manifest.json"))["secret_key"]["included"] is False

    target = new_installation("target")
    result = target.klachten("restore", str(path))
    assert "zet SECRET_KEY op de waarde van toen" in result.stdout


def test_backup_and_restore_are_documented() -> None:
    """CONTRACT.md's commands, with what is and is not in a backup (README, decisions)."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    assert "klachten backup FILE" in readme
    assert "klachten restore FILE" in readme
    assert "pg_dump" in readme
    decisions = (root / "docs" / "decisions.md").read_text()
    assert "## Backup and restore" in decisions
