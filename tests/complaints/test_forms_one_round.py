"""Forms say everything at once, offer only what fits, and the customer sees no stale term (#10).

UX.md: every error at once in a summary, the field's own message beside it, nothing typed
lost. The close form offers only the outcomes the lifecycle allows now; after closing, the
status page no longer promises a term.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from klachten.complaints.models import Complaint
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import (
    ActionData,
    complaint_close,
    complaint_contact,
    complaint_plan_actions,
    complaint_record_ruling,
    complaint_refer_to_dispute,
)
from klachten.customers.models import CustomerFile
from klachten.messaging.models import CustomerMessage
from tests.complaints.conftest import NOW, PAGE_TIME, in_days
from tests.conftest import logged_in

INTAKE = {
    "customer_id": "",
    "name": "",
    "street": "Stationsweg",
    "house_number": "4",
    "postcode": "23120",
    "town": "Leiden",
    "country": "NL",
    "email": "k.smit@",
    "phone": "071 512 3456",
    "naw_checked": "on",
    "report": "Uitnodiging voor de training kwam een dag te laat.",
    "channel": "phone",
    "received_at": "2026-11-02T10:30",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(PAGE_TIME, tick=False) as traveller:
        yield traveller


def _summary(html: str) -> list[str]:
    """The lines of the error summary, as plain text."""
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no error summary"
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)
    ]


@pytest.fixture
def contacted(complaint: Complaint, employee: Any) -> Complaint:
    return complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(10),
        now=NOW + timedelta(minutes=10),
    )


# --- Every error in one round ------------------------------------------------------------------


def test_the_intake_names_a_missing_name_a_wrong_postcode_and_a_wrong_address_at_once(
    employee: Any,
) -> None:
    """R6: today the postcode showed only after the name was filled in (issue #10)."""
    response = logged_in(employee).post("/meldingen/nieuw/", INTAKE)
    assert response.status_code == 200
    html = response.content.decode()
    assert _summary(html) == [
        "Naam: Vul de naam in.",
        "Postcode: Een Nederlandse postcode is vier cijfers en twee letters, zoals 1234 AB.",
        "E-mailadres: Dit e-mailadres klopt niet.",
    ]
    assert 'value="Stationsweg"' in html
    assert not CustomerFile.objects.exists()


def test_the_intake_names_a_moment_in_the_future_with_the_rest(employee: Any) -> None:
    response = logged_in(employee).post(
        "/meldingen/nieuw/", {**INTAKE, "received_at": "2026-11-03T10:30"}
    )
    lines = _summary(response.content.decode())
    assert "Ontvangen op: Een melding kan niet in de toekomst ontvangen zijn." in lines
    assert "Naam: Vul de naam in." in lines


def test_an_action_plan_names_every_lines_problem_at_once(
    contacted: Complaint, employee: Any
) -> None:
    """R9, R13: a line without who, a line in the past and a word of R13, in one round."""
    response = logged_in(employee).post(
        f"/meldingen/{contacted.reference}/acties/",
        {
            "acties-TOTAL_FORMS": "3",
            "acties-INITIAL_FORMS": "0",
            "acties-0-what": "Cursusmap nasturen",
            "acties-0-due": "2026-11-04",
            "acties-1-what": "Fout in de factuur herstellen",
            "acties-1-who": str(employee.pk),
            "acties-1-due": "2026-10-30",
        },
    )
    lines = _summary(response.content.decode())
    assert lines == [
        "Regel 1, Wie: Kies wie het doet.",
        "Regel 2, Wat: Deze tekst gaat naar de klant: herformuleer eerst (R13).",
        "Regel 2, Wanneer: Deze datum ligt in het verleden.",
    ]
    assert not contacted.actions.exists()


def test_the_message_summary_lists_every_finding_and_the_missing_subject(
    complaint: Complaint, employee: Any
) -> None:
    """R13: two forbidden words and an empty subject: three lines in the summary (it showed
    one finding of two), each finding next to the text too."""
    client = logged_in(employee)
    url = f"/meldingen/{complaint.reference}/berichten/vrij/"
    form = client.get(url).context["form"]
    data = {
        "channel": form["channel"].value(),
        "subject": "",
        "body": "Geachte mevrouw Bakker,\n\nExcuses voor het probleem en de fout met de map.",
    }
    html = client.post(url, data).content.decode()
    lines = _summary(html)
    assert lines[0] == "Onderwerp: Vul het onderwerp in."
    assert len(lines) == 3
    assert "(probleem)" in lines[1]
    assert "(fout)" in lines[2]
    assert not CustomerMessage.objects.exists()


def test_a_forbidden_word_and_a_warning_are_named_together(
    complaint: Complaint, employee: Any
) -> None:
    """R12, R13: the warning is not held back until the forbidden word is gone."""
    client = logged_in(employee)
    url = f"/meldingen/{complaint.reference}/berichten/vrij/"
    form = client.get(url).context["form"]
    data = {
        "channel": form["channel"].value(),
        "subject": "Uw cursusmap",
        "body": "Geachte mevrouw Bakker,\n\nHet inschrijfsysteem lag eruit; het probleem is over.",
    }
    response = client.post(url, data)
    body_errors = response.context["form"].errors["body"]
    assert any("R13" in error for error in body_errors)
    assert any("R12" in error for error in body_errors)


# --- The R12 confirmation only with a warning --------------------------------------------------


def _confirm_box(html: str) -> str:
    match = re.search(r'<div id="bevestiging"[^>]*>', html)
    assert match, "no confirmation box"
    return match.group(0)


def test_the_confirmation_is_hidden_while_the_text_has_no_warning(
    complaint: Complaint, employee: Any
) -> None:
    """R12: the standard text has no warning: no "Ik heb de waarschuwing gelezen"."""
    html = logged_in(employee).get(f"/meldingen/{complaint.reference}/berichten/vrij/").content
    assert "hidden" in _confirm_box(html.decode())


def test_the_confirmation_appears_with_a_warning_and_then_lets_the_message_go(
    complaint: Complaint, employee: Any
) -> None:
    client = logged_in(employee)
    url = f"/meldingen/{complaint.reference}/berichten/vrij/"
    form = client.get(url).context["form"]
    data = {
        "channel": form["channel"].value(),
        "subject": "Uw cursusmap",
        "body": "Geachte mevrouw Bakker,\n\nHet inschrijfsysteem lag eruit.",
    }
    html = client.post(url, data).content.decode()
    assert "hidden" not in _confirm_box(html)
    assert "Ik heb de waarschuwing gelezen" in html
    assert client.post(url, {**data, "confirm_warnings": "on"}).status_code == 302


def test_a_template_without_a_warning_has_no_confirmation(manager: Any) -> None:
    html = logged_in(manager).get("/berichtsjablonen/vrij/").content.decode()
    assert "hidden" in _confirm_box(html)


# --- The close form offers what fits -----------------------------------------------------------


def _outcomes(client: Client, complaint: Complaint) -> list[str]:
    html = client.get(f"/meldingen/{complaint.reference}/afsluiten/").content.decode()
    return re.findall(r'name="outcome" value="(\w+)"', html)


def test_the_close_form_offers_no_ruling_without_a_dispute(
    contacted: Complaint, employee: Any
) -> None:
    """R11: "Afgehandeld na de uitspraak" only once there is a ruling; "Opgelost" only after
    the customer's view and the follow-up check (R7, R10)."""
    complaint_plan_actions(
        complaint=contacted,
        actor=employee,
        actions=[ActionData(what="Cursusmap nasturen", who=employee, due=in_days(2))],
        now=PAGE_TIME,
    )
    client = logged_in(employee)
    assert _outcomes(client, contacted) == ["withdrawn"]
    html = client.get(f"/meldingen/{contacted.reference}/afsluiten/").content.decode()
    assert "Afgehandeld na de uitspraak" not in html
    refused = client.post(f"/meldingen/{contacted.reference}/afsluiten/", {"outcome": "ruling"})
    assert "Er is nog geen uitspraak (R11)." in refused.content.decode()
    assert Complaint.objects.get(pk=contacted.pk).status == "in_progress"


def test_after_a_ruling_the_close_form_offers_only_closing_after_it(
    contacted: Complaint, employee: Any
) -> None:
    """R11: the ruling is binding: no other outcome can be chosen."""
    disputed = complaint_refer_to_dispute(
        complaint=contacted, actor=employee, note="Naar de derde.", now=PAGE_TIME
    )
    complaint_record_ruling(
        complaint=disputed,
        actor=employee,
        text="Kosteloos opnieuw.",
        consequences=[],
        now=PAGE_TIME,
    )
    assert _outcomes(logged_in(employee), contacted) == ["ruling"]


# --- The status page after closing -------------------------------------------------------------


def test_after_closing_the_status_page_no_longer_shows_the_agreed_term(
    contacted: Complaint, employee: Any
) -> None:
    """R3: the agreed term is a promise about what is still to come; once closed, it goes."""
    url = f"/status/{status_token_for(contacted)}/"
    assert "Afgesproken termijn" in Client().get(url).content.decode()
    complaint_close(
        complaint=contacted, actor=employee, outcome="withdrawn", note="", now=PAGE_TIME
    )
    html = Client().get(url).content.decode()
    assert "Afgesproken termijn" not in html
    assert "U hoort uiterlijk" not in html
