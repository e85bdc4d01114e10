"""The data dir is for the installation's owner alone (issue #15, item 6).

It holds every customer file: the SQLite database with its WAL, the worker's queue, the
attachments, the local mail folder and the generated secret key. Every process of the product
reads the settings before it writes anything, so the settings make it private there:

- the process's umask becomes 077, so whatever the web application, the worker, a command or
  a library it calls creates (SQLite's ``-wal`` and ``-shm`` files, Huey's queue, Django's
  file storage, the mail folder, a restore) is 0600, and every folder 0700;
- the data dir itself becomes 0700, also when an older version or another tool made it with
  wider rights, so nothing inside it is reachable by another user whatever its own mode;
- what lies directly in it (the database, its WAL, the queue, ``files/``, ``mail/``, …) loses
  the rights of group and others. Only that top level: walking every attachment of a large
  installation would cost each command's start, and the data dir's 0700 already closes them.

A process that merely loads the settings gets the umask too (the test run does): whatever it
writes for another user to read, such as a test server's configuration, it chmods itself.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIRECTORY_MODE = 0o700


def datadir_make_private(path: Path) -> None:
    """Set the umask for this process and close ``path`` and its top level to others."""
    os.umask(PRIVATE_UMASK)
    _close_to_others(path)
    with contextlib.suppress(OSError):  # a data dir that cannot be listed fails later, clearly
        for entry in os.scandir(path):
            if not entry.is_symlink():  # chmod would change what it points to, maybe elsewhere
                _close_to_others(Path(entry.path))


def _close_to_others(path: Path) -> None:
    """Take away every right of group and others; the owner's stay as they are."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if mode & PRIVATE_UMASK:
        # Best effort: a data dir of another user (a command run by someone else) stays as it
        # is; its owner's processes close it on their next start.
        with contextlib.suppress(OSError):
            path.chmod(mode & ~PRIVATE_UMASK)
