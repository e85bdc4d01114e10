"""R12, R13: which language a text is written in, Dutch or English, by its function words.

The guard needs the language to know which words to look for (R13 in English also covers
*complaint*, *error*, …) and, for R12, which sentences blame. Where the customer's language is
not on file, the text itself tells: :func:`language_of` counts the commonest function words of
each language (articles, pronouns, prepositions, auxiliaries; lists below, none in both) and
calls a text English only when English words are clearly in the majority:

- at least :data:`MIN_ENGLISH` English function words, and
- more than :data:`ENGLISH_RATIO` times as many English as Dutch ones.

Everything else, a short note, an empty text, a Dutch letter that quotes an English sentence,
a half-and-half text, is Dutch, the organisation's language, whose checks are the strict ones
for Dutch letters. Deterministic: the same text always gets the same answer.
"""

from __future__ import annotations

import re
from collections import Counter

from klachten.domain.wording.text import words_of

# Function words only; words that occur in both languages ("in", "is", "was", "we", "of",
# "door", "die", "me", "had", "over", "want", "kind", "been") are in neither list.
DUTCH = words_of(
    "de het een en van ik je jij dat niet op te zijn met voor er maar om aan ook als bij "
    "nog wat wij u uw ons onze naar heeft hebben worden wordt zal zullen kunt kan kunnen "
    "deze dit geen tot dan zo al hier daar hem haar hun zij ze mijn moet moeten mag "
    "graag omdat wanneer waar hoe waarom wel nu uit onder tegen zonder tussen alle veel meer "
    "heel erg jullie hartelijk groet geachte beste vriendelijke"
)
ENGLISH = words_of(
    "the a and to it that for you your yours our ours us with as be are were being has have "
    "this these those not at by from will would can could should shall may might must there "
    "their they them he she his her its which who whom what when where why how do does did "
    "done please thank thanks dear regards sincerely if or but about into than then so no "
    "yes any all also only just very i my"
)
#: A text is English only with at least this many English function words …
MIN_ENGLISH = 3
#: … and more than this many times as many English as Dutch ones.
ENGLISH_RATIO = 1.5

_WORD = re.compile(r"[^\W\d_]+")
_RUN = re.compile(r"\w+")


def language_of(text: str) -> str:
    """R12, R13: ``"en"`` for a text that is clearly English, else ``"nl"`` (see the module)."""
    dutch = english = 0
    # The words are those of _WORD. A run of word characters (_RUN, quicker to find) that is
    # all letters is one such word; any other run is split into them. Each spelling is looked
    # up once (#11 item 6: the language of a 20 kB letter is read in half the time).
    for run, count in Counter(_RUN.findall(text.lower())).items():
        for word in (run,) if run.isalpha() else _WORD.findall(run):
            if word in ENGLISH:
                english += count
            elif word in DUTCH:
                dutch += count
    if english >= MIN_ENGLISH and english > ENGLISH_RATIO * dutch:
        return "en"
    return "nl"
