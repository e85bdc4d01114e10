"""The SQLite backend's writer wait (``klachten.core.sqlite``, #17 item 5): a transaction that
finds the write lock taken waits for it and then runs whole; one that never gets it fails as
Django's own backend fails, after the configured timeout; SQLite's own wait is restored for
the statements outside a transaction."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from django.db import transaction
from django.db.utils import ConnectionHandler, OperationalError


@pytest.fixture
def connect(monkeypatch):
    """A connection of this backend to ``path``, which ``transaction.atomic(using="wait")``
    uses (Django's own atomic block, given this connection instead of the configured one)."""
    made = {}

    def connect(path: Path, timeout: float):
        handler = ConnectionHandler(
            {
                "default": {
                    "ENGINE": "klachten.core.sqlite",
                    "NAME": str(path),
                    "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
                }
            }
        )
        made["wait"] = handler["default"]
        return made["wait"]

    real = transaction.get_connection
    monkeypatch.setattr(
        transaction,
        "get_connection",
        lambda using=None: made["wait"] if using == "wait" else real(using),
    )
    return connect


@pytest.fixture(autouse=True)
def _own_database_files(django_db_blocker):
    """These tests open SQLite files of their own, never the configured database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "wait.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE said (id INTEGER PRIMARY KEY, words TEXT)")
    return path


def _holder(path: Path) -> sqlite3.Connection:
    """Another writer, holding the write lock until it commits."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO said (words) VALUES ('eerst')")
    return holder


def test_a_writer_waits_for_the_lock_and_then_writes_whole(database, connect):
    holder = _holder(database)
    failures: list[BaseException] = []

    def write() -> None:
        connection = connect(database, timeout=60)  # a connection belongs to its thread
        try:
            with transaction.atomic(using="wait"):
                connection.cursor().execute("INSERT INTO said (words) VALUES ('daarna')")
                connection.cursor().execute("INSERT INTO said (words) VALUES ('ook')")
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(timeout=0.5)
    assert writer.is_alive(), failures  # it cannot have written while the lock is held
    holder.execute("COMMIT")
    writer.join(timeout=60)
    assert not writer.is_alive()
    assert failures == []
    words = [row[0] for row in holder.execute("SELECT words FROM said ORDER BY id")]
    assert words == ["eerst", "daarna", "ook"]


def test_a_lock_never_released_fails_after_the_timeout_as_before(database, connect):
    connection = connect(database, timeout=0.3)
    holder = _holder(database)
    try:
        with pytest.raises(OperationalError, match="database is locked"):  # noqa: SIM117
            with transaction.atomic(using="wait"):
                connection.cursor().execute("INSERT INTO said (words) VALUES ('nooit')")
        # SQLite's own wait is back for what runs outside a transaction.
        [(busy_timeout,)] = connection.cursor().execute("PRAGMA busy_timeout").fetchall()
        assert busy_timeout == 300
    finally:
        holder.execute("ROLLBACK")
        connection.close()
    assert [row[0] for row in sqlite3.connect(database).execute("SELECT words FROM said")] == []


def test_without_contention_a_transaction_runs_as_with_djangos_backend(database, connect):
    connection = connect(database, timeout=5)
    with transaction.atomic(using="wait"):
        connection.cursor().execute("INSERT INTO said (words) VALUES ('gewoon')")
    [(busy_timeout,)] = connection.cursor().execute("PRAGMA busy_timeout").fetchall()
    assert busy_timeout == 5000
    assert connection.vendor == "sqlite"
    connection.close()
