"""The customer file's salutation (issue #10, 12): taken at the intake, on the public form and
in the API, kept in the customer file, and used by letters ("Geachte heer Smit,")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from klachten.complaints.models import Complaint
from klachten.customers.models import CustomerFile
from klachten.messaging.models import MessageKind
from klachten.messaging.selectors import message_draft
from tests.api.test_complaints import URL, registration
from tests.complaints.test_views import INTAKE
from tests.conftest import PASSWORD
from tests.messaging.conftest import NOW
from tests.public.conftest import FORM


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):  # after INTAKE's receipt
        yield


def _logged_in(staff: Any) -> Client:
    client = Client()
    assert client.login(username=staff.username, password=PASSWORD)
    return client


def test_the_intake_offers_the_salutation_as_an_optional_choice(employee, manager):
    client = _logged_in(employee)
    page = client.get("/meldingen/nieuw/").content.decode()
    for value in ("mevrouw", "heer", ""):
        assert f'name="salutation" value="{value}"' in page
    response = client.post("/meldingen/nieuw/", {**INTAKE, "name": "K. Smit", "salutation": "heer"})
    assert response.status_code == 302
    customer = CustomerFile.objects.get()
    assert customer.salutation == "heer"
    complaint = Complaint.objects.get(customer=customer)
    draft = message_draft(complaint=complaint, kind=MessageKind.RECEIPT, author=employee)
    assert draft.body.startswith("Geachte heer Smit,\n")


def test_without_a_choice_the_letter_greets_by_the_full_name(employee, manager):
    response = _logged_in(employee).post("/meldingen/nieuw/", {**INTAKE, "name": "K. Smit"})
    assert response.status_code == 302
    assert CustomerFile.objects.get().salutation == ""


def test_a_salutation_that_is_no_choice_is_refused_with_everything_kept(employee, manager):
    response = _logged_in(employee).post("/meldingen/nieuw/", {**INTAKE, "salutation": "dr."})
    assert response.status_code != 302
    assert 'id="id_salutation_error"' in response.content.decode()
    assert 'value="Stationsweg"' in response.content.decode()
    assert not CustomerFile.objects.exists()


def test_the_public_form_lets_the_customer_choose_and_keeps_it(db, manager):
    client = Client()
    page = client.get("/melding/").content.decode()
    assert 'name="salutation" value="mevrouw"' in page
    assert "geen voorkeur" in page
    response = client.post("/melding/", {**FORM, "name": "Jet Brouwer", "salutation": "mevrouw"})
    assert response.status_code == 302
    assert CustomerFile.objects.get().salutation == "mevrouw"


def test_the_api_takes_and_gives_the_salutation(api, manager):
    body = registration()
    body["customer"] = {**body["customer"], "name": "Anna de Vries", "salutation": "mevrouw"}
    response = api.post(URL, body)
    assert response.status_code == 201, response.json()
    assert response.json()["customer"]["salutation"] == "mevrouw"
    listed = api.get(f"{URL}/{response.json()['reference']}")
    assert listed.json()["customer"]["salutation"] == "mevrouw"
    schema = api.get("/api/v1/openapi.json").json()
    customer_in = next(
        spec
        for name, spec in schema["components"]["schemas"].items()
        if name.startswith("CustomerIn")
    )
    assert set(customer_in["properties"]["salutation"]["enum"]) == {"mevrouw", "heer", ""}


def test_the_api_refuses_another_salutation(api, manager):
    body = registration()
    body["customer"] = {**body["customer"], "salutation": "mevr."}
    response = api.post(URL, body)
    assert response.status_code == 422
    assert not CustomerFile.objects.exists()
