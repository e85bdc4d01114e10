"""R13: replacements for a forbidden word that read as correct Dutch in their sentence.

:func:`rewrite` looks at the words around a forbidden word and returns the passage to replace
with its replacements, best first. Usually the passage is the word itself ("uw klacht" → "uw
melding"). It grows when correct Dutch needs more than a new word:

- the determiner and adjectives agree with the replacement: "een groot probleem" → "een grote
  kwestie", "het probleem dat u noemt" → "de kwestie die u noemt";
- *fout* with a form of *gaan* is one verb: "fout gegaan" → "misgegaan";
- fixed phrases are rephrased whole: "er is een probleem met" → "er is iets mis met",
  "in de fout gegaan" → "tekortgeschoten".

Which replacement fits is decided by a plan that depends only on the forbidden word's form and
on closed classes of words around it (determiners, prepositions, a few verbs), so plans are
remembered without keeping any of the customer's words (R2). Compounds are offered only from
the curated tables in :mod:`klachten.domain.wording.replacements`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from klachten.domain.wording import dutch
from klachten.domain.wording.dutch import Token
from klachten.domain.wording.replacements import (
    AILMENTS,
    HEADS,
    MASS,
    MODIFIED,
    NOUNS,
    TECHNICAL,
    WORDS,
)
from klachten.domain.wording.text import JOINERS, STEM, lowered, words_of


@dataclass(frozen=True)
class Rewrite:
    """R13: ``suggestions`` replace ``text[start:end]``, which holds the forbidden word."""

    start: int
    end: int
    suggestions: tuple[str, ...]


# --- Closed classes of words that decide the replacement ------------------------------------

_GAAN = {
    "gegaan": "misgegaan",
    "gaan": "misgaan",
    "gaat": "misgaat",
    "ging": "misging",
    "gingen": "misgingen",
    "ga": "misga",
}
_LOPEN = words_of("gelopen lopen loopt liep liepen")
_GO = frozenset(_GAAN) | _LOPEN
_COPULA = words_of(
    "is was zijn waren lijkt leek lijken bleek bleken blijkt wordt werd worden staat stond "
    "stonden staan"
)
_EXIST = words_of("is was zijn waren")
_HAVE = words_of("heeft hebt heb hebben had hadden")
_PLURAL_VERBS = words_of(
    "zijn waren hebben hadden worden werden blijven bleven kunnen konden moeten mogen zullen "
    "zouden gaan gingen komen kwamen lijken bleken"
)
_SOMETHING = words_of("iets niets wat er")
# Determiners that fit a singular and a plural alike.
_ANY_NUMBER = words_of("de deze die uw mijn jouw je haar hun jullie onze geen")
# Words that may stand between a verb and *fout* without changing what *fout* is.
_FILLERS = words_of(
    "helemaal echt niet ook volledig compleet totaal gewoon duidelijk soms nog al wel vaak "
    "altijd opnieuw weer helaas toch dus dan daar hier het er iets niets wat van alles"
)
# Participles that take *fout* as their object ("fout ontdekt") rather than as a manner.
_OBJECT_PARTICIPLES = words_of(
    "ontdekt gevonden gemaakt gezien hersteld gecorrigeerd opgemerkt verbeterd begaan gemeld "
    "aangepast opgelost rechtgezet aangetroffen geconstateerd vastgesteld erkend toegegeven "
    "betreurd ontstaan geslopen geconstateerd"
)
# Singular het-words that *fout* may qualify: "een fout bedrag" → "een verkeerd bedrag".
_NEUTER_NOUNS = words_of(
    "bedrag antwoord adres nummer telefoonnummer rekeningnummer huisnummer e-mailadres "
    "mailadres tijdstip lokaal lokaalnummer rooster lesrooster wachtwoord formulier document "
    "bestand cijfer getal woord boek exemplaar pakket bericht moment resultaat examen "
    "certificaat diploma tarief totaal saldo kenmerk gegeven label onderwerp jaartal jaar uur "
    "programma artikel item product"
)
_INFINITIVE_TAKERS = words_of("doen invullen invoeren spellen schrijven rekenen berekenen")
_PREPOSITIONS = words_of(
    "in op aan met voor van bij te om over zonder door na naar tot uit tegen onder boven "
    "tussen rond sinds tijdens vanwege wegens per via dankzij ondanks als"
)
_PRONOUNS = words_of("u wij we ik jij je hij zij ze men iemand niemand dat dit het die er")
_CONJUNCTIONS = words_of(
    "en of maar dat als omdat want dus toen terwijl zodat wanneer indien mits tenzij hoewel"
)
_VERBS = words_of(
    "is was zijn waren heeft hebben had hadden hebt heb wordt worden werd werden kan kunnen kon "
    "konden kunt zal zullen zou zouden moet moeten mag mogen wil willen wilt gaat gaan ging "
    "komt kwam geeft gaf ziet zien zag verwachten verwacht ontvingen ontving ondervond "
    "ondervindt lossen pakken krijgt krijgen kreeg zit zat ligt lag staat stond levert leverde"
)
_ADVERBS = words_of(
    "niet ook nog al wel helaas graag zeker echter inmiddels daarom hierdoor daardoor nu dan "
    "weer opnieuw even meteen direct soms vaak altijd nooit misschien eigenlijk gewoon alleen "
    "vooral vandaag morgen gisteren hierbij daarbij verder"
)
#: Words before a forbidden word that are surely not an adjective of it.
_NOT_BEFORE_NOUN = (
    _PREPOSITIONS | _PRONOUNS | _CONJUNCTIONS | _VERBS | _ADVERBS | _GO | _COPULA | _HAVE
)
_ENUMERATING = words_of(
    "ander andere eerste tweede derde vierde vijfde volgend volgende laatste enige enig"
)
_TECHNICAL_ADJECTIVES = words_of("technisch technische")

_CUES: dict[str, frozenset[str]] = {
    "apology": words_of(
        "excuses excuus excuseren excuseer verontschuldigen verontschuldiging sorry spijt "
        "betreuren betreurt"
    ),
    "remedy": words_of("verholpen verhelpen verhelpt verhielp"),
    "happen": words_of(
        "gebeuren gebeurd gebeurt gebeurde gebeurden overkomen overkwam overkomt voorkomen"
    ),
    "occur": words_of("opgetreden optreden treedt trad traden"),
    # not "vinden": "wij vinden het een probleem" is an opinion, not a discovery
    "find": words_of("gevonden ontdekt ontdekken ontdekte ontdekten aangetroffen"),
    "experience": words_of("ondervindt ondervinden ondervond ondervonden ervaart ervaren ervoer"),
    "expect": words_of("verwachten verwacht verwachtte verwachtten voorzien"),
    "run": words_of(
        "verlopen verliep verloopt verliepen werkt werken werkte werkten draait draaien "
        "draaide functioneert functioneren afgerond liep loopt lopen liepen"
    ),
    "see": words_of("ziet zie zien zag zagen"),
    "ask": words_of("vraag vragen"),
    "technical": words_of(
        "browser printer server website site app wifi internet netwerk computer laptop "
        "systeem leeromgeving inlog inloggen inlogcode account wachtwoord software projector "
        "beamer verbinding portal"
    ),
    "invite": words_of(
        "bel bellen belt contact meld melden meldt laat weten mail mailen mailt neem horen vertel"
    ),
    "meld": words_of("melden meld meldt gemeld meldde melding"),
    "understand": words_of("begrijpen begrijp begrijpt begreep begrepen"),
    "solve": words_of("opgelost oplossen lossen los lost loste losten oplossing"),
    "discuss": words_of(
        "besproken bespreken bespreekt voorgelegd voorleggen doorgegeven doorgeven"
    ),
}
_CUE_OF = {word: cue for cue, cue_words in _CUES.items() for word in cue_words}
#: Tokens a context may name as they are: all of a closed class, none of them the customer's.
_KEPT = (
    dutch.DETERMINERS
    | _NOT_BEFORE_NOUN
    | _SOMETHING
    | _INFINITIVE_TAKERS
    | _OBJECT_PARTICIPLES
    | frozenset(_CUE_OF)
)


class _Context(NamedTuple):
    """R13: what decides the replacement, in closed classes only (R2: no customer words).

    ``det`` the determiner of the noun phrase; ``adj`` the kind of its last adjective
    (``technical``, ``enumerating``, ``superlative``, ``other``); ``prev`` the word
    before the noun phrase (``^`` at the start of a clause); ``before``/``next1``/``next2`` the
    words right around the forbidden word; ``cues`` the kinds of verbs and phrases in its
    clause and sentence; ``question`` a ``?`` right after it.
    """

    det: str | None
    adj: str | None
    prev: str
    before: str
    next1: str
    next2: str
    cues: frozenset[str]
    question: bool


@dataclass(frozen=True)
class _Option:
    """One replacement in a plan.

    ``kind``: ``noun`` (a noun, with determiner and adjectives made to agree), ``word`` (the
    word alone), ``glue`` (the word and the verb after it as one word: *misgegaan*), ``phrase``
    (the whole noun phrase: *iets mis*), ``idiom`` (``left`` words before and ``right`` after).
    """

    kind: str
    text: str
    suffix: str = ""
    number: str = ""
    prefix: bool = False
    drop_modifiers: bool = False
    left: int = 0
    right: int = 0


@dataclass
class _Parse:
    """The words around one forbidden word (open class: never remembered)."""

    word: Token
    det: Token | None
    modifiers: list[Token]
    adjectives: list[Token]
    before: list[Token]
    after: list[Token]


def _noun(
    text: str, suffix: str = "", *, number: str = "", drop_modifiers: bool = False
) -> _Option:
    return _Option("noun", text, suffix, number=number, drop_modifiers=drop_modifiers)


def _word(text: str) -> _Option:
    return _Option("word", text)


# --- Plans: which replacement fits which context ----------------------------------------------


def _plan_klacht(number: str, diminutive: bool, ctx: _Context) -> list[_Option]:
    cues = ctx.cues
    if "meld" in cues or ("have" in cues and ctx.det in (None, "een", "geen")):
        return [_noun("opmerking"), _noun("vraag"), _noun("melding")]
    if "understand" in cues and ctx.det in dutch.POSSESSIVE and number == "sg":
        return [_noun("ongenoegen"), _noun("opmerking"), _noun("reactie")]
    if ctx.det in dutch.POSSESSIVE and ctx.adj == "superlative" and number == "sg":
        return [_noun("bezwaar"), _noun("opmerking")]  # "uw grootste bezwaar"
    if diminutive:
        return [_noun("opmerking"), _noun("puntje")]
    return [_noun("melding"), _noun("reactie"), _noun("opmerking")]


def _plan_probleem(number: str, diminutive: bool, ctx: _Context) -> list[_Option]:
    cues, det = ctx.cues, ctx.det
    bare = det is None
    if number == "pl":
        if bare and ctx.question and ctx.prev == "^" and not ctx.adj:
            return [_noun("vraag"), _noun("moeilijkheid")]
        if bare and "met" in (ctx.next1, ctx.next2) and ("have" in cues or ctx.prev == "^"):
            return [_noun("moeite", number="mass"), _noun("moeilijkheid")]
        if bare and ctx.prev == "zonder":
            if "run" in cues:
                return [_noun("hapering"), _noun("moeilijkheid")]
            return [_noun("moeite", number="mass"), _noun("bezwaar")]
        if diminutive:
            return [_noun("kleinigheid", drop_modifiers=True), _noun("puntje")]
        if bare and "invite" in cues and "ask" not in cues and ctx.next1 != "met":
            return [_noun("vraag"), _noun("moeilijkheid")]
        if "find" in cues:
            return [_noun("onjuistheid"), _noun("onvolkomenheid")]
        if ctx.adj == "technical" or "technical" in cues:
            return [_noun("storing"), _noun("moeilijkheid")]
        return [_noun("moeilijkheid"), _noun("knelpunt"), _noun("kwestie")]
    indefinite = det in ("een", "'n", "’n")
    if indefinite and "existential" in cues and ctx.next1 in ("met", "geweest", ""):
        return [_Option("phrase", "iets mis"), _noun("knelpunt")]
    if indefinite and "have" in cues and "met" in (ctx.next1, ctx.next2):
        return [_Option("phrase", "moeite"), _noun("knelpunt")]  # "had een probleem met"
    if indefinite and "see" in cues and ctx.next1 == "in":
        return [_noun("bezwaar"), _noun("punt")]  # "ziet u een probleem in"
    if diminutive:
        if det is None or det in ("een", "'n", "’n", "zo'n", "zo’n"):
            return [_noun("kleinigheid", drop_modifiers=True), _noun("puntje")]
        return [_noun("kwestie"), _noun("puntje")]
    if det == "geen":
        if ctx.prev == "^" and not ctx.adj:
            return [_noun("punt"), _noun("bezwaar")]
        if "find" in cues:
            return [_noun("onjuistheid"), _noun("bezwaar")]
        if cues & {"experience", "expect", "have"}:
            return [_noun("moeilijkheid"), _noun("bezwaar")]
        return [_noun("bezwaar"), _noun("punt")]
    if bare and ctx.next1 == "met" and ("have" in cues or ctx.prev == "^"):
        return [_noun("moeite", number="mass"), _noun("knelpunt")]
    if "apology" in cues and dutch.is_definite(det) and det not in dutch.POSSESSIVE:
        return [_noun("ongemak"), _noun("knelpunt"), _noun("punt")]
    if ctx.next1 in ("lag", "ligt", "zit", "zat"):
        return [_noun("oorzaak"), _noun("knelpunt")]
    if ctx.next1 in ("is", "was") and ctx.next2 == "dat":
        return [_noun("punt"), _noun("kwestie")]
    if det in dutch.POSSESSIVE:
        if ctx.adj == "superlative":
            return [_noun("bezwaar"), _noun("knelpunt")]
        if "solve" in cues:
            return [_noun("kwestie"), _noun("situatie"), _noun("punt")]
        return [_noun("vraag"), _noun("situatie"), _noun("punt")]
    if "remedy" in cues:
        return [_noun("euvel"), _noun("knelpunt")]
    if "happen" in cues:
        return [_noun("voorval"), _noun("situatie")]
    if "find" in cues:
        return [_noun("onjuistheid"), _noun("knelpunt")]
    if "experience" in cues:
        return [_noun("moeilijkheid"), _noun("knelpunt")]
    if ctx.adj == "technical" or "technical" in cues:
        return [_noun("storing"), _noun("knelpunt")]
    if ctx.adj == "enumerating":
        return [_noun("punt"), _noun("kwestie")]
    if ctx.adj == "superlative":
        return [_noun("knelpunt"), _noun("punt")]
    if "solve" in cues and dutch.is_definite(det):
        return [_noun("knelpunt"), _noun("kwestie")]
    if "discuss" in cues:
        return [_noun("punt"), _noun("kwestie")]
    return [_noun("kwestie"), _noun("situatie"), _noun("knelpunt")]


def _plan_fout(number: str, diminutive: bool, ctx: _Context) -> list[_Option]:
    if diminutive or number == "pl":
        if "occur" in ctx.cues and not diminutive:
            return [_noun("storing"), _noun("vergissing")]
        return [_noun("vergissing"), _noun("onjuistheid")]
    det, nxt = ctx.det, ctx.next1
    if det == "de" and ctx.prev == "in" and nxt in ("gegaan", "gaan"):
        final = "tekortgeschoten" if nxt == "gegaan" else "tekortschieten"
        return [_Option("idiom", final, left=2, right=1)]
    as_noun = det is not None and det not in ("het", "'t", "’t", "dat", "dit")
    if det == "die" and (nxt in _COPULA or nxt == "^"):
        as_noun = False
    if as_noun:
        if det in ("een", "'n", "’n", "geen", "zo'n", "zo’n") and nxt == "NN":
            return [_word("verkeerd"), _word("onjuist")]
        if "occur" in ctx.cues:
            return [_noun("storing"), _noun("vergissing")]
        return [_noun("vergissing"), _noun("onjuistheid")]
    if nxt in _GAAN:
        return [_Option("glue", "mis", right=1), _word("verkeerd")]
    if nxt in _LOPEN:
        return [_word("verkeerd"), _word("mis")]
    if "go-before" in ctx.cues:
        return [_word("mis"), _word("verkeerd")]
    if nxt in ("PART", *_INFINITIVE_TAKERS):
        return [_word("verkeerd"), _word("onjuist")]
    if ctx.before in _SOMETHING:
        return [_word("mis"), _word("verkeerd")]
    if "copula-before" in ctx.cues:
        return [_word("onjuist"), _word("niet juist"), _word("verkeerd")]
    if "occur" in ctx.cues:
        return [_noun("storing"), _noun("vergissing")]
    return [_noun("vergissing"), _noun("onjuistheid")]


_PLANNERS = {"klacht": _plan_klacht, "probleem": _plan_probleem, "fout": _plan_fout}
#: What always fits, whatever the context: a noun of the forbidden word's own gender.
_SAME_GENDER = {
    ("klacht", False): "melding",
    ("klacht", True): "puntje",
    ("probleem", False): "knelpunt",
    ("probleem", True): "puntje",
    ("fout", False): "vergissing",
    ("fout", True): "vergissinkje",
}

_PLANS: dict[tuple[str, str, _Context], tuple[_Option, ...]] = {}
_PLANS_KEPT = 4096


def _plan(head: str, modifier: str, ctx: _Context) -> tuple[_Option, ...]:
    """R13: the replacements for the form ``head`` with ``modifier`` in ``ctx``, remembered.

    Every argument is a closed-class word or a name from the tables, so the memory holds no
    fragment of a customer's letter (R2).
    """
    key = (head, modifier, ctx)
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) >= _PLANS_KEPT:
            _PLANS.clear()
        plan = _PLANS[key] = _make_plan(head, modifier, ctx)
    return plan


def _make_plan(head: str, modifier: str, ctx: _Context) -> tuple[_Option, ...]:
    if head in WORDS:
        return tuple(_word(w) for w in WORDS[head])
    family, _gender, number, diminutive = HEADS[head]
    acronym = modifier.startswith("ACRONYM:")
    key = modifier.removeprefix("ACRONYM:")
    special: _Option | None = None
    if (key, family) in MODIFIED:
        noun, suffix = MODIFIED[(key, family)]
        special = _noun(noun, suffix)
    elif family == "klacht" and key in AILMENTS:
        special = _noun("ongemak")
    if special is not None:
        # The compound's own replacement, with the employee's acronym in front if there was one;
        # then what fits any noun of its family (a compound may lack a plural).
        options = [replace(special, prefix=True), special] if acronym else [special]
        if key in TECHNICAL and family != "klacht":
            options.append(_noun("storing"))
        if special.text in MASS or special.text == "ongemak":
            options.append(_noun("ongemak"))  # an ailment stays an ailment
        else:
            options.append(_noun(_SAME_GENDER[(family, diminutive)]))
        return tuple(dict.fromkeys(options))
    planned = _PLANNERS[family](number, diminutive, ctx)
    if modifier:
        # A compound is a noun: its plan's nouns, the modifier kept only as an acronym.
        nouns = [o for o in planned if o.kind == "noun"]
        options = [replace(o, prefix=True) for o in nouns] if acronym else []
        options.extend(nouns)
    else:
        options = list(planned)
    if modifier or any(o.kind == "noun" for o in options):
        # What always reads correctly: a noun of the forbidden noun's own gender.
        options.append(_noun(_SAME_GENDER[(family, diminutive)]))
    return tuple(dict.fromkeys(options))


def memory() -> frozenset[str]:
    """Every string the remembered plans hold (for the R2 test: no customer words)."""
    held: set[str] = set()
    for (head, modifier, ctx), plan in _PLANS.items():
        held.update((head, modifier))
        for value in ctx:
            if isinstance(value, str):
                held.add(value)
            elif isinstance(value, frozenset):
                held.update(value)
        held.update(o.text for o in plan)
        held.update(o.suffix for o in plan)
    return frozenset(held)


# --- Reading the sentence ---------------------------------------------------------------------


_KEPT_FIRST = _GO | _OBJECT_PARTICIPLES | {"geweest"}


def _category(token: Token | None) -> str:
    """A token as a context may name it: itself if of a closed class, else its kind."""
    if token is None:
        return ""
    low = token.low
    if low in _KEPT_FIRST:
        return low
    if dutch.is_participle(low):
        return "PART"
    if low in _KEPT:
        return low
    if low in _NEUTER_NOUNS:
        return "NN"
    return "W"


def _read(text: str, start: int, end: int) -> tuple[_Parse, _Context]:
    """The noun phrase around ``text[start:end]`` and the context that decides its plan."""
    window_start = max(0, start - 120)
    window_end = min(len(text), end + 120)
    clause_start = sentence_start = window_start
    for m in dutch.CLAUSE_BREAK.finditer(text, window_start, start):
        clause_start = m.end()
        if dutch.SENTENCE_BREAK.match(m.group()):
            sentence_start = m.end()
    m_clause = dutch.CLAUSE_BREAK.search(text, end, window_end)
    clause_end = m_clause.start() if m_clause else window_end
    m_sentence = dutch.SENTENCE_BREAK.search(text, clause_end, window_end)
    sentence_end = m_sentence.start() if m_sentence else window_end

    word = Token(start, end, text[start:end], text[start:end].lower())
    # Words with offsets only where the noun phrase and its neighbours can be.
    before = dutch.tokens(text, max(clause_start, start - 60), start)
    after = dutch.tokens(text, end, min(clause_end, end + 30))
    sentence = dutch.WORD.findall(text[sentence_start:sentence_end].lower())

    det, modifiers, adjectives = _noun_phrase(text, before, after, start)
    np_start = det.start if det else (modifiers[0].start if modifiers else start)
    np_index = next((i for i, t in enumerate(before) if t.start >= np_start), len(before))
    prev_token = before[np_index - 1] if np_index > 0 else None
    starts_clause = np_index == 0 and not dutch.WORD.search(text, clause_start, np_start)

    last = before[-1] if before else None
    adjacent = last is not None and dutch.only_space_between(text, last.end, start)
    adjective_kind = _adjective_kind(adjectives[-1].low) if adjectives else None

    next1 = after[0] if after else None
    next2 = after[1] if len(after) > 1 else None
    if next1 is not None and not dutch.only_space_between(text, end, next1.start):
        next1 = next2 = None
    parse = _Parse(word, det, modifiers, adjectives, before, after)
    ctx = _Context(
        det=det.low if det else None,
        adj=adjective_kind,
        prev=_category(prev_token) if prev_token else ("^" if starts_clause else ""),
        before=last.low if adjacent and last is not None and last.low in _KEPT else "",
        next1=_category(next1),
        next2=_category(next2),
        cues=_cues(sentence, [t.low for t in before], [t.low for t in after]),
        question=text[end : end + 3].lstrip(" ")[:1] == "?",
    )
    return parse, ctx


def _noun_phrase(
    text: str, before: list[Token], after: list[Token], start: int
) -> tuple[Token | None, list[Token], list[Token]]:
    """The determiner, modifiers (adverbs and adjectives) and adjectives before the noun.

    Walks back over adjacent words: at most two adjectives, adverbs only before an adjective
    ("een heel groot probleem"), never over a forbidden word or a line break.
    """
    modifiers: list[Token] = []
    adjectives: list[Token] = []
    edge = start
    for index in range(len(before) - 1, -1, -1):
        token = before[index]
        low = token.low
        if not dutch.only_space_between(text, token.end, edge) or STEM.search(low):
            break
        if low in dutch.DETERMINERS:
            return token, modifiers, adjectives
        if low in dutch.ADVERBS and adjectives:
            modifiers.insert(0, token)
        elif (
            len(adjectives) < 2
            and len(modifiers) == len(adjectives)  # no adverb yet: adverbs come first
            and (dutch.is_adjective(low) or _unknown_adjective(text, before, index, after))
        ):
            adjectives.insert(0, token)
            modifiers.insert(0, token)
        else:
            break
        edge = token.start
    return None, modifiers, adjectives


def _unknown_adjective(text: str, before: list[Token], index: int, after: list[Token]) -> bool:
    """An unknown word in -e right after a determiner is an adjective ("uw eerdere klacht"),
    unless a participle follows the noun ("de bijlage fout verstuurd")."""
    low = before[index].low
    previous = before[index - 1] if index > 0 else None
    return (
        index == len(before) - 1
        and low.endswith("e")
        and low not in _NOT_BEFORE_NOUN
        and previous is not None
        and previous.low in dutch.DETERMINERS
        and dutch.only_space_between(text, previous.end, before[index].start)
        and not (after and (after[0].low in _GO or dutch.is_participle(after[0].low)))
    )


def _adjective_kind(low: str) -> str:
    if low in _TECHNICAL_ADJECTIVES:
        return "technical"
    if low in _ENUMERATING:
        return "enumerating"
    if low.endswith("ste"):
        return "superlative"
    return "other"


def _cues(sentence: list[str], before: list[str], after: list[str]) -> frozenset[str]:
    """The kinds of verbs and phrases in the sentence and the clause around the word."""
    found = {_CUE_OF[w] for w in sentence if w in _CUE_OF}
    if "er" in before and any(w in _EXIST for w in before):
        found.add("existential")
    if any(w in _HAVE for w in before) or any(w in _HAVE for w in after):
        found.add("have")
    if any(w in _GO for w in before):
        found.add("go-before")
    for w in reversed(before):
        if w in _COPULA:
            found.add("copula-before")
            break
        if w not in _FILLERS:
            break
    return frozenset(found)


# --- Rendering a plan in the sentence ---------------------------------------------------------

_Change = tuple[int, int, str]


def _render(
    option: _Option, parse: _Parse, text: str, head: str, prefix: str
) -> list[_Change] | None:
    """The changes to the text that ``option`` makes; ``None`` when it cannot be correct."""
    word = parse.word
    if option.kind == "word":
        return [(word.start, word.end, _match_case(word.text, option.text))]
    if option.kind == "glue":
        if not parse.after or not dutch.only_space_between(text, word.end, parse.after[0].start):
            return None
        verb = parse.after[0]
        glued = _GAAN.get(verb.low, option.text + verb.low)
        return [(word.start, verb.end, _match_case(word.text, glued))]
    if option.kind == "phrase":
        first = parse.det or (parse.modifiers[0] if parse.modifiers else word)
        return [(first.start, word.end, dutch.with_case_of(first.text, option.text))]
    if option.kind == "idiom":
        if len(parse.before) < option.left or len(parse.after) < option.right:
            return None
        first = parse.before[-option.left] if option.left else word
        last = parse.after[option.right - 1] if option.right else word
        return [(first.start, last.end, dutch.with_case_of(first.text, option.text))]
    return _render_noun(option, parse, text, head, prefix)


def _render_noun(
    option: _Option, parse: _Parse, text: str, head: str, prefix: str
) -> list[_Change] | None:
    word = parse.word
    if head not in HEADS:
        return None
    _family, source_gender, number, _dim = HEADS[head]
    gender, plural = NOUNS[option.text]
    target_number = option.number or number
    if target_number == "pl" and plural is None:
        if option.text not in MASS:
            return None
        target_number = "mass"
    if target_number == "pl":
        form, target = plural or option.text, "pl"
    else:
        form, target = option.text, gender
    source = source_gender if number == "sg" else "pl"
    if target_number != number:
        # A noun without plural (moeite, rugpijn) stands for a plural or a singular only where
        # no determiner or verb has to agree with its number.
        if parse.det is not None and parse.det.low not in _ANY_NUMBER:
            return None
        if number == "pl" and parse.after and parse.after[0].low in _PLURAL_VERBS:
            return None
    stem_part = word.text[len(prefix) :] if option.prefix else word.text
    noun = _match_case(stem_part, form)
    if option.suffix:
        noun = f"{noun} {option.suffix}"
    if option.prefix:
        noun = prefix + noun
    changes: list[_Change] = []
    if option.drop_modifiers and parse.modifiers:
        changes.append((parse.modifiers[0].start, word.end, noun))
        adjectives: list[Token] = []
    else:
        changes.append((word.start, word.end, noun))
        adjectives = parse.adjectives
    if target == source:
        return changes
    if _opaque(parse, text):
        return None
    det = parse.det
    if det is not None:
        wanted = dutch.determiner_for(det.low, "n" if target == "n" else "c")
        if wanted != det.low:
            changes.append((det.start, det.end, dutch.with_case_of(det.text, wanted)))
    definite = dutch.is_definite(det.low if det else None)
    for adjective in adjectives:
        if target == "n" and not definite:
            form_wanted = dutch.bare(adjective.low)
        else:
            form_wanted = dutch.inflected(adjective.low)
        if form_wanted is None:
            return None
        if form_wanted != adjective.low:
            changes.append(
                (adjective.start, adjective.end, dutch.with_case_of(adjective.text, form_wanted))
            )
    relative = parse.after[0] if parse.after else None
    following = parse.after[1] if len(parse.after) > 1 else None
    if (
        relative is not None
        and relative.low in ("dat", "die")
        and dutch.only_space_between(text, word.end, relative.start)
        # "dat probleem" after it: a determiner of the next noun, not a relative pronoun
        and not (following is not None and STEM.search(following.low))
    ):
        wanted = "dat" if target == "n" else "die"
        if wanted != relative.low:
            changes.append(
                (relative.start, relative.end, dutch.with_case_of(relative.text, wanted))
            )
    return changes


_OPEN_BEFORE = re.compile(r"[^\W\d_]+[^\S\n\r]*$|[^\s.,;:!?…()\[\]{}\"“”„«»]\s*$")


def _opaque(parse: _Parse, text: str) -> bool:
    """Something we did not read stands right before the noun phrase — an unknown word, a
    symbol — that may be an adjective or determiner which would not agree with a new gender."""
    if parse.det is not None:
        return False
    first = parse.modifiers[0] if parse.modifiers else parse.word
    tail = _OPEN_BEFORE.search(text, max(0, first.start - 40), first.start)
    if tail is None:
        return False  # the noun phrase starts the text, a line or a clause
    word = dutch.WORD.match(tail.group())
    return word is None or word.group().lower() not in _NOT_BEFORE_NOUN


# --- Putting it together --------------------------------------------------------------------


def rewrite(
    text: str, start: int, end: int, *, floor: int = 0, ceiling: int | None = None
) -> Rewrite:
    """R13: the passage around the forbidden word ``text[start:end]`` and its replacements.

    The passage never starts before ``floor`` nor ends after ``ceiling`` (the previous and next
    finding); it always holds ``text[start:end]``. Suggestions are best first, free of
    forbidden words, and written in the case of what they replace.
    """
    limit = len(text) if ceiling is None else ceiling
    word_text = text[start:end]
    head, modifier, prefix = _analyse(word_text)
    if head is None:
        fallback = _fallback(word_text)
        return Rewrite(start, end, fallback)
    parse, ctx = _read(text, start, end)
    rendered: list[tuple[int, int, list[_Change]]] = []
    for option in _plan(head, modifier, ctx):
        changes = _render(option, parse, text, head, prefix)
        if not changes:
            continue
        lo = min(c[0] for c in changes)
        hi = max(c[1] for c in changes)
        if lo < floor or hi > limit:
            continue
        rendered.append((lo, hi, changes))
    if not rendered:
        return Rewrite(start, end, _fallback(word_text))
    span_start, span_end = rendered[0][0], rendered[0][1]
    suggestions: list[str] = []
    for lo, hi, changes in rendered:
        if lo < span_start or hi > span_end:
            continue
        suggestion = _apply(text, span_start, span_end, changes)
        if suggestion not in suggestions and not STEM.search(lowered(suggestion)):
            suggestions.append(suggestion)
    if not suggestions:
        return Rewrite(start, end, _fallback(word_text))
    return Rewrite(span_start, span_end, tuple(suggestions))


def _apply(text: str, start: int, end: int, changes: list[_Change]) -> str:
    pieces: list[str] = []
    position = start
    for lo, hi, new in sorted(changes):
        pieces.append(text[position:lo])
        pieces.append(new)
        position = hi
    pieces.append(text[position:end])
    return "".join(pieces)


_HEAD_FORMS = sorted(HEADS, key=len, reverse=True)


def _analyse(word: str) -> tuple[str | None, str, str]:
    """The form a word is planned by, its modifier key, and the prefix to keep (R13).

    ``("probleem", "", "")`` for *probleem*; ``("problemen", "ACRONYM:ict", "ICT-")`` for
    *ICT-problemen*; ``("WORD", ...)`` forms come from the table of derived words.
    """
    low = word.lower() if len(word.lower()) == len(word) else lowered(word)
    if low in WORDS:
        return low, "", ""
    stem = STEM.search(low)
    if stem is None:
        return None, "", ""
    i = stem.start()
    rest = low[i:]
    raw_prefix = low[:i]
    if rest in HEADS:
        if not raw_prefix:
            return rest, "", ""
        return rest, _modifier_key(raw_prefix, word[:i], HEADS[rest][0]), word[:i]
    return None, "", ""


def _modifier_key(raw: str, original: str, family: str) -> str:
    """The key of a compound's modifier: a table's own word, or ``OTHER``."""
    acronym = len(original) > 2 and original[-1] in JOINERS and original[:-1].isupper()
    stripped = raw.rstrip("".join(JOINERS))
    for key in (stripped, stripped[:-1] if stripped.endswith("s") else stripped):
        if (key, family) in MODIFIED or key in AILMENTS or key in TECHNICAL:
            return ("ACRONYM:" if acronym else "") + key
    return "ACRONYM:" if acronym else "OTHER"


def _fallback(word: str) -> tuple[str, ...]:
    """Replacements for a word no plan covers: its compound's own part, or a neutral word."""
    low = word.lower() if len(word.lower()) == len(word) else lowered(word)
    stem = STEM.search(low)
    if stem is None:
        return (word,)
    i = stem.start()
    rest = low[i:]
    prefix_low = low[:i]
    if rest in WORDS:
        return tuple(_match_case(word, w) for w in WORDS[rest])
    form = next((f for f in _HEAD_FORMS if rest.startswith(f)), None)
    candidates: list[str] = []
    if form is not None and not prefix_low:
        tail = rest[len(form) :]
        original_tail = word[i + len(form) :].lstrip("".join(JOINERS))
        if form.startswith("fout") and dutch.is_participle(tail):
            candidates.append(_match_case(word, "verkeerd " + tail))
        if len(original_tail) >= 3:
            candidates.append(_tail_case(word, original_tail))
    elif form is not None:
        tail = word[i + len(form) :].lstrip("".join(JOINERS))
        if len(tail) >= 3:
            candidates.append(_tail_case(word, tail))
    safe = [c for c in candidates if not STEM.search(lowered(c))]
    if not safe:
        family = "probleem" if stem.group().startswith("probl") else stem.group()
        safe = [_match_case(word, _SAME_GENDER[(family, False)])]
    return tuple(dict.fromkeys(safe))


def _tail_case(word: str, tail: str) -> str:
    """The tail of a compound in the case the word had: capitalised when the word was."""
    if word.isupper() and len(word) > 1:
        return tail.upper()
    if word[:1].isupper() and not word[1:2].isupper():
        return tail[:1].upper() + tail[1:]
    return tail


def _match_case(original: str, suggestion: str) -> str:
    """Give ``suggestion`` the capitalisation of ``original`` (Capitalised, ALL CAPS)."""
    if original.isupper():
        return suggestion.upper()
    if original[:1].isupper() and not (original[1:2].isalpha() and original[1:2].isupper()):
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def suggestions_for(word: str, before: str, after: str) -> tuple[str, ...]:
    """R13: replacements for ``word`` alone, between ``before`` and ``after``.

    Kept for callers that replace exactly the word: only suggestions that leave the words
    around it as they are. :func:`rewrite` may offer a better one that covers more.
    """
    text = before + word + after
    start, end = len(before), len(before) + len(word)
    return rewrite(text, start, end, floor=start, ceiling=end).suggestions
