"""Staff correct a customer file, checked and logged like the intake (R2, R5, R6, issue #10).

Name, address, e-mail and phone are corrected from the customer file page (and from the
message page's "vul het adres eerst aan in de klantmap"), with the intake's fields and checks
and the check with the customer again (R6); the change, old and new, is logged on the
customer's complaints, so only those who may see them read it (R2); only staff who may see
the customer can correct it, in the pages and in the API
(``PATCH /api/v1/complaints/{reference}/customer``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import time_machine
from django.test import Client

from klachten.audit.models import AuditEntry
from klachten.complaints.forms import CustomerFileForm, IntakeForm
from klachten.complaints.models import Complaint
from klachten.complaints.services import Checklist, complaint_register, customer_file_update
from klachten.core.errors import NotAllowed
from klachten.customers.models import CustomerFile
from klachten.customers.validation import CustomerData
from tests.complaints.conftest import NOW, PAGE_TIME, customer_data
from tests.conftest import logged_in

API = "/api/v1/complaints"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(PAGE_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def colleague(make_staff: Any) -> Any:
    return make_staff("jan", "employee", first_name="Jan", last_name="Bos")


@pytest.fixture
def second(complaint: Complaint, colleague: Any) -> Complaint:
    """A second complaint in the same customer file, received and handled by a colleague."""
    return complaint_register(
        receiver=colleague,
        customer_file=complaint.customer,
        received_at=NOW,
        channel="desk",
        report="Het lokaal was koud.",
        checklist=Checklist(),
        now=NOW,
    )


def _form(customer: CustomerFile, **changes: str) -> dict[str, str]:
    data = {
        name: getattr(customer, name)
        for name in ("name", "street", "house_number", "postcode", "town", "country")
    }
    data |= {"email": customer.email, "phone": customer.phone}
    data.update(changes)
    return data


def _edit_url(customer: CustomerFile) -> str:
    return f"/meldingen/klantmap/{customer.pk}/wijzigen/"


# --- The page ----------------------------------------------------------------------------------


def test_the_customer_file_links_to_the_correction(complaint: Complaint, employee: Any) -> None:
    html = logged_in(employee).get(f"/meldingen/klantmap/{complaint.customer_id}/").content
    assert f'href="{_edit_url(complaint.customer)}"' in html.decode()


def test_the_edit_form_has_the_intakes_customer_fields_in_its_order() -> None:
    """A field the intake gains for the customer file comes along (they are taken from it)."""
    customer_fields = {item.name for item in dataclasses.fields(CustomerData)}
    expected = [
        name for name in IntakeForm.base_fields if name in customer_fields | {"naw_checked"}
    ]
    assert list(CustomerFileForm().fields) == expected
    assert set(expected) >= customer_fields


def test_a_corrected_address_checked_with_the_customer_is_saved_and_logged(
    complaint: Complaint, second: Complaint, employee: Any
) -> None:
    """R6: the intake's normalising (postcode), the check recorded anew; R2: the change, old
    and new, on every complaint of the customer and on the timeline."""
    client = logged_in(employee)
    response = client.post(
        _edit_url(complaint.customer),
        _form(complaint.customer, street="Dorpsstraat", postcode="3511lk", naw_checked="on"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/meldingen/klantmap/{complaint.customer_id}/"
    assert "De klantmap is bijgewerkt." in response.content.decode()
    customer = CustomerFile.objects.get(pk=complaint.customer_id)
    assert (customer.street, customer.postcode) == ("Dorpsstraat", "3511 LK")
    assert (customer.naw_checked_at, customer.naw_checked_by) == (PAGE_TIME, employee)
    entries = AuditEntry.objects.filter(action="customer_changed")
    assert sorted(entry.complaint_id for entry in entries) == sorted([complaint.pk, second.pk])
    entry = entries.get(complaint=complaint)
    assert entry.actor == employee
    assert entry.before == {"street": "Lindenlaan", "postcode": "3512 AB", "naw_checked": True}
    assert entry.after == {"street": "Dorpsstraat", "postcode": "3511 LK", "naw_checked": True}
    page = client.get(f"/meldingen/{complaint.reference}/").content.decode()
    assert "Gegevens van de klant gecorrigeerd" in page
    assert "Straat: Lindenlaan → Dorpsstraat" in page


def test_a_changed_address_without_the_check_is_no_longer_checked(
    complaint: Complaint, employee: Any
) -> None:
    """R6: the check was of the old address."""
    customer_file_update(
        customer=complaint.customer,
        actor=employee,
        data=customer_data(street="Dorpsstraat"),
        naw_checked=False,
        now=PAGE_TIME,
    )
    customer = CustomerFile.objects.get(pk=complaint.customer_id)
    assert customer.naw_checked_at is None
    html = logged_in(employee).get(f"/meldingen/{complaint.reference}/").content.decode()
    assert "NAW nog niet gecontroleerd met de klant." in html


def test_a_new_phone_number_keeps_the_earlier_check(complaint: Complaint, employee: Any) -> None:
    """R6 is about name and address; a new phone number does not undo their check."""
    checked_at = complaint.customer.naw_checked_at
    customer_file_update(
        customer=complaint.customer,
        actor=employee,
        data=customer_data(phone="06 12345678"),
        naw_checked=False,
        now=PAGE_TIME,
    )
    customer = CustomerFile.objects.get(pk=complaint.customer_id)
    assert customer.phone == "+31 6 12345678"
    assert customer.naw_checked_at == checked_at
    entry = AuditEntry.objects.get(action="customer_changed")
    assert entry.after == {"phone": "+31 6 12345678"}


def test_nothing_changed_writes_nothing(complaint: Complaint, employee: Any) -> None:
    customer_file_update(
        customer=complaint.customer,
        actor=employee,
        data=customer_data(),
        naw_checked=False,
        now=PAGE_TIME,
    )
    assert not AuditEntry.objects.filter(action="customer_changed").exists()


def test_every_problem_is_named_at_once_and_nothing_is_saved(
    complaint: Complaint, employee: Any
) -> None:
    """R6: a missing town and a wrong postcode together, what was typed kept."""
    response = logged_in(employee).post(
        _edit_url(complaint.customer),
        _form(complaint.customer, street="Dorpsstraat", town="", postcode="351", email="a@"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"town", "postcode", "email"}
    html = response.content.decode()
    assert 'value="Dorpsstraat"' in html
    assert 'id="foutmeldingen"' in html
    assert CustomerFile.objects.get(pk=complaint.customer_id).street == "Lindenlaan"


def test_only_staff_who_may_see_the_customer_can_correct_it(
    complaint: Complaint, colleague: Any, manager: Any
) -> None:
    """R2: a colleague with no complaint of this customer finds nothing; management may."""
    url = _edit_url(complaint.customer)
    outsider = logged_in(colleague)
    assert outsider.get(url).status_code == 404
    data = _form(complaint.customer, street="Dorpsstraat")
    assert outsider.post(url, data).status_code == 404
    assert CustomerFile.objects.get(pk=complaint.customer_id).street == "Lindenlaan"
    assert not AuditEntry.objects.filter(action="customer_changed").exists()
    assert logged_in(manager).post(url, data).status_code == 302
    assert CustomerFile.objects.get(pk=complaint.customer_id).street == "Dorpsstraat"


def test_the_change_is_read_only_where_the_customers_complaints_are(
    complaint: Complaint, colleague: Any, manager: Any
) -> None:
    """R2: the log entry hangs on the customer's complaints, never loose in the log, so the
    old address is read by exactly those who may read those complaints."""
    customer_file_update(
        customer=complaint.customer,
        actor=manager,
        data=customer_data(street="Dorpsstraat"),
        naw_checked=True,
        now=PAGE_TIME,
    )
    assert not AuditEntry.objects.filter(complaint__isnull=True).exists()
    assert logged_in(colleague).get(f"/meldingen/{complaint.reference}/").status_code == 404
    assert "Lindenlaan" not in logged_in(colleague).get("/meldingen/").content.decode()


def test_the_message_page_links_to_the_correction_and_comes_back(
    employee: Any, manager: Any
) -> None:
    """The message page said "vul het adres eerst aan in de klantmap" without a way there."""
    complaint = complaint_register(
        receiver=employee,
        customer=customer_data(email=""),
        naw_checked=True,
        received_at=NOW,
        channel="phone",
        report="Geen cursusmap.",
        checklist=Checklist(),
        now=NOW,
    )
    client = logged_in(employee)
    compose = f"/meldingen/{complaint.reference}/berichten/vrij/"
    html = client.get(compose).content.decode()
    link = f'href="{_edit_url(complaint.customer)}?terug={compose}"'
    assert f"{link}>vul het adres eerst aan in de klantmap</a>" in html
    page = client.get(f"{_edit_url(complaint.customer)}?terug={compose}").content.decode()
    assert f'name="terug" value="{compose}"' in page
    data = _form(complaint.customer, email="a.bakker@example.nl", terug=compose)
    response = client.post(_edit_url(complaint.customer), data)
    assert response.status_code == 302
    assert response["Location"] == compose
    assert "Per e-mail naar a.bakker@example.nl" in client.get(compose).content.decode()


def test_going_back_goes_only_to_our_own_pages(complaint: Complaint, employee: Any) -> None:
    data = _form(complaint.customer, phone="06 12345678", terug="https://example.org/")
    response = logged_in(employee).post(_edit_url(complaint.customer), data)
    assert response["Location"] == f"/meldingen/klantmap/{complaint.customer_id}/"


def test_an_erased_customer_file_cannot_be_corrected(
    complaint: Complaint, employee: Any, manager: Any
) -> None:
    """R5: what was erased stays erased."""
    CustomerFile.objects.filter(pk=complaint.customer_id).update(anonymised_at=NOW)
    assert logged_in(manager).get(_edit_url(complaint.customer)).status_code == 404
    with pytest.raises(NotAllowed):
        customer_file_update(
            customer=complaint.customer,
            actor=manager,
            data=customer_data(street="Dorpsstraat"),
            naw_checked=True,
            now=PAGE_TIME,
        )


# --- The API -----------------------------------------------------------------------------------


def test_the_api_corrects_only_the_fields_given(api: Any, complaint: Complaint) -> None:
    """R6: PATCH with the e-mail address alone; the rest stays, the check stays (no NAW
    changed), the history says what changed."""
    response = api.client.patch(
        f"{API}/{complaint.reference}/customer",
        data='{"email": "anna.bakker@example.nl"}',
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["customer"]["email"] == "anna.bakker@example.nl"
    assert body["customer"]["street"] == "Lindenlaan"
    assert body["customer"]["naw_checked_at"] is not None
    [entry] = [item for item in body["history"] if item["action"] == "customer_changed"]
    assert entry["before"] == {"email": "a.bakker@example.nl"}
    assert entry["after"] == {"email": "anna.bakker@example.nl"}


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ('{"postcode": "351"}', "invalid_postcode", "customer.postcode"),
        ('{"town": "", "phone": "12"}', "invalid_phone", "customer.phone"),
        ('{"name": null}', "invalid", "name"),
        ('{"naam": "Anna"}', "invalid", "naam"),
    ],
    ids=["postcode", "town and phone", "null", "unknown field"],
)
def test_the_api_refuses_bad_corrections_with_json(
    api: Any, complaint: Complaint, body: str, code: str, field: str
) -> None:
    response = api.client.patch(
        f"{API}/{complaint.reference}/customer",
        data=body,
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 422
    found = response.json()
    assert found["code"] == code
    assert field in (found.get("field") or found["errors"][0]["field"])
    assert CustomerFile.objects.get(pk=complaint.customer_id).postcode == "3512 AB"


def test_the_api_says_every_problem_in_detail(api: Any, complaint: Complaint) -> None:
    response = api.client.patch(
        f"{API}/{complaint.reference}/customer",
        data='{"town": "", "postcode": "351"}',
        content_type="application/json",
        headers=api.headers,
    )
    detail = response.json()["detail"]
    assert "Een Nederlandse postcode" in detail
    assert "Vul de woonplaats in." in detail


def test_the_api_corrects_only_for_who_may_see_the_complaint(
    complaint: Complaint, colleague: Any
) -> None:
    """R2: 404 for a complaint the caller may not see, nothing changed."""
    from klachten.accounts.services import token_create

    _, token = token_create(staff=colleague)
    response = Client().patch(
        f"{API}/{complaint.reference}/customer",
        data='{"street": "Dorpsstraat"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 404
    assert CustomerFile.objects.get(pk=complaint.customer_id).street == "Lindenlaan"


def test_the_api_refuses_an_erased_file(api: Any, complaint: Complaint) -> None:
    CustomerFile.objects.filter(pk=complaint.customer_id).update(anonymised_at=NOW)
    response = api.client.patch(
        f"{API}/{complaint.reference}/customer",
        data='{"street": "Dorpsstraat"}',
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "customer_anonymised"


def test_the_openapi_document_lists_the_correction(api: Any) -> None:
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    operation = paths[f"{API}/{{reference}}/customer"]["patch"]
    assert set(operation["responses"]) >= {"200", "404", "409", "422"}
