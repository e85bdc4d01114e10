"""The auditor's view (#16 item 4): read-only, the sampled dossiers without the customers'
personal data, every read logged; no settings, no complaints, no messages to customers."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from klachten.audit.models import AuditEntry
from klachten.auditing.models import AuditSample
from klachten.auditing.services import sample_add, sample_draw
from klachten.complaints.models import Complaint
from klachten.complaints.services import Checklist, complaint_register
from klachten.core.errors import NotAllowed
from tests.complaints.conftest import NOW, customer_data
from tests.conftest import ApiClient, logged_in

REPORT = (
    "Mevrouw Bakker belde: de cursusmap ontbrak. Terugbellen op 06-12345678 of mailen naar "
    "a.bakker@example.nl; post naar Lindenlaan 12a, 3512 AB Utrecht."
)


@pytest.fixture
def auditor(make_staff):
    return make_staff("ines", "auditor", first_name="Ines", email="ines@audit.example")


@pytest.fixture
def complaints(employee):
    made = []
    for days in (40, 20, 5):
        made.append(
            complaint_register(
                receiver=employee,
                customer=customer_data(),
                naw_checked=True,
                received_at=NOW - timedelta(days=days),
                channel="phone",
                report=REPORT,
                checklist=Checklist(not_interrupted=True),
                now=NOW - timedelta(days=days),
            )
        )
    return made


def test_management_draws_a_random_sample_from_a_period(manager, complaints) -> None:
    first = (NOW - timedelta(days=30)).date()
    drawn = sample_draw(actor=manager, first=first, last=NOW.date(), count=10, now=NOW)

    assert {sample.complaint for sample in drawn} == set(complaints[1:])
    assert AuditEntry.objects.filter(action="audit_sampled").count() == 2
    # Drawing again adds nothing twice.
    assert sample_draw(actor=manager, first=first, last=NOW.date(), count=10, now=NOW) == []


def test_only_management_chooses_the_dossiers(auditor, employee, complaints) -> None:
    for who in (auditor, employee):
        with pytest.raises(NotAllowed):
            sample_add(actor=who, reference=complaints[0].reference, now=NOW)
    response = logged_in(auditor).post(
        "/audit/steekproef/toevoegen/", {"kenmerk": complaints[0].reference}
    )
    assert response.status_code == 422
    assert not AuditSample.objects.exists()


def test_the_auditor_reads_a_sampled_dossier_without_the_customers_data(
    manager, auditor, complaints
) -> None:
    sampled, other = complaints[0], complaints[1]
    sample_add(actor=manager, reference=sampled.reference, now=NOW)
    client = logged_in(auditor)

    index = client.get("/audit/").content.decode()
    assert sampled.reference in index
    assert other.reference not in index
    page = client.get(f"/audit/dossier/{sampled.reference}/")

    assert page.status_code == 200
    html = page.content.decode()
    for personal in ("Bakker", "06-12345678", "a.bakker@example.nl", "Lindenlaan", "3512"):
        assert personal not in html, personal
    assert "[klant]" in html
    assert "[telefoonnummer]" in html
    assert "[e-mailadres]" in html
    assert "[adres]" in html
    assert "de cursusmap ontbrak" in html
    assert "Contact met de klant" in html  # the deadlines, with their verdicts
    # Every read is logged, the dossier with its complaint.
    reads = AuditEntry.objects.filter(action="auditor_read", actor=auditor)
    assert {entry.after["what"] for entry in reads} == {"sample", "dossier"}
    assert reads.filter(complaint=sampled).exists()

    assert client.get(f"/audit/dossier/{other.reference}/").status_code == 404


def test_the_auditor_reads_nothing_else_and_writes_nothing(auditor, complaints) -> None:
    client = logged_in(auditor)
    complaint = complaints[0]

    assert client.get("/")["Location"] == "/audit/"
    assert client.get(f"/meldingen/{complaint.reference}/").status_code == 404
    assert client.get(f"/meldingen/klantmap/{complaint.customer_id}/").status_code == 404
    assert client.get("/instellingen/").status_code == 403
    assert complaint.reference not in client.get("/meldingen/").content.decode()
    found = client.get("/meldingen/klanten/zoeken/", {"customer_search": "a.bakker@example.nl"})
    assert "Bakker" not in found.content.decode()

    from klachten.accounts.services import token_create

    _token, raw = token_create(staff=auditor)
    api = ApiClient(raw)
    assert api.get("/api/v1/complaints").json()["items"] == []
    before = Complaint.objects.count()
    refused = api.post(
        "/api/v1/complaints",
        {
            "customer": json.loads(json.dumps(customer_data().__dict__)),
            "channel": "phone",
            "report": "Probeersel.",
            "checklist": {},
        },
    )
    assert 400 <= refused.status_code < 500
    assert refused.json()["code"] == "read_only"
    assert Complaint.objects.count() == before


def test_an_employee_has_no_audit_pages(employee) -> None:
    assert logged_in(employee).get("/audit/").status_code == 403


def test_a_sample_period_the_wrong_way_round_is_explained(manager) -> None:
    response = logged_in(manager).post(
        "/audit/steekproef/trekken/",
        {"van": date(2026, 3, 1).isoformat(), "tot": date(2026, 2, 1).isoformat(), "aantal": 5},
    )
    assert response.status_code == 422
    assert "De einddatum ligt voor de begindatum." in response.content.decode()


def test_the_auditor_downloads_the_register_without_names(auditor, complaints) -> None:
    response = logged_in(auditor).get(
        "/dashboard/register/",
        {
            "van": (NOW - timedelta(days=60)).date().isoformat(),
            "tot": NOW.date().isoformat(),
            "formaat": "csv",
            "namen": "on",
        },
    )

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    for complaint in complaints:
        assert complaint.reference in text
    assert "Bakker" not in text
    assert AuditEntry.objects.filter(action="register_exported", actor=auditor).exists()


def test_the_auditor_reads_the_figures_and_the_measures_but_changes_nothing(auditor) -> None:
    client = logged_in(auditor)

    assert client.get("/dashboard/").status_code == 200
    measures = client.get("/dashboard/maatregelen/")
    assert measures.status_code == 200
    assert "/dashboard/maatregelen/nieuw/" not in measures.content.decode()
    assert client.get("/dashboard/maatregelen/nieuw/").status_code == 403
    reads = AuditEntry.objects.filter(action="auditor_read", actor=auditor)
    assert {entry.after["what"] for entry in reads} >= {"dashboard", "measures"}
