"""R12: sentences that blame a colleague, the organisation, the computer or a supplier.

A learned, explainable check. Each sentence of the text (read as :func:`.normalise` sees it) is
scored by a linear model over the features of :mod:`~klachten.domain.wording.features`: its
words, their lemmas and character n-grams, the parties and blame cues of
:mod:`~klachten.domain.wording.lexicon`, lemma pairs and party-cue pairs. The weights are data
(``data/r12_model.json``), trained by ``scripts/train_r12.py`` on the written corpus
``data/r12_corpus.tsv``; here they are only summed, in plain Python, so the check is
deterministic and needs nothing but the lemmatiser's dictionaries.

A sentence whose score reaches the language's threshold (chosen on the corpus's development
split) *and* that names a party is a finding: it names the party (``params["party"]``) and the
words that weighed most (``params["words"]``), so the employee sees why. It is a warning that
needs a conscious confirmation, never a block.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
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
_SENTENCE_END = re.compile(
    r"[.!?…][.!?…\"'”’)»]*(?=\s+[^\sa-z]|\s*\Z)|\n[ \t]*\n|[,:][ \t]*\n(?=\s*[A-Z])"
)
# The lines around a letter's sentences, never blame: its salutation and its closing.
_SALUTATION = re.compile(
    r"(?:geachte|beste|hallo|hoi|dag|dear|hi|hello)\b[^.!?\n]{0,60}[,:!]?"
    r"|(?:met )?(?:vriendelijke|hartelijke|hoogachtende?) groet(?:en)?\b.{0,120}"
    r"|(?:kind|best|warm) regards\b.{0,120}|yours (?:sincerely|faithfully)\b.{0,120}",
    re.IGNORECASE | re.DOTALL,
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


@dataclass(frozen=True)
class LanguageModel:
    """The weights of one language: ``score = bias + sum of the weights of its features``."""

    bias: float
    threshold: float
    weights: dict[str, float]

    lang: str
    scores: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    pairs: dict[tuple[str, str], float] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The lemma bigrams ("b:had moeten") by pair, so the check needs no string per pair.
        for name, weight in self.weights.items():
            if name.startswith("b:"):
                first, _, second = name[2:].partition(" ")
                self.pairs[first, second] = weight

    def score(self, infos: list[feat.Word]) -> float:
        """R12: the sentence's score (what :func:`score_sentence` computes, without the shares)."""
        score = self.bias + sum(self.word_score(info) for info in infos)
        pairs = self.pairs
        for a, b in itertools.pairwise(infos):
            score += pairs.get((a.lemma, b.lemma), 0.0)
        weights = self.weights
        for name, _ in feat.context_features(infos, self.lang, pairs=False):
            score += weights.get(name, 0.0)
        return score

    def word_score(self, info: feat.Word) -> float:
        """The summed weight of a word's own features (remembered per word)."""
        score = self.scores.get(info.word)
        if score is None:
            weights = self.weights
            features = feat.word_features(info.word, info.lemma, self.lang)
            score = sum(weights.get(f, 0.0) for f in features)
            if len(self.scores) > 100_000:
                self.scores.clear()
            self.scores[info.word] = score
        return score


@functools.cache
def model(lang: str) -> LanguageModel:
    """The shipped weights for ``lang`` (read once)."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    table = data["languages"][lang]
    return LanguageModel(table["bias"], table["threshold"], table["weights"], lang)


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
    """R12: the score of one sentence and each word's share of it.

    Equal to ``bias + sum(weights[f] for f in features.features(tokens, lang))``; a feature of
    several words (a pair, a party with a cue) is shared equally between them.
    """
    m = model(lang)
    infos = [t.info for t in tokens]
    contributions = [m.word_score(info) for info in infos]
    score = m.bias + sum(contributions)
    parties = [(i, info.party) for i, info in enumerate(infos) if info.party is not None]
    for name, where in feat.context_features(infos, lang):
        weight = m.weights.get(name, 0.0)
        if name == "p:name":
            parties.append((where[0], lexicon.NAME))
        if not weight:
            continue
        score += weight
        for i in where:
            contributions[i] += weight / len(where)
    return Scored(tokens, score, contributions, parties)


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
        if _SALUTATION.fullmatch(read, start, end):
            continue
        infos = feat.words(read, start, end, language)
        if not any(info.party for info in infos) and not feat.names(infos, language):
            continue  # no party, no blame: skip the sentence without scoring it
        if m.score(infos) < threshold:
            continue
        scored = score_sentence(feat.tokens(read, start, end, language), language)
        if not scored.blames(threshold):
            continue
        findings.append(_finding(text, seen, start, end, scored, language))
    return findings


def _finding(
    text: str, seen: Normalised, start: int, end: int, scored: Scored, language: str
) -> Finding:
    """R12: the finding for a blaming sentence ``seen.text[start:end]``, in ``text``'s offsets."""
    tokens, weight = scored.tokens, scored.contributions
    party_index, party = max(scored.parties, key=lambda p: (weight[p[0]], -p[0]))
    ranked = sorted(
        (i for i in range(len(tokens)) if weight[i] > 0 and tokens[i].info.word != "?"),
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
