"""The whole conversation in the file, in a real Chromium against real mail servers (#13, item 9).

The customer reports on the website and gets the confirmation by SMTP (aiosmtpd: their mail
provider). They answer it from their mail program: the answer goes by SMTP to the institute's
mail server (aiosmtpd again), which delivers it into the product's IMAP mailbox (Dovecot). The
worker reads the mailbox; the employee takes the report up, sees the answer on the complaint
page and replies; the customer reads the reply on the status page and writes back there, with
a file. Every step through the real protocol, none through the code under test's internals.
"""

from __future__ import annotations

import email
import email.policy
import re
import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from tests.e2e.conftest import WAIT_MS
from tests.e2e.test_complaint_journey import _log_in
from tests.mail.dovecot import Dovecot, dovecot  # noqa: F401 - the fixture
from tests.messaging.conftest import READY_TIMEOUT, smtp, smtp_server  # noqa: F401 - fixtures
from tests.ports import free_port

INSTITUTE = "klachten@kerngroep.nl"


class DeliverToMailbox:
    """The institute's mail server: what it accepts for the complaints address it delivers
    into the IMAP mailbox, as a mail server hands mail to its message store."""

    def __init__(self, store: Dovecot) -> None:
        self.store = store
        self.delivered: list[int] = []

    async def handle_DATA(  # noqa: N802 - the hook name is aiosmtpd's
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        self.delivered.append(self.store.append(envelope.original_content))
        return "250 2.0.0 Delivered to the mailbox"


@pytest.fixture
def institute_mx(dovecot: Dovecot) -> Iterator[tuple[Controller, DeliverToMailbox]]:  # noqa: F811
    handler = DeliverToMailbox(dovecot)
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), ready_timeout=READY_TIMEOUT
    )
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def web_report(manager: Any, smtp: Any, settings: Any, dovecot: Dovecot) -> Any:  # noqa: F811
    """A report from the website; its confirmation delivered to the customer by SMTP."""
    from klachten.complaints.models import Complaint
    from klachten.customers.validation import CustomerData
    from klachten.mail.outbox import outbox_deliver
    from klachten.public.services import WebReport, web_report_submit

    settings.INBOUND_MAIL_URL = dovecot.url()
    settings.INBOUND_MAIL_ADDRESS = INSTITUTE
    now = timezone.now()
    received = web_report_submit(
        customer=CustomerData(
            name="Anja de Boer",
            street="Lindenlaan",
            house_number="12",
            postcode="3512 AB",
            town="Utrecht",
            email="anja@example.nl",
            phone="",
        ),
        report=WebReport(
            course="Leidinggeven in de praktijk",
            what_happened="De les van dinsdag ging niet door en niemand heeft mij gebeld.",
            wish="Een nieuwe datum voor de les.",
            language="nl",
        ),
        files=[],
        address_hash="e2e",
        honeypot="",
        now=now,
    )
    outbox_deliver(now=now)
    return Complaint.objects.get(pk=received.complaint.pk)


def _confirmation(smtp: Any, complaint: Any) -> EmailMessage:  # noqa: F811
    [mail] = [
        delivered.message
        for delivered in smtp.delivered
        if delivered.rcpt_tos == ("anja@example.nl",)
        and complaint.reference in delivered.message["Subject"]
    ]
    return mail


def _answer(confirmation: EmailMessage, text: str) -> bytes:
    """What a mail program makes of "Beantwoorden": to the Reply-To, threaded, quoted."""
    answer = EmailMessage()
    answer["From"] = "Anja de Boer <anja@example.nl>"
    answer["To"] = confirmation["Reply-To"]
    answer["Subject"] = f"Re: {confirmation['Subject']}"
    answer["In-Reply-To"] = confirmation["Message-ID"]
    answer["References"] = confirmation["Message-ID"]
    answer["Date"] = email.utils.format_datetime(timezone.now())
    answer["Message-ID"] = email.utils.make_msgid(domain="example.nl")
    quoted = "\n".join(
        f"> {line}" for line in confirmation.get_body(("plain",)).get_content().splitlines()
    )
    answer.set_content(f"{text}\n\nOp {confirmation['Date']} schreef Kerngroep:\n{quoted}\n")
    return answer.as_bytes(policy=email.policy.SMTP)


def test_the_customer_answers_by_mail_and_on_the_status_page_and_all_is_in_the_file(
    page: Any,
    browser: Any,
    live_server: Any,
    employee: Any,
    web_report: Any,
    smtp: Any,  # noqa: F811
    institute_mx: Any,
    tmp_path: Any,
) -> None:
    from klachten.mail.models import OutboxMessage
    from klachten.messaging.models import IncomingMessage
    from klachten.public.inbound import mailbox_fetch

    complaint = web_report
    confirmation = _confirmation(smtp, complaint)
    assert confirmation["Reply-To"] == INSTITUTE
    assert confirmation["Auto-Submitted"] == "auto-generated"
    status_link = re.search(
        r"https?://\S+/status/\S+/", confirmation.get_body(("plain",)).get_content()
    )
    assert status_link, "the confirmation carries the status link"

    # The customer answers from their mail program; the mail server delivers it to the mailbox.
    controller, mx = institute_mx
    with smtplib.SMTP(controller.hostname, controller.port, timeout=60) as client:
        client.sendmail(
            "anja@example.nl",
            [INSTITUTE],
            _answer(confirmation, "Dinsdag 15 december kan ik ook, als dat lukt."),
        )
    assert len(mx.delivered) == 1

    # The worker reads the mailbox: the answer goes to the complaint, once.
    [received] = list(mailbox_fetch(once=True))
    assert (received.outcome, received.reference) == ("attached", complaint.reference)

    # The employee takes the report up, sees the answer on the complaint page and replies.
    _log_in(page, employee)
    page.goto(f"/meldingen/{complaint.reference}/")
    page.get_by_role("button", name="Oppakken").click()
    answer = page.locator("#tijdlijn article.incoming")
    answer.get_by_text("Dinsdag 15 december kan ik ook, als dat lukt.", exact=True).wait_for()
    assert "E-mail van Anja de Boer" in answer.inner_text()
    assert "schreef Kerngroep" not in answer.locator(".message-text").first.inner_text()

    page.locator("#berichten > summary").click()  # the menu "Bericht aan de klant"
    page.get_by_role("link", name="Vrij bericht").click()
    page.get_by_role("heading", level=1, name="Vrij bericht").wait_for()
    page.get_by_label("Tekst", exact=True).fill(
        "Beste mevrouw De Boer,\n\nDank voor uw antwoord. Dinsdag 15 december staat de les "
        "voor u klaar, om 19.00 uur in zaal 3.\n\nMet vriendelijke groet,"
    )
    page.locator("#id_body_check").get_by_text(
        "Geen opmerkingen: deze tekst kan naar de klant."
    ).wait_for()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_text("Het bericht is verstuurd naar anja@example.nl.").wait_for()

    # The customer reads the reply on their status page and writes back there, with a file.
    customer = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        status = customer.new_page()
        status.set_default_timeout(WAIT_MS)
        status.goto(urlsplit(status_link.group(0)).path)
        conversation = status.locator("#berichten")
        conversation.get_by_text("Dinsdag 15 december kan ik ook, als dat lukt.").wait_for()
        conversation.get_by_text("om 19.00 uur in zaal 3").wait_for()
        schedule = tmp_path / "rooster.pdf"
        schedule.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        status.get_by_label("Uw bericht").fill("Fijn, dan kom ik. Mijn rooster stuur ik mee.")
        status.get_by_label("Bestanden meesturen (niet verplicht)").set_input_files(str(schedule))
        status.get_by_role("button", name="Bericht versturen").click()
        status.get_by_text("Dank u wel, we hebben uw bericht ontvangen.").wait_for()
        conversation.get_by_text("Fijn, dan kom ik. Mijn rooster stuur ik mee.").wait_for()
    finally:
        customer.close()

    # Everything is in the file: the mail, the reply, the message with its file.
    messages = list(IncomingMessage.objects.filter(complaint=complaint).order_by("received_at"))
    assert [message.channel for message in messages] == ["email", "status_page"]
    assert [file.original_name for file in messages[1].attachments.all()] == ["rooster.pdf"]
    assert OutboxMessage.objects.filter(
        complaint=complaint, to=employee.email, key__contains=f"incoming-{messages[1].pk}"
    ).exists()
    page.goto(f"/meldingen/{complaint.reference}/")
    latest = page.locator("#tijdlijn article.incoming", has_text="Mijn rooster stuur ik mee.")
    latest.get_by_role("link", name="rooster.pdf").wait_for()
    assert "Via de persoonlijke pagina" in latest.inner_text()
