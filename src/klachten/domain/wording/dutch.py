"""The Dutch grammar R13's suggestions need: words, determiners and adjective forms.

A replacement must read as correct Dutch where it lands: *een groot probleem* becomes *een
grote kwestie*, *het probleem dat* becomes *de kwestie die*. This module knows which words
are determiners (and their form for a *de*- or *het*-word), which are adjectives (and how
they inflect), and nothing about the forbidden words themselves.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from klachten.domain.wording.text import words_of

# A word: letters joined by hyphens or apostrophes ("zo'n", "e-mail"), or the clitics 't, 'n.
WORD = _TOKEN = re.compile(r"[^\W\d_]+(?:[-'’‐‑][^\W\d_]+)*|['’][ntsNTS](?![^\W\d_])")
# Where a clause ends: punctuation, a blank line, a dash between spaces.
CLAUSE_BREAK = re.compile(r"[.,;:!?…()\[\]{}\"“”„«»/|•·]|\n[^\S\n]*\n|\s[-–—]\s")
# Where a sentence ends (a comma does not end one).
SENTENCE_BREAK = re.compile(r"[.;:!?…•]|\n[^\S\n]*\n")


class Token(NamedTuple):
    """A word of the text with its offsets; ``low`` is its lower-case form."""

    start: int
    end: int
    text: str
    low: str


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words of ``text[start:end]``, with offsets into ``text``."""
    stop = len(text) if end is None else end
    # tuple.__new__ makes the NamedTuple without its keyword-checking __new__: R13's
    # suggestions read the words around every forbidden word (#11 item 6: speed).
    make = tuple.__new__
    out = []
    for m in _TOKEN.finditer(text, start, stop):
        word = m.group()
        out.append(make(Token, (m.start(), m.end(), word, word.lower())))
    return out


def only_space_between(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is blank on one line: a passage never spans a line break."""
    gap = text[start:end]
    return (not gap or gap.isspace()) and "\n" not in gap and "\r" not in gap


# --- Determiners ----------------------------------------------------------------------------

#: Determiners with a form for each gender: (neuter singular, common singular or plural).
_GENDERED = (
    ("het", "de"),
    ("'t", "de"),
    ("’t", "de"),
    ("dit", "deze"),
    ("dat", "die"),
    ("hetzelfde", "dezelfde"),
    ("ditzelfde", "dezelfde"),
    ("datzelfde", "diezelfde"),
    ("elk", "elke"),
    ("ieder", "iedere"),
    ("welk", "welke"),
    ("ons", "onze"),
    ("zulk", "zulke"),
)
_TO_COMMON = dict(_GENDERED)
_TO_NEUTER = {common: neuter for neuter, common in reversed(_GENDERED) if neuter[0] != "'"}
_TO_NEUTER["de"] = "het"
_TO_NEUTER["’t"] = "het"

_INVARIANT = words_of(
    "een 'n ’n één geen zo'n zo’n uw je jouw mijn haar hun jullie alle enkele sommige "
    "meerdere vele veel weinig wat twee drie vier vijf zes zeven acht negen tien beide "
    "diverse welke"
)
DETERMINERS = frozenset(_TO_COMMON) | frozenset(_TO_NEUTER) | _INVARIANT
#: After these an adjective keeps its bare form before a singular *het*-word.
_DEFINITE = words_of(
    "het 't ’t de dit deze dat die hetzelfde dezelfde ditzelfde datzelfde diezelfde ons onze "
    "uw je jouw mijn haar hun jullie"
)
POSSESSIVE = words_of("uw je jouw mijn haar hun jullie ons onze")


def determiner_for(determiner: str, gender: str) -> str:
    """The form of ``determiner`` (lower case) before a noun of ``gender`` (``n`` or ``c``)."""
    if gender == "n":
        return _TO_NEUTER.get(determiner, determiner)
    return _TO_COMMON.get(determiner, determiner)


def is_definite(determiner: str | None) -> bool:
    return determiner in _DEFINITE


# --- Adjectives -----------------------------------------------------------------------------

# Adjectives staff write before *probleem*, *fout* and *klacht*, with their inflected form
# where the rules below would get it wrong or could not be sure.
_INFLECTED = {
    "groot": "grote",
    "klein": "kleine",
    "heel": "hele",
    "raar": "rare",
    "naar": "nare",
    "zwaar": "zware",
    "duur": "dure",
    "vaag": "vage",
    "laag": "lage",
    "hoog": "hoge",
    "grof": "grove",
    "dof": "dove",
    "doof": "dove",
    "half": "halve",
    "los": "losse",
    "snel": "snelle",
    "dik": "dikke",
    "fit": "fitte",
    "vlot": "vlotte",
    "wit": "witte",
    "dom": "domme",
    "stom": "stomme",
    "slim": "slimme",
    "zot": "zotte",
    "lelijk": "lelijke",
    "enkel": "enkele",
    "simpel": "simpele",
    "ander": "andere",
    "nieuw": "nieuwe",
    "oud": "oude",
    "vorig": "vorige",
    "echt": "echte",
    "flink": "flinke",
    "concreet": "concrete",
    "complex": "complexe",
    "acuut": "acute",
    "urgent": "urgente",
    "financieel": "financiële",
    "reëel": "reële",
    "essentieel": "essentiële",
    "potentieel": "potentiële",
    "structureel": "structurele",
    "fundamenteel": "fundamentele",
    "eventueel": "eventuele",
    "actueel": "actuele",
    "individueel": "individuele",
    "specifiek": "specifieke",
    "logistiek": "logistieke",
    "enorm": "enorme",
    "serieus": "serieuze",
    "precies": "precieze",
    "vies": "vieze",
    "boos": "boze",
    "lief": "lieve",
    "zelfde": "zelfde",
    "extra": "extra",
    "gratis": "gratis",
    "totaal": "totale",
    "normaal": "normale",
    "banaal": "banale",
    "formeel": "formele",
    "klassiek": "klassieke",
    "typisch": "typische",
    "goed": "goede",
    "tweede": "tweede",
    "derde": "derde",
    "vierde": "vierde",
    "vijfde": "vijfde",
    "eerst": "eerste",
    "volgend": "volgende",
    "enig": "enige",
}
_BARE = {inflected: bare for bare, inflected in _INFLECTED.items() if inflected != bare}
# Words that often stand between a determiner and a noun without being adjectives.
_NOT_ADJECTIVE = words_of(
    "is was waren zijn wordt werd er iets niets niet wat helaas heeft hebben had hadden in op "
    "aan met voor van bij te om dan en of maar u wij we ik hij zij ze men ook nog al weer "
    "personeel geheel weekend gebied gezicht gedicht gevolg geval gesprek geld gebouw geluid "
    "gedrag gewicht begin bestand verband verschil verzoek voorstel doel deel plan"
)
#: Words that strengthen the adjective after them and never inflect ("een heel groot ...").
ADVERBS = words_of(
    "heel erg zeer echt ontzettend enorm vrij nogal best behoorlijk bijzonder uiterst tamelijk "
    "redelijk zo te minder meer steeds werkelijk buitengewoon vreselijk verschrikkelijk "
    "flink bijzonder"
)
_SUFFIXES = (
    "ig",
    "ige",
    "lijk",
    "lijke",
    "isch",
    "ische",
    "ief",
    "ieve",
    "end",
    "ende",
    "baar",
    "bare",
    "zaam",
    "zame",
    "loos",
    "loze",
    "ste",
    "eel",
    "ele",
)
_VOWELS = "aeiouyàáâäèéêëìíîïòóôöùúûü"
_PARTICIPLE = re.compile(r"^(?:[a-z]{0,6}?)ge[a-zëï]{1,}(?:d|t|de|te|en|aan|ien)$")
_PREFIXED_PARTICIPLE = re.compile(r"^(?:be|ver|ont|her|er)[a-zëï]{2,}[dt]$")


def is_adjective(low: str) -> bool:
    """A word that can stand as an adjective between a determiner and its noun."""
    if low in _NOT_ADJECTIVE or low in DETERMINERS:
        return False
    if low in _INFLECTED or low in _BARE:
        return True
    return low.endswith(_SUFFIXES) or _PARTICIPLE.match(low) is not None


def is_participle(low: str) -> bool:
    """A past participle: *gespeld*, *ingevoerd*, *gedaan*, *berekend*, *verwerkt*."""
    return _PARTICIPLE.match(low) is not None or _PREFIXED_PARTICIPLE.match(low) is not None


def inflected(low: str) -> str | None:
    """The inflected form (*grote*) of an adjective (*groot*); ``None`` when unsure."""
    if low in _INFLECTED:
        return _INFLECTED[low]
    if low.endswith(("ooi", "aai", "oei", "uw", "ij")):
        return low + "e"  # mooi → mooie, blauw → blauwe, vrij → vrije
    if low in _BARE or low.endswith(("e", "en")) or low[-1:] in "aioyuéè":
        return low  # already inflected, or never inflects (eigen, gebroken, lila, privé)
    if low.endswith(("isch", "ig", "lijk", "end", "st", "ief", "eel", "loos", "baar", "zaam")):
        return _regular(low)
    if _PARTICIPLE.match(low):
        return _regular(low)
    if len(low) >= 2 and low[-1] not in _VOWELS and low[-2] not in _VOWELS:
        return low + "e"  # a cluster: bekend → bekende, lang → lange
    return None


def _regular(low: str) -> str:
    """The regular inflections: voicing and a long vowel written once (*boos* → *boze*)."""
    if low.endswith("ief"):
        return low[:-1] + "ve"
    if low.endswith("ieel"):
        return low[:-3] + "ële"
    m = re.search(r"(aa|ee|oo|uu)([^aeiou])$", low)
    if m:
        consonant = {"f": "v", "s": "z"}.get(m.group(2), m.group(2))
        return low[: m.start()] + m.group(1)[0] + consonant + "e"
    return low + "e"


def bare(low: str) -> str | None:
    """The uninflected form (*groot*) of an adjective (*grote*); ``None`` when unsure."""
    if low in _BARE:
        return _BARE[low]
    if low in _INFLECTED:
        return low
    for suffix in ("ische", "ige", "lijke", "ende"):
        if low.endswith(suffix):
            return low[:-1]
    if low.endswith(("en", "ste")) or low[-1:] in "aioyuéè":
        return low
    return None


def with_case_of(original: str, low: str) -> str:
    """``low`` written in the case of ``original`` (ALL CAPS, Capitalised or as is)."""
    if original.isupper() and len(original) > 1:
        return low.upper()
    if original[:1].isupper():
        return low[:1].upper() + low[1:]
    return low
