"""The ``klachten`` command on a brand-new data dir, run as a newcomer runs it (issue #10):
every command that works on the data brings the database up to date first, and whatever a
user can run into ends in one plain Dutch line, ``klachten: <bericht>`` — never a traceback,
never Django's English ``CommandError:``."""

from __future__ import annotations

import ast
import json
import re
import socket
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import translation

from klachten.domain.workdays import AMSTERDAM
from tests.ops.serving import environment
from tests.ports import free_port

# The console script the package installs (``.venv/bin/klachten``); ``python -m klachten``
# runs the same ``klachten.cli.main`` where it is not installed as a script.
SCRIPT = Path(sys.executable).with_name("klachten")
ENTRY_POINT = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "klachten"]


def klachten(
    tmp_path: Path, *args: str, stdin: str = "", **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run the real entry point, as a newcomer types it."""
    return subprocess.run(  # noqa: S603 - our own entry point
        [*ENTRY_POINT, *args],
        env=environment(tmp_path / "data", **extra),
        cwd=tmp_path,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def one_dutch_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a refusal prints on standard error (no traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_demo_on_a_brand_new_data_dir_works(tmp_path):
    """The README's "once on the empty installation": no `no such table: accounts_staff`."""
    result = klachten(tmp_path, "demo", "--seed", "7", "--password", "Demo-wachtwoord-2026!")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "de database is bijgewerkt" in result.stderr
    assert re.search(r"marco\s+directie", result.stdout)
    # The database is current: the next command has nothing to migrate.
    again = klachten(tmp_path, "token", "create", "marco")
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    assert again.stdout.startswith("kk_")


@pytest.mark.parametrize(
    "args",
    [
        ("token", "create", "anna"),
        ("createstaff", "anna", "--role", "employee"),
        ("retention", "--dry-run"),
        ("report", "--year", "2026", "--format", "csv", "--output", "jaar.csv"),
    ],
)
def test_commands_on_the_data_migrate_a_new_data_dir_first(tmp_path, args):
    result = klachten(tmp_path, *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert "no such table" not in result.stderr
    assert "de database is bijgewerkt" in result.stderr


def test_an_unknown_staff_member_is_one_line(tmp_path):
    result = klachten(tmp_path, "token", "create", "niemand")
    assert result.returncode == 1
    assert "niemand" in result.stderr.splitlines()[-1]
    assert "Traceback" not in result.stderr


def test_a_django_command_on_an_empty_database_says_what_to_run(tmp_path):
    code = "from klachten.accounts.models import Staff; print(Staff.objects.count())"
    result = klachten(tmp_path, "shell", "-c", code)
    assert result.returncode == 1
    assert one_dutch_line(result) == (
        "klachten: de database is nog niet bijgewerkt: voer eerst `klachten migrate` uit."
    )


def _closed_port() -> int:
    """A port nothing listens on: one of this test process's own (tests/ports.py), which no
    other test process hands to a server meanwhile."""
    return free_port()


def test_an_unreachable_database_is_one_line(tmp_path):
    url = f"postgres://postgres@127.0.0.1:{_closed_port()}/klachten"
    result = klachten(tmp_path, "token", "create", "anna", DATABASE_URL=url)
    assert result.returncode == 1
    line = one_dutch_line(result)
    assert line.startswith("klachten: de database is niet bereikbaar (DATABASE_URL):")


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("DEBUG", "misschien", "DEBUG moet true of false zijn"),
        ("EMAIL_URL", "http://mail.example", "EMAIL_URL moet beginnen met smtp://"),
    ],
)
def test_a_wrong_setting_is_one_line(tmp_path, variable, value, named):
    """The whole line is Dutch, also the reason that settings give before any catalogue."""
    result = klachten(tmp_path, "token", "create", "anna", **{variable: value})
    assert result.returncode == 1
    line = one_dutch_line(result)
    assert line.startswith("klachten: de configuratie klopt niet:")
    assert named in line


def test_an_unusable_data_dir_is_one_line(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = klachten(tmp_path, "help", KLACHTEN_DATA_DIR=str(blocked / "data"))
    assert result.returncode == 1
    line = one_dutch_line(result)
    assert "KLACHTEN_DATA_DIR" in line
    assert "een deel van het pad is geen map" in line


def test_a_file_that_cannot_be_written_is_one_line(tmp_path):
    assert klachten(tmp_path, "migrate").returncode == 0
    (tmp_path / "map").mkdir()
    result = klachten(
        tmp_path, "report", "--year", "2026", "--format", "csv", "--output", str(tmp_path / "map")
    )
    assert result.returncode == 1
    assert one_dutch_line(result) == (
        f"klachten: {tmp_path / 'map'} is een map; geef de naam van het bestand dat er moet komen."
    )


def test_a_missing_backup_is_one_line(tmp_path):
    result = klachten(tmp_path, "restore", str(tmp_path / "bestaat-niet.zip"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("token",),
        ("report", "--year", "twintig", "--format", "csv", "--output", "x.csv"),
        ("createstaff", "anna", "--role", "koning"),
        ("serve", "--port", "zeven"),
        ("bestaat-niet",),
    ],
)
def test_wrong_arguments_are_explained_without_a_traceback(tmp_path, args):
    result = klachten(tmp_path, *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip()


def test_help_answers_without_touching_the_database(tmp_path):
    result = klachten(tmp_path, "--help")
    assert result.returncode == 0
    assert "serve" in result.stdout
    assert not (tmp_path / "data" / "klachten.sqlite3").exists()


# --- Every command, with a mistake a user can make (issue #10) -----------------------------------


@dataclass(frozen=True)
class Installation:
    """A migrated data dir with one employee, a backup of it and a few files to trip over."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    def run(self, *args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own entry point
            [*ENTRY_POINT, *args],
            env=environment(self.data, **extra),
            cwd=self.root,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    made = Installation(tmp_path_factory.mktemp("cli"))
    for args in (
        ("migrate", "--verbosity", "0"),
        ("createstaff", "anna", "--role", "employee"),
        ("backup", "backup.zip"),
    ):
        result = made.run(*args)
        assert result.returncode == 0, result.stderr
    # The same backup, as if made on PostgreSQL: the manifest and the member say so.
    with (
        zipfile.ZipFile(made.root / "backup.zip") as source,
        zipfile.ZipFile(made.root / "postgresql.zip", "w") as copy,
    ):
        manifest = json.loads(source.read("manifest.json"))
        manifest["database"].update(vendor="postgresql", member="database/klachten.pgdump")
        renamed = {"database/klachten.sqlite3": "database/klachten.pgdump"}
        for member in manifest["members"]:
            member["path"] = renamed.get(member["path"], member["path"])
        for name in source.namelist():
            if name != "manifest.json":
                copy.writestr(renamed.get(name, name), source.read(name))
        copy.writestr("manifest.json", json.dumps(manifest))
    (made.root / "notes.txt").write_text("not a backup\n")
    (made.root / "a-folder").mkdir()
    (made.root / "a-file").write_text("not a folder\n")
    return made


def _unreachable() -> dict[str, str]:
    return {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/klachten"}


# Two years on: far from the turn of a year that the command might see differently.
LATER_YEAR = str(datetime.now(tz=AMSTERDAM).year + 2)

# (command line, extra environment, standard input, what the one line says)
MISTAKES: dict[str, tuple[Callable[[Installation], list[str]], dict[str, str], str, str]] = {
    "serve on a port in use": (
        lambda made: ["serve", "--port", "{busy}"],
        {},
        "",
        "is al in gebruik; kies een andere met --port",
    ),
    "serve on port 0": (lambda made: ["serve", "--port", "0"], {}, "", "Kies een poort"),
    "serve on a host that does not exist": (
        lambda made: ["serve", "--host", "nergens.invalid"],
        {},
        "",
        "die computernaam is onbekend",
    ),
    "worker without a database": (
        lambda made: ["worker"],
        _unreachable(),
        "",
        "de database is niet bereikbaar (DATABASE_URL)",
    ),
    "migrate without a database": (
        lambda made: ["migrate"],
        _unreachable(),
        "",
        "de database is niet bereikbaar (DATABASE_URL)",
    ),
    "migrate an unknown app": (lambda made: ["migrate", "kassa"], {}, "", "geen app 'kassa'"),
    "createstaff a user that exists": (
        lambda made: ["createstaff", "ANNA", "--role", "employee"],
        {},
        "",
        "bestaat al",
    ),
    "createstaff a manager without e-mail": (
        lambda made: ["createstaff", "bert", "--role", "management"],
        {},
        "",
        "e-mailadres",
    ),
    "createstaff without the password": (
        lambda made: ["createstaff", "bert", "--role", "employee", "--password-stdin"],
        {},
        "",
        "geen wachtwoord op de standaardinvoer",
    ),
    "token for an unknown user": (
        lambda made: ["token", "create", "nobody"],
        {},
        "",
        "geen account met de gebruikersnaam 'nobody'",
    ),
    "revoke an unknown token": (
        lambda made: ["token", "revoke", "kk_onbekend"],
        {},
        "",
        "geen geldig token",
    ),
    "demo on a database in use": (lambda made: ["demo"], {}, "", "De database is niet leeg"),
    "demo at a moment without a zone": (
        lambda made: ["demo", "--now", "2026-11-18T14:30"],
        {},
        "",
        "tijdzone",
    ),
    "backup into a folder that does not exist": (
        lambda made: ["backup", str(made.root / "nergens" / "b.zip")],
        {},
        "",
        "bestaat niet",
    ),
    "backup over an existing file": (
        lambda made: ["backup", str(made.root / "notes.txt")],
        {},
        "",
        "bestaat al; kies een andere naam, of voeg --force toe",
    ),
    "restore a file that is not there": (
        lambda made: ["restore", str(made.root / "gisteren.zip")],
        {},
        "",
        "Er is geen back-up op",
    ),
    "restore a backup from another database": (
        lambda made: ["restore", str(made.root / "postgresql.zip")],
        {},
        "",
        "gemaakt op PostgreSQL en deze installatie gebruikt SQLite",
    ),
    "restore a file that is no backup": (
        lambda made: ["restore", str(made.root / "notes.txt")],
        {},
        "",
        "geen volledige back-up",
    ),
    "restore into an installation with data": (
        lambda made: ["restore", str(made.root / "backup.zip")],
        {},
        "",
        "bevat al gegevens",
    ),
    "retention with a data dir that cannot be": (
        lambda made: ["retention", "--dry-run"],
        {"KLACHTEN_DATA_DIR": "{root}/a-file/data"},
        "",
        "de datamap (KLACHTEN_DATA_DIR) is niet te gebruiken",
    ),
    "report of an impossible year": (
        lambda made: ["report", "--year", "1850", "--format", "csv", "--output", "r.csv"],
        {},
        "",
        "Kies een jaar van 1990 tot en met",
    ),
    "report of a year to come": (
        lambda made: ["report", "--year", LATER_YEAR, "--format", "pdf", "--output", "r.pdf"],
        {},
        "",
        "is nog niet begonnen",
    ),
    "report into a folder that does not exist": (
        lambda made: ["report", "--year", "2026", "--format", "csv", "--output", "x/r.csv"],
        {},
        "",
        "bestaat niet",
    ),
    "report onto a folder": (
        lambda made: ["report", "--year", "2026", "--format", "csv", "--output", "a-folder"],
        {},
        "",
        "is een map",
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_every_command_refuses_a_foreseeable_mistake_in_one_dutch_line(
    installation: Installation, mistake: str
) -> None:
    """Through the installed console script: a non-zero exit status and exactly one line on
    standard error, `klachten: <bericht>` in Dutch — no traceback, no English CommandError."""
    command, extra, stdin, says = MISTAKES[mistake]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        args = [arg.replace("{busy}", port) for arg in command(installation)]
        env = {key: value.replace("{root}", str(installation.root)) for key, value in extra.items()}
        result = installation.run(*args, stdin=stdin, **env)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "CommandError" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    line = result.stderr.rstrip("\n")
    assert line.startswith("klachten: "), line
    assert says in line, line
    assert result.stdout == ""


# --- The same lines in English ----------------------------------------------------------------

SOURCES = [
    "cli.py",
    "ops/backup/common.py",
    "ops/backup/create.py",
    "ops/backup/restore.py",
    "ops/management/base.py",
    *(
        f"ops/management/commands/{path.name}"
        for path in sorted(
            (Path(__file__).resolve().parents[2] / "src/klachten/ops/management/commands").glob(
                "*.py"
            )
        )
    ),
]
# Texts that are only a frame for translated parts: the same in both languages.
FRAMES = {
    "%(complaints)s (%(term)s); %(held)s.",
    "%(complaints)s (%(term)s); %(files)s, %(attachments)s; %(held)s.",
    "%(count)d byte",
    "trainers",  # the same word in English
}


def _messages() -> list[tuple[str, str | None]]:
    """Every literal the command line passes to gettext (``_``, ``ngettext``, …)."""
    root = Path(__file__).resolve().parents[2] / "src" / "klachten"
    found: list[tuple[str, str | None]] = []
    for source in SOURCES:
        for node in ast.walk(ast.parse((root / source).read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            literals = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
            if name in {"_", "gettext", "translated"} and literals and isinstance(literals[0], str):
                found.append((literals[0], None))
            elif name in {"ngettext", "ngettext_lazy"} and len(literals) == 2:
                found.append((literals[0], literals[1]))
    return found


def test_every_line_of_the_command_line_has_an_english_translation() -> None:
    """The commands speak the active language: Dutch (LANGUAGE_CODE), or English from the
    catalogue — every refusal and progress line has its English text."""
    from django.utils.translation import gettext, ngettext

    messages = _messages()
    assert len(messages) > 100
    untranslated = []
    with translation.override("en"):
        for singular, plural in messages:
            if singular in FRAMES:
                continue
            english = gettext(singular) if plural is None else ngettext(singular, plural, 2)
            if english == (singular if plural is None else plural):
                untranslated.append(singular)
    assert untranslated == []


def test_a_refusal_speaks_english_when_english_is_active(db: None) -> None:
    from django.core.management import CommandError, call_command

    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("token", "create", "nobody")
    assert str(refused.value) == "There is no account with the username 'nobody'."
