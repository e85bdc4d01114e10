"""What is worked out once per process (#17 item 5) answers as if worked out each time: the
vCard of a business card (R14) and the guard's findings on a short text (R12, R13)."""

from __future__ import annotations

import dataclasses

import vobject

from klachten.core import wording as core_wording
from klachten.core.wording import REMEMBERED_LENGTH, text_check
from klachten.domain import wording
from klachten.mail.cards import BusinessCard, vcard

CARD = BusinessCard(
    name="Petra de Vries",
    first_name="Petra",
    last_name="de Vries",
    job_title="Klantadviseur",
    phone="030 760 22 11",
    email="petra@kerngroep.nl",
    organisation="Kerngroep",
    website="https://kerngroep.nl",
)


def test_each_card_has_its_own_vcard_however_often_it_is_asked() -> None:
    first = vcard(CARD)
    assert vcard(dataclasses.replace(CARD)) == first
    for field, value in (
        ("website", "https://example.nl"),
        ("job_title", "Planner"),
        ("phone", "06 12345678"),
        ("name", "Petra Bakker"),
    ):
        other = vcard(dataclasses.replace(CARD, **{field: value}))
        assert other != first, field
    card = vobject.readOne(vcard(dataclasses.replace(CARD, job_title="Planner")))
    assert card.title.value == "Planner"


def test_a_short_text_checked_again_has_the_findings_of_a_fresh_check() -> None:
    core_wording._remembered_check.cache_clear()
    texts = [
        ("Wij hebben uw klacht ontvangen.", "nl"),
        ("We received your complaint about the course.", "en"),
        ("We received your complaint about the course.", "nl"),  # English words, Dutch check
        ("De docent heeft uw map kwijtgemaakt.", "nl"),
        ("Bedankt voor uw bericht.", "nl"),
    ]
    for _ in range(2):
        for text, language in texts:
            assert text_check(text=text, language=language).findings == wording.check(
                text, language=language
            )
    assert core_wording._remembered_check.cache_info().hits == len(texts)
    # The same words in the other language are another check (R13 in English: "complaint").
    english = text_check(text=texts[1][0], language="en").findings
    dutch = text_check(text=texts[1][0], language="nl").findings
    assert english != dutch
    long_text = "Wij hebben uw klacht ontvangen. " * (REMEMBERED_LENGTH // 20)
    before = core_wording._remembered_check.cache_info().currsize
    assert text_check(text=long_text, language="nl").findings == wording.check(
        long_text, language="nl"
    )
    assert core_wording._remembered_check.cache_info().currsize == before
