"""The background worker's queue on SQLite, with commits that do not wait for the disk.

The queue holds wake-ups and periodic work only; everything that must not be lost (the mail
of the outbox, the reminders) lives in the application's database, and the periodic runs pick
up whatever a lost wake-up would have started. So the queue runs in WAL mode with
``synchronous=NORMAL``: safe against corruption, and a commit no longer waits for an fsync —
which was most of the time a registration spent after its own commit (issue #3).
"""

from __future__ import annotations

import sqlite3

from huey import SqliteHuey
from huey.storage import SqliteStorage


class QueueStorage(SqliteStorage):
    def _create_connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


class QueueHuey(SqliteHuey):
    storage_class = QueueStorage
