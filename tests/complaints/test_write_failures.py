"""The intake when the database takes no writes (issue #10, item 21): the form comes back with
everything typed and a clear Dutch message (503); nothing is half-saved, and the employee can
register it once the database takes writes again. No mock: the database really refuses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.customers.models import CustomerFile
from klachten.mail.models import OutboxMessage
from tests.complaints.conftest import NOW
from tests.complaints.test_views import INTAKE
from tests.db_faults import writes_refused


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    """A request in English leaves English active in this thread; later tests expect Dutch."""
    yield
    translation.deactivate()


MESSAGE = "Er is niets opgeslagen: de database neemt op dit moment geen wijzigingen aan."


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW + timedelta(hours=1), tick=False) as traveller:
        yield traveller


def test_the_intake_keeps_everything_typed_when_the_database_takes_no_writes(employee, manager):
    """R3, R5: a refused write is a 503 with the form and every word typed still there;
    no complaint, customer file, alert or audit entry is left half-saved."""
    client = Client()
    client.force_login(employee)
    with writes_refused():
        response = client.post("/meldingen/nieuw/", INTAKE)
    assert response.status_code == 503
    html = response.content.decode()
    assert MESSAGE in html
    assert "Wat u heeft ingevuld, staat er nog." in html
    for name in ("name", "street", "postcode", "town", "email", "phone"):
        assert f'name="{name}" value="{INTAKE[name]}"' in html, name
    assert INTAKE["report"] in html
    for item in ("naw_checked", "not_interrupted", "vented", "apologised"):
        assert f'name="{item}" id="id_{item}" checked' in html or (
            f'name="{item}" checked' in html
        ), item
    assert Complaint.objects.count() == 0
    assert CustomerFile.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert AuditEntry.objects.count() == 0

    # Once writes are taken again, the same form registers the complaint (R3: alert queued).
    response = client.post("/meldingen/nieuw/", INTAKE)
    assert response.status_code == 302
    assert Complaint.objects.count() == 1
    assert OutboxMessage.objects.filter(to=manager.email).count() == 1


def test_the_intake_in_english_says_the_same(employee, manager):
    client = Client(headers={"accept-language": "en"})
    client.force_login(employee)
    with writes_refused():
        response = client.post("/meldingen/nieuw/", INTAKE)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Nothing was saved: the database is not accepting changes at the moment." in html
    assert "What you entered is still here." in html
