"""The database schema brought up to date, by one process at a time.

``klachten migrate``, ``klachten serve`` and every command that needs the database apply the
outstanding migrations under a lock held for the whole run: PostgreSQL's session-level advisory
lock, or an exclusive lock on a file beside the SQLite database. Two processes started together
on an empty database (two servers, a server and a command) then migrate one after the other
instead of racing to create the same tables (issue #10).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from django.db import DEFAULT_DB_ALIAS, connections

try:  # POSIX; elsewhere there is only ever one process per data dir in practice.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# pg_advisory_lock takes one bigint; this one spells "klachten" (0x6b6c61636874656e) folded
# into the positive range. It only has to differ from other advisory locks in the database.
MIGRATION_LOCK_KEY = 0x6B6C61636874656E & 0x7FFF_FFFF_FFFF_FFFF


def _nothing() -> None:
    pass


@contextlib.contextmanager
def file_lock(path: Path, on_wait: Callable[[], None] = _nothing) -> Iterator[None]:
    """An exclusive lock on ``path`` (created when missing), waiting as long as it takes;
    ``on_wait`` is called first when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[bytes] = path.open("a+b")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                on_wait()
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        # Closing the file releases the lock, also when the process dies.
        handle.close()


def _sqlite_lock_path(name: object) -> Path | None:
    """The lock file beside an SQLite database file; None for an in-memory database."""
    text = os.fspath(name) if isinstance(name, (str, os.PathLike)) else str(name)
    if not text or text == ":memory:" or text.startswith("file:") or "mode=memory" in text:
        return None
    return Path(f"{text}.migrate-lock")


@contextlib.contextmanager
def migration_lock(
    using: str = DEFAULT_DB_ALIAS, on_wait: Callable[[], None] = _nothing
) -> Iterator[None]:
    """Hold the installation's migration lock: one migrating process at a time. ``on_wait``
    is called first when another process holds it (to say why nothing happens meanwhile)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # A session-level lock on the connection migrate itself uses: it survives the
        # migrations' own transactions and is released when the session ends, crash or not.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
            if not cursor.fetchone()[0]:
                on_wait()
                cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        try:
            yield
        finally:
            if connection.connection is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
        return
    path = (
        _sqlite_lock_path(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite"
        else None
    )
    if path is None:
        yield
        return
    with file_lock(path, on_wait):
        yield


def schema_outstanding(using: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations are not applied yet (0: the schema is up to date)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def schema_update(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Apply every outstanding migration under the lock; True when something was applied."""
    if not schema_outstanding(using):
        return False
    from django.core.management import call_command

    # ``klachten migrate`` (core/management/commands/migrate.py) takes the lock itself.
    call_command("migrate", database=using, interactive=False, verbosity=0)
    return True
