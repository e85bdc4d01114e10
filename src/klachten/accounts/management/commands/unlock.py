"""``klachten unlock USERNAME`` (or ``--address IP``): lift a lockout after failed logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from klachten.accounts.selectors import staff_get_by_username
from klachten.accounts.services import login_unlock


class Command(BaseCommand):
    help = "Lift the lockout of an account, or of a client address, after failed logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="Lift the lockout of this address.")

    def handle(self, *args: Any, **options: Any) -> None:
        username, address = options["username"], options["address"]
        if not username and not address:
            raise CommandError(_("Geef een gebruikersnaam op, of --address met een adres."))
        if username:
            staff = staff_get_by_username(username)
            if staff is None:
                raise CommandError(
                    _("Er is geen account met de gebruikersnaam '%(username)s'.")
                    % {"username": username}
                )
            username = staff.username
        login_unlock(username=username, address=address, actor=None, now=timezone.now())
        self.stdout.write(
            _("Vrijgegeven: %(who)s") % {"who": " ".join(filter(None, (username, address)))}
        )
