"""R12: what the blame model sees in a sentence — its words, their lemmas, parties and cues.

The same functions feed the training script (``scripts/train_r12.py``) and the check at run
time, so the model is applied to exactly the features it was trained on. A sentence becomes a
list of feature names (a name may repeat; the model sums the weight of each occurrence):

- per word (:func:`word_features`, computed once per distinct word): the word ``w:``, its lemma
  ``l:`` (simplemma, which ships its dictionaries on PyPI), its character 4-grams ``c:``
  (so an unseen compound or participle still resembles known ones), its cue class ``k:`` from
  :mod:`~klachten.domain.wording.lexicon`, ``k:participle`` for a past participle, and its party
  ``p:`` (a colleague, the organisation, a system, a supplier — compounds included);
- per sentence (:func:`context_features`): lemma bigrams ``b:``, people's names ``p:name``
  (``p:titled`` after *mevrouw*, *Mr*), the first word ``f:``, a question ``s:?``, a party among
  the first words (its likely subject) ``s:``, and the conjunctions a linear model cannot form
  by itself: every party with every cue class in the sentence ``x:`` ("a system" and "a
  failure", "a colleague" and "if"), every party with every other content lemma ``z:``
  ("a colleague" and *vergeten*), the order of each party and cue ``o:``, lemma pairs one word
  apart ``b2:``, and every pair of cue classes ``y:`` ("had" and a modal:
  *had … moeten*; a negation and a participle: *niet … doorgegeven*).

Everything is lower case and read from the normalised text (:mod:`.normalise`), so a soft
hyphen or a look-alike letter changes nothing.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple

import simplemma

from klachten.domain.wording import lexicon

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+|\?")
_CHAR_GRAMS = (4,)
_SUBJECT_WORDS = 3
# A capitalised first word that the lemmatiser does not know is still no name when it is long
# or ends like a Dutch or English noun ("Herbeoordeling", "Examenuitslagen", "Registration").
_LONGEST_FIRST_NAME = 10
_NOUN_ENDS = ("ing", "heid", "tie", "teit", "schap", "isme", "erij", "ment", "tion", "ness")
# Words too common to pair with a party ("z:colleague+vergeten" is worth a weight; "+de" not).
_FUNCTION_WORDS = lexicon.words(
    "de het een en of in op aan van voor met bij naar te dat die dit deze er is was zijn u uw "
    "the a an and or in on at of for with to that this is was be you your"
)


@dataclass(frozen=True, slots=True)
class Word:
    """A word as the model reads it, the same wherever it stands (made once per spelling)."""

    word: str  # lower case
    lemma: str
    capital: bool  # written with a capital: a name, or a sentence's first word
    party: str | None
    cue: str | None
    participle: bool
    known: bool  # the lemmatiser knows it (a capitalised known word is no name)


class Token(NamedTuple):
    """One word of a sentence: where it is in the checked text and what it is."""

    start: int
    end: int
    info: Word


@functools.lru_cache(maxsize=65536)
def lemma_of(word: str, lang: str) -> str:
    """The lemma of a lower-case ``word`` (``geregistreerd`` → ``registreren``)."""
    if not word[0].isalpha():
        return word
    return str(simplemma.lemmatize(word, lang=lang)).lower()


_WORDS: dict[tuple[str, str], Word] = {}


def word_info(raw: str, lang: str) -> Word:
    """R12: what ``raw`` (as typed, after normalising) is to the model; remembered."""
    key = (raw, lang)
    info = _WORDS.get(key)
    if info is None:
        word = raw.lower()
        lemma = lemma_of(word, lang)
        info = Word(
            word,
            lemma,
            raw[0].isupper(),
            party_of(word, lemma, lang),
            cue_of(word, lemma, lang),
            is_participle(word, lemma, lang),
            raw[0].isupper() and bool(simplemma.is_known(word, lang=lang)),
        )
        if len(_WORDS) > 100_000:
            _WORDS.clear()
        _WORDS[key] = info
    return info


def words(text: str, start: int, end: int, lang: str) -> list[Word]:
    """The words of ``text[start:end]`` as the model reads them (no offsets: the fast path)."""
    cache = _WORDS
    out: list[Word] = []
    for raw in _WORD.findall(text, start, end):
        info = cache.get((raw, lang))
        out.append(info if info is not None else word_info(raw, lang))
    return out


def tokens(text: str, start: int, end: int, lang: str) -> list[Token]:
    """The words of ``text[start:end]``, with offsets into ``text``."""
    make = Token._make
    return [
        make((m.start(), m.end(), word_info(m.group(), lang)))
        for m in _WORD.finditer(text, start, end)
    ]


@functools.lru_cache(maxsize=65536)
def word_features(word: str, lemma: str, lang: str) -> tuple[str, ...]:
    """R12: the features of one word, whatever its sentence (cached: a letter repeats words)."""
    features = [f"w:{word}", f"l:{lemma}"]
    if len(word) > 2 and word[0].isalpha():
        padded = f"<{word}>"
        for n in _CHAR_GRAMS:
            features.extend(f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1))
    cue = lexicon.CUE_CLASS[lang].get(word) or lexicon.CUE_CLASS[lang].get(lemma)
    if cue is not None:
        features.append(f"k:{cue}")
    if is_participle(word, lemma, lang):
        features.append("k:participle")
    party = party_of(word, lemma, lang)
    if party is not None:
        features.append(f"p:{party}")
    return tuple(features)


@functools.lru_cache(maxsize=65536)
def party_of(word: str, lemma: str, lang: str) -> str | None:
    """R12: the party a word names (``inschrijfsysteem`` → system), else ``None``."""
    return lexicon.party_of(word, lemma, lang)


def cue_of(word: str, lemma: str, lang: str) -> str | None:
    """R12: the cue class of a word (``vergeten`` → omit), else ``None``."""
    return lexicon.CUE_CLASS[lang].get(word) or lexicon.CUE_CLASS[lang].get(lemma)


def is_participle(word: str, lemma: str, lang: str) -> bool:
    """A past participle: ``geregistreerd``, ``verstuurd``, ``ingepland``; ``sent``, ``lost``."""
    if word == lemma or len(word) < 4:
        return False
    if lang == "nl":
        return word[-1] in "dtn" and lemma.endswith("en") and not word.endswith("en")
    return word.endswith("ed") or word.endswith("en")


def names(sentence: list[Word], lang: str) -> list[int]:
    """R12: the positions of people's names in ``sentence`` that may be a colleague's.

    A name is a capitalised word the lemmatiser does not know (or not the first word) and no
    list calls something else. A title before it (``mevrouw De Vries``, ``Mr Smith``) is a
    feature of its own: the customer is addressed so too, the model weighs it.
    """
    out: list[int] = []
    not_names = lexicon.NOT_NAMES[lang]
    for i, info in enumerate(sentence):
        if not info.capital or info.party is not None or info.word in not_names:
            continue
        if len(info.word) < 2:
            continue
        if (
            i == 0
            and info.word not in lexicon.GIVEN_NAMES
            and (
                info.known or len(info.word) > _LONGEST_FIRST_NAME or info.word.endswith(_NOUN_ENDS)
            )
        ):
            continue  # a sentence's first word: a name only if it cannot be an ordinary word
        if i and sentence[i - 1].capital and out and out[-1] == i - 1:
            continue  # "Sanne de Vries": one name
        out.append(i)
    return out


def content_words(sentence: list[Word]) -> list[int]:
    """The positions of the words a party pairs with (``z:``): no party, no function word."""
    return [
        i
        for i, info in enumerate(sentence)
        if info.party is None and info.word not in _FUNCTION_WORDS
    ]


def context_features(
    sentence: list[Word], lang: str, *, pairs: bool = True
) -> list[tuple[str, tuple[int, ...]]]:
    """R12: the features of ``sentence`` as a whole, each with the tokens it comes from.

    ``pairs=False`` leaves out the features of word pairs — lemma bigrams ``b:``, lemma pairs
    one word apart ``b2:``, a party with a content word ``z:`` — which the check looks up by
    pair, without making their names (:meth:`.blame.LanguageModel.score`).
    """
    out: list[tuple[str, tuple[int, ...]]] = []
    add = out.append
    if pairs:
        for i in range(len(sentence) - 1):
            add((f"b:{sentence[i].lemma} {sentence[i + 1].lemma}", (i, i + 1)))
        # Lemma pairs one word apart ("niet op tijd", "had ons moeten").
        for i in range(len(sentence) - 2):
            add((f"b2:{sentence[i].lemma} {sentence[i + 2].lemma}", (i, i + 2)))
    if sentence:
        add((f"f:{sentence[0].lemma}", (0,)))
        if sentence[-1].word == "?":
            add(("s:?", (len(sentence) - 1,)))
    parties: dict[str, list[int]] = {}
    cues: dict[str, list[int]] = {}
    placed: list[tuple[int, str]] = []  # (position, cue) of every cue word, in order
    for i, info in enumerate(sentence):
        if info.party is not None:
            parties.setdefault(info.party, []).append(i)
        if info.cue is not None:
            cues.setdefault(info.cue, []).append(i)
            placed.append((i, info.cue))
        if info.participle:
            cues.setdefault("participle", []).append(i)
    named = names(sentence, lang)
    if named:
        titles = lexicon.TITLES[lang]
        for i in named:
            add(("p:name", (i,)))
            if i and sentence[i - 1].word in titles:
                add(("p:titled", (i - 1, i)))
        parties.setdefault(lexicon.NAME, []).extend(named)
    if parties:
        for party, where in parties.items():
            for cue, cue_where in cues.items():
                add((f"x:{party}+{cue}", (*where, *cue_where)))
        # Which comes first, the party or the cue: "de planner is vergeten" is not "vergeet u
        # niet de planner te mailen".
        if placed:
            for p, info in enumerate(sentence):
                if info.party is not None:
                    for c, cue in placed:
                        add((f"o:{info.party}{'<' if p < c else '>'}{cue}", (p, c)))
        for cue, cue_where in cues.items():
            add((f"x:any+{cue}", tuple(cue_where)))
        # Who the sentence is about: a party among its first words is usually its subject.
        for party, where in parties.items():
            if where[0] < _SUBJECT_WORDS:
                add((f"s:{party}", (where[0],)))
        if pairs:
            content = content_words(sentence)
            for party in parties:
                for i in content:
                    add((f"z:{party}+{sentence[i].lemma}", (i,)))
    # Cues that blame together ("had ... moeten", "niet ... doorgegeven", "te laat" + a
    # participle) wherever they stand in the sentence.
    if len(cues) > 1:
        for a, b in itertools.combinations(sorted(cues), 2):
            add((f"y:{a}+{b}", (cues[a][0], cues[b][0])))
    return out


def features(sentence: list[Word], lang: str) -> list[str]:
    """R12: every feature of ``sentence`` (for training; the check sums the same weights)."""
    out = [f for w in sentence for f in word_features(w.word, w.lemma, lang)]
    out.extend(name for name, _ in context_features(sentence, lang))
    return out
