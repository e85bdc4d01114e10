"""The wording guard for every customer-facing text (R12, R13).

Letters, e-mails, the public form and the status page pass through :func:`check` before they
reach a customer. Like Django's ``password_validation`` it is a list of small checks
(:data:`CHECKS`), each returning :class:`Finding` objects; the caller gets all findings at once.

- R13 (:func:`forbidden_words`): the words *klacht*, *probleem* and *fout* and every word that
  contains them (klachten, probleempje, rekenfout, e-mailklacht, ...) block sending until
  rephrased; each finding carries replacements that fit the sentence.
- R12 (:func:`blame`): a sentence that names a colleague, the organisation, the computer or a
  supplier together with a blaming cue ("komt door", "lag eruit", "heeft ... vergeten") is a
  warning that needs a conscious confirmation.

Findings carry a stable ``code`` and ``params``; the Django layer turns them into translated
messages. Nothing here imports Django or gettext.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "CHECKS",
    "CODES",
    "Check",
    "Finding",
    "blame",
    "check",
    "forbidden_words",
    "is_sendable",
    "rephrase",
]

FORBIDDEN_WORD = "forbidden_word"
BLAMES_COLLEAGUE = "blames_colleague"
BLAMES_ORGANISATION = "blames_organisation"
BLAMES_SYSTEM = "blames_system"
BLAMES_SUPPLIER = "blames_supplier"

#: Every code a finding of the built-in checks can carry.
CODES = (FORBIDDEN_WORD, BLAMES_COLLEAGUE, BLAMES_ORGANISATION, BLAMES_SYSTEM, BLAMES_SUPPLIER)


@dataclass(frozen=True)
class Finding:
    """One passage of a text that breaks R12 or R13.

    ``text[start:end] == finding.text`` for the checked ``text``. ``suggestions`` replace exactly
    that passage, best first; ``params`` feed the translated message of ``code``.
    """

    start: int
    end: int
    text: str
    rule: str
    code: str
    suggestions: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        """Freeze ``params`` too, so a finding cannot change after the check."""
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def blocks(self) -> bool:
        """R13 blocks sending until rephrased; R12 only warns and needs a confirmation."""
        return self.rule == "R13"


Check = Callable[[str], Iterable[Finding]]


def _lowered(text: str) -> str:
    """Lower-case ``text`` keeping every offset, so regexes on it point into ``text``.

    ``str.lower`` never shrinks a character; it grows only a few (``İ``), which then stay as
    they are.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# --- R13: forbidden words ---------------------------------------------------------------------

_STEM = re.compile(r"klacht|fout|proble?em")
_JOINERS = frozenset("-'’‐‑")  # hyphens and apostrophes join letters into one word


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """R12, R13: widen ``text[start:end]`` to the whole word (letters joined by - and ')."""
    n = len(text)
    while start > 0:
        c = text[start - 1]
        if c.isalpha() or (c in _JOINERS and start >= 2 and text[start - 2].isalpha()):
            start -= 1
        else:
            break
    while end < n:
        c = text[end]
        if c.isalpha() or (c in _JOINERS and end + 1 < n and text[end + 1].isalpha()):
            end += 1
        else:
            break
    return start, end


def _word_start(text: str, position: int) -> int:
    """Where the word around ``position`` starts; usually ``position`` itself."""
    if position == 0 or not (text[position - 1].isalpha() or text[position - 1] in _JOINERS):
        return position
    return _word_around(text, position, position)[0]


def forbidden_words(text: str) -> list[Finding]:
    """R13: every word containing *klacht*, *probleem*/*problem* or *fout*, with replacements.

    The finding spans the whole word around the stem (``aanklacht``, ``e-mail-klacht``,
    ``rekenfout``), case-insensitively. There are no exceptions: *clafoutis* is flagged too.
    """
    low = _lowered(text)
    findings: list[Finding] = []
    pos = 0
    while True:
        m = _STEM.search(low, pos)
        if m is None:
            return findings
        start, end = _word_around(text, m.start(), m.end())
        word = text[start:end]
        findings.append(
            Finding(
                start=start,
                end=end,
                text=word,
                rule="R13",
                code=FORBIDDEN_WORD,
                suggestions=_suggestions(
                    word, low[max(0, start - 40) : start], low[end : end + 20]
                ),
                params={"word": word, "stem": _stem_of(m.group())},
            )
        )
        pos = end


def _stem_of(matched: str) -> str:
    """Name the forbidden word a stem match stands for (``problem`` is a form of *probleem*)."""
    return "probleem" if matched.startswith("probl") else matched


def _words(spaced: str) -> frozenset[str]:
    """Read a space-separated word list written in the source."""
    return frozenset(spaced.split())


# Words that decide which replacement fits: the determiner in front, the verb behind.
_NEUTER = frozenset({"het", "'t", "dit", "dat", "ons", "elk", "ieder", "welk"})
_COMMON = frozenset({"de", "deze", "die", "onze", "elke", "iedere", "welke"})
_INDEFINITE = frozenset({"een", "'n", "één", "zo'n", "zo’n", "enig"})
_NEGATIVE = frozenset({"geen"})
# "zijn" is left out: before fout it is the verb far more often ("de gegevens zijn fout").
_POSSESSIVE = frozenset({"uw", "je", "jouw", "mijn", "haar", "hun", "jullie"})
_DETERMINERS = _NEUTER | _COMMON | _INDEFINITE | _NEGATIVE | _POSSESSIVE
# Words between a determiner and its noun are adjectives; these words end that search.
_NOT_ADJECTIVE = _words(
    "is was waren zijn wordt werd er iets niets niet wat helaas heeft hebben had hadden in op aan "
    "met voor van bij te om dan en of maar u wij we ik hij zij ze men ook nog al"
)
_GOES = _words("gegaan gelopen gaan gaat ging gingen lopen loopt liep liepen ga zit zat zaten")
_FINITE = _words("is was waren zijn staat stond stonden blijkt bleek bleken")

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
    attached = before[-1:] in _JOINERS
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
_TECHNICAL = _words("melding meldingen bericht berichten boodschap boodschappen code codes")
_DEVIATION = _words("marge marges kans kansen percentage percentages tolerantie waarde waarden")
# Medical compounds (buikklachten, RSI-klachten) are ailments, not complaints.
_BODY_PARTS = _words(
    "buik rug nek maag hoofd hart darm spier gewricht gewrichts ademhalings rsi huid oog ogen "
    "oor keel knie schouder pols arm been voet gezondheids stress overgangs long blaas slaap "
    "spijsverterings"
)
_AILMENT = _f("ongemak", "pijn", compound=("ongemak",))
_AILMENTS = _f("ongemakken", "pijnen", compound=("ongemakken",))
_SAFE_WORD = {"klacht": "melding", "fout": "vergissing", "probleem": "punt", "problem": "punt"}


def _suggestions(word: str, before: str, after: str) -> tuple[str, ...]:
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
    stem = _STEM.search(low)
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
    safe = [c for c in map(_scrub, candidates) if c and not _STEM.search(c.lower())]
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
        joined = r[:-1] if r.endswith("s") and tail.startswith(tuple(_JOINERS)) else r
        if not joined:
            out.append(prefix + tail if prefix else tail.lstrip("".join(_JOINERS)))
        else:
            out.append(prefix + joined + tail)
    return out


def _scrub(candidate: str) -> str:
    """R13: replace any forbidden stem still left in a candidate by a neutral word."""
    for _ in range(8):
        found = _STEM.search(_lowered(candidate))
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


# --- R12: blame ---------------------------------------------------------------------------------

_Trie = dict[str, "_Trie"]


def _alternation(words: Mapping[str, str]) -> str:
    """Build a regex for ``words`` as a trie, each word followed by its own tail regex.

    A trie makes a miss cost a step or two at each position, where a plain ``a|b|c`` tries
    every alternative; that is what keeps :func:`check` fast on long texts.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: _Trie, word: str) -> str:
        branches = [
            re.escape(ch) + render(child, word + ch) for ch, child in sorted(node.items()) if ch
        ]
        if "" in node:
            branches.append(words[word])
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return render(trie, "")


def _forms(spec: str) -> list[str]:
    """Expand ``"docent(e,en); trainer(s)"`` to ``["docent", "docente", "docenten", ...]``."""
    out: list[str] = []
    for item in spec.split(";"):
        item = item.strip()
        if "(" in item:
            base, endings = item[:-1].split("(")
            out.append(base)
            out.extend(base + e for e in endings.split(","))
        elif item:
            out.append(item)
    return out


# The parties R12 protects, lower case. They may end a compound (baliemedewerker,
# inschrijfsysteem, boekenleverancier), except the short words that only stand alone.
_PARTY_WORDS = {
    BLAMES_COLLEAGUE: _forms(
        "collega('s,’s); medewerker(s); medewerkster(s); docent(e,en,es); trainer(s); "
        "trainster(s); instructeur(s); cursusleider(s); coördinator(en,s); coordinator(en,s); "
        "secretaresse(s); receptionist(e,en,es); stagiair(e,es,s); leidinggevende(n); "
        "teamleider(s); behandelaar(s); manager(s); mentor(en,s); begeleider(s); planner(s); "
        "examinator(en,s); adviseur(s); consulent(e,en)"
    ),
    BLAMES_ORGANISATION: _forms(
        "kerngroep; organisatie(s); bedrijf; instituut; afdeling(en); planning; administratie; "
        "management; directie; directeur; directrice; bestuur; backoffice; boekhouding; "
        "secretariaat; kantoor; klantenservice; servicedesk; helpdesk; receptie"
    ),
    BLAMES_SYSTEM: _forms(
        "computer(s); systeem; systemen; software; website(s); webpagina('s); webshop; portaal; "
        "portal; applicatie(s); programmatuur; server(s); netwerk(en); internet; verbinding; "
        "wifi; automatisering; techniek; printer(s); database(s); platform; leeromgeving; "
        "telefooncentrale; telefonie; ict; app; site; elo"
    ),
    BLAMES_SUPPLIER: _forms(
        "leverancier(s); fabrikant(en); producent(en); uitgever(s); uitgeverij(en); "
        "drukkerij(en); drukker(s); vervoerder(s); transporteur(s); koerier(s); "
        "koeriersdienst(en); bezorger(s); bezorgdienst(en); pakketdienst(en); postbode(s); "
        "onderaannemer(s); cateraar(s); catering; verhuurder(s); importeur(s); groothandel; "
        "externe partij; derde partij; postnl; dhl; dpd"
    ),
}
_STANDALONE = _words("kerngroep ict app site elo postnl dhl dpd")
_PARTY_OF = {word: code for code, words in _PARTY_WORDS.items() for word in words}
_LETTER = r"[^\W\d_]"
_PARTY = re.compile(_alternation(dict.fromkeys(_PARTY_OF, "")) + f"(?!{_LETTER})")

# Blaming cues, each anchored on its most telling word so that the regex rarely has work to
# do. A "bound" cue points at the party right behind it ("dit komt door de leverancier"); the
# others blame the party they share a sentence with ("de website lag eruit").
_PARTICIPLES = (
    "(?:geleverd|gestuurd|verstuurd|bezorgd|ingevoerd|ingepland|geregistreerd|doorgegeven"
    "|berekend|gedrukt|geadresseerd|verwerkt|aangeleverd|opgestuurd)"
)
_CUE_SPEC = (
    # "heeft ... vergeten": the auxiliary is checked in front of these (_NEEDS_AUXILIARY).
    ("vergeten; verkeerd(e); gemist; kwijtgeraakt; kwijtgemaakt", ""),
    ("verkeerd(e)", f" {_PARTICIPLES}"),
    ("niet", r" (?:goed|juist|doorgegeven|doorgestuurd|verwerkt|opgelet)"),
    ("laten", " (?:liggen|slingeren|vallen)"),
    ("hoofd", r"(?<=over het hoofd) gezien"),
    ("laat", rf"(?<=\bte laat) {_PARTICIPLES}"),
    ("tijd", rf"(?<=niet op tijd) {_PARTICIPLES}"),
    ("verprutst; verknoeid; geblunderd; gefaald; faalde(n); tekortgeschoten; gebreke", ""),
    ("slordig; blunder; nalatig; schuld; defect", r"\w*"),
    ("tekort", " geschoten"),
    ("schoot; schoten", " tekort"),
    ("lag; ligt; lagen; liggen", r"(?: \w+)? (?:eruit|er uit|plat|offline)"),
    ("platgelegen; uitgevallen; vastgelopen; gecrasht; crashte(n); kapot; storing(en)", ""),
    ("haperde(n); hapert; haperen; hapering(en); vergist; vergiste(n)", ""),
    ("plat; eruit", " gelegen"),
    ("viel; vielen", " uit"),
    ("was; ging", " offline"),
    ("liep; liepen", " vast"),
    ("werkte(n)", r"(?: \w+){0,2}? niet"),
    ("werkt", " niet (?:goed|naar behoren|mee)"),
    ("deed; deden; doet; doen", " het niet"),
    ("liet; lieten; laat; laten", " het afweten"),
    ("liet; lieten", " (?:ons|u|jullie|hen) in de steek"),
    # Bound cues.
    ("komt; kwam; kwamen; komen", r"(?: \w+){0,2}? door"),
    ("ligt; lag; lagen; liggen", r"(?: \w+){0,2}? aan"),
    ("wijten", r"(?: \w+)? aan"),
    ("veroorzaakt; vertraagd; verstoord; gehinderd; opgehouden", " door"),
    ("oorzaak", r" (?:ligt|lag|is|was)(?: bij)?"),
    (
        "door",
        r" (?:een |de |het )?(?:[\w-]+ )?(?:toedoen|fout\w*|vergissing|blunder|misser"
        r"|nalatigheid|onzorgvuldigheid|onachtzaamheid|slordigheid|storing|probleem|problemen"
        r"|misverstand|gebrek|verzuim|achterstand|vertraging|te late \w+|verkeerde \w+)"
        r" (?:van|bij|in|op)",
    ),
    ("vergissing; fout(je); blunder; misser; nalatigheid; slordigheid", " (?:van|bij)"),
)


def _cue_pattern() -> str:
    """R12: one regex for all cues: a trie of anchor words, each with its possible tails."""
    tails: dict[str, list[str]] = {}
    for anchors, tail in _CUE_SPEC:
        for anchor in _forms(anchors):
            tails.setdefault(anchor, []).append(tail)
    longest_first = {a: sorted(t, key=len, reverse=True) for a, t in tails.items()}
    return (
        r"\b"
        + _alternation({a: "(?:" + "|".join(t) + ")" for a, t in longest_first.items()})
        + r"\b"
    )


_CUE = re.compile(_cue_pattern())
_BOUND_ENDS = frozenset({"door", "aan", "van", "bij", "in", "op"})
_NEEDS_AUXILIARY = frozenset(_forms("vergeten; verkeerd(e); gemist; kwijtgeraakt; kwijtgemaakt"))
_AUXILIARY = re.compile(r"\b(?:heeft|hebben|had|hadden|is|was|waren)\b[^.,;:!?\n]{0,60}\Z")
# What may stand between a bound cue and its party: determiners, or "de drukte bij de".
_DETERMINER = r"(?:de|het|een|onze|ons|uw|die|deze|dat|zijn|haar|hun|eigen|externe)\s+"
_BETWEEN = re.compile(rf"\s*(?:{_DETERMINER})*(?:\w+\s+(?:van|bij|in|op)\s+(?:{_DETERMINER})*)?")
# A sentence ends at . ! ? … before a capital (not "o.a. de"), at a blank line, or at a
# line break after a salutation ("Geachte heer Jansen,").
_SENTENCE_END = re.compile(
    r"[.!?…][.!?…\"'”’)»]*(?=\s+[^\sa-z]|\s*\Z)|\n[ \t]*\n|[,:][ \t]*\n(?=\s*[A-Z])"
)
# The last sentence end in a stretch: the greedy prefix backtracks from the right, so the
# cost is the distance to that end, not the length of the text before it.
_LAST_SENTENCE_END = re.compile(r"(?s:.*)(?:" + _SENTENCE_END.pattern + ")")
_NEUTRAL = (
    "Het spijt ons dat het niet is gegaan zoals u mocht verwachten.",
    "Hier is iets misgegaan en wij zorgen dat het wordt opgelost.",
)


def blame(text: str) -> list[Finding]:
    """R12: sentences that blame a colleague, the organisation, the computer or a supplier.

    One regex finds the blaming cues in the whole text; only a sentence holding a cue is
    searched for the parties (cues are far rarer than mentions of Kerngroep, a colleague or the
    website). Each finding spans the sentence and offers neutral rephrasings that take
    responsibility without blaming anyone.
    """
    low = _lowered(text)
    findings: list[Finding] = []
    searched_until = 0
    for cue in _CUE.finditer(low):
        if cue.start() < searched_until:
            continue
        start, end = _sentence_around(text, cue.start(), cue.end())
        searched_until = end
        finding = _blame_in_sentence(text, low, start, end, cue)
        if finding is not None:
            findings.append(finding)
    return findings


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """R12: the sentence holding ``text[start:end]``, found locally so long texts stay cheap."""
    after = _SENTENCE_END.search(text, end)
    sentence_end = after.end() if after else len(text)
    window = 400
    while True:
        lo = max(0, start - window)
        before = _LAST_SENTENCE_END.match(text, lo, end)
        if before is not None:
            return before.end(), sentence_end
        if lo == 0:
            return 0, sentence_end
        window *= 4


def _blame_in_sentence(
    text: str, low: str, start: int, end: int, first_cue: re.Match[str]
) -> Finding | None:
    """R12: the finding for the sentence ``text[start:end]`` if a cue blames one of its parties.

    ``first_cue`` is the sentence's first cue, already found by :func:`blame`.
    """
    parties = [
        p
        for p in _PARTY.finditer(low, start, end)
        if p.group() not in _STANDALONE or not (p.start() and low[p.start() - 1].isalpha())
    ]
    if not parties:
        return None
    for cue in itertools.chain((first_cue,), _CUE.finditer(low, first_cue.end(), end)):
        words = cue.group().split()
        if (len(words) > 1 and words[-1] in _BOUND_ENDS) or words[0] == "oorzaak":
            party = next(
                (
                    p
                    for p in parties
                    if p.start() >= cue.end()
                    and _BETWEEN.fullmatch(low, cue.end(), _word_start(low, p.start()))
                ),
                None,
            )
        elif cue.group() in _NEEDS_AUXILIARY and not _AUXILIARY.search(
            low, max(start, cue.start() - 80), cue.start()
        ):
            continue
        else:
            party = min(parties, key=lambda p: abs(p.start() - cue.start()))
        if party is None:
            continue
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        party_start, party_end = _word_around(text, *party.span())
        return Finding(
            start=start,
            end=end,
            text=text[start:end],
            rule="R12",
            code=_PARTY_OF[party.group()],
            suggestions=_NEUTRAL,
            params={"party": text[party_start:party_end], "cue": text[cue.start() : cue.end()]},
        )
    return None


# --- The guard ----------------------------------------------------------------------------------

#: The checks :func:`check` runs by default; pass ``checks=(*CHECKS, mine)`` to add one.
CHECKS: tuple[Check, ...] = (forbidden_words, blame)


def check(text: str, checks: Iterable[Check] = CHECKS) -> list[Finding]:
    """R12, R13: all findings of all checks for ``text``, sorted by where they start."""
    findings = [f for c in checks for f in c(text)]
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return findings


def is_sendable(findings: Iterable[Finding], *, confirmed_warnings: bool = False) -> bool:
    """R13 blocks sending outright; R12 warnings block until someone confirms them."""
    found = list(findings)
    if any(f.blocks for f in found):
        return False
    return confirmed_warnings or not found


def rephrase(text: str, findings: Sequence[Finding], *, rules: Iterable[str] = ("R13",)) -> str:
    """R13: apply the first suggestion of each finding of ``rules`` (by default only R13).

    Where findings overlap (an R12 sentence around an R13 word) the one that starts first and
    is longest wins. Raises ``ValueError`` when the findings were made for another text.
    """
    wanted = set(rules)
    pieces: list[str] = []
    position = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.rule not in wanted or not f.suggestions or f.start < position:
            continue
        if text[f.start : f.end] != f.text:
            raise ValueError(f"finding {f.text!r} does not match the text at {f.start}")
        pieces.append(text[position : f.start])
        pieces.append(f.suggestions[0])
        position = f.end
    pieces.append(text[position:])
    return "".join(pieces)
