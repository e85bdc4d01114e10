"""``klachten token create USERNAME`` prints a new API token; ``revoke PREFIX`` ends one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from klachten.accounts.models import ApiToken
from klachten.accounts.selectors import staff_get_by_username
from klachten.accounts.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Manage API tokens of staff members."
    # Works on the data alone: the system checks (which import every URL and the API) are
    # for `klachten check`, not for each start of a command (issue #10).
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Print a new API token for USERNAME.")
        create.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke the token that starts with PREFIX.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            staff = staff_get_by_username(options["username"])
            if staff is None or not staff.is_active:
                raise CommandError(f"No active staff member {options['username']!r}.")
            _, token = token_create(staff=staff)
            self.stdout.write(token)
            return
        matches = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} active tokens start with {options['prefix']!r}.")
        token_revoke(api_token=matches[0], now=timezone.now())
        self.stdout.write(f"Revoked {matches[0].prefix}….")
