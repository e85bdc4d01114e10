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
    execute_from_command_line(["klachten", *(args or ["help"])])


if __name__ == "__main__":
    main()
