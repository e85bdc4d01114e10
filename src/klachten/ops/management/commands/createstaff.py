"""``klachten createstaff USERNAME --role ROLE [--email E] [--password-stdin]``.

``--role admin`` keeps the accounts and the settings but reads no complaint; ``--role
admin,management`` is both (#15, item 5).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from klachten.accounts.models import Role
from klachten.accounts.services import staff_create
from klachten.core.errors import ApplicationError
from klachten.ops.management.base import ProjectCommand

# An admin who is management too: either order.
ADMIN_AND_MANAGEMENT = ("admin,management", "management,admin")


class Command(ProjectCommand):
    help = "Create a staff member (employee, management or admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            required=True,
            choices=[*(role.value for role in Role), *ADMIN_AND_MANAGEMENT],
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--job-title", default="", help="Shown on the business card (R14).")
        parser.add_argument("--phone", default="", help="Direct phone number for the card (R14).")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (first line). Without it the account "
            "has no usable password until one is set.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(
                    _("Er kwam geen wachtwoord op de standaardinvoer (de eerste regel).")
                )
        try:
            staff = staff_create(
                username=options["username"],
                role=Role.ADMIN if options["role"] in ADMIN_AND_MANAGEMENT else options["role"],
                also_management=options["role"] in ADMIN_AND_MANAGEMENT,
                email=options["email"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
                job_title=options["job_title"],
                phone=options["phone"],
            )
        except ApplicationError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(
            _("Account %(username)s (%(role)s) is aangemaakt.")
            % {"username": staff.username, "role": staff.role_label.lower()}
        )
