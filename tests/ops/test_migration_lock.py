"""Two processes started together on an empty database migrate one after the other
(issue #10): on PostgreSQL two ``klachten serve`` used to race and one stopped with
``relation "accounts_staff" already exists``. The tests hold the migration lock themselves
until both processes wait for it — so they really start migrating at the same moment — and
then let go."""

from __future__ import annotations

import fcntl
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from klachten.core.schema import MIGRATION_LOCK_KEY
from tests.ops.serving import Serve, environment, get, shared_static_root

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = DATABASE_URL.startswith(("postgres://", "postgresql://"))
WAIT_SECONDS = 180


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def empty_postgresql_database() -> Iterator[str]:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = f"klachten_race_{secrets.token_hex(4)}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.database
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs DATABASE_URL=postgres://…")
def test_two_servers_started_together_on_an_empty_postgresql_database(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, empty_postgresql_database: str
) -> None:
    import psycopg

    url = empty_postgresql_database
    with psycopg.connect(url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        servers = [
            Serve(
                environment(
                    tmp_path / f"server{number}",
                    DATABASE_URL=url,
                    SECRET_KEY="one-key-for-both-servers-of-the-test",
                    KLACHTEN_STATIC_ROOT=str(shared_static_root(tmp_path_factory)),
                ),
                tmp_path,
            )
            for number in (1, 2)
        ]
        try:

            def both_wait() -> bool:
                waiting = holder.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = "
                    "current_database())"
                ).fetchone()
                return waiting is not None and waiting[0] == 2

            _until(both_wait, "both servers wait for the migration lock")
            holder.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
            for server in servers:
                server.ready()
                assert get(f"{server.url}/")[0] == 200
        finally:
            codes = [server.stop() for server in servers]
    for server, code in zip(servers, codes, strict=True):
        assert code == 0, server.output
        assert "already exists" not in server.output
        assert "Traceback" not in server.output


def _blocked_on(path: Path) -> int:
    """How many processes wait for the flock on ``path`` (Linux's /proc/locks)."""
    inode = os.stat(path).st_ino
    return sum(
        1
        for line in Path("/proc/locks").read_text().splitlines()
        if "->" in line and "FLOCK" in line and line.split()[-3].endswith(f":{inode}")
    )


def test_two_migrations_started_together_on_a_new_sqlite_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    env = environment(data)
    lock_path = data / "klachten.sqlite3.migrate-lock"
    with lock_path.open("a+b") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "klachten", "migrate", "--verbosity", "0"],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        try:
            _until(lambda: _blocked_on(lock_path) == 2, "both migrations wait for the lock")
        finally:
            fcntl.flock(holder.fileno(), fcntl.LOCK_UN)
        results: list[Any] = [process.communicate(timeout=WAIT_SECONDS) for process in processes]
    for process, (_, stderr) in zip(processes, results, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
        # Waiting is not silent: the process says why nothing happens meanwhile.
        assert "Een ander proces werkt de database bij; deze opdracht wacht daarop." in stderr
    check = subprocess.run(
        [sys.executable, "-m", "klachten", "migrate", "--check"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )
    assert check.returncode == 0, check.stdout + check.stderr
