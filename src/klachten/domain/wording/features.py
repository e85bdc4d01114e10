"""R12: what the blame model sees in a sentence — its words, their lemmas, parties and cues.

The same functions feed the training script (``scripts/train_r12.py``) and the check at run
time, so the model is applied to exactly the features it was trained on. A sentence becomes a
list of feature names (a name may repeat; the model sums the weight of each occurrence):

- per word (:func:`word_features`, computed once per distinct word): the word ``w:``, its lemma
  ``l:`` (simplemma, which ships its dictionaries on PyPI), its cue class ``k:`` from
  :mod:`~klachten.domain.wording.lexicon`, ``k:participle`` for a past participle, and its party
  ``p:`` (a colleague, the organisation, a system, a supplier — compounds included);
- per sentence (:func:`context_features`): lemma bigrams ``b:``, people's names ``p:name``
  (``p:titled`` after *mevrouw*, *Mr*), the first word ``f:``, a question ``s:?``, a party among
  the first words (its likely subject) ``s:``, and the conjunctions a linear model cannot form
  by itself: each cue class in a sentence that names a party ``x:any+``, every party with
  every other content lemma ``z:`` ("a colleague" and *vergeten*), lemma pairs one word apart
  ``b2:``, and every pair of cue classes ``y:`` ("had" and a modal: *had … moeten*; a
  negation and a participle: *niet … doorgegeven*);
- per clause of a sentence that names a party (:func:`scope_features`): the kind of clause
  (main, conditional, causal, result, contrast, relative) with who it is about and the cue
  classes in it ``q:``, a party with a cue class in the same clause ``qx:``, and whose party
  it is ``d:`` (*uw medewerker* is the customer's own). This is what tells "als de website
  niet werkt, belt u ons" from "de website werkte niet". (It replaced the order of each
  party and cue ``o:`` and every party with every cue class anywhere in the sentence
  ``x:{party}+{cue}``, which it made redundant: without them the model measured the same
  and the check is faster.)

The model also reads each clause that names a party on its own (:func:`party_clauses`,
:func:`clause_features`: the clause's word features and its context without word pairs) and
adds the best clause's part to the sentence's score (#11): a multiple-instance model, so one
blaming clause in a long sentence is not outweighed by the neutral clauses around it.

No character n-grams: measured by cross-validation over the train and dev groups, the model
did better without them (English +1.6 points of recall, Dutch +0.3) and has a quarter fewer
weights; an unseen compound is still read by its head (:func:`party_of`). Tried again with
rarer features and a stronger penalty (#11): still a point worse in English.

Punctuation that ends a clause (, ; : and dashes) is a token of its own, so the clauses can be
found; a question mark too. Parties the lexicon lacks are added here (:data:`_MORE_PARTIES`).

Everything is lower case and read from the normalised text (:mod:`.normalise`), so a soft
hyphen or a look-alike letter changes nothing.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import simplemma

from klachten.domain.wording import lexicon

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+|[?,;:—–]")
# The punctuation the model reads: "?" (a question) and the marks that end a clause.
PUNCTUATION = frozenset("?,;:—–")
_CLAUSE_MARKS = frozenset(",;:—–")
_NOT_CONTRACTED = ("n't", "n’t")
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

# R12 clause scope: the word that opens a clause says what the clause does to the sentence —
# a condition ("als de website niet werkt, ..."), a cause, a result, a contrast, a relative or
# reported clause — so a failure in a conditional clause is not the same as one in the main
# clause. A clause also starts after , ; : and a dash.
_CLAUSE_OPENERS = {
    "nl": {
        **dict.fromkeys(lexicon.words("als indien mocht wanneer zodra tenzij"), "cond"),
        **dict.fromkeys(lexicon.words("omdat doordat want aangezien vanwege"), "cause"),
        **dict.fromkeys(lexicon.words("waardoor zodat dus daardoor daarom vandaar"), "result"),
        **dict.fromkeys(lexicon.words("maar terwijl hoewel ofschoon alhoewel"), "contrast"),
        **dict.fromkeys(lexicon.words("die dat wat waarin waarop welke wie"), "sub"),
    },
    "en": {
        **dict.fromkeys(lexicon.words("if once unless whenever when"), "cond"),
        **dict.fromkeys(lexicon.words("because since due"), "cause"),
        **dict.fromkeys(lexicon.words("so therefore hence"), "result"),
        **dict.fromkeys(lexicon.words("but although though while whereas"), "contrast"),
        **dict.fromkeys(lexicon.words("who which that whose what"), "sub"),
    },
}
# Who a clause is about: the first party, name or personal pronoun in it (``self`` for
# ik/wij/I/we, ``you`` for the customer, ``third`` for he/she/they).
_PERSONS = frozenset({"self", "you", "third"})
# A negation at most this many words before a party denies it did wrong: "niet door onze
# financiële afdeling maar door mij", "not the teacher's doing", "geen fout van de examinator".
_NEGATED_REACH = 4
# Whose party it is: the word before it. "Uw medewerker" is the customer's own employee,
# "onze planner" ours; the customer's own people and equipment are not protected.
_OWNERS = {
    "nl": {
        **dict.fromkeys(lexicon.words("uw je jouw"), "you"),
        **dict.fromkeys(lexicon.words("onze ons mijn"), "self"),
        **dict.fromkeys(lexicon.words("de het"), "the"),
        **dict.fromkeys(lexicon.words("een"), "a"),
        **dict.fromkeys(lexicon.words("hun zijn haar"), "third"),
    },
    "en": {
        **dict.fromkeys(lexicon.words("your"), "you"),
        **dict.fromkeys(lexicon.words("our my"), "self"),
        **dict.fromkeys(lexicon.words("the"), "the"),
        **dict.fromkeys(lexicon.words("a an"), "a"),
        **dict.fromkeys(lexicon.words("their his her its"), "third"),
    },
}

# "uw eigen laptop", "your own router": the owner stands before "eigen"/"own".
_OWN = frozenset(lexicon.words("eigen own"))
# English verbs whose past forms tell no deed of their own ("was", "had", "did", "could").
_AUXILIARIES = frozenset(lexicon.words("be have do will can shall may must"))
# "een storing bij uw provider", "a fault in your browser": a party without an owner of its own
# takes that of the phrase it is attached to, at most this many words on.
_ATTACHING = {
    "nl": frozenset(lexicon.words("bij van in op aan met")),
    "en": frozenset(lexicon.words("at of in on with")),
}
_ATTACH_REACH = 2

# R12: parties the lexicon (:mod:`.lexicon`) does not name yet — staff, units, equipment and
# outside firms as they occur in letters — and the heads that name one at the end of a
# compound. The text is accent-folded before it is read, so "examencoördinator" arrives as
# "examencoordinator": the folded heads are listed here. Only consulted when the lexicon
# names no party.
_MORE_PARTIES: dict[str, dict[str, str]] = {
    "nl": {
        **dict.fromkeys(
            lexicon.words(
                "roosteraar invalkracht beoordelaar inkoper intaker projectleider "
                "coordinator loopbaancoach collega's marketeer marketeers toezichthouder "
                "opleider praktijkopleider technicus systeembeheerder beheerder recruiter "
                "proctor notulist"
            ),
            lexicon.COLLEAGUE,
        ),
        **dict.fromkeys(
            lexicon.words(
                "postkamer beveiliging facturatie verkoop inkoop ledenadministratie "
                "marketing personeelszaken examenzaken studentenzaken frontoffice "
                "klantcontact salarisadministratie"
            ),
            lexicon.ORGANISATION,
        ),
        **dict.fromkeys(
            lexicon.words(
                "telefoon telefoons digibord touchscreen lift toegangspoortjes "
                "inlogsysteem spamfilter e-learning elearning lms smartboard "
                "administratiepakket roosterpakket firewall plugin script kassa pinapparaat "
                "camera headset luidspreker kiosk mailbox"
            ),
            lexicon.SYSTEM,
        ),
        **dict.fromkeys(
            lexicon.words(
                "boekhandel webwinkel vertaler vertaalbureau schoonmakers installateur "
                "monteur tolk afhaalpunt pakketpunt svh cbr nibhv ssvv"
            ),
            lexicon.SUPPLIER,
        ),
    },
    "en": {
        **dict.fromkeys(
            lexicon.words(
                "admin substitute marker assessor assessors bookkeeper controller officer "
                "clerk technician colleagues staffer moderator organiser marketer salesperson "
                "proctor caretaker janitor facilitator tester"
            ),
            lexicon.COLLEAGUE,
        ),
        **dict.fromkeys(
            lexicon.words(
                "secretariat registry hr finance accounting facilities sales marketing payroll "
                "admissions registrar kerngroep's"
            ),
            lexicon.ORGANISATION,
        ),
        **dict.fromkeys(
            lexicon.words(
                "chatbot bot robot calendar form forms zoom audio video inbox mailbox queue "
                "function beamer phone phones switchboard touchscreen smartboard kiosk lift "
                "lock alarm auto-reply reminder filter login camera speakers site sites "
                "e-learning elearning lms plugin script firewall autocorrect checkout headset "
                "classroom breakout"
            ),
            lexicon.SYSTEM,
        ),
        **dict.fromkeys(
            lexicon.words(
                "shop bookshop warehouse translator cleaners firm store landlord host hosting "
                "installer electrician mechanic interpreter postnl's hall"
            ),
            lexicon.SUPPLIER,
        ),
    },
}
_MORE_HEADS: dict[str, tuple[tuple[str, str], ...]] = {
    "nl": (
        ("coordinator", lexicon.COLLEAGUE),
        ("leider", lexicon.COLLEAGUE),
        ("kracht", lexicon.COLLEAGUE),
        ("examinator", lexicon.COLLEAGUE),
        ("beoordelaar", lexicon.COLLEAGUE),
        ("coach", lexicon.COLLEAGUE),
        ("team", lexicon.ORGANISATION),
        ("hotel", lexicon.SUPPLIER),
        ("winkel", lexicon.SUPPLIER),
        ("installatie", lexicon.SYSTEM),
        ("verificatie", lexicon.SYSTEM),
        ("telefoon", lexicon.SYSTEM),
        ("functie", lexicon.SYSTEM),
        ("scanner", lexicon.SYSTEM),
        ("generator", lexicon.SYSTEM),
        ("zuil", lexicon.SYSTEM),
        ("herinnering", lexicon.SYSTEM),
        ("oord", lexicon.SUPPLIER),
        ("lezer", lexicon.SYSTEM),
        ("beheer", lexicon.ORGANISATION),
    ),
    "en": (
        ("screen", lexicon.SYSTEM),
        ("board", lexicon.SYSTEM),
        ("shop", lexicon.SUPPLIER),
        ("phone", lexicon.SYSTEM),
    ),
}


_MORE_PARTIES_FILE = Path(__file__).parent / "data" / "more_parties.tsv"


def _read_more_parties(path: Path = _MORE_PARTIES_FILE) -> None:
    """R12 (#11): the longer lists of party words in ``data/more_parties.tsv`` — roles, units,
    equipment, software and outside firms as letters name them — added to the two tables above
    without overriding them. A ``head`` also names its party at the end of a Dutch compound."""
    heads: dict[str, list[tuple[str, str]]] = {"nl": [], "en": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        lang, word, party, kind = line.split("\t")
        if party not in lexicon.PARTIES or kind not in ("word", "head"):
            raise ValueError(f"{path.name}: {line!r}")
        _MORE_PARTIES[lang].setdefault(word, party)
        if kind == "head":
            heads[lang].append((word, party))
    for lang, more in heads.items():
        known = {head for head, _ in _MORE_HEADS[lang]}
        _MORE_HEADS[lang] = _MORE_HEADS[lang] + tuple(h for h in more if h[0] not in known)


_read_more_parties()


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
    # Its part in clause scope (:func:`scope_features`): the kind of clause it opens ("main"
    # after a comma), the person it is (self, you, third) and its cue within the clause.
    opens: str | None
    person: str | None
    clause_cue: str | None


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
    # low_memory: the same dictionary read from its compressed stream, not unpacked into a dict
    # of 370,000 strings — 7 instead of 48 MiB in every web worker (#17 item 4).
    return str(simplemma.lemmatize(word, lang=lang, low_memory=True)).lower()


# Per language, the words met so far by their spelling (no key tuple to make per word).
_WORDS: dict[str, dict[str, Word]] = {}


def word_info(raw: str, lang: str) -> Word:
    """R12: what ``raw`` (as typed, after normalising) is to the model; remembered."""
    cache = _WORDS.setdefault(lang, {})
    info = cache.get(raw)
    if info is None:
        word = raw.lower()
        lemma = lemma_of(word, lang)
        cue = cue_of(word, lemma, lang)
        participle = is_participle(word, lemma, lang)
        # A possessive ("onze afdeling", "uw laptop") is no person of its own: its noun is.
        person = cue if cue in _PERSONS and word not in _OWNERS[lang] else None
        info = Word(
            word,
            lemma,
            raw[0].isupper(),
            party_of(word, lemma, lang),
            cue,
            participle,
            raw[0].isupper() and bool(simplemma.is_known(word, lang=lang, low_memory=True)),
            "main" if word in _CLAUSE_MARKS else _CLAUSE_OPENERS[lang].get(word),
            person,
            "participle" if participle else None if cue in _PERSONS else cue,
        )
        if len(cache) > 100_000:
            cache.clear()
        cache[raw] = info
    return info


def words(text: str, start: int, end: int, lang: str) -> list[Word]:
    """The words of ``text[start:end]`` as the model reads them (no offsets: the fast path)."""
    get = (_WORDS.get(lang) or {}).get
    # A Word is always true: ``or`` only reads a word not met before.
    return [get(raw) or word_info(raw, lang) for raw in _WORD.findall(text, start, end)]


def tokens(text: str, start: int, end: int, lang: str) -> list[Token]:
    """The words of ``text[start:end]``, with offsets into ``text``."""
    return located(text, start, end, words(text, start, end, lang))


def located(text: str, start: int, end: int, infos: list[Word]) -> list[Token]:
    """``infos``, the :func:`words` of ``text[start:end]``, with their offsets into ``text``
    (the check places the words it has weighed without reading them again)."""
    make = tuple.__new__  # the NamedTuple without its keyword-checking __new__
    return [
        make(Token, (m.start(), m.end(), info))
        for m, info in zip(_WORD.finditer(text, start, end), infos, strict=True)
    ]


@functools.lru_cache(maxsize=65536)
def word_features(word: str, lemma: str, lang: str) -> tuple[str, ...]:
    """R12: the features of one word, whatever its sentence (cached: a letter repeats words)."""
    features = [f"w:{word}", f"l:{lemma}"]
    cue = cue_of(word, lemma, lang)
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
    party = lexicon.party_of(word, lemma, lang)
    if party is None:
        more = _MORE_PARTIES[lang]
        party = more.get(word)
        if party is None and not (lang == "nl" and word.endswith(("je", "jes"))):
            party = more.get(lemma)  # a plural, but no diminutive: a "telefoontje" is a call
        if party is None:
            for head, head_party in _MORE_HEADS[lang]:
                if len(word) - len(head) >= 3 and word.endswith(head):
                    return head_party
    return party


def cue_of(word: str, lemma: str, lang: str) -> str | None:
    """R12: the cue class of a word (``vergeten`` → omit), else ``None``.

    An English contraction with *not* ("didn't", "won't", "couldn't") is one word to the
    tokeniser and no word of the lexicon, but a negation all the same.
    """
    cue = lexicon.CUE_CLASS[lang].get(word) or lexicon.CUE_CLASS[lang].get(lemma)
    if cue is None and lang == "en" and word.endswith(_NOT_CONTRACTED):
        return "neg"
    return cue


def is_participle(word: str, lemma: str, lang: str) -> bool:
    """A past participle: ``geregistreerd``, ``verstuurd``, ``ingepland``; in English also the
    simple past, regular or not (``booked``, ``sent``, ``lost``, ``forgot``), the tense blame
    is told in: a word the lemmatiser takes back to another form that is neither a plural or a
    third person (``-s``), a present participle (``-ing``) nor a form of an auxiliary."""
    if word == lemma or len(word) < 3:
        return False
    if lang == "nl":
        return len(word) >= 4 and word[-1] in "dtn" and lemma.endswith("en") and word[-2:] != "en"
    if len(word) >= 4 and word.endswith(("ed", "en")):
        return True
    return word.isalpha() and not word.endswith(("s", "ing")) and lemma not in _AUXILIARIES


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
    for i, info in enumerate(sentence):
        if info.party is not None:
            parties.setdefault(info.party, []).append(i)
        if info.cue is not None:
            cues.setdefault(info.cue, []).append(i)
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
    if parties:
        out.extend(scope_features(sentence, lang, named))
    return out


def scope_features(
    sentence: list[Word], lang: str, named: list[int]
) -> list[tuple[str, tuple[int, ...]]]:
    """R12: features of each clause of a sentence that names a party, each with its tokens.

    A linear model over the whole sentence cannot tell "als de website niet werkt, belt u
    ons" from "de website werkte niet, dus u kon niet inloggen", nor "ik heb de docent de
    verkeerde datum gegeven" from "de docent heeft u de verkeerde datum gegeven". So per
    clause (split at , ; : a dash and the words of :data:`_CLAUSE_OPENERS`):

    - ``q:{kind}:{subject}`` the kind of clause (``main``, ``cond``, ``cause``, ``result``,
      ``contrast``, ``sub``) and who it is about (its first party, name or pronoun);
    - ``q:{kind}:{subject}+{cue}`` that with each cue class in the clause ("a system fails in
      a conditional clause", "I forgot in the main clause");
    - ``qx:{party}+{cue}`` a party and a cue class in one clause ("a system" and "a
      failure", "a colleague" and a negation);
    - ``d:{party}+{owner}`` whose party it is: the customer's (*uw medewerker*), ours
      (*onze planner*), definite or indefinite — by the word before it (past *eigen*/*own*),
      or, with none of its own, by the phrase it hangs on (*een storing bij uw provider* is
      the customer's, :func:`_owner`). A party of the
      customer's own is ``yours`` in the clause features: "uw medewerker had zich niet
      afgemeld" blames nobody the rule protects;
    - ``n:{party}`` a negation at most :data:`_NEGATED_REACH` words before the party, in its
      clause: "komt niet door onze afdeling", "not the courier's fault".
    """
    out: list[tuple[str, tuple[int, ...]]] = []
    add = out.append
    owners = _OWNERS[lang]
    kind = "main"
    subject: str | None = None
    at = 0
    cues: dict[str, int] = {}
    parties: list[tuple[str, int]] = []
    negated = -1  # the last negation in the clause
    for i, info in enumerate(sentence):
        opens = info.opens
        if opens is not None:
            if subject is not None or cues or parties:
                _clause_features(add, kind, subject, at, cues, parties)
                subject, cues, parties = None, {}, []
            negated = -1
            kind = opens
            continue
        who = info.party
        if who is None and named and i in named:
            who = lexicon.NAME
        if who is not None:
            if negated >= 0 and i - negated <= _NEGATED_REACH:
                add((f"n:{who}", (negated, i)))
            owner = _owner(sentence, i, owners, lang)
            add((f"d:{who}+{owner or 'none'}", (i,)))
            if owner == "you":
                who = "yours"  # the customer's own employee or laptop: not protected
            parties.append((who, i))
        else:
            who = info.person
        if subject is None and who is not None:
            subject, at = who, i
        cue = info.clause_cue
        if cue is not None:
            if cue == "neg":
                negated = i
            if cue not in cues:
                cues[cue] = i
    _clause_features(add, kind, subject, at, cues, parties)
    return out


def _owner(sentence: list[Word], i: int, owners: dict[str, str], lang: str) -> str | None:
    """R12: whose the party at ``i`` is: by the word before it ("uw", "onze"; past "eigen"),
    else by the phrase it is attached to ("een storing bij uw provider": the customer's)."""
    j = i - 1
    if j > 0 and sentence[j].word in _OWN:
        j -= 1
    owner = owners.get(sentence[j].word) if j >= 0 else None
    if owner in (None, "the", "a"):
        attaching = _ATTACHING[lang]
        for k in range(i + 1, min(i + 1 + _ATTACH_REACH, len(sentence) - 1)):
            if sentence[k].word in attaching:
                after = sentence[k + 1].word
                if k + 2 < len(sentence) and after in _OWN:
                    after = sentence[k + 2].word
                if owners.get(after) == "you":
                    return "you"
                break
            if sentence[k].opens is not None or sentence[k].word in PUNCTUATION:
                break
    return owner


def _clause_features(
    add: Callable[[tuple[str, tuple[int, ...]]], None],
    kind: str,
    subject: str | None,
    at: int,
    cues: dict[str, int],
    parties: list[tuple[str, int]],
) -> None:
    """R12: the ``q:`` and ``qx:`` features of one clause (:func:`scope_features`)."""
    if subject is not None:
        add((f"q:{kind}:{subject}", (at,)))
        for cue, c in cues.items():
            add((f"q:{kind}:{subject}+{cue}", (at, c)))
    for party, p in parties:
        for cue, c in cues.items():
            add((f"qx:{party}+{cue}", (p, c)))


def features(sentence: list[Word], lang: str) -> list[str]:
    """R12: every feature of ``sentence`` (for training; the check sums the same weights)."""
    out = [f for w in sentence for f in word_features(w.word, w.lemma, lang)]
    out.extend(name for name, _ in context_features(sentence, lang))
    return out


def party_clauses(sentence: list[Word], lang: str) -> list[tuple[int, int]]:
    """R12 (#11): the clauses of ``sentence`` that name a party or a person, as word spans.

    The clauses are those of :func:`scope_features` (a clause starts at , ; : a dash or a word
    of :data:`_CLAUSE_OPENERS`, which belongs to it). The model scores each of them on its own
    and adds the highest to the sentence's score (:func:`clause_features`), so one blaming
    clause in a long letter sentence is not drowned by the neutral words around it. When no
    clause names a party by itself (a name only found in the whole sentence), the whole
    sentence is the clause.
    """
    out: list[tuple[int, int]] = []
    start = 0
    party = capital = False
    for i, info in enumerate(sentence):
        if info.opens is not None and i > start:
            if party or (capital and names(sentence[start:i], lang)):
                out.append((start, i))
            start = i
            party = capital = False
        if info.party is not None:
            party = True
        elif info.capital:
            capital = True
    end = len(sentence)
    if start < end and (party or (capital and names(sentence[start:end], lang))):
        out.append((start, end))
    return out or [(0, end)]


def clause_features(clause: list[Word], lang: str) -> list[str]:
    """R12 (#11): the features of one clause as the model's clause part reads it: its words'
    own features and its context without word pairs (:func:`context_features`)."""
    out = [f for w in clause for f in word_features(w.word, w.lemma, lang)]
    out.extend(name for name, _ in context_features(clause, lang, pairs=False))
    return out
