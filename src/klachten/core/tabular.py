"""A table from a file a person made in a spreadsheet (#16 item 5: importing a register).

Two kinds: XLSX (its first sheet, read by openpyxl) and CSV. A CSV may use a semicolon (what
Dutch Excel writes), a comma or a tab between its cells, and come in UTF-8 with or without a
byte order mark, UTF-16 with one (Excel's "Unicode-tekst"), or Windows-1252 (older Excel on
Windows). Which delimiter a CSV uses is decided on its first line with cells: the one under
which a caller's ``header_score`` recognises the most column names, then the one that gives
the most cells.

Cells come back as they are: text from a CSV; from XLSX what the cell holds (text, a number,
a ``datetime`` for a date). Each row keeps its number as the spreadsheet shows it (the first
line is 1, an empty line counts), so a report can name the row a person will look for.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from django.utils.translation import gettext_lazy as _

from klachten.core.errors import ApplicationError

MAX_BYTES: Final = 50 * 1024 * 1024
MAX_ROWS: Final = 100_000
DELIMITERS: Final = (";", ",", "\t")
_XLSX_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # .xls, and an XLSX protected by a password

Row = tuple[int, list[Any]]


class UnreadableTable(ApplicationError):
    """The file cannot be read as a table; the message says why, in Dutch."""

    status = 422


@dataclass(frozen=True)
class Table:
    """The rows of a file, each with its number in the file (1 is the first line)."""

    kind: str  # "xlsx" or "csv"
    rows: list[Row] = field(default_factory=list)
    delimiter: str = ""
    encoding: str = ""


def table_read(path: Path, *, header_score: Callable[[Sequence[str]], int] | None = None) -> Table:
    """The rows of ``path``, an XLSX or CSV file; UnreadableTable if it is neither (or too big).

    ``header_score`` says how many cells of a line it recognises as column names; it picks a
    CSV's delimiter. Without it, the delimiter that gives the most cells on the first line.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableTable(
                "too_big",
                _("%(file)s is groter dan 50 MB: zo'n bestand wordt niet ingelezen."),
                {"file": path.name},
            )
        with path.open("rb") as file:
            start = file.read(8)
    except IsADirectoryError:
        raise UnreadableTable("not_a_file", _("%(file)s is een map."), {"file": path}) from None
    except FileNotFoundError:
        raise UnreadableTable("not_found", _("%(file)s bestaat niet."), {"file": path}) from None
    except OSError as error:
        raise UnreadableTable(
            "unreadable",
            _("%(file)s is niet te lezen: %(reason)s"),
            {"file": path, "reason": error.strerror or error},
        ) from None
    if start.startswith(_OLE_MAGIC):
        raise UnreadableTable(
            "old_excel",
            _(
                "%(file)s is een oud Excel-bestand (.xls) of is met een wachtwoord beveiligd: "
                "sla het op als .xlsx of als CSV en probeer het opnieuw."
            ),
            {"file": path.name},
        )
    if start.startswith(_XLSX_MAGIC):
        return _xlsx(path)
    return _csv(path, header_score or (lambda cells: 0))


def _too_many(path: Path) -> UnreadableTable:
    return UnreadableTable(
        "too_many_rows",
        _("%(file)s heeft meer dan %(max)s regels: splits het bestand."),
        {"file": path.name, "max": MAX_ROWS},
    )


def _xlsx(path: Path) -> Table:
    """The first sheet of a workbook, as its cells hold them (a formula: its last value)."""
    import openpyxl  # only when a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise UnreadableTable(
            "not_xlsx",
            _("%(file)s is geen leesbaar Excel-bestand (.xlsx)."),
            {"file": path.name},
        ) from None
    try:
        if not workbook.worksheets:
            return Table(kind="xlsx")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is there
        rows: list[Row] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise _too_many(path)
            rows.append((number, list(values)))
        return Table(kind="xlsx", rows=rows)
    finally:
        workbook.close()


def _decoded(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of a CSV and its encoding: a byte order mark decides, else UTF-8, else
    Windows-1252."""
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    marked = [encoding for bom, encoding in boms if raw.startswith(bom)]
    for encoding in marked[:1] or ["utf-8", "cp1252"]:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableTable(
        "not_text",
        _("%(file)s is geen tekstbestand (CSV) en geen Excel-bestand (.xlsx)."),
        {"file": path.name},
    )


def _csv(path: Path, header_score: Callable[[Sequence[str]], int]) -> Table:
    text, encoding = _decoded(path.read_bytes(), path)
    if "\x00" in text:
        raise UnreadableTable(
            "not_text",
            _("%(file)s is geen tekstbestand (CSV) en geen Excel-bestand (.xlsx)."),
            {"file": path.name},
        )
    first = next((line for line in text.splitlines() if line.strip()), "")

    def fit(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return header_score(cells), len(cells)

    delimiter = max(DELIMITERS, key=fit)
    rows: list[Row] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise _too_many(path)
            rows.append((number, cells))
    except csv.Error as error:
        raise UnreadableTable(
            "bad_csv",
            _("%(file)s is geen geldig CSV-bestand: %(reason)s"),
            {"file": path.name, "reason": error},
        ) from None
    return Table(kind="csv", rows=rows, delimiter=delimiter, encoding=encoding)
