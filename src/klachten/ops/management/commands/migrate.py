"""``klachten migrate``: Django's migrate, one process at a time (``klachten.core.schema``).

Two servers (or a server and a command) started together on an empty database would otherwise
both create the same tables, and one would stop with "relation already exists" (issue #10).
A process that has to wait for another says so; an app label that does not exist is refused
in the interface's words. Django's other refusals of migrate keep Django's own words.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.utils.translation import gettext as _

from klachten.core.schema import migration_lock
from klachten.ops.management.base import OneLineRefusals


class Command(OneLineRefusals, migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        app_label = options.get("app_label")
        if app_label:
            try:
                apps.get_app_config(app_label)
            except LookupError:
                raise CommandError(
                    _("Er is geen app '%(app)s'; `klachten showmigrations` toont ze alle.")
                    % {"app": app_label}
                ) from None

        def waiting() -> None:
            self.stderr.write(
                _("Een ander proces werkt de database bij; deze opdracht wacht daarop.")
            )

        with migration_lock(options["database"], on_wait=waiting):
            super().handle(*args, **options)
