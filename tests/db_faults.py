"""A database that refuses writes, for real (issue #10, item 21): no mock of our code.

SQLite: ``PRAGMA query_only`` on the connection the application uses — every write fails with
``OperationalError: attempt to write a readonly database``, as on a read-only data dir.
PostgreSQL: ``SET LOCAL transaction_read_only`` — every write fails with "cannot execute INSERT
in a read-only transaction" (``InternalError``), as after a fail-over to a standby; rolling
the savepoint back makes the database writable again.

Reads keep working, so a page can still show its form again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from klachten.core.errors import write_failure_forget


@contextmanager
def writes_refused(*, forget: bool = True) -> Iterator[None]:
    """Within the block, the database takes no writes; after it, everything as before —
    also the memory of the last failed write, unless ``forget`` is false.

    The block runs in a savepoint that is rolled back: a write that fails outside a
    transaction of its own marks the enclosing one for rollback (Django does so in
    ``save()``), and that must not be the test's own transaction.
    """
    sqlite = connection.vendor == "sqlite"
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if sqlite:
                    cursor.execute("PRAGMA query_only = ON")
                else:
                    cursor.execute("SET LOCAL transaction_read_only = on")
            try:
                yield
            finally:
                transaction.set_rollback(True)  # nothing was kept anyway
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
        if forget:
            write_failure_forget()


@pytest.fixture
def writes_fail(db: None) -> Iterator[None]:
    """The database refuses every write for the rest of the test."""
    with writes_refused():
        yield
