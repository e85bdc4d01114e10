"""R12: sentences that blame a colleague, the organisation, the computer or a supplier."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

from klachten.domain.wording.findings import (
    BLAMES_COLLEAGUE,
    BLAMES_ORGANISATION,
    BLAMES_SUPPLIER,
    BLAMES_SYSTEM,
    Finding,
)
from klachten.domain.wording.text import lowered, word_around, word_start, words_of

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
_STANDALONE = words_of("kerngroep ict app site elo postnl dhl dpd")
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


def blame(text: str, language: str = "nl") -> list[Finding]:
    """R12: sentences that blame a colleague, the organisation, the computer or a supplier.

    One regex finds the blaming cues in the whole text; only a sentence holding a cue is
    searched for the parties (cues are far rarer than mentions of Kerngroep, a colleague or the
    website). Each finding spans the sentence and offers neutral rephrasings that take
    responsibility without blaming anyone.
    """
    low = lowered(text)
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
                    and _BETWEEN.fullmatch(low, cue.end(), word_start(low, p.start()))
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
        party_start, party_end = word_around(text, *party.span())
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
