"""Management's message templates: a small placeholder language, guarded like every message.

Placeholders are filled in by plain substitution (never a template engine); an unknown one is
refused when management saves; a text with a word of R13 cannot be saved, as written or as a
customer would read it; R12 needs a confirmation.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from klachten.audit.models import AuditEntry
from klachten.core.errors import InvalidInput, NotAllowed
from klachten.core.wording import text_check
from klachten.messaging.models import MessageKind, MessageTemplate
from klachten.messaging.selectors import message_draft, message_template_get, message_templates
from klachten.messaging.services import (
    WordingRefused,
    message_template_reset,
    message_template_save,
    template_findings,
)
from klachten.messaging.texts import (
    EXAMPLE_VALUES,
    PLACEHOLDERS,
    STANDARD,
    fill,
    placeholders_used,
    template_problems,
    without_placeholders,
)
from tests.messaging.conftest import NOW

# --- The placeholder language ------------------------------------------------------------------


def test_placeholders_are_filled_by_plain_substitution():
    values = {"klant": "mevrouw {{ kenmerk }} <b>", "kenmerk": "KG-1"}
    assert (
        fill("Beste {{klant}}, uw {{ kenmerk }}.", values)
        == "Beste mevrouw {{ kenmerk }} <b>, uw KG-1."
    )


def test_a_template_engine_tag_is_not_a_placeholder_and_is_refused():
    """Nothing management writes reaches Django's template engine."""
    problems = template_problems("{% load static %}{{ request.user.password }} {{ klant|upper }}")
    assert [(p.code, p.text) for p in problems] == [
        ("unknown_placeholder", "{{ request.user.password }}"),
        ("unknown_placeholder", "{{ klant|upper }}"),
    ]


def test_stray_braces_are_refused():
    problems = template_problems("Beste {{ klant }, tot {{ termijn }} }}")
    assert [p.code for p in problems] == ["stray_braces", "stray_braces"]


def test_every_standard_text_uses_only_known_placeholders_and_passes_the_guard():
    """R12, R13: the shipped texts, as written and with example values, have no finding."""
    for kind, standard in STANDARD.items():
        assert template_findings(subject=standard.subject, body=standard.body) == [], kind
        for text in (standard.subject, standard.body):
            assert template_problems(text) == [], kind
            assert text_check(text=without_placeholders(text)).findings == [], kind
            assert text_check(text=fill(text, EXAMPLE_VALUES)).findings == [], kind
    assert set(STANDARD) == set(MessageKind.values)
    for name, placeholder in PLACEHOLDERS.items():
        assert text_check(text=placeholder.example).ok, name


def test_a_placeholder_is_read_as_a_blank_not_as_the_words_of_its_name():
    """R12 (#11): "{{ derde_website }}" names a value, it is no website the customer reads of;
    as written a template's placeholders are blanks of their own length, so offsets hold."""
    text = "Uw {{ klant }} en {{ onbekend }}."
    assert without_placeholders(text) == "Uw " + " " * len("{{ klant }}") + " en {{ onbekend }}."
    body = "De {{ derde_website }} heeft uw aanvraag niet verwerkt en is vergeten te antwoorden."
    assert text_check(text=body).findings  # read as words, the name is a website that failed
    assert template_findings(subject="Uw melding {{ kenmerk }}", body=body) == []


def test_placeholders_used_lists_each_once_in_order():
    assert placeholders_used("{{ klant }} {{ termijn }} {{klant}} {{ onbekend }}") == [
        "klant",
        "termijn",
    ]


# --- Saving a template (management) ------------------------------------------------------------


def test_management_saves_its_own_wording_and_can_go_back_to_the_standard(manager: Any) -> None:
    template = message_template_save(
        kind=MessageKind.RECEIPT,
        subject="Ontvangen: {{ kenmerk }}",
        body="Beste {{ klant }},\n\nWij bellen u uiterlijk {{ contact_uiterlijk }}.",
        actor=manager,
        now=NOW,
    )
    assert template.updated_by == manager
    current = message_template_get(MessageKind.RECEIPT)
    assert current.edited
    assert current.subject == "Ontvangen: {{ kenmerk }}"
    assert [t.edited for t in message_templates()].count(True) == 1
    assert AuditEntry.objects.filter(action="message_template_saved").count() == 1

    message_template_reset(kind=MessageKind.RECEIPT, actor=manager, now=NOW + timedelta(hours=1))
    assert not message_template_get(MessageKind.RECEIPT).edited
    assert MessageTemplate.objects.count() == 0


def test_a_draft_follows_managements_wording(manager: Any, employee: Any, db: None) -> None:
    from klachten.complaints.services import complaint_register
    from tests.messaging.conftest import CHECKLIST, CUSTOMER, REPORT

    complaint = complaint_register(
        receiver=employee,
        customer=CUSTOMER,
        received_at=NOW,
        channel="phone",
        report=REPORT,
        checklist=CHECKLIST,
        now=NOW,
    )
    message_template_save(
        kind=MessageKind.FREE,
        subject="Over {{ kenmerk }}",
        body="Beste {{ klant }},\n\nGroet van {{ medewerker }} namens {{ organisatie }}.",
        actor=manager,
        now=NOW,
    )
    draft = message_draft(complaint=complaint, kind=MessageKind.FREE, author=employee)
    assert draft.subject == f"Over {complaint.reference}"
    assert draft.body == "Beste Mevrouw A. Bakker,\n\nGroet van Petra de Vries namens Kerngroep."


def test_an_unknown_placeholder_is_refused_when_saving(manager: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        message_template_save(
            kind=MessageKind.FREE,
            subject="Uw melding",
            body="Beste {{ klantnaam }},",
            actor=manager,
            now=NOW,
        )
    assert refused.value.code == "unknown_placeholder"
    assert refused.value.field == "body"
    assert "{{ klantnaam }}" in refused.value.detail
    assert "{{ klant }}" in refused.value.detail  # the ones that do exist
    assert MessageTemplate.objects.count() == 0


def test_a_template_with_a_word_of_r13_cannot_be_saved(manager: Any) -> None:
    """R13: blocked with the finding and its suggestions, as while typing."""
    with pytest.raises(WordingRefused) as refused:
        message_template_save(
            kind=MessageKind.CLOSING,
            subject="Afronding",
            body="Beste {{ klant }},\n\nUw klacht is afgehandeld.",
            actor=manager,
            now=NOW,
        )
    [finding] = refused.value.findings
    assert (finding.field, finding.finding.text) == ("body", "klacht")
    assert finding.finding.suggestions
    assert MessageTemplate.objects.count() == 0


def test_a_placeholder_glued_to_a_word_is_checked_as_the_customer_reads_it(manager: Any) -> None:
    """R13: "{{ kenmerk }}fout" reads "KG-2026-00042fout" — the filled-in text is guarded too."""
    with pytest.raises(WordingRefused):
        message_template_save(
            kind=MessageKind.FREE,
            subject="Uw melding",
            body="Beste {{ klant }}fouten,",
            actor=manager,
            now=NOW,
        )


def test_an_r12_warning_in_a_template_needs_a_confirmation(manager: Any) -> None:
    body = "Beste {{ klant }},\n\nHet inschrijfsysteem lag eruit."
    with pytest.raises(WordingRefused) as refused:
        message_template_save(
            kind=MessageKind.FREE, subject="Uw melding", body=body, actor=manager, now=NOW
        )
    assert refused.value.code == "wording_warnings"
    message_template_save(
        kind=MessageKind.FREE,
        subject="Uw melding",
        body=body,
        actor=manager,
        confirm_warnings=True,
        now=NOW,
    )
    assert MessageTemplate.objects.get().body == body


def test_only_management_edits_the_templates(employee: Any) -> None:
    with pytest.raises(NotAllowed):
        message_template_save(
            kind=MessageKind.FREE,
            subject="Uw melding",
            body="Beste {{ klant }},",
            actor=employee,
            now=NOW,
        )
    with pytest.raises(NotAllowed):
        message_template_reset(kind=MessageKind.FREE, actor=employee, now=NOW)
