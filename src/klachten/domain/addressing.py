"""How a letter addresses the customer: the salutation and the address block (R6, R14).

Pure rules, no Django. "Geachte mevrouw De Vries," when the customer file says how the
customer wants to be addressed, else "Geachte Anna de Vries,"; and the address block as
PostNL asks for it: the name, the street and house number, then "1234 AB  UTRECHT" (the
postcode, two spaces, the town in capitals), and for an address abroad the country in
capitals on the last line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Salutation(StrEnum):
    """How the customer wants to be addressed; empty is no preference (the full name)."""

    NONE = ""
    MRS = "mevrouw"
    MR = "heer"


# Dutch (and a few Belgian, French and German) prefixes of a family name: "de Vries",
# "van der Berg", "in 't Veld", "ter Horst", "van Dijk-de Boer".
NAME_PREFIXES = frozenset(
    {
        "aan",
        "bij",
        "d'",
        "da",
        "de",
        "del",
        "della",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "het",
        "in",
        "l'",
        "la",
        "le",
        "les",
        "onder",
        "op",
        "over",
        "'s",
        "'t",
        "t'",
        "te",
        "ten",
        "ter",
        "tot",
        "uit",
        "uijt",
        "van",
        "vande",
        "vanden",
        "vander",
        "ver",
        "von",
        "voor",
        "zu",
    }
)


def _is_prefix(word: str) -> bool:
    return word.casefold().replace("’", "'") in NAME_PREFIXES


def family_name(full_name: str) -> str:
    """The family name in ``full_name``, with its prefixes, as it follows a salutation.

    "Anna de Vries" → "De Vries", "J.P. van der Berg" → "Van der Berg", "Piet Jansen" →
    "Jansen", "Anna de Vries-Bakker" → "De Vries-Bakker". Without a first name or initials
    the whole name is the family name ("van Dijk" → "Van Dijk"). The first prefix gets a
    capital, as Dutch writes it after "mevrouw" or "heer".
    """
    words = full_name.split()
    if not words:
        return ""
    start = len(words) - 1
    if _is_prefix(words[0]):
        start = 0
    else:
        for index in range(1, len(words) - 1):
            if _is_prefix(words[index]):
                start = index
                break
    family = " ".join(words[start:])
    return family[:1].upper() + family[1:]


def addressed_as(full_name: str, salutation: str) -> str:
    """How the customer is named after "Geachte": "mevrouw De Vries", "heer Jansen", or the
    full name when there is no preference (or no family name to go with it)."""
    name = " ".join(full_name.split())
    family = family_name(name)
    if salutation in (Salutation.MRS, Salutation.MR) and family:
        return f"{salutation} {family}"
    return name


_DUTCH_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")


@dataclass(frozen=True, kw_only=True)
class PostalAddress:
    """The parts of an address as the customer file holds them."""

    name: str
    street: str
    house_number: str
    postcode: str
    town: str
    country: str = "NL"  # ISO 3166-1 alpha-2


def address_lines(address: PostalAddress, country_name: str = "") -> list[str]:
    """The address block as PostNL prints it: at most one line per part, no empty lines.

    In the Netherlands the postcode as "1234 AB", two spaces, the town in capitals.
    Abroad the postcode and the town (in capitals) as the country writes them — the United
    Kingdom puts the postcode on its own line after the town — and ``country_name`` (or the
    country code) in capitals on the last line.
    """
    country = (address.country or "NL").strip().upper()
    lines = [
        " ".join(address.name.split()),
        " ".join(f"{address.street} {address.house_number}".split()),
    ]
    town = " ".join(address.town.split()).upper()
    postcode = " ".join(address.postcode.split())
    if country == "NL":
        match = _DUTCH_POSTCODE.match(postcode)
        if match:
            postcode = f"{match[1]} {match[2].upper()}"
        lines.append(f"{postcode}  {town}".strip())
    else:
        if country in ("GB", "IE"):
            lines += [town, postcode.upper()]
        else:
            lines.append(f"{postcode} {town}".strip())
        lines.append((country_name or country).upper())
    return [line for line in lines if line]
