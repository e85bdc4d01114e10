"""The ``klachten`` command (CONTRACT.md, "Command line").

Every subcommand is a Django management command, so ``klachten migrate``, ``klachten check``
and the project's own ``serve``, ``worker``, ``createstaff``, ``token``, ``demo``, ``backup``
and ``restore`` all work the same way.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run ``klachten <command> [options]`` with the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachten.config.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["worker"]:
        # The worker reads a few indexed rows at a time: it gets a small database cache, so
        # its memory stays flat however large the database grows (config/settings.py).
        os.environ.setdefault("KLACHTEN_ROLE", "worker")
    execute_from_command_line(["klachten", *(args or ["help"])])


if __name__ == "__main__":
    main()
