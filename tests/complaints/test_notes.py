"""Internal notes and a colleague's account (#13, item 6; R2, R10)."""

from __future__ import annotations

import pytest
from django.test import Client

from klachten.audit.models import AuditEntry
from klachten.complaints.models import AccountRequest, InternalNote
from klachten.complaints.selectors import complaint_get_for, status_token_for
from klachten.complaints.services import account_request, note_add
from klachten.core.errors import InvalidInput, NotFound
from klachten.mail.models import OutboxMessage
from tests.complaints.conftest import later
from tests.conftest import PASSWORD


@pytest.fixture
def colleague(make_staff):
    return make_staff("pieter", "employee", first_name="Pieter", email="pieter@kerngroep.nl")


def test_a_colleague_asked_sees_the_complaint_until_they_answer(complaint, employee, colleague):
    """R10: the colleague's side is heard; R2: access for exactly that long, and logged."""
    with pytest.raises(NotFound):
        complaint_get_for(staff=colleague, reference=complaint.reference)
    asked = account_request(
        complaint=complaint,
        asked_by=employee,
        asked_of=colleague,
        question="Wat is er op 3 november in de les gebeurd?",
        now=later(hours=1),
    )
    assert OutboxMessage.objects.filter(
        key=f"{complaint.reference}-account-asked-{asked.pk}-{colleague.pk}"
    ).exists()
    assert complaint_get_for(staff=colleague, reference=complaint.reference) == complaint
    note = note_add(
        complaint=complaint,
        author=colleague,
        text="De beamer werkte niet; ik heb de les een half uur later laten beginnen.",
        now=later(hours=2),
    )
    assert note.answers == asked
    asked.refresh_from_db()
    assert asked.answered_at == later(hours=2)
    with pytest.raises(NotFound):
        complaint_get_for(staff=colleague, reference=complaint.reference)
    assert set(AuditEntry.objects.filter(complaint=complaint).values_list("action", flat=True)) >= {
        "account_requested",
        "note_added",
    }


def test_a_note_never_reaches_the_customer(complaint, employee):
    note_add(
        complaint=complaint, author=employee, text="GEHEIM-NOTITIE intern.", now=later(hours=1)
    )
    page = Client().get(f"/status/{status_token_for(complaint)}/").content.decode()
    assert "GEHEIM-NOTITIE" not in page
    assert not OutboxMessage.objects.filter(body__contains="GEHEIM-NOTITIE").exists()


def test_an_empty_note_or_asking_yourself_is_refused(complaint, employee):
    with pytest.raises(InvalidInput):
        note_add(complaint=complaint, author=employee, text="  ", now=later(hours=1))
    with pytest.raises(InvalidInput) as refused:
        account_request(
            complaint=complaint, asked_by=employee, asked_of=employee, question="?", now=later()
        )
    assert refused.value.code == "asked_yourself"
    assert not InternalNote.objects.exists()
    assert not AccountRequest.objects.exists()


def test_the_complaint_page_shows_notes_and_takes_one(complaint, employee):
    client = Client()
    assert client.login(username=employee.username, password=PASSWORD)
    response = client.post(
        f"/meldingen/{complaint.reference}/notities/", {"text": "Klant belde nog even na."}
    )
    assert response.status_code == 302
    page = client.get(f"/meldingen/{complaint.reference}/").content.decode()
    assert "Klant belde nog even na." in page
    assert "Interne notitie" in page  # on the one timeline (#14)


def test_the_page_offers_every_active_colleague_to_ask(complaint, employee, make_staff):
    """R10: "Een collega om een verklaring vragen" lists the active colleagues by name (escaped),
    not the writer themself and not a colleague who left."""
    pieter = make_staff("pieter", "employee", first_name="Pieter", last_name="<Bakker>")
    gone = make_staff("gerda", "employee", first_name="Gerda")
    gone.is_active = False
    gone.save()
    client = Client()
    assert client.login(username=employee.username, password=PASSWORD)
    page = client.get(f"/meldingen/{complaint.reference}/").content.decode()
    select = page[page.index('<select id="id_asked_of"') :]
    select = select[: select.index("</select>")]
    pieter = AccountRequest._meta.get_field("asked_of").related_model.objects.get(username="pieter")
    assert f'<option value="{pieter.pk}">Pieter &lt;Bakker&gt;</option>' in select
    assert "Gerda" not in select
    assert f'value="{employee.pk}"' not in select
