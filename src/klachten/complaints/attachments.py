"""Attachments of a complaint: the writes (services) and reads (selectors) for them (R2, R5).

A file is accepted only if its extension is one of the allowed types *and* its content is what
the extension claims (``%PDF`` for a PDF, the PNG and JPEG signatures, a real Word or Excel
package for DOCX and XLSX, text for TXT, mail headers for EML), and only up to
``settings.ATTACHMENT_MAX_SIZE`` bytes (10 MB by default). It is stored under ``MEDIA_ROOT``
(in the data dir) as ``attachments/<complaint pk>/<uuid>`` — never under the uploader's file
name — and that directory has no URL: the only way out is the download view, which asks
:func:`attachment_get_for`, which asks ``complaint_get_for`` (R2).
"""

from __future__ import annotations

import codecs
import email.parser
import logging
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.complaints.models import Attachment, Complaint
from klachten.complaints.selectors import StaffByPk, complaint_get_for, complaint_rows
from klachten.complaints.services import BY_CUSTOMER
from klachten.core.errors import InvalidInput, NotFound, TooLarge
from klachten.core.prepared import Call, Prepared
from klachten.core.scanning import file_scan_check

logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 10 * 1024 * 1024
MAX_NAME_LENGTH = 255
SNIFF_BYTES = 64 * 1024  # how much of a text file is checked for being text


def max_size() -> int:
    """The largest attachment in bytes: ``ATTACHMENT_MAX_SIZE``, 10 MB unless configured."""
    return int(getattr(settings, "ATTACHMENT_MAX_SIZE", DEFAULT_MAX_SIZE))


# --- What is allowed ---------------------------------------------------------------------------


def _is_pdf(head: bytes, _file: IO[bytes]) -> bool:
    # Readers accept the header anywhere in the first kilobyte; so do we.
    return b"%PDF-" in head[:1024]


def _is_png(head: bytes, _file: IO[bytes]) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head: bytes, _file: IO[bytes]) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _office_package(main_part: str) -> Callable[[bytes, IO[bytes]], bool]:
    """An Office Open XML package (a ZIP) with ``main_part``, and without macros.

    Only the ZIP's directory is read, never its content, so a ZIP bomb costs nothing.
    """

    def check(head: bytes, file: IO[bytes]) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(file) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
        return "[Content_Types].xml" in names and main_part in names and not has_macros

    return check


_TEXT_CONTROLS = frozenset("\t\n\r\f")


def _is_text(head: bytes, _file: IO[bytes]) -> bool:
    """UTF-8 (with or without BOM) or Windows-1252 text without control characters."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return not any(
            unicodedata.category(char) == "Cc" and char not in _TEXT_CONTROLS for char in text
        )
    return False


_MAIL_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "return-path")


def _is_mail(head: bytes, _file: IO[bytes]) -> bool:
    """An RFC 5322 message: text that starts with mail headers (From, Subject, Date, …)."""
    if b"\x00" in head:
        return False
    headers = email.parser.BytesHeaderParser().parsebytes(head.lstrip())
    return not headers.defects and any(name in headers for name in _MAIL_HEADERS)


@dataclass(frozen=True)
class FileType:
    """An allowed type: its extensions, the type it is stored and served as, its check."""

    label: str
    extensions: tuple[str, ...]
    content_type: str
    matches: Callable[[bytes, IO[bytes]], bool] = field(repr=False)


FILE_TYPES: tuple[FileType, ...] = (
    FileType("PDF", (".pdf",), "application/pdf", _is_pdf),
    FileType("JPEG", (".jpg", ".jpeg"), "image/jpeg", _is_jpeg),
    FileType("PNG", (".png",), "image/png", _is_png),
    FileType("tekst", (".txt",), "text/plain", _is_text),
    FileType(
        "Word",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _office_package("word/document.xml"),
    ),
    FileType(
        "Excel",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _office_package("xl/workbook.xml"),
    ),
    FileType("e-mail", (".eml",), "message/rfc822", _is_mail),
)
_BY_EXTENSION = {extension: kind for kind in FILE_TYPES for extension in kind.extensions}
ACCEPT = ",".join(_BY_EXTENSION)  # for the file input's ``accept`` attribute


def clean_name(name: str) -> str:
    """The uploader's file name, fit to show and to offer on download.

    Only the last path part (browsers and scripts may send a whole path), without control
    characters, at most 255 characters with the extension kept.
    """
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return name


def file_type_check(*, name: str, file: IO[bytes]) -> FileType:
    """The allowed type of a file by its extension, confirmed by its content; else InvalidInput.

    Every file passes here before it is stored (the public form checks its files with it
    before it saves anything): when ``CLAMD_URL`` is set, a file of an allowed type is also
    scanned for viruses, and refused with ``file_infected`` or, while the scanner gives no
    answer, ``scanner_unavailable`` (core/scanning.py, issue #13). Leaves ``file`` at its start.
    """
    extension = PurePosixPath(name).suffix.lower()
    kind = _BY_EXTENSION.get(extension)
    if kind is None:
        raise InvalidInput(
            "attachment_type_not_allowed",
            _(
                "Dit soort bestand kan niet worden toegevoegd. Toegestaan zijn PDF, JPEG, PNG, "
                "tekst (TXT), Word (DOCX), Excel (XLSX) en e-mail (EML)."
            ),
            field="file",
        )
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    matches = kind.matches(head, file)
    file.seek(0)
    if not matches:
        raise InvalidInput(
            "attachment_content_mismatch",
            _(
                "De inhoud van %(name)s past niet bij de extensie %(extension)s: het is geen "
                "echt %(label)s-bestand. Controleer het bestand en probeer het opnieuw."
            ),
            {"name": name, "extension": extension, "label": kind.label},
            field="file",
        )
    file_scan_check(name=name, file=file)
    return kind


# --- Services ----------------------------------------------------------------------------------


def attachment_add(
    *, complaint: Complaint, actor: Staff | None, file: File, now: datetime
) -> Attachment:
    """Keep a file with a complaint, after checking its size and type; logged (R2).

    The caller has already established that ``actor`` may see ``complaint`` (through
    ``complaint_get_for``); ``actor`` is None for a file the customer sent with the public
    form. A refused file leaves nothing behind: no row, no file on disk.
    """
    name = clean_name(file.name or "")
    if not name:
        raise InvalidInput("attachment_required", _("Kies een bestand."), field="file")
    size = file.size
    if not size:
        raise InvalidInput(
            "attachment_empty", _("Het bestand %(name)s is leeg."), {"name": name}, field="file"
        )
    if size > max_size():
        raise TooLarge(
            "attachment_too_large",
            _("Het bestand %(name)s is te groot (%(size)s); het maximum is %(max)s."),
            {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_size())},
            field="file",
        )
    kind = file_type_check(name=name, file=file)

    attachment = Attachment(
        complaint=complaint,
        original_name=name,
        content_type=kind.content_type,
        size=size,
        uploaded_by=actor,
        uploaded_at=now,
    )
    attachment.file.save(name, file, save=False)  # the name on disk comes from upload_to
    try:
        with transaction.atomic():
            attachment.save()
            audit_append(
                complaint=complaint,
                actor=actor,
                action="attachment_added",
                now=now,
                after={
                    "attachment": attachment.pk,
                    "name": name,
                    "content_type": kind.content_type,
                    "size": size,
                    **({"by": BY_CUSTOMER} if actor is None else {}),
                },
            )
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_read_log(*, attachment: Attachment, actor: Staff, now: datetime) -> None:
    """R2: opening an attachment is a read of the complaint, and logged as one."""
    audit_append(
        complaint=attachment.complaint,
        actor=actor,
        action="viewed",
        now=now,
        after={"attachment": attachment.pk},
    )


@transaction.atomic
def attachments_erase(*, complaint: Complaint) -> int:
    """Remove every attachment of a complaint, rows and files (for retention, R5).

    The files go once the transaction has committed, so a rollback keeps them.
    """
    attachments = list(complaint.attachments.all())
    names = [attachment.file.name for attachment in attachments]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()

    def delete_files() -> None:
        for attachment, name in zip(attachments, names, strict=True):
            attachment.file.storage.delete(name)

    transaction.on_commit(delete_files)
    return len(attachments)


# --- Selectors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentList:
    """A complaint's attachments and the upload rules, as the ``_attachments.html`` partial
    shows them. Iterates (and is true) like the list of attachments itself."""

    items: list[Attachment]
    max_size: int
    accept: str = ACCEPT

    def __iter__(self) -> Iterator[Attachment]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


_ATTACHMENTS = Prepared(
    lambda complaint_id: Attachment.objects.filter(complaint_id=complaint_id).order_by(),
    "complaint_id",
)


def attachment_reads(complaint: Complaint) -> list[Call]:
    """What :func:`attachment_list` reads, to be asked ahead (``read_ahead``)."""
    return [_ATTACHMENTS.ask(complaint_id=complaint.pk)]


def attachment_list(complaint: Complaint, staff_by_pk: StaffByPk | None = None) -> AttachmentList:
    """The attachments of a complaint the caller may see, oldest first — one query."""
    found = complaint_rows(_ATTACHMENTS, complaint, staff_by_pk, "uploaded_by")
    items = sorted(found, key=lambda a: (a.uploaded_at, a.pk))
    return AttachmentList(items=items, max_size=max_size())


def attachment_get_for(*, staff: Staff, reference: str, attachment_id: int) -> Attachment:
    """One attachment, only for staff with a right to its complaint (R2); NotFound otherwise.

    Whether the complaint does not exist, may not be seen, or has no such attachment, the
    answer is the same, so nothing leaks.
    """
    complaint = complaint_get_for(staff=staff, reference=reference)
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("not_found", _("Bijlage niet gevonden."))
    attachment.complaint = complaint
    return attachment
