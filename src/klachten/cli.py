"""The ``klachten`` command (CONTRACT.md, "Command line").

Every subcommand is a Django management command, so ``klachten migrate``, ``klachten check``
and the project's own ``serve``, ``worker``, ``createstaff``, ``token``, ``demo``, ``backup``
and ``restore`` all work the same way.

Two promises of the entry point (issue #10): a command that works on the data brings the
database up to date first, so ``klachten demo`` on a brand-new data dir simply works; and a
situation a user can run into — a wrong setting, a database that does not answer, a file
that cannot be written, Ctrl-C — ends in one plain line, ``klachten: <bericht>``, and exit
status 1 (130 for Ctrl-C), never a traceback. The project's own commands refuse in the same
form (``klachten.ops.management.base``); every line is Dutch through gettext, with English in
the catalogue. A traceback is left for what is a bug (``--traceback`` shows one for
everything); wrong arguments get argparse's usage message.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

# Commands that read or write the data: the schema is brought up to date before they run.
# ``serve`` migrates itself; ``migrate``, ``backup`` and ``restore`` handle the schema on
# purpose, and Django's other commands say what to run when the schema is behind.
MIGRATE_FIRST = frozenset(
    {
        "createstaff",
        "token",
        "unlock",
        "demo",
        "retention",
        "import",
        "mail",
        "report",
        "register",
        "evidence",
        "worker",
        "run_huey",
        "createsuperuser",
        "changepassword",
        "loaddata",
    }
)
HELP_FLAGS = frozenset({"-h", "--help", "help", "--version", "version"})


def _(message: str) -> str:
    """gettext, once Django is set up (``klachten.ops.management.base.translated``)."""
    from klachten.ops.management.base import translated

    return translated(message)


def _fail(message: str, code: int = 1) -> NoReturn:
    from klachten.ops.management.base import PREFIX, one_line

    sys.stderr.write(f"{PREFIX}{one_line(message)}\n")
    sys.stderr.flush()
    raise SystemExit(code)


def _os_error_line(error: OSError) -> str:
    from klachten.ops.management.base import os_error_text

    return os_error_text(error)


def _database_error_line(error: Exception, command: str) -> str:
    """Why a database error happened, as far as the user can do something about it."""
    from django.db import DatabaseError, connections

    from klachten.ops.management.base import first_line

    where = (
        "DATABASE_URL" if os.environ.get("DATABASE_URL") else _("de SQLite-database in de datamap")
    )
    try:
        connections.close_all()
        connections["default"].ensure_connection()
    except DatabaseError:
        return _("de database is niet bereikbaar (%(where)s): %(reason)s") % {
            "where": where,
            "reason": first_line(error),
        }
    try:
        from klachten.core.schema import schema_outstanding

        outstanding = schema_outstanding()
    except DatabaseError:
        outstanding = 0
    if outstanding and command != "migrate":
        return _("de database is nog niet bijgewerkt: voer eerst `klachten migrate` uit.")
    return _("de database weigerde de opdracht: %(reason)s") % {"reason": first_line(error)}


def _run(args: list[str]) -> None:
    import django
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the configuration from the environment
    except OSError as error:
        _fail(
            _("de datamap (KLACHTEN_DATA_DIR) is niet te gebruiken: %(reason)s")
            % {"reason": _os_error_line(error)}
        )
    except (ValueError, ImproperlyConfigured) as error:
        from klachten.ops.management.base import first_line

        _fail(_("de configuratie klopt niet: %(reason)s") % {"reason": first_line(error)})
    django.setup()

    from django.core.management import execute_from_command_line

    if args and args[0] in MIGRATE_FIRST and not HELP_FLAGS.intersection(args):
        from klachten.core.schema import schema_update

        if schema_update():
            updated = _("de database is bijgewerkt naar deze versie.")
            sys.stderr.write(f"klachten: {updated}\n")
    execute_from_command_line(["klachten", *(args or ["help"])])


def main(argv: list[str] | None = None) -> None:
    """Run ``klachten <command> [options]`` with the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["worker"]:
        # The worker reads a few indexed rows at a time: it gets a small database cache, so
        # its memory stays flat however large the database grows (config/settings.py).
        os.environ.setdefault("KLACHTEN_ROLE", "worker")
    if "--traceback" in args:
        _run(args)
        return
    try:
        _run(args)
    except KeyboardInterrupt:
        _fail(_("afgebroken."), code=130)
    except OSError as error:
        _fail(_os_error_line(error))
    except Exception as error:
        from django.db import DatabaseError

        if isinstance(error, DatabaseError):
            _fail(_database_error_line(error, args[0] if args else ""))
        raise


if __name__ == "__main__":
    main()
