"""The ``klachten`` command on a brand-new data dir, run as a newcomer runs it (issue #10):
every command that works on the data brings the database up to date first, and whatever a
user can run into ends in one plain Dutch line — never a traceback."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.serving import environment

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
    assert re.search(r"marco\s+management", result.stdout)
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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_database_is_one_line(tmp_path):
    url = f"postgres://postgres@127.0.0.1:{_closed_port()}/klachten"
    result = klachten(tmp_path, "token", "create", "anna", DATABASE_URL=url)
    assert result.returncode == 1
    line = one_dutch_line(result)
    assert line.startswith("klachten: de database is niet bereikbaar (DATABASE_URL):")


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [("DEBUG", "misschien", "DEBUG"), ("EMAIL_URL", "http://mail.example", "EMAIL_URL")],
)
def test_a_wrong_setting_is_one_line(tmp_path, variable, value, named):
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
    assert one_dutch_line(result) == f"klachten: {tmp_path / 'map'}: is een map."


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
