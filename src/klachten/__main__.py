"""``python -m klachten`` is the ``klachten`` command."""

from klachten.cli import main

main()
