"""R13: replacements for a forbidden word that fit its sentence, best first."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from klachten.domain.wording.text import JOINERS, STEM, lowered, words_of

# Words that decide which replacement fits: the determiner in front, the verb behind.
_NEUTER = frozenset({"het", "'t", "dit", "dat", "ons", "elk", "ieder", "welk"})
_COMMON = frozenset({"de", "deze", "die", "onze", "elke", "iedere", "welke"})
_INDEFINITE = frozenset({"een", "'n", "één", "zo'n", "zo’n", "enig"})
_NEGATIVE = frozenset({"geen"})
# "zijn" is left out: before fout it is the verb far more often ("de gegevens zijn fout").
_POSSESSIVE = frozenset({"uw", "je", "jouw", "mijn", "haar", "hun", "jullie"})
_DETERMINERS = _NEUTER | _COMMON | _INDEFINITE | _NEGATIVE | _POSSESSIVE
# Words between a determiner and its noun are adjectives; these words end that search.
_NOT_ADJECTIVE = words_of(
    "is was waren zijn wordt werd er iets niets niet wat helaas heeft hebben had hadden in op aan "
    "met voor van bij te om dan en of maar u wij we ik hij zij ze men ook nog al"
)
_GOES = words_of("gegaan gelopen gaan gaat ging gingen lopen loopt liep liepen ga zit zat zaten")
_FINITE = words_of("is was waren zijn staat stond stonden blijkt bleek bleken")

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\"“”\n]")


@dataclass(frozen=True)
class _Context:
    """R13: the words around a forbidden word that decide which replacement fits."""

    determiner: str | None
    following: str
    attached: bool = False


def _context(before: str, after: str) -> _Context:
    """R13: the determiner before the word (past up to two adjectives) and the next word."""
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    determiner = None
    for word in reversed(_WORD.findall(clause)[-3:]):
        if word in _DETERMINERS:
            determiner = word
            break
        if word in _NOT_ADJECTIVE:
            break
    following = _WORD.match(after, 1) if after[:1] == " " else None
    attached = before[-1:] in JOINERS
    return _Context(determiner, following.group() if following else "", attached)


@dataclass(frozen=True)
class _Forms:
    """R13: replacements of one form of a forbidden word, by the determiner in front of it.

    ``compound`` (else ``default``) is what a compound with this form as its head gets
    (``rekenfout`` → ``rekenvergissing``);
    ``predicate`` and ``goes`` are for *fout* used as an adjective or adverb ("was fout",
    "fout gegaan"); ``bare`` is for a noun without determiner, where a phrase fits better.
    """

    default: tuple[str, ...]
    neuter: tuple[str, ...] = ()
    common: tuple[str, ...] = ()
    indefinite: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    possessive: tuple[str, ...] = ()
    bare: tuple[str, ...] = ()
    predicate: tuple[str, ...] = ()
    goes: tuple[str, ...] = ()
    compound: tuple[str, ...] = ()

    def pick(self, context: _Context, *, in_compound: bool) -> tuple[str, ...]:
        """Choose the replacements that fit the determiner and the next word."""
        det = context.determiner
        if in_compound or context.attached:
            chosen: tuple[str, ...] = ()
            if det in _NEUTER:
                chosen = self.neuter
            elif det in _COMMON:
                chosen = self.common
            return chosen or self.compound or self.default
        if self.goes and context.following in _GOES and det is None:
            return self.goes
        if self.predicate and (
            det is None or (det in {"die", "dat"} and context.following in _FINITE)
        ):
            return self.predicate
        for dets, forms in (
            (_NEUTER, self.neuter),
            (_COMMON, self.common),
            (_INDEFINITE, self.indefinite),
            (_NEGATIVE, self.negative),
            (_POSSESSIVE, self.possessive),
        ):
            if det in dets and forms:
                return forms
        if det is None and self.bare:
            return self.bare
        return self.default


def _f(*default: str, **by_context: tuple[str, ...]) -> _Forms:
    """Write a row of the R13 table of forms: default replacements first, then by context."""
    return _Forms(default, **by_context)


_KLACHT = _f("melding", "reactie", compound=("melding",))
_KLACHTEN = _f("meldingen", "reacties", compound=("meldingen",))
_PROBLEEM = _f(
    "punt",
    "kwestie",
    neuter=("punt", "voorval"),
    common=("situatie", "kwestie"),
    indefinite=("kwestie", "punt"),
    negative=("punt", "bezwaar"),
    possessive=("situatie", "vraag"),
    bare=("deze situatie", "dit punt"),
    compound=("kwestie", "punt"),
)
_PROBLEMEN = _f(
    "punten",
    "situaties",
    negative=("moeilijkheden", "bezwaren"),
    compound=("moeilijkheden", "kwesties"),
)
_PROBLEEMLOOS = _f("soepel", "vlot", "zonder moeite")
_PROBLEEMLOZE = _f("soepele", "vlotte")
_FOUT = _f(
    "vergissing",
    "onjuistheid",
    predicate=("onjuist", "niet juist", "mis"),
    goes=("mis", "verkeerd"),
    compound=("vergissing",),
)
_FOUTEN = _f("vergissingen", "onjuistheden", compound=("vergissingen",))
_FOUTVRIJ = _f("vlekkeloos", "correct")
_FOUTVRIJE = _f("vlekkeloze", "correcte")

# Whole words and compound heads: the forms of klacht, probleem and fout, lower case.
_HEADS: dict[str, _Forms] = {
    "klacht": _KLACHT,
    "klachten": _KLACHTEN,
    "klachtje": _f("opmerking", "puntje", neuter=("puntje",)),
    "klachtjes": _f("opmerkingen", "puntjes"),
    "klachtvrij": _f("zonder meldingen", "naar tevredenheid"),
    "klachtenvrij": _f("zonder meldingen", "naar tevredenheid"),
    "klachtenvrije": _f("vlekkeloze", "tevreden"),
    "aanklacht": _f("beschuldiging", "aantijging"),
    "aanklachten": _f("beschuldigingen", "aantijgingen"),
    "probleem": _PROBLEEM,
    "problemen": _PROBLEMEN,
    "probleempje": _f("puntje", "kwestie", neuter=("puntje",)),
    "probleempjes": _f("puntjes", "kwesties"),
    "problematiek": _f("kwestie", "situatie", neuter=("vraagstuk",)),
    "problematieken": _f("kwesties", "vraagstukken"),
    "problematisch": _f("lastig", "ingewikkeld"),
    "problematische": _f("lastige", "ingewikkelde"),
    "problematischer": _f("lastiger", "ingewikkelder"),
    "problematiseren": _f("ter discussie stellen", "moeilijk maken"),
    "problematiseert": _f("stelt ter discussie", "maakt moeilijk"),
    "problematiseerde": _f("stelde ter discussie", "maakte moeilijk"),
    "problematiseerd": _f("ter discussie gesteld"),
    "geproblematiseerd": _f("ter discussie gesteld"),
    "problematiserende": _f("kritische"),
    "problematisering": _f("discussie"),
    "probleemloos": _PROBLEEMLOOS,
    "problemloos": _PROBLEEMLOOS,
    "probleemloze": _PROBLEEMLOZE,
    "problemloze": _PROBLEEMLOZE,
    "probleemlozer": _f("soepeler", "vlotter"),
    "probleemstelling": _f("vraagstelling"),
    "probleemstellingen": _f("vraagstellingen"),
    "probleemoplossend": _f("oplossingsgericht"),
    "probleemoplossende": _f("oplossingsgerichte"),
    "probleempunt": _f("aandachtspunt", "punt"),
    "probleempunten": _f("aandachtspunten", "punten"),
    "fout": _FOUT,
    "fouten": _FOUTEN,
    "foutje": _f("vergissing", "misverstand", neuter=("misverstand",)),
    "foutjes": _f("vergissingen", "misverstanden"),
    "foute": _f("onjuiste", "verkeerde"),
    "fouter": _f("onjuister", "verkeerder"),
    "foutst": _f("verkeerdst", "meest onjuist"),
    "foutste": _f("verkeerdste", "meest onjuiste"),
    "fouts": _f("onjuists", "verkeerds"),
    "foutief": _f("onjuist", "niet juist"),
    "foutieve": _f("onjuiste", "verkeerde"),
    "foutiever": _f("onjuister"),
    "foutievelijk": _f("abusievelijk", "ten onrechte"),
    "foutloos": _f("vlekkeloos", "correct", "zonder vergissingen"),
    "foutloze": _f("vlekkeloze", "correcte"),
    "foutlozer": _f("correcter", "nauwkeuriger"),
    "foutloosheid": _f("nauwkeurigheid", "correctheid"),
    "foutvrij": _FOUTVRIJ,
    "foutvrije": _FOUTVRIJE,
    "foutenvrij": _FOUTVRIJ,
    "foutenvrije": _FOUTVRIJE,
    "fout-positief": _f("vals-positief"),
    "fout-positieve": _f("vals-positieve"),
    "fout-negatief": _f("vals-negatief"),
    "fout-negatieve": _f("vals-negatieve"),
    "foutparkeerder": _f("parkeerovertreder"),
    "foutparkeerders": _f("parkeerovertreders"),
    "foutslag": _f("misslag"),
    "foutgevoelig": _f("kwetsbaar", "gevoelig voor vergissingen"),
    "foutgevoelige": _f("kwetsbare"),
    "probleemsituatie": _f("lastige situatie", "situatie"),
    "probleemsituaties": _f("lastige situaties", "situaties"),
    "foutslagen": _f("misslagen"),
    "clafoutis": _f("kersenflan"),
}
# Compound modifiers: what replaces the forbidden part in front of another word.
_MODIFIERS: dict[str, tuple[str, ...]] = {
    "klacht": ("meldings", ""),
    "klachten": ("meldings", "", "meldingen"),
    "klachts": ("meldings", ""),
    "probleem": ("aandachts", ""),
    "problemen": ("aandachts", ""),
    "fout": ("", "afwijkings"),
    "fouten": ("", "afwijkings"),
}
_FOUT_MODIFIERS = frozenset({"fout", "fouten"})
_TECHNICAL = words_of("melding meldingen bericht berichten boodschap boodschappen code codes")
_DEVIATION = words_of("marge marges kans kansen percentage percentages tolerantie waarde waarden")
# Medical compounds (buikklachten, RSI-klachten) are ailments, not complaints.
_BODY_PARTS = words_of(
    "buik rug nek maag hoofd hart darm spier gewricht gewrichts ademhalings rsi huid oog ogen "
    "oor keel knie schouder pols arm been voet gezondheids stress overgangs long blaas slaap "
    "spijsverterings"
)
_AILMENT = _f("ongemak", "pijn", compound=("ongemak",))
_AILMENTS = _f("ongemakken", "pijnen", compound=("ongemakken",))
_SAFE_WORD = {"klacht": "melding", "fout": "vergissing", "probleem": "punt", "problem": "punt"}


def suggestions_for(word: str, before: str, after: str) -> tuple[str, ...]:
    """R13: :func:`_suggest` for ``word`` between ``before`` and ``after``, remembered.

    Letters repeat their phrases ("uw klacht"), so most words are looked up, not worked out.
    The memory is keyed by the word and its grammatical context only, never by the text
    around it: fragments of a customer's letter do not linger in the process (R2).
    """
    return _suggest(word, _context(before, after))


@functools.lru_cache(maxsize=4096)
def _suggest(word: str, context: _Context) -> tuple[str, ...]:
    """R13: replacements for ``word`` that fit the sentence, best first, never empty.

    Whole words and compound heads come from a small table of forms; a forbidden modifier in
    front of another word is replaced (``klachtenformulier`` → ``meldingsformulier``). Every
    suggestion is free of forbidden words and has the capitalisation of ``word``.
    """
    low = word.lower()
    original = word if len(low) == len(word) else low
    stem = STEM.search(low)
    i = stem.start() if stem else 0
    prefix, rest = original[:i], low[i:]
    candidates: list[str] = []
    if low in _HEADS:
        candidates.extend(_HEADS[low].pick(context, in_compound=False))
    elif rest in _HEADS:
        forms = _HEADS[rest]
        if rest.startswith(("klacht", "probl")) and prefix.lower().rstrip("-‐‑") in _BODY_PARTS:
            forms = _AILMENTS if rest.endswith("en") else _AILMENT
        heads = [r for r in forms.pick(context, in_compound=True) if " " not in r]
        if heads:
            candidates.extend([*(prefix + head for head in heads[:2]), heads[0]])
        else:
            candidates.extend(_as_modifier(prefix, rest))
    else:
        candidates.extend(_as_modifier(prefix, rest))
    safe = [c for c in map(_scrub, candidates) if c and not STEM.search(c.lower())]
    if not safe:
        safe = [_SAFE_WORD[stem.group() if stem else "probleem"]]
    return tuple(_match_case(word, s) for s in dict.fromkeys(safe))


def _as_modifier(prefix: str, rest: str) -> list[str]:
    """R13: replace a forbidden modifier at the start of ``rest`` (``klachtenregeling``)."""
    modifier = max((m for m in _MODIFIERS if rest.startswith(m)), key=len, default=None)
    if modifier is None:
        return [prefix + rest]  # _scrub replaces the stem
    tail = rest[len(modifier) :]
    if modifier in _FOUT_MODIFIERS:
        if tail in _GOES or (tail.startswith("ge") and tail.endswith(("d", "t"))):
            return [prefix + ("mis" if tail in _GOES else "verkeerd ") + tail]
        if tail in _TECHNICAL:
            return [prefix + "storings" + tail, prefix + tail]
        replacements = ("afwijkings", "") if tail in _DEVIATION else _MODIFIERS[modifier]
    else:
        replacements = _MODIFIERS[modifier]
    out = []
    for r in replacements:
        joined = r[:-1] if r.endswith("s") and tail.startswith(tuple(JOINERS)) else r
        if not joined:
            out.append(prefix + tail if prefix else tail.lstrip("".join(JOINERS)))
        else:
            out.append(prefix + joined + tail)
    return out


def _scrub(candidate: str) -> str:
    """R13: replace any forbidden stem still left in a candidate by a neutral word."""
    for _ in range(8):
        found = STEM.search(lowered(candidate))
        if found is None:
            return candidate
        candidate = (
            candidate[: found.start()] + _SAFE_WORD[found.group()] + candidate[found.end() :]
        )
    return ""


def _match_case(original: str, suggestion: str) -> str:
    """Give ``suggestion`` the capitalisation of ``original`` (Capitalised, ALL CAPS)."""
    if original.isupper():
        return suggestion.upper()
    if original[:1].isupper() and not (original[1:2].isalpha() and original[1:2].isupper()):
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion
