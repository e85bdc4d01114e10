"""Limits on what the public form takes in, applied while the request is read.

Django writes every uploaded file to memory or a temporary file before a view sees it. This
upload handler, put first for the public form, refuses to keep more than ``max_files`` files
or any file over ``max_size`` bytes: the rest of such a file is read and thrown away (so the
customer still gets a page with a clear message, not a broken connection), never stored. The
reverse proxy bounds the request as a whole (README, ``ATTACHMENT_MAX_SIZE``).

What passes these limits is then checked by the form before anything is saved: its type by
its content and, when ``CLAMD_URL`` is set, a virus scan (``complaints.attachments.
file_type_check``, ``core.scanning``); an infected file, or one the scanner cannot check now,
is refused next to the file field and never stored (issue #13).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest


@dataclass(frozen=True)
class Skipped:
    """A file left out: its name as the browser sent it, and why (``too_large``, ``too_many``)."""

    name: str
    reason: str


class LimitedUploadHandler(FileUploadHandler):
    """Skips files beyond the count and the size per file; remembers which, for the form."""

    def __init__(self, request: HttpRequest, *, max_files: int, max_size: int) -> None:
        super().__init__(request)
        self.max_files = max_files
        self.max_size = max_size
        self.files = 0
        self.current_size = 0
        self.one_too_many = False
        self.skipped: list[Skipped] = []

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.current_size = 0
        self.files += 1
        # Skipped at its first chunk, not here: by then every handler has opened this file,
        # and Django closes the handlers' current files when a file is skipped.
        self.one_too_many = self.files > self.max_files

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.one_too_many:
            self.one_too_many = False
            self.skipped.append(Skipped(self.file_name or "", "too_many"))
            raise SkipFile
        self.current_size += len(raw_data)
        if self.current_size > self.max_size:
            self.skipped.append(Skipped(self.file_name or "", "too_large"))
            raise SkipFile
        return raw_data  # on to the next handler, which keeps it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
