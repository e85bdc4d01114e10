"""A file to write a download into: the caller's, or a temporary one on disk."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO


@contextmanager
def written_file(target: IO[bytes] | None) -> Iterator[IO[bytes]]:
    """Write into ``target``, or, when None, into a temporary file on disk (not memory: a
    register or an evidence pack may be large), rewound for reading once written. A temporary
    file is closed, and so gone, when writing fails; the caller closes it otherwise."""
    out = target if target is not None else tempfile.TemporaryFile()  # noqa: SIM115
    try:
        yield out
    except BaseException:
        if target is None:
            out.close()
        raise
    if target is None:
        out.seek(0)
