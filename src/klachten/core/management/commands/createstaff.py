"""``klachten createstaff USERNAME --role ROLE [--email E] [--password-stdin]``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from klachten.accounts.models import Role
from klachten.accounts.services import staff_create


class Command(BaseCommand):
    help = "Create a staff member (employee, management or admin)."
    # Works on the data alone: the system checks (which import every URL and the API) are
    # for `klachten check`, not for each start of a command (issue #10).
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
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
                raise CommandError("No password on standard input.")
        try:
            staff = staff_create(
                username=options["username"],
                role=options["role"],
                email=options["email"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
                job_title=options["job_title"],
                phone=options["phone"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Created {staff.get_role_display().lower()} {staff.username}.")
