"""``klachten token create USERNAME`` prints a new API token; ``revoke PREFIX`` ends one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.accounts.models import ApiToken
from klachten.accounts.selectors import staff_get_by_username
from klachten.accounts.services import token_create, token_revoke
from klachten.ops.management.base import ProjectCommand


class Command(ProjectCommand):
    help = "Manage API tokens of staff members."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Print a new API token for USERNAME.")
        create.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke the token that starts with PREFIX.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            username = options["username"]
            staff = staff_get_by_username(username)
            if staff is None:
                raise CommandError(
                    _("Er is geen account met de gebruikersnaam '%(username)s'.")
                    % {"username": username}
                )
            if not staff.is_active:
                raise CommandError(
                    _("Het account '%(username)s' is niet actief en krijgt geen token.")
                    % {"username": username}
                )
            _token, token = token_create(staff=staff)
            # Alone on standard output: `TOKEN=$(klachten token create anna)` (CONTRACT.md).
            self.stdout.write(token)
            return
        prefix = options["prefix"]
        matches = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if not matches:
            raise CommandError(
                _("Er is geen geldig token dat begint met '%(prefix)s'.") % {"prefix": prefix}
            )
        if len(matches) > 1:
            raise CommandError(
                _("%(count)d geldige tokens beginnen met '%(prefix)s'; geef er meer tekens van.")
                % {"count": len(matches), "prefix": prefix}
            )
        token_revoke(api_token=matches[0], now=timezone.now())
        self.stdout.write(_("Token %(prefix)s… is ingetrokken.") % {"prefix": matches[0].prefix})
