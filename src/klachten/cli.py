"""The ``klachten`` command (CONTRACT.md, "Command line").

Every subcommand is a Django management command, so ``klachten migrate``, ``klachten check``
and the project's own ``serve``, ``worker``, ``createstaff``, ``token``, ``demo``, ``backup``
and ``restore`` all work the same way.

Two promises of the entry point (issue #10): a command that works on the data brings the
database up to date first, so ``klachten demo`` on a brand-new data dir simply works; and a
situation a user can run into — a wrong setting, a database that does not answer, a file
that cannot be written, Ctrl-C — ends in one plain Dutch line and exit status 1 (130 for
Ctrl-C), never a traceback. A traceback is left for what is a bug (``--traceback`` shows one
for everything).
"""

from __future__ import annotations

import errno
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
        "demo",
        "retention",
        "report",
        "worker",
        "run_huey",
        "createsuperuser",
        "changepassword",
        "loaddata",
    }
)
HELP_FLAGS = frozenset({"-h", "--help", "help", "--version", "version"})

# The operating system's reasons, in the words of the interface.
OS_REASONS = {
    errno.ENOENT: "bestaat niet",
    errno.EACCES: "geen toegang",
    errno.EPERM: "geen toegang",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.EISDIR: "is een map",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EEXIST: "bestaat al",
    errno.EADDRINUSE: "het adres is al in gebruik",
}


def _fail(message: str, code: int = 1) -> NoReturn:
    sys.stderr.write(f"klachten: {message}\n")
    sys.stderr.flush()
    raise SystemExit(code)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _os_error_line(error: OSError) -> str:
    reason = OS_REASONS.get(error.errno or 0, error.strerror or _first_line(error))
    where = error.filename or ""
    return f"{where}: {reason}." if where else f"{reason[:1].upper()}{reason[1:]}."


def _database_error_line(error: Exception, command: str) -> str:
    """Why a database error happened, as far as the user can do something about it."""
    from django.db import DatabaseError, connections

    where = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "de SQLite-database in de datamap"
    try:
        connections.close_all()
        connections["default"].ensure_connection()
    except DatabaseError:
        return f"de database is niet bereikbaar ({where}): {_first_line(error)}"
    try:
        from klachten.core.schema import schema_outstanding

        outstanding = schema_outstanding()
    except DatabaseError:
        outstanding = 0
    if outstanding and command != "migrate":
        return "de database is nog niet bijgewerkt: voer eerst `klachten migrate` uit."
    return f"de database weigerde de opdracht: {_first_line(error)}"


def _run(args: list[str]) -> None:
    import django
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reads the configuration from the environment
    except OSError as error:
        _fail(f"de datamap (KLACHTEN_DATA_DIR) is niet te gebruiken: {_os_error_line(error)}")
    except (ValueError, ImproperlyConfigured) as error:
        _fail(f"de configuratie klopt niet: {_first_line(error)}")
    django.setup()

    from django.core.management import execute_from_command_line

    if args and args[0] in MIGRATE_FIRST and not HELP_FLAGS.intersection(args):
        from klachten.core.schema import schema_update

        if schema_update():
            sys.stderr.write("klachten: de database is bijgewerkt naar deze versie.\n")
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
        _fail("afgebroken.", code=130)
    except OSError as error:
        _fail(_os_error_line(error))
    except Exception as error:
        from django.db import DatabaseError

        if isinstance(error, DatabaseError):
            _fail(_database_error_line(error, args[0] if args else ""))
        raise


if __name__ == "__main__":
    main()
