"""R12: sentences that blame a colleague, the organisation, the computer or a supplier.

A learned, explainable check. Each sentence of the text (read as :func:`.normalise` sees it) is
scored by a linear model over the features of :mod:`~klachten.domain.wording.features`: its
words and their lemmas, the parties and blame cues of
:mod:`~klachten.domain.wording.lexicon`, lemma pairs, party-cue pairs and the clause each
party and cue stands in (a condition, a cause, the main clause). The weights are data
(``data/r12_model.json``), trained by ``scripts/train_r12.py`` on the written corpus
``data/r12_corpus.tsv``; here they are only summed, in plain Python, so the check is
deterministic and needs nothing but the lemmatiser's dictionaries.

A sentence whose score reaches the language's threshold (chosen out of fold on the corpus's
train and dev splits, ``scripts/train_r12.py``) *and* that names a party is a finding: it names
the party (``params["party"]``) and the words that weighed most (``params["words"]``), so the
employee sees why. It is a warning that needs a conscious confirmation, never a block.
"""

from __future__ import annotations

import functools
import json
import operator
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from klachten.domain.wording import features as feat
from klachten.domain.wording import lexicon
from klachten.domain.wording.findings import (
    BLAMES_COLLEAGUE,
    BLAMES_ORGANISATION,
    BLAMES_SUPPLIER,
    BLAMES_SYSTEM,
    Finding,
)
from klachten.domain.wording.normalise import Normalised, normalise
from klachten.domain.wording.text import word_around

MODEL_PATH = Path(__file__).with_name("data") / "r12_model.json"

_CODE_OF = {
    lexicon.COLLEAGUE: BLAMES_COLLEAGUE,
    lexicon.NAME: BLAMES_COLLEAGUE,
    lexicon.ORGANISATION: BLAMES_ORGANISATION,
    lexicon.SYSTEM: BLAMES_SYSTEM,
    lexicon.SUPPLIER: BLAMES_SUPPLIER,
}
# A sentence ends at . ! ? … before a capital (not "o.a. de"), at a blank line, or at a
# line break after a salutation ("Geachte heer Jansen,").
# (The lookahead in front only lets the scan skip quickly to a character one of them starts with.)
_SENTENCE_END = re.compile(
    r"(?=[.!?…,:\n])"
    r"(?:[.!?…][.!?…\"'”’)»]*(?=\s+[^\sa-z]|\s*\Z)|\n[ \t]*\n|[,:][ \t]*\n(?=\s*[A-Z]))"
)
# The lines around a letter's sentences, never blame: its salutation and its closing.
_SALUTATION = re.compile(
    r"(?:geachte|beste|hallo|hoi|dag|dear|hi|hello)\b[^.!?\n]{0,60}[,:!]?"
    r"|(?:met )?(?:vriendelijke|hartelijke|hoogachtende?) groet(?:en)?\b.{0,120}"
    r"|(?:kind|best|warm) regards\b.{0,120}|yours (?:sincerely|faithfully)\b.{0,120}",
    re.IGNORECASE | re.DOTALL,
)
# "<party> van/bij/op de <party>": the second only says which of the first.
_OF = frozenset({"van", "bij", "op", "uit", "in", "aan", "of", "at", "from", "on"})
_DETERMINERS = frozenset(
    {"de", "het", "een", "onze", "ons", "uw", "mijn", "the", "a", "an", "our", "your", "my"}
)
# The words of a finding's explanation: at most this many, strongest first.
_EXPLAINING_WORDS = 3
_NEUTRAL = {
    "nl": (
        "Het spijt ons dat het niet is gegaan zoals u mocht verwachten.",
        "Hier is iets misgegaan en wij zorgen dat het wordt opgelost.",
    ),
    "en": (
        "We are sorry that things did not go as you could expect.",
        "Something went wrong on our side and we will put it right.",
    ),
}


# The kinds of feature of two words that the check looks up by their words (by the first two
# characters of the name: "b:", "b2", "z:").
_PAIR_KINDS = frozenset({"b:", "b2", "z:"})


@dataclass(frozen=True)
class LanguageModel:
    """The weights of one language: ``score = bias + sum of the weights of its features``,
    plus the highest part of one of its clauses (#11).

    A sentence is read as a whole (``weights``) and clause by clause (``clause_weights``, over
    :func:`.features.clause_features` of each clause that names a party,
    :func:`.features.party_clauses`); the best clause's part is added. Trained so
    (multiple-instance logistic regression, ``scripts/train_r12.py``), the model sees the one
    blaming clause of a long sentence whose other clauses are neutral.
    """

    bias: float
    threshold: float
    weights: dict[str, float]

    lang: str
    clause_weights: dict[str, float] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    clause_scores: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    pairs: dict[tuple[str, str], float] = field(default_factory=dict, compare=False, repr=False)
    skips: dict[tuple[str, str], float] = field(default_factory=dict, compare=False, repr=False)
    with_party: dict[str, dict[str, float]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The features of word pairs by pair ("b:had moeten", "b2:niet tijd", "z:system+vallen"),
        # so the check makes no string per pair. They live in those tables only (most of the
        # weights are pairs: kept twice, the two languages took 17 MiB more of every web
        # worker, #17 item 4), and their words are interned: a lemma is in many pairs.
        intern = sys.intern
        for name in [n for n in self.weights if n[:2] in _PAIR_KINDS]:
            weight = self.weights.pop(name)
            kind, _, rest = name.partition(":")
            if kind == "z":
                party, _, lemma = rest.partition("+")
                self.with_party.setdefault(intern(party), {})[intern(lemma)] = weight
            else:
                first, _, second = rest.partition(" ")
                (self.pairs if kind == "b" else self.skips)[intern(first), intern(second)] = weight

    def weight(self, name: str) -> float:
        """The weight of one feature of the sentence part, by its name, as the file gives it."""
        kind, _, rest = name.partition(":")
        if kind == "b" or kind == "b2":
            first, _, second = rest.partition(" ")
            return (self.pairs if kind == "b" else self.skips).get((first, second), 0.0)
        if kind == "z":
            party, _, lemma = rest.partition("+")
            return self.with_party.get(party, {}).get(lemma, 0.0)
        return self.weights.get(name, 0.0)

    def score(self, infos: list[feat.Word]) -> float:
        """R12: the sentence's score: ``bias`` plus the weights of all its features."""
        return self.weigh(infos)[0]

    def weigh(self, infos: list[feat.Word]) -> tuple[float, list[float], list[tuple[int, str]]]:
        """R12: the score, each word's share of it and the parties (token index, party).

        Equal to ``bias + sum(weights[f] for f in features.features(infos, lang))`` plus the
        highest ``sum(clause_weights[f] for f in features.clause_features(clause, lang))`` of
        its party clauses; a feature of several words (a pair, a party with a cue) is shared
        equally between them. The features of word pairs are looked up by pair, without
        making their names.
        """
        scores = self.scores
        shares = [scores.get(info.word) or self.word_score(info) for info in infos]
        lemmas = [info.lemma for info in infos]
        for table, gap in ((self.pairs, 1), (self.skips, 2)):
            for i in range(len(lemmas) - gap):
                weight = table.get((lemmas[i], lemmas[i + gap]))
                if weight:
                    shares[i] += weight / 2
                    shares[i + gap] += weight / 2
        parties = [(i, info.party) for i, info in enumerate(infos) if info.party is not None]
        weights = self.weights
        context = feat.context_features(infos, self.lang, pairs=False)
        for name, where in context:
            if name == "p:name":
                parties.append((where[0], lexicon.NAME))
            weight = weights.get(name)
            if weight:
                if len(where) == 1:
                    shares[where[0]] += weight
                else:
                    share = weight / len(where)
                    for i in where:
                        shares[i] += share
        if parties:
            content = feat.content_words(infos)
            for party in {party for _, party in parties}:
                by_lemma = self.with_party.get(party)
                if by_lemma:
                    for i in content:
                        weight = by_lemma.get(lemmas[i])
                        if weight:
                            shares[i] += weight
        if self.clause_weights:
            self._add_best_clause(infos, shares, context)
        return self.bias + sum(shares), shares, parties

    def _add_best_clause(
        self,
        infos: list[feat.Word],
        shares: list[float],
        context: list[tuple[str, tuple[int, ...]]],
    ) -> None:
        """Add to ``shares`` those of the party clause whose part scores highest (the first
        of equals), as :func:`.features.clause_features` reads it. ``context`` is the
        sentence's context (without pairs): that of a clause that is the whole sentence."""
        weights = self.clause_weights
        cached = self.clause_scores
        best: tuple[float, int, list[float]] | None = None
        whole = len(infos)
        for start, end in feat.party_clauses(infos, self.lang):
            clause = infos[start:end] if end - start < whole else infos
            part = [cached.get(info.word) or self.clause_word_score(info) for info in clause]
            if clause is not infos:
                context = feat.context_features(clause, self.lang, pairs=False)
            for name, where in context:
                weight = weights.get(name)
                if weight:
                    if len(where) == 1:
                        part[where[0]] += weight
                    else:
                        share = weight / len(where)
                        for i in where:
                            part[i] += share
            total = sum(part)
            if best is None or total > best[0]:
                best = (total, start, part)
        if best is not None:
            _, start, part = best
            for i, share in enumerate(part, start):
                shares[i] += share

    def clause_word_score(self, info: feat.Word) -> float:
        """The summed clause weight of a word's own features (remembered per word)."""
        return self._remembered(self.clause_scores, self.clause_weights, info)

    def word_score(self, info: feat.Word) -> float:
        """The summed weight of a word's own features (remembered per word)."""
        return self._remembered(self.scores, self.weights, info)

    def _remembered(
        self, scores: dict[str, float], weights: Mapping[str, float], info: feat.Word
    ) -> float:
        score = scores.get(info.word)
        if score is None:
            features = feat.word_features(info.word, info.lemma, self.lang)
            score = sum(weights.get(f, 0.0) for f in features)
            if len(scores) > 100_000:
                scores.clear()
            scores[info.word] = score
        return score


@functools.cache
def model(lang: str) -> LanguageModel:
    """The shipped weights for ``lang`` (read once)."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    table = data["languages"][lang]
    return LanguageModel(
        table["bias"], table["threshold"], table["weights"], lang, table.get("clause_weights", {})
    )


def sentences(text: str) -> list[tuple[int, int]]:
    """R12: the sentences of ``text`` as spans, leading and trailing blanks left out."""
    spans = []
    start = 0
    for end_match in _SENTENCE_END.finditer(text):
        spans.append((start, end_match.end()))
        start = end_match.end()
    spans.append((start, len(text)))
    out = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end))
    return out


@dataclass(frozen=True)
class Scored:
    """One sentence as the model weighed it: the score and what each word contributed."""

    tokens: list[feat.Token]
    score: float
    contributions: list[float]
    parties: list[tuple[int, str]]  # (token index, party)

    def blames(self, threshold: float) -> bool:
        return self.score >= threshold and bool(self.parties)


def score_sentence(tokens: list[feat.Token], lang: str) -> Scored:
    """R12: the score of one sentence and each word's share of it (:meth:`LanguageModel.weigh`)."""
    score, shares, parties = model(lang).weigh([t.info for t in tokens])
    return Scored(tokens, score, shares, parties)


_PARTY = operator.attrgetter("party")


def blame(text: str, language: str = "nl") -> list[Finding]:
    """R12: a warning for each sentence that blames a colleague, the organisation, the computer
    or a supplier, naming the party and the words that weighed most."""
    if not text:
        return []
    seen = normalise(text)
    read = seen.text
    m = model(language)
    threshold = m.threshold
    findings = []
    for start, end in sentences(read):
        infos = feat.words(read, start, end, language)
        if not any(map(_PARTY, infos)) and not feat.names(infos, language):
            continue  # no party, no blame: skip the sentence without scoring it
        if _SALUTATION.fullmatch(read, start, end):
            continue
        score, shares, parties = m.weigh(infos)
        if score < threshold or not parties:
            continue
        scored = Scored(feat.located(read, start, end, infos), score, shares, parties)
        findings.append(_finding(text, seen, start, end, scored, language))
    return findings


def _heads(scored: Scored) -> list[tuple[int, str]]:
    """R12: the parties that head their phrase: in "de medewerker van de balie" the party is
    the employee, not the desk that only says which employee."""
    words = [t.info.word for t in scored.tokens]
    at = {i for i, _ in scored.parties}
    heads = []
    for i, party in scored.parties:
        j = i - 1
        while j >= 0 and words[j] in _DETERMINERS:
            j -= 1
        if j >= 1 and words[j] in _OF and j - 1 in at:
            continue
        heads.append((i, party))
    return heads or scored.parties


def _finding(
    text: str, seen: Normalised, start: int, end: int, scored: Scored, language: str
) -> Finding:
    """R12: the finding for a blaming sentence ``seen.text[start:end]``, in ``text``'s offsets."""
    tokens, weight = scored.tokens, scored.contributions
    party_index, party = max(_heads(scored), key=lambda p: (weight[p[0]], -p[0]))
    ranked = sorted(
        (
            i
            for i in range(len(tokens))
            if weight[i] > 0 and tokens[i].info.word not in feat.PUNCTUATION
        ),
        key=lambda i: (-weight[i], i),
    )[:_EXPLAINING_WORDS]

    def typed(i: int) -> str:
        lo, hi = seen.span(tokens[i].start, tokens[i].end)
        lo, hi = word_around(text, lo, hi)
        return text[lo:hi]

    lo, hi = seen.span(start, end)
    words = [typed(i) for i in ranked]
    return Finding(
        start=lo,
        end=hi,
        text=text[lo:hi],
        rule="R12",
        code=_CODE_OF[party],
        suggestions=_NEUTRAL[language],
        params={
            "party": typed(party_index),
            "words": ", ".join(words),
            "cue": words[0] if words else typed(party_index),
            "score": f"{scored.score:.2f}",
        },
    )
