"""Mail that can never be delivered is given up, shown, and counted (#10, items 19 and 20).

Against a real SMTP server (aiosmtpd) that answers 550 or 451: a permanent refusal, a mail the
mail library cannot write, or a day of temporary refusals marks the mail failed — no more
attempts. The complaint page then says whether management was really told (R3), which mail did
not arrive (the customer's confirmation too), management and the handler see it on their start
page, and ``/gezondheid/`` counts it. A subject with a line break is refused where it is typed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from klachten.complaints.models import Complaint
from klachten.complaints.services import complaint_register
from klachten.core.errors import InvalidInput
from klachten.mail.models import OutboxMessage
from klachten.mail.outbox import FAIL_AFTER, outbox_deliver, outbox_enqueue
from klachten.messaging.models import CustomerMessage, MessageTemplate
from klachten.messaging.services import customer_message_send, message_template_save
from klachten.public.services import web_report_confirm
from tests.messaging.conftest import CHECKLIST, CUSTOMER, NOW, REPORT, MailServer

REFUSED = "550 5.1.1 Mailbox onbekend"


@pytest.fixture(autouse=True)
def clock() -> Any:
    """The pages read the clock: two days after the mails of ``NOW`` were given up."""
    with time_machine.travel(NOW + timedelta(days=2), tick=False) as traveller:
        yield traveller


def register(receiver: Any, **changes: Any) -> Complaint:
    fields = {
        "receiver": receiver,
        "customer": CUSTOMER,
        "received_at": NOW - timedelta(minutes=5),
        "channel": "phone",
        "report": REPORT,
        "checklist": CHECKLIST,
        "now": NOW,
    }
    return complaint_register(**{**fields, **changes})


def page(staff: Any, path: str) -> str:
    client = Client()
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# --- When management was really told (R3) -------------------------------------------------------


def test_management_is_informed_when_the_mail_server_accepts_the_alert(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    """R3: "Directie is ingelicht op …" from the moment the server accepted the alert, not the
    moment of registering; until then the page says the alert is on its way."""
    complaint = register(employee)
    assert complaint.management_informed_at is None
    html = page(employee, f"/meldingen/{complaint.reference}/")
    assert "Directie wordt ingelicht" in html

    assert outbox_deliver(now=NOW + timedelta(minutes=2)) == 1
    complaint.refresh_from_db()
    alert = OutboxMessage.objects.get(purpose="alert")
    assert alert.sent_at is not None
    assert complaint.management_informed_at == alert.sent_at
    assert complaint.management_informed_at >= NOW + timedelta(minutes=2)
    assert "Directie is ingelicht op ma 2 nov 2026, 10:02" in page(
        employee, f"/meldingen/{complaint.reference}/"
    )


def test_a_permanently_refused_alert_is_given_up_at_once_and_shown_everywhere(
    smtp: MailServer, employee: Any, manager: Any, clock: Any
) -> None:
    """A 550 for the only manager's address: marked failed after one attempt, never tried
    again; the complaint says management was not told, the start pages list it, and the
    health check counts it."""
    smtp.handler.refuse_rcpt[manager.email] = REFUSED
    complaint = register(employee)

    assert outbox_deliver(now=NOW) == 0
    alert = OutboxMessage.objects.get(purpose="alert")
    assert alert.failed_at is not None
    assert alert.attempts == 1
    assert "550" in alert.last_error
    for later in (timedelta(minutes=1), timedelta(hours=2), timedelta(days=3)):
        assert outbox_deliver(now=NOW + later) == 0
    alert.refresh_from_db()
    assert alert.attempts == 1

    html = page(employee, f"/meldingen/{complaint.reference}/")
    assert "Directie is niet ingelicht" in html
    assert "Mailbox onbekend" in html
    home = page(manager, "/")
    assert "Berichten die niet zijn afgeleverd" in home
    assert complaint.reference in home
    assert complaint.reference in page(employee, "/")  # the receiver and handler see it too
    assert Client().get("/gezondheid/").json()["mail_failed"] == 1
    clock.move_to(NOW + timedelta(days=31))  # an old failure no longer raises the alarm
    assert Client().get("/gezondheid/").json()["mail_failed"] == 0


def test_an_employee_does_not_see_failed_mails_of_complaints_that_are_not_theirs(
    smtp: MailServer, employee: Any, colleague: Any, manager: Any
) -> None:
    """R2: the start page lists only the employee's own complaints' mails."""
    smtp.handler.refuse_rcpt[manager.email] = REFUSED
    complaint = register(employee)
    outbox_deliver(now=NOW)
    assert complaint.reference not in page(colleague, "/")


def test_temporary_refusals_are_retried_for_a_day_then_given_up(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    """A 451 is retried with back-off; still refused a day after the first refusal, the mail
    is given up and shown."""
    smtp.handler.refuse_data = "451 4.3.0 Probeer het later nog eens"
    complaint = register(employee)
    moment = NOW
    while moment < NOW + FAIL_AFTER:
        outbox_deliver(now=moment)
        alert = OutboxMessage.objects.get(purpose="alert")
        assert alert.failed_at is None
        moment = alert.next_attempt_at + timedelta(seconds=1)
    outbox_deliver(now=moment)
    alert.refresh_from_db()
    assert alert.failed_at is not None
    assert alert.attempts > 10
    assert "Directie is niet ingelicht" in page(employee, f"/meldingen/{complaint.reference}/")
    assert outbox_deliver(now=moment + timedelta(hours=2)) == 0


def test_without_a_manager_with_an_address_the_page_says_nobody_was_told(
    employee: Any, manager: Any
) -> None:
    """R3: an alert that reaches nobody is a breach; the page says so."""
    type(manager).objects.filter(pk=manager.pk).update(email="")
    complaint = register(employee)
    assert not OutboxMessage.objects.filter(purpose="alert").exists()
    assert "geen directielid heeft een e-mailadres" in page(
        employee, f"/meldingen/{complaint.reference}/"
    )


def test_managers_without_an_address_are_warned_about_on_the_start_page(
    manager: Any, second_manager: Any
) -> None:
    type(second_manager).objects.filter(pk=second_manager.pk).update(email="")
    home = page(manager, "/")
    assert "Directieleden zonder e-mailadres" in home
    assert "Ingrid Smit" in home
    assert "U heeft geen e-mailadres" in page(
        type(second_manager).objects.get(pk=second_manager.pk), "/mijn-gegevens/"
    )


# --- The customer's mails ----------------------------------------------------------------------


def test_a_customers_confirmation_that_bounced_shows_on_the_complaint(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    smtp.handler.refuse_rcpt["a.bakker@example.nl"] = REFUSED
    complaint = register(employee)
    web_report_confirm(complaint=complaint, language="nl", now=NOW)
    outbox_deliver(now=NOW)
    html = page(employee, f"/meldingen/{complaint.reference}/")
    assert "Directie is ingelicht op" in html
    assert "Aan de klant (a.bakker@example.nl)" in html
    assert "niet afgeleverd en wordt niet opnieuw geprobeerd" in html
    assert "Controleer het e-mailadres in de klantmap" in html


def test_a_message_to_the_customer_that_bounced_says_so_on_the_message(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    smtp.handler.refuse_rcpt["a.bakker@example.nl"] = REFUSED
    complaint = register(employee)
    message = customer_message_send(
        complaint=complaint,
        author=employee,
        kind="free",
        channel="email",
        subject="Uw melding",
        body="Geachte mevrouw Bakker,\n\nTot morgen.",
        now=NOW,
    )
    outbox_deliver(now=NOW)
    html = page(employee, f"/meldingen/{complaint.reference}/berichten/{message.pk}/")
    assert "niet afgeleverd; wordt niet opnieuw geprobeerd" in html
    assert "niet afgeleverd" in page(employee, f"/meldingen/{complaint.reference}/")


# --- A mail that can never be written, and the subject typed with a line break -------------------


def test_a_mail_the_mail_library_refuses_is_failed_at_once_not_retried_forever(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    """#10, item 19: a header with a line break can never be sent; it is given up on the first
    attempt, shown on its complaint and to the handler, and the rest of the run goes out."""
    complaint = register(employee)
    outbox_enqueue(
        key="kapot",
        to="a.bakker@example.nl",
        subject="Uw melding\nBcc: iedereen@example.nl",
        body="Tekst",
        now=NOW,
        complaint=complaint,
        purpose="customer",
    )
    assert outbox_deliver(now=NOW) == 1  # the alert
    broken = OutboxMessage.objects.get(key="kapot")
    assert broken.failed_at is not None
    assert broken.attempts == 1
    assert "BadHeaderError" in broken.last_error
    assert outbox_deliver(now=NOW + timedelta(hours=1)) == 0
    assert [d.rcpt_tos for d in smtp.delivered] == [(manager.email,)]
    assert "Aan de klant (a.bakker@example.nl)" in page(
        employee, f"/meldingen/{complaint.reference}/"
    )
    assert "kapot" not in page(employee, "/")  # the subject shows, not the key
    assert "Uw melding" in page(employee, "/")


@pytest.mark.parametrize("subject", ["Uw melding\nBcc: x@example.nl", "Uw\rmelding", "Uw\tmelding"])
def test_a_subject_with_a_line_break_or_control_character_is_refused_when_typed(
    employee: Any, manager: Any, subject: str
) -> None:
    complaint = register(employee)
    with pytest.raises(InvalidInput) as refused:
        customer_message_send(
            complaint=complaint,
            author=employee,
            kind="free",
            channel="email",
            subject=subject,
            body="Geachte mevrouw Bakker,\n\nTot morgen.",
            now=NOW,
        )
    assert refused.value.code == "invalid_header"
    assert refused.value.field == "subject"
    assert "op één regel" in refused.value.detail
    assert CustomerMessage.objects.count() == 0


def test_the_message_form_says_so_next_to_the_subject_and_keeps_the_text(
    employee: Any, manager: Any
) -> None:
    complaint = register(employee)
    client = Client()
    client.force_login(employee)
    response = client.post(
        f"/meldingen/{complaint.reference}/berichten/vrij/",
        {
            "channel": "email",
            "subject": "Uw melding\r\nBcc: x@example.nl",
            "body": "Geachte mevrouw Bakker,\n\nTot morgen.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Het onderwerp moet op één regel" in html
    assert "Tot morgen." in html
    assert CustomerMessage.objects.count() == 0


def test_the_api_refuses_a_subject_with_a_line_break_with_a_422(
    api: Any, employee: Any, manager: Any
) -> None:
    complaint = register(employee)
    response = api.post(
        f"/api/v1/complaints/{complaint.reference}/messages",
        {"kind": "free", "subject": "Uw melding\nBcc: x@example.nl", "body": "Tot morgen."},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_header"
    assert "op één regel" in response.json()["detail"]


def test_a_template_subject_with_a_line_break_is_refused(manager: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        message_template_save(
            kind="free",
            subject="Uw melding\n{{ kenmerk }}",
            body="Geachte {{ klant }},",
            actor=manager,
            now=NOW,
        )
    assert refused.value.code == "invalid_header"
    assert not MessageTemplate.objects.exists()
