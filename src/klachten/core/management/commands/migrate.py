"""``klachten migrate``: Django's migrate, one process at a time (``klachten.core.schema``).

Two servers (or a server and a command) started together on an empty database would otherwise
both create the same tables, and one would stop with "relation already exists" (issue #10).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from klachten.core.schema import migration_lock


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with migration_lock(options["database"]):
            super().handle(*args, **options)
