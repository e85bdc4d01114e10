"""A report by e-mail from a customer who already has a file goes into that file (#13; R5, R6).

An e-mail report is linked to a customer file only when exactly one file has the sender's
address; otherwise it gets a provisional file with what the mail said. The employee who takes
it up finds the customer's own file and moves the complaint there — on the complaint page and
in the API (``PUT /api/v1/complaints/{reference}/customer-file``) — and the provisional file
is cleared away when nothing else is in it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.services import (
    complaint_customer_change,
    complaint_take_up,
    customer_lookup_log,
    customer_naw_check,
)
from klachten.core.errors import InvalidInput, NotAllowed
from klachten.customers.models import CustomerFile
from klachten.public.inbound import mail_receive
from tests.complaints.conftest import NOW, PAGE_TIME, customer_data, later
from tests.conftest import logged_in
from tests.public.test_inbound import mail

API = "/api/v1/complaints"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(PAGE_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def known(db: None) -> CustomerFile:
    """The customer's own, checked file — with another address than the one they mailed from."""
    return CustomerFile.objects.create(
        **{**customer_data(name="Anja de Boer").__dict__, "email": "a.deboer@werk.example"},
        naw_checked_at=NOW,
    )


@pytest.fixture
def found(known: CustomerFile, employee: Any) -> None:
    """The employee found the customer's file by what the customer confirmed (#15)."""
    customer_lookup_log(
        actor=employee, words="a.deboer@werk.example", found=[known], now=NOW + timedelta(hours=1)
    )


@pytest.fixture
def reported(manager: Any, known: CustomerFile) -> Complaint:
    """A report by e-mail from an address no file has: a provisional file."""
    received = mail_receive(mail(sender="Anja de Boer <anja@example.nl>"), now=NOW)
    complaint = Complaint.objects.get(reference=received.reference)
    assert complaint.customer != known
    assert complaint.customer.naw_checked_at is None
    return complaint


def test_the_complaint_moves_to_the_customer_s_file_and_the_empty_one_goes(
    reported: Complaint, known: CustomerFile, employee: Any, found: None
) -> None:
    """R5: the history in one file; the provisional file held only what the mail said."""
    provisional = reported.customer_id
    complaint_take_up(complaint=reported, actor=employee, now=later(hours=1))
    complaint_customer_change(
        complaint=reported, customer_id=known.pk, actor=employee, now=later(hours=2)
    )
    reported.refresh_from_db()
    assert reported.customer == known
    assert not CustomerFile.objects.filter(pk=provisional).exists()
    known.refresh_from_db()
    assert known.email == "a.deboer@werk.example"  # their own address stays
    entry = AuditEntry.objects.get(complaint=reported, action="customer_relinked")
    assert entry.actor == employee
    assert entry.before["customer_id"] == provisional
    assert entry.after == {"customer_id": known.pk, "customer": "Anja de Boer", "removed": True}


def test_the_mailed_address_goes_to_a_file_without_one(
    reported: Complaint, known: CustomerFile, employee: Any, found: None
) -> None:
    """The customer keeps getting answers at the address they wrote from."""
    CustomerFile.objects.filter(pk=known.pk).update(email="")
    complaint_take_up(complaint=reported, actor=employee, now=later(hours=1))
    complaint_customer_change(
        complaint=reported, customer_id=known.pk, actor=employee, now=later(hours=2)
    )
    known.refresh_from_db()
    assert known.email == "anja@example.nl"


def test_a_file_with_other_complaints_or_a_checked_naw_is_kept(
    reported: Complaint, known: CustomerFile, employee: Any, found: None
) -> None:
    """Nothing anyone checked or filed is removed with the move."""
    complaint_take_up(complaint=reported, actor=employee, now=later(hours=1))
    customer_naw_check(complaint=reported, actor=employee, now=later(hours=1))
    provisional = reported.customer_id
    complaint_customer_change(
        complaint=reported, customer_id=known.pk, actor=employee, now=later(hours=2)
    )
    assert CustomerFile.objects.filter(pk=provisional).exists()
    assert AuditEntry.objects.get(action="customer_relinked").after["removed"] is False


def test_the_move_is_refused_before_take_up_for_an_unknown_or_erased_file(
    reported: Complaint, known: CustomerFile, employee: Any, found: None
) -> None:
    """R15 first; then a clear refusal, and nothing half-changed."""
    with pytest.raises(NotAllowed) as refused:
        complaint_customer_change(
            complaint=reported, customer_id=known.pk, actor=employee, now=later(hours=1)
        )
    assert refused.value.code == "not_taken_up"
    complaint_take_up(complaint=reported, actor=employee, now=later(hours=1))
    with pytest.raises(InvalidInput):
        complaint_customer_change(
            complaint=reported, customer_id=known.pk + 999, actor=employee, now=later(hours=2)
        )
    CustomerFile.objects.filter(pk=known.pk).update(anonymised_at=NOW)
    with pytest.raises(NotAllowed) as erased:
        complaint_customer_change(
            complaint=reported, customer_id=known.pk, actor=employee, now=later(hours=2)
        )
    assert erased.value.code == "customer_anonymised"
    reported.refresh_from_db()
    assert reported.customer.email == "anja@example.nl"
    assert not AuditEntry.objects.filter(action="customer_relinked").exists()


def test_the_complaint_page_finds_the_file_and_moves_the_complaint(
    reported: Complaint, known: CustomerFile, employee: Any, found: None
) -> None:
    """The search on the complaint page (an employee: by what the customer confirms, #15)."""
    client = logged_in(employee)
    client.post(f"/meldingen/{reported.reference}/oppakken/")
    page = client.get(f"/meldingen/{reported.reference}/", {"klant_zoeken": "de boer"})
    assert f'id="relink-{known.pk}"' not in page.content.decode()  # no names for employees
    page = client.get(
        f"/meldingen/{reported.reference}/", {"klant_zoeken": "a.deboer@werk.example"}
    )
    html = page.content.decode()
    assert "Staat de klant al in een andere klantmap?" in html
    assert f'id="relink-{known.pk}" value="{known.pk}"' in html
    response = client.post(
        f"/meldingen/{reported.reference}/klantmap/", {"customer_id": str(known.pk)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/meldingen/{reported.reference}/#klant"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "De melding staat nu in de klantmap van deze klant." in html
    assert "In de klantmap van de klant gezet" in html
    assert "Staat de klant al in een andere klantmap?" not in html  # NAW of this file checked
    reported.refresh_from_db()
    assert reported.customer == known


def test_the_page_asks_to_pick_a_file_when_none_was_picked(
    reported: Complaint, employee: Any
) -> None:
    client = logged_in(employee)
    client.post(f"/meldingen/{reported.reference}/oppakken/")
    response = client.post(f"/meldingen/{reported.reference}/klantmap/", {}, follow=True)
    assert "Kies eerst een klantmap." in response.content.decode()


def test_the_api_moves_the_complaint_and_refuses_with_json(
    api: Any, reported: Complaint, known: CustomerFile, employee: Any, found: None
) -> None:
    url = f"{API}/{reported.reference}/customer-file"

    def put(body: object) -> Any:
        return api.client.put(
            url, data=json.dumps(body), content_type="application/json", headers=api.headers
        )

    refused = put({"customer_id": known.pk})
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_taken_up"
    complaint_take_up(complaint=reported, actor=employee, now=later(hours=1))
    unknown = put({"customer_id": known.pk + 999})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "not_found"
    assert put({"customer_id": "x"}).status_code == 422
    moved = put({"customer_id": known.pk})
    assert moved.status_code == 200, moved.json()
    body = moved.json()
    assert body["customer"]["name"] == "Anja de Boer"
    assert any(item["action"] == "customer_relinked" for item in body["history"])


def test_an_employee_moves_it_only_into_a_file_they_found_themselves(
    reported: Complaint, known: CustomerFile, employee: Any
) -> None:
    """Need to know (#15, item 5; R2): a file id alone is as unknown as one that does not
    exist; management may move it into any file."""
    complaint_take_up(complaint=reported, actor=employee, now=later(hours=1))
    with pytest.raises(InvalidInput) as refused:
        complaint_customer_change(
            complaint=reported, customer_id=known.pk, actor=employee, now=later(hours=2)
        )
    assert refused.value.code == "not_found"
    # Found, but longer ago than a working day: looked up again, or not at all.
    customer_lookup_log(actor=employee, words="3512ab 12a", found=[known], now=NOW)
    with pytest.raises(InvalidInput):
        complaint_customer_change(
            complaint=reported, customer_id=known.pk, actor=employee, now=later(hours=13)
        )
    reported.refresh_from_db()
    assert reported.customer != known
