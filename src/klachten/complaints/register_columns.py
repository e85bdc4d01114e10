"""How an institute's own complaints register reads (#16 item 5): its columns and its cells.

Pure functions, no database: which column holds what, by its header in Dutch or English (case,
spaces, hyphens and accents do not matter: "E-mail", "email" and "E mail" are one), and what
a cell says — a date as 3-4-2025, 03-04-2025, 2025-04-03 (with a time if there is one), "3
april 2025", or an Excel date cell; a channel; an outcome. ``klachten.complaints.importing``
validates the rows with the intake's own checks and imports them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Final

# Each field of a row and the headers that name it, in Dutch and English, as header_key
# writes them (lower case, letters and digits only). The order is the order of the report.
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "received": (
        "ontvangen",
        "ontvangenop",
        "datumontvangen",
        "datumontvangst",
        "ontvangstdatum",
        "datum",
        "datummelding",
        "meldingsdatum",
        "datumklacht",
        "received",
        "receivedat",
        "receivedon",
        "datereceived",
        "date",
    ),
    "reference": (
        "kenmerk",
        "referentie",
        "klachtnummer",
        "dossiernummer",
        "registratienummer",
        "reference",
        "ref",
    ),
    "name": ("naam", "klant", "klantnaam", "naamklant", "volledigenaam", "name", "customer"),
    "first_name": ("voornaam", "voorletters", "firstname", "givenname", "initials"),
    "infix": ("tussenvoegsel", "tussenvoegsels", "infix"),
    "last_name": ("achternaam", "familienaam", "lastname", "surname", "familyname"),
    "street": ("straat", "straatnaam", "adres", "street", "streetname", "address"),
    "house_number": ("huisnummer", "huisnr", "nr", "housenumber", "number"),
    "addition": ("toevoeging", "huisnummertoevoeging", "addition"),
    "postcode": ("postcode", "postalcode", "zipcode", "zip"),
    "town": ("plaats", "woonplaats", "plaatsnaam", "stad", "city", "town"),
    "country": ("land", "landcode", "country", "countrycode"),
    "email": ("email", "emailadres", "mailadres", "mail", "emailaddress"),
    "phone": (
        "telefoon",
        "telefoonnummer",
        "telnr",
        "tel",
        "mobiel",
        "phone",
        "phonenumber",
        "telephone",
        "mobile",
    ),
    "channel": ("kanaal", "via", "binnengekomenvia", "channel"),
    "report": (
        "verslag",
        "omschrijving",
        "beschrijving",
        "toelichting",
        "klacht",
        "melding",
        "description",
        "report",
        "complaint",
    ),
    "course": ("cursus", "cursusnaam", "training", "opleiding", "course", "coursename"),
    "trainer": ("trainer", "docent", "teacher", "instructor"),
    "location": (
        "locatie",
        "lokatie",
        "lesplaats",
        "leslocatie",
        "cursuslocatie",
        "trainingslocatie",
        "location",
    ),
    "training_date": (
        "lesdatum",
        "cursusdatum",
        "trainingsdatum",
        "datumtraining",
        "datumcursus",
        "trainingdate",
        "coursedate",
    ),
    "category": ("categorie", "soort", "soortklacht", "category"),
    "closed": (
        "afgehandeld",
        "afgehandeldop",
        "datumafgehandeld",
        "afgesloten",
        "afgeslotenop",
        "datumafgesloten",
        "closed",
        "closedat",
        "closedon",
        "dateclosed",
    ),
    "outcome": ("uitkomst", "resultaat", "afloop", "outcome", "result"),
}
FIELD_OF: Final = {key: name for name, keys in COLUMNS.items() for key in keys}

# A register names its customer in one column ("naam") or in parts; it needs these either way.
REQUIRED: Final = ("received", "report", "postcode", "town", "street")

CHANNELS: Final = {
    "phone": (
        "telefoon",
        "telefonisch",
        "tel",
        "gebeld",
        "phone",
        "telephone",
        "call",
    ),
    "desk": ("balie", "loket", "persoonlijk", "mondeling", "bezoek", "desk", "inperson"),
    "email": ("email", "mail", "emailbericht"),
    "letter": ("brief", "post", "schriftelijk", "letter"),
    "web": ("website", "web", "webformulier", "formulier", "online", "internet", "form"),
}
OUTCOMES: Final = {
    "solved": ("opgelost", "solved", "resolved"),
    "unsolved": ("nietopgelost", "onopgelost", "unsolved", "notsolved", "unresolved"),
    "withdrawn": ("ingetrokken", "withdrawn"),
    "ruling": (
        "uitspraak",
        "nauitspraak",
        "afgehandeldnauitspraak",
        "bindendeuitspraak",
        "ruling",
        "afterruling",
    ),
}
MONTHS: Final = {
    **{
        name: number
        for number, name in enumerate(
            (
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ),
            start=1,
        )
    },
    **{
        name: number
        for number, name in enumerate(
            (
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ),
            start=1,
        )
    },
    **{
        "jan": 1,
        "feb": 2,
        "mrt": 3,
        "maa": 3,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    },
}

_DAY_MONTH_YEAR = re.compile(
    r"(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>\d{2,4})"
    r"(?:[ T]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?)?"
)
_IN_WORDS = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{4})")
_STREET_AND_NUMBER = re.compile(r"(?P<street>.*?\D)\s*(?P<number>\d+\s*[-/]?\s*[A-Za-z0-9]{0,4})")


def header_key(text: Any) -> str:
    """A header as it is compared: no accents, lower case, only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", str(text if text is not None else ""))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(char for char in plain.casefold() if char.isascii() and char.isalnum())


def column_of(header: Any) -> str | None:
    """The field a header names, or None for a column the import does not use."""
    return FIELD_OF.get(header_key(header))


def header_score(headers: Sequence[Any]) -> int:
    """How many different fields a line of headers names (to find the header line)."""
    return len({name for name in map(column_of, headers) if name is not None})


@dataclass(frozen=True)
class ColumnMap:
    """Which column holds which field, and what the header line leaves unclear."""

    columns: dict[str, int]
    headers: list[str]
    ignored: list[str] = field(default_factory=list)
    doubled: dict[str, list[str]] = field(default_factory=dict)

    def missing(self) -> list[str]:
        """The fields a register needs that no column holds."""
        found = set(self.columns)
        missing = [name for name in REQUIRED if name not in found]
        if "name" not in found and "last_name" not in found:
            missing.insert(1, "name")
        return missing

    def header(self, name: str) -> str:
        """The header of a field's column, as the file writes it."""
        return self.headers[self.columns[name]]


def columns_map(headers: Sequence[Any]) -> ColumnMap:
    """Map a header line to the fields; a field named twice is noted, not guessed."""
    texts = [" ".join(str(header if header is not None else "").split()) for header in headers]
    columns: dict[str, int] = {}
    named: dict[str, list[str]] = {}
    ignored = []
    for index, text in enumerate(texts):
        name = column_of(text)
        if name is None:
            if text:
                ignored.append(text)
            continue
        named.setdefault(name, []).append(text)
        columns.setdefault(name, index)
    doubled = {name: texts for name, texts in named.items() if len(texts) > 1}
    return ColumnMap(columns=columns, headers=texts, ignored=ignored, doubled=doubled)


# --- Cells -------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: a whole number without ".0", everything with its spaces tidied."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


def _year(text: str) -> int:
    if len(text) != 4:
        raise ValueError("two_digit_year")
    return int(text)


def parse_moment(value: Any) -> date | datetime | None:
    """A date, or a moment when the cell has a time; None for an empty cell.

    Dutch order (day-month-year, with - / or .), ISO 8601 (year first, with an offset if it
    has one), "3 april 2025" in Dutch or English, or an Excel date cell (a ``datetime``; at
    00:00 it is a date). A two-digit year or a date that does not exist raise ValueError.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.time() == time() and value.tzinfo is None:
            return value.date()
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, bool | int | float):
        raise ValueError("not_a_date")
    text = " ".join(str(value).split())
    if not text:
        return None
    if match := _ISO.fullmatch(text):
        day = date(int(match["year"]), int(match["month"]), int(match["day"]))
        if match["hour"] is None:
            return day
        moment = datetime.combine(
            day, time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
        )
        offset = match["offset"]
        if not offset:
            return moment
        if offset == "Z":
            return moment.replace(tzinfo=UTC)
        sign = -1 if offset[0] == "-" else 1
        hours, minutes = int(offset[1:3]), int(offset[-2:])
        return moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day = date(_year(match["year"]), int(match["month"]), int(match["day"]))
        if match["hour"] is None:
            return day
        return datetime.combine(
            day, time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
        )
    if match := _IN_WORDS.fullmatch(text.casefold()):
        month = MONTHS.get(header_key(match["month"]))
        if month is None:
            raise ValueError("unknown_month")
        return date(int(match["year"]), month, int(match["day"]))
    raise ValueError("not_a_date")


def _choice(text: str, choices: dict[str, tuple[str, ...]]) -> str | None:
    key = header_key(text)
    return next((value for value, words in choices.items() if key in words), None)


def parse_channel(text: str) -> str | None:
    """A channel by its Dutch or English name (telefoon, balie, e-mail, brief, website)."""
    return _choice(text, CHANNELS)


def parse_outcome(text: str) -> str | None:
    """An outcome by its Dutch or English name (opgelost, niet opgelost, ingetrokken,
    uitspraak)."""
    return _choice(text, OUTCOMES)


def split_street(text: str) -> tuple[str, str]:
    """ "Lindenlaan 12a" → ("Lindenlaan", "12a"): a street with its number in one column."""
    match = _STREET_AND_NUMBER.fullmatch(text.strip())
    if match is None:
        return text.strip(), ""
    return match["street"].strip(" ,"), "".join(match["number"].split())


def full_name(parts: Iterable[str]) -> str:
    """A name from its parts ("Anna", "de", "Vries" → "Anna de Vries")."""
    return " ".join(part for part in (" ".join(p.split()) for p in parts) if part)
