"""Staff mails a person can act on, in their own language (#10, item 14; R3, R15).

Every staff mail links to the complaint (``KLACHTEN_BASE_URL`` + its path) and is written in
the recipient's language (their setting); deadlines are named as in the customer's texts
(item 9). Mails carry a ``Date`` with the Amsterdam offset and a Message-ID in the
installation's own domain; the employee's phone is international on the card and in links.
"""

from __future__ import annotations

from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import vobject
from django.test import Client

from klachten.complaints.reminders import reminders_send
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import complaint_assign, complaint_contact, complaint_register
from klachten.mail.models import OutboxMessage
from klachten.mail.outbox import outbox_deliver
from klachten.messaging.services import customer_message_send
from tests.messaging.conftest import CHECKLIST, CUSTOMER, NOW, REPORT, MailServer


def register(receiver: Any) -> Any:
    return complaint_register(
        receiver=receiver,
        customer=CUSTOMER,
        received_at=NOW - timedelta(minutes=5),
        channel="phone",
        report=REPORT,
        checklist=CHECKLIST,
        now=NOW,
    )


def test_every_staff_mail_links_to_the_complaint(
    settings: Any, employee: Any, colleague: Any, manager: Any
) -> None:
    """R3 alert, the assignment and a step update (R15) each carry the complaint's address."""
    settings.BASE_URL = "https://klachten.kerngroep.nl"
    complaint = register(employee)
    complaint = complaint_assign(
        complaint=complaint, actor=manager, handler=colleague, now=NOW + timedelta(hours=1)
    )
    complaint_contact(
        complaint=complaint,
        actor=colleague,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=date(2026, 11, 9),
        now=NOW + timedelta(hours=2),
    )
    link = f"https://klachten.kerngroep.nl/meldingen/{complaint.reference}/"
    mails = list(OutboxMessage.objects.order_by("id"))
    assert [mail.to for mail in mails] == [manager.email, colleague.email, employee.email]
    for mail in mails:
        assert link in mail.body, mail.subject
        assert mail.complaint_id == complaint.pk


def test_each_recipient_reads_the_alert_in_their_own_language(
    employee: Any, manager: Any, second_manager: Any
) -> None:
    """R3: one manager reads English, the other Dutch; the deadline as a day and a time."""
    second_manager.language = "en"
    second_manager.save(update_fields=["language"])
    register(employee)
    dutch = OutboxMessage.objects.get(to=manager.email)
    english = OutboxMessage.objects.get(to=second_manager.email)
    assert dutch.subject.startswith("Nieuwe klacht")
    assert "Contact met de klant uiterlijk: dinsdag 3 november om 09:55 (R3)" in dutch.body
    assert english.subject.startswith("New complaint")
    assert "Dear Ingrid," in english.body
    assert "Tuesday 3 November at 09:55" in english.body
    assert "24 working hours" in english.body
    assert "dinsdag" not in english.body
    assert "werkuren" not in english.body


def test_the_date_header_carries_the_amsterdam_offset_and_the_message_id_the_base_url_host(
    smtp: MailServer, settings: Any, employee: Any, manager: Any
) -> None:
    """In November Amsterdam is UTC+1; in summer +2. The Message-ID names the installation."""
    settings.BASE_URL = "https://meldingen.kerngroep.nl:8443/"
    register(employee)
    outbox_deliver(now=NOW)
    [mail] = smtp.delivered
    assert str(mail.message["Date"]).endswith("+0100")
    assert parsedate_to_datetime(str(mail.message["Date"])) == NOW
    assert mail.message_id.endswith("@meldingen.kerngroep.nl>")

    summer = NOW.replace(year=2027, month=7, day=5)
    OutboxMessage.objects.update(created_at=summer, sent_at=None, next_attempt_at=summer)
    outbox_deliver(now=summer)
    assert str(smtp.delivered[-1].message["Date"]).endswith("+0200")


def test_the_card_gives_the_phone_number_internationally(
    smtp: MailServer, employee: Any, manager: Any
) -> None:
    """R14: the vCard's TEL is E.164, the signature +31 …, whatever the employee typed."""
    complaint = register(employee)
    customer_message_send(
        complaint=complaint,
        author=employee,
        kind="free",
        channel="email",
        subject="Uw melding",
        body="Geachte mevrouw Bakker,\n\nTot morgen.",
        now=NOW,
    )
    outbox_deliver(now=NOW)
    [mail] = [d for d in smtp.delivered if d.rcpt_tos == ("a.bakker@example.nl",)]
    assert "Direct: +31 30 760 2211" in mail.message.get_body().get_content()
    [attachment] = list(mail.message.iter_attachments())
    card = vobject.readOne(attachment.get_content())
    assert card.tel.value == "+31307602211"
    assert card.tel.params["TYPE"] == ["WORK", "VOICE"]


def test_the_status_page_links_the_handlers_phone_as_a_global_number(
    employee: Any, manager: Any
) -> None:
    complaint = register(employee)
    html = Client().get(f"/status/{status_token_for(complaint)}/").content.decode()
    assert 'href="tel:+31307602211"' in html
    assert "+31 30 760 2211" in html


def test_a_reminder_in_english_names_the_term_in_english(employee: Any, manager: Any) -> None:
    """R3, R15: the receiver reads English; the term and the deadline are English too."""
    employee.language = "en"
    employee.save(update_fields=["language"])
    complaint = register(employee)
    OutboxMessage.objects.all().delete()
    assert reminders_send(now=NOW + timedelta(hours=20)) == 1  # Tuesday 06:00
    [mail] = OutboxMessage.objects.all()
    assert mail.to == employee.email
    assert "by Tuesday 3 November at 09:55" in mail.body
    assert "24 working hours" in mail.body
    assert "werkuren" not in mail.body
    assert f"/meldingen/{complaint.reference}/" in mail.body
