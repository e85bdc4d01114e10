"""What the project's own commands share (issue #10): a refusal is one line in the
interface's language, ``klachten: <bericht>``, with a non-zero exit status — the same form
as the entry point's own lines (``klachten.cli``) — and never Django's ``CommandError:``.

The texts are Dutch and go through gettext (English in the catalogue); a command runs in the
active language, which is ``LANGUAGE_CODE`` (Dutch) unless something activates another.
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

PREFIX = "klachten: "


def translated(message: str) -> str:
    """``gettext`` once Django is set up; before that (a setting that cannot be read), the
    Dutch text itself: the catalogues need the configuration that just failed."""
    if not apps.ready:
        return message
    from django.utils.translation import gettext

    return gettext(message)


def one_line(text: str) -> str:
    """``text`` on one line: what a refusal prints never runs over two."""
    return " ".join(str(text).split())


def first_line(error: BaseException) -> str:
    """The first line of an error's own text (a database's or a library's), or its name."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _os_reasons() -> dict[int, str]:
    # The operating system's reasons, in the words of the interface.
    _ = translated
    return {
        errno.ENOENT: _("bestaat niet"),
        errno.EACCES: _("geen toegang"),
        errno.EPERM: _("geen toegang"),
        errno.ENOSPC: _("de schijf is vol"),
        errno.EROFS: _("het bestandssysteem is alleen-lezen"),
        errno.EISDIR: _("is een map"),
        errno.ENOTDIR: _("een deel van het pad is geen map"),
        errno.EEXIST: _("bestaat al"),
        errno.EADDRINUSE: _("het adres is al in gebruik"),
        errno.EADDRNOTAVAIL: _("dat adres hoort niet bij deze computer"),
    }


def os_reason(error: OSError) -> str:
    """Why the operating system said no, in the interface's words where we know them."""
    if isinstance(error, socket.gaierror):  # a host name the resolver does not know
        return translated("die computernaam is onbekend")
    return _os_reasons().get(error.errno or 0, error.strerror or first_line(error))


def os_error_text(error: OSError) -> str:
    """``/pad/naar/bestand: bestaat niet.`` — the file and the reason, one line."""
    reason = os_reason(error)
    where = error.filename or ""
    return f"{where}: {reason}." if where else f"{reason[:1].upper()}{reason[1:]}."


@contextmanager
def quiet(name: str) -> Iterator[None]:
    """The information lines the services log (for the worker, in the log's words) are left
    out while a command that prints its own summary runs; warnings still show."""
    found = logging.getLogger(name)
    level = found.level
    found.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        found.setLevel(level)


def failure_text(error: Exception) -> str:
    """What went wrong outside our own checks (the disk, the database), on one line."""
    return os_error_text(error) if isinstance(error, OSError) else first_line(error)


class OneLineRefusals(BaseCommand):
    """From the command line a :class:`CommandError` is printed as ``klachten: <bericht>``
    on one line with its exit status (1 unless the error says otherwise); ``--traceback``
    and ``call_command`` (the tests, the set-up page) get the exception itself."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(PREFIX + one_line(str(error)))
            sys.exit(error.returncode)


class ProjectCommand(OneLineRefusals):
    """A command of Kerngroep Klachten."""

    # Works on the data alone: the system checks (which import every URL and the API) are
    # for `klachten check`, not for each start of a command (issue #10).
    requires_system_checks = ()
