"""Every complaint is acknowledged in writing (#10, item 9a; CRKBO, ISO 10002 §7.3).

Registering a complaint taken by phone, at the desk, from an e-mail or a letter sends the
standard receipt confirmation with the private status link and the employee's card (R14),
through the wording guard (R13, R12) — by e-mail when the customer file has an address,
otherwise as a letter waiting to be printed — unless the employee unticks it. Reports from the
website keep their own confirmation.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import complaint_status_url
from klachten.core.prepared import statement_sql
from klachten.domain import wording
from klachten.mail.models import OutboxMessage
from klachten.messaging.models import CustomerMessage, MessageChannel, MessageKind
from klachten.messaging.services import complaint_register_and_confirm
from klachten.public.services import WebReport, web_report_submit
from tests.api.test_complaints import registration
from tests.messaging.conftest import CHECKLIST, CUSTOMER, NOW, REPORT

INTAKE = {
    "customer_id": "",
    "customer_search": "",
    "name": "Dhr. K. Smit",
    "street": "Stationsweg",
    "house_number": "4",
    "postcode": "2312 av",
    "town": "Leiden",
    "country": "NL",
    "email": "k.smit@example.nl",
    "phone": "071 512 3456",
    "naw_checked": "on",
    "report": "Uitnodiging voor de training kwam een dag te laat; meneer miste de eerste les.",
    "business_card_given": "on",
    "channel": "phone",
    "received_at": "2026-11-02T09:30",
    "send_receipt": "on",
}


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def petra(employee: Any) -> Client:
    client = Client()
    client.force_login(employee)
    return client


def r13(text: str) -> list[str]:
    return [finding.text for finding in wording.check(text) if finding.rule == "R13"]


def receipt_checkbox(html: str) -> str:
    [tag] = re.findall(r'<input[^>]*name="send_receipt"[^>]*>', html)
    return tag


def customer_mails() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(purpose="customer"))


def test_an_intake_by_phone_sends_the_receipt_by_email_with_the_status_link_and_the_card(
    petra: Client, employee: Any, manager: Any
) -> None:
    """R14: the employee's card as signature and vCard; R13: no forbidden word; the private
    status link; in the same transaction as the registration, through the outbox."""
    response = petra.post("/meldingen/nieuw/", INTAKE, follow=True)
    html = response.content.decode()
    complaint = Complaint.objects.get()
    [receipt] = CustomerMessage.objects.filter(complaint=complaint)
    assert receipt.kind == MessageKind.RECEIPT
    assert receipt.channel == MessageChannel.EMAIL
    assert receipt.author == employee
    assert "De ontvangstbevestiging gaat per e-mail naar k.smit@example.nl." in html
    [mail] = customer_mails()
    assert mail == receipt.outbox
    assert mail.to == "k.smit@example.nl"
    assert mail.reply_to == employee.email
    assert complaint_status_url(complaint) in mail.body
    assert complaint.reference in mail.subject
    assert "Petra de Vries\nCursuscoördinator, Kerngroep\nDirect: +31 30 760 2211" in mail.body
    assert [a.filename for a in mail.attachments.all()] == ["petra-de-vries.vcf"]
    assert r13(mail.subject) == r13(mail.body) == []
    assert [m.to for m in OutboxMessage.objects.filter(purpose="alert")] == [manager.email]
    # On the complaint page, the receipt is the first message to the customer.
    assert "Uw melding" in petra.get(f"/meldingen/{complaint.reference}/").content.decode()


def test_without_an_email_address_the_receipt_waits_as_a_letter_to_post(
    petra: Client, employee: Any, manager: Any
) -> None:
    response = petra.post("/meldingen/nieuw/", {**INTAKE, "email": ""}, follow=True)
    html = response.content.decode()
    complaint = Complaint.objects.get()
    [receipt] = CustomerMessage.objects.filter(complaint=complaint)
    assert receipt.channel == MessageChannel.LETTER
    assert receipt.sent_at is None  # to be printed and posted
    assert "Stationsweg 4" in receipt.recipient
    assert customer_mails() == []
    assert "staat klaar als brief" in html
    page = petra.get(f"/meldingen/{complaint.reference}/").content.decode()
    assert "nog op de post doen" in page


def test_unticked_no_receipt_is_sent(petra: Client, employee: Any, manager: Any) -> None:
    data = {key: value for key, value in INTAKE.items() if key != "send_receipt"}
    response = petra.post("/meldingen/nieuw/", data)
    assert response.status_code == 302
    assert CustomerMessage.objects.count() == 0
    assert customer_mails() == []


def test_the_intake_offers_the_receipt_ticked(petra: Client) -> None:
    html = petra.get("/meldingen/nieuw/").content.decode()
    assert 'name="send_receipt"' in html
    assert "Ontvangstbevestiging sturen" in html
    assert "checked" in receipt_checkbox(html)


def test_searching_for_a_customer_keeps_the_receipt_unticked(petra: Client) -> None:
    """Nothing typed is lost: an unticked receipt stays unticked after a search."""
    data = {k: v for k, v in INTAKE.items() if k != "send_receipt"}
    html = petra.post("/meldingen/nieuw/", {**data, "zoek_klant": "1"}).content.decode()
    assert "checked" not in receipt_checkbox(html)


def test_an_incomplete_card_does_not_stop_the_registration_and_says_why(
    make_staff: Any, manager: Any
) -> None:
    """R14: no receipt without the employee's card; the complaint is registered all the same,
    the timeline says the receipt did not go, and the employee reads why."""
    bare = make_staff("kees", "employee", email="kees@kerngroep.nl")  # no phone number
    client = Client()
    client.force_login(bare)
    response = client.post("/meldingen/nieuw/", INTAKE, follow=True)
    html = response.content.decode()
    complaint = Complaint.objects.get()
    assert CustomerMessage.objects.count() == 0
    assert "De ontvangstbevestiging is niet verstuurd" in html
    assert "visitekaartje is niet compleet" in html
    entry = AuditEntry.objects.get(complaint=complaint, action="receipt_not_sent")
    assert entry.after == {"reason": "card_incomplete"}
    assert OutboxMessage.objects.filter(purpose="alert").count() == 1  # R3 all the same


def test_the_service_sends_by_email_or_as_a_letter_in_the_registrations_transaction(
    employee: Any, manager: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        registered = complaint_register_and_confirm(
            send_receipt=True,
            receiver=employee,
            customer=replace(CUSTOMER, email=""),
            received_at=NOW - timedelta(minutes=5),
            channel="letter",
            report=REPORT,
            checklist=CHECKLIST,
            now=NOW,
        )
    assert registered.receipt is not None
    assert registered.receipt.channel == MessageChannel.LETTER
    assert len(callbacks) == 1  # one transaction, one wake-up of the worker


def _by_phone(employee: Any, *, send_receipt: bool) -> Any:
    """A complaint taken in by phone five minutes ago, through the service."""
    return complaint_register_and_confirm(
        send_receipt=send_receipt,
        receiver=employee,
        customer=CUSTOMER,
        received_at=NOW - timedelta(minutes=5),
        channel="phone",
        report=REPORT,
        checklist=CHECKLIST,
        now=NOW,
    )


@pytest.mark.parametrize("send_receipt", [True, False])
def test_what_a_registration_reads_it_reads_before_its_first_write(
    employee: Any, manager: Any, send_receipt: bool
) -> None:
    """The settings, the calendar and the receipt's template are read once, before the
    registration writes anything: SQLite's write lock, which every other registration waits
    for, is held for the writes alone (the registering budget of issue #3)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        registered = _by_phone(employee, send_receipt=send_receipt)
    assert (registered.receipt is not None) is send_receipt
    # On PostgreSQL a prepared read is an EXECUTE of its statement: the SQL behind it counts.
    sql = [statement_sql(query["sql"]) for query in queries.captured_queries]
    first_write = next(i for i, s in enumerate(sql) if s.startswith("INSERT"))
    tables = ["organisation_organisationsettings", "organisation_calendarsettings"]
    tables += ["organisation_closingday", *(["messaging_messagetemplate"] if send_receipt else [])]
    for table in tables:
        reads = [i for i, s in enumerate(sql) if s.startswith("SELECT") and f'"{table}"' in s]
        assert len(reads) == 1, (table, reads)
        assert reads[0] < first_write, table


def test_a_receipt_refused_in_its_writes_takes_back_the_receipt_not_the_complaint(
    employee: Any, manager: Any, monkeypatch: Any
) -> None:
    """The registration and its receipt are one transaction with one savepoint, the
    receipt's own (#17: the complaint's and a second one around the receipt were
    redundant): a refusal raised while the receipt is being written takes back what it wrote
    and nothing else; the complaint, its alert (R3) and the log of why stay."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klachten.core.errors import NotAllowed
    from klachten.messaging import services

    written = services.audit_append

    def refuse_the_receipt(**entry: Any) -> None:
        written(**entry)  # written first, so there is something to take back
        if entry["action"] == "message_sent":
            raise NotAllowed("refused_late", "Geweigerd tijdens het schrijven.")

    monkeypatch.setattr(services, "audit_append", refuse_the_receipt)
    with CaptureQueriesContext(connection) as queries:
        registered = _by_phone(employee, send_receipt=True)
    assert registered.receipt is None
    assert registered.receipt_refused == "Geweigerd tijdens het schrijven."
    complaint = Complaint.objects.get()
    assert CustomerMessage.objects.count() == 0
    assert not AuditEntry.objects.filter(action="message_sent").exists()
    assert AuditEntry.objects.get(action="receipt_not_sent").complaint == complaint
    assert list(OutboxMessage.objects.values_list("purpose", flat=True)) == ["alert"]
    savepoints = [q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    # The test's own transaction makes the registration's a savepoint too; the receipt's is
    # the other.
    assert len(savepoints) == 2


def test_a_changed_setting_applies_to_the_next_registration(employee: Any, manager: Any) -> None:
    """Reading once holds for one registration only: the next one reads the settings anew."""
    from klachten.organisation.models import OrganisationSettings

    def register() -> Any:
        return _by_phone(employee, send_receipt=True)

    register()
    OrganisationSettings.objects.update_or_create(
        pk=OrganisationSettings.SINGLETON_PK, defaults={"name": "Kerngroep Opleidingen"}
    )
    second = register()
    assert second.receipt is not None
    assert "Kerngroep Opleidingen" in second.receipt.card["organisation"]


# --- The API -----------------------------------------------------------------------------------


def test_the_api_sends_the_receipt_by_default(api: Any, manager: Any) -> None:
    body = {k: v for k, v in registration().items() if k != "send_receipt"}
    response = api.post("/api/v1/complaints", body)
    assert response.status_code == 201, response.json()
    reference = response.json()["reference"]
    [message] = api.get(f"/api/v1/complaints/{reference}/messages").json()
    assert message["kind"] == "receipt"
    assert message["channel"] == "email"
    assert [m.to for m in customer_mails()] == ["a.bakker@example.nl"]


def test_the_api_leaves_the_receipt_out_on_request(api: Any, manager: Any) -> None:
    response = api.post("/api/v1/complaints", registration(send_receipt=False))
    assert response.status_code == 201, response.json()
    assert CustomerMessage.objects.count() == 0
    assert customer_mails() == []


def test_send_receipt_must_be_a_boolean(api: Any, manager: Any) -> None:
    response = api.post("/api/v1/complaints", registration(send_receipt="ja"))
    assert response.status_code == 422
    assert Complaint.objects.count() == 0


# --- Web reports keep their own confirmation ---------------------------------------------------


def test_a_web_report_gets_its_own_confirmation_and_no_second_one(manager: Any) -> None:
    web_report_submit(
        customer=CUSTOMER,
        report=WebReport(
            course="Excel", what_happened="De les ging niet door.", wish="", language="nl"
        ),
        files=[],
        address_hash="x",
        honeypot="",
        now=NOW,
    )
    [mail] = customer_mails()
    assert mail.key.endswith("-confirmation")
    assert CustomerMessage.objects.count() == 0
