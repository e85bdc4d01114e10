"""A customer's personal data taken out of a text, for the auditor's view of a dossier (#16 item 4).

An auditor checks that the procedure was followed (receipt, confirmation, timeliness, delay
notice, outcome, referral), not who complained: they read the dossier with the customer's
name, address, e-mail address and phone number replaced by what they are ("[klant]",
"[adres]", …). What the file says about the customer is replaced wherever it occurs, in any
case and spacing; so is anything that looks like an e-mail address, a Dutch postcode or a
phone number, whoever's it is (a spouse's number in a message, say).

Pure: no Django, no database. The placeholders are passed in, so the caller chooses the
language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 1234 AB, 1234AB: a Dutch postcode in capitals, not part of a longer number or word ("2026 in"
# is a year; the customer's own postcode is found in any case through their file).
POSTCODE = re.compile(r"(?<![\w])[1-9][0-9]{3}\s?(?!SA|SD|SS)[A-Z]{2}(?![\w])")
# Phone numbers: +31 6 12345678, 06-12345678, 030 123 4567, (030) 1234567, 0031 30 …: a 0, or a
# country code, then nine to eleven more digits with spaces, dashes, dots or brackets between
# them — not a date such as 02-11-2026.
PHONE = re.compile(
    r"(?<![\w+])(?!\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?!\d))"
    r"(?:(?:\+|00)\s?\d{2}|\(?0)(?:[\s().-]*\d){8,11}(?![\w])"
)
# Parts of a name too common or too short to take out on their own ("de", "van", "A.").
NAME_PARTICLES = frozenset(
    {"de", "den", "der", "van", "von", "het", "ten", "ter", "te", "la", "le", "el", "al", "op"}
)
TITLES = frozenset({"mevrouw", "meneer", "heer", "dhr", "mw", "mevr", "mr", "mrs", "ms", "dr"})


@dataclass(frozen=True)
class Person:
    """What a customer file says about its customer."""

    name: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    town: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Placeholders:
    name: str = "[klant]"
    address: str = "[adres]"
    postcode: str = "[postcode]"
    email: str = "[e-mailadres]"
    phone: str = "[telefoonnummer]"


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def _loose(phrase: str) -> str:
    """A pattern for ``phrase`` that allows any spacing between its words, whole words only."""
    words = [re.escape(word) for word in phrase.split()]
    return r"(?<![\w])" + r"[\s.,-]*".join(words) + r"(?![\w])"


def _name_parts(name: str) -> list[str]:
    """The parts of a name worth taking out one by one: surnames and first names of three or
    more letters, not titles or particles (``Mevrouw A. de Boer`` → ``Boer``)."""
    parts = re.findall(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", name)
    return [part for part in parts if len(part) >= 3 and _fold(part) not in NAME_PARTICLES | TITLES]


def _phrases(person: Person, placeholders: Placeholders) -> list[tuple[str, str]]:
    """(phrase, placeholder), the longest first, so a whole name goes before its parts."""
    found: list[tuple[str, str]] = []
    if person.street.strip():
        street = person.street.strip()
        if person.house_number.strip():
            found.append((f"{street} {person.house_number.strip()}", placeholders.address))
        found.append((street, placeholders.address))
    if person.name.strip():
        found.append((person.name.strip(), placeholders.name))
        found.extend((part, placeholders.name) for part in _name_parts(person.name))
    if person.email.strip():
        found.append((person.email.strip(), placeholders.email))
    if person.postcode.strip():
        found.append((person.postcode.strip(), placeholders.postcode))
    return sorted({p for p in found if p[0]}, key=lambda pair: -len(pair[0]))


def pseudonymise(
    text: str, people: Iterable[Person], placeholders: Placeholders | None = None
) -> str:
    """``text`` with what ``people``'s files say about them, and any e-mail address, postcode
    or phone number, replaced by placeholders."""
    if not text:
        return text
    placeholders = placeholders or Placeholders()
    phrases: list[tuple[str, str]] = []
    for person in people:
        phrases.extend(_phrases(person, placeholders))
    # E-mail addresses first: a name inside one would otherwise split it.
    text = EMAIL.sub(placeholders.email, text)
    for phrase, placeholder in sorted(phrases, key=lambda pair: -len(pair[0])):
        text = re.sub(_loose(phrase), placeholder, text, flags=re.IGNORECASE)
    text = POSTCODE.sub(placeholders.postcode, text)
    text = PHONE.sub(placeholders.phone, text)
    return text


def pseudonymise_fields(
    fields: Mapping[str, str], people: Iterable[Person], placeholders: Placeholders | None = None
) -> dict[str, str]:
    """Each value of ``fields`` pseudonymised the same way."""
    people = list(people)
    return {key: pseudonymise(value, people, placeholders) for key, value in fields.items()}
