"""The static files (CSS, scripts, the admin's and the API documentation's), collected once
per version.

``klachten serve`` used to collect and compress every static file into the data dir on every
start: minutes on a busy machine and some 30 MB, and a start that failed on a small disk
(issue #10). Now a stamp beside the collected files holds a fingerprint of what was collected
(the package version and every source file's name, size and time); a start whose fingerprint
matches collects nothing. Only the fingerprinted copies are kept and source maps (read by
developer tools alone) are not compressed, which makes a collection of a new version some four
times faster and less than half the size. When collecting fails all the same, ``serve`` has
the files served straight from the installed package (``KLACHTEN_STATIC_FROM_PACKAGE``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

from klachten.core.schema import file_lock

STAMP_NAME = ".klachten-collected"
IGNORE_PATTERNS = ["CVS", ".*", "*~"]  # collectstatic's own default


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's fingerprinted, compressed files, without the unfingerprinted copies
    (``{% static %}`` names the fingerprinted ones) and without compressing source maps."""

    @property
    def keep_only_hashed_files(self) -> bool:
        return True

    def create_compressor(self, **kwargs: Any) -> Compressor:
        kwargs["extensions"] = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
        return super().create_compressor(**kwargs)


def _version() -> str:
    try:
        return metadata.version("kerngroep-klachten")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def static_fingerprint() -> str:
    """What a collection of the static files now would contain, as a short digest."""
    digest = hashlib.sha256()
    digest.update(_version().encode())
    digest.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    entries: list[str] = []
    for finder in get_finders():
        for path, storage in finder.list(IGNORE_PATTERNS):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _stamp() -> Path:
    return Path(settings.STATIC_ROOT) / STAMP_NAME


def static_is_collected(fingerprint: str | None = None) -> bool:
    """Whether the static files of this version are collected already."""
    try:
        return _stamp().read_text().strip() == (fingerprint or static_fingerprint())
    except OSError:
        return False


def static_collect_once() -> bool:
    """Collect the static files unless this version's are there; True when it collected.

    One process at a time (a lock beside the folder), so two servers sharing the folder do
    not collect over each other. When collecting fails (``OSError``: a full disk, no right
    to write), the half-written folder is removed, so it takes no space that the database
    needs, and the error goes to the caller.
    """
    root = Path(settings.STATIC_ROOT)
    fingerprint = static_fingerprint()
    if static_is_collected(fingerprint):
        return False
    with file_lock(root.with_name(f"{root.name}.lock")):
        if static_is_collected(fingerprint):
            return False
        try:
            call_command("collectstatic", interactive=False, verbosity=0, clear=True)
            _stamp().write_text(fingerprint + "\n")
        except OSError:
            if root.is_dir():
                shutil.rmtree(root, ignore_errors=True)
            raise
    return True
