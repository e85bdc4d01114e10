"""Messages to the customer through the services: the guard, the card, e-mail and letters.

R13 blocks a message until rephrased, R12 needs a conscious confirmation, every message carries
the sender's business card (R14) and is stored in the complaint's file as sent; e-mail goes
through the outbox to a real SMTP server with the card as a vCard, a letter becomes a PDF.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import vobject
from pypdf import PdfReader

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import (
    ActionData,
    StepRefused,
    complaint_close,
    complaint_contact,
    complaint_extend,
    complaint_plan_actions,
    complaint_register,
)
from klachten.core.errors import InvalidInput, NotAllowed
from klachten.customers.models import CustomerFile
from klachten.mail.cards import BusinessCard, qr_data_uri
from klachten.mail.models import OutboxMessage
from klachten.mail.outbox import message_id_domain, outbox_deliver
from klachten.messaging.letters import letter_html, letter_pdf
from klachten.messaging.models import CustomerMessage, MessageKind
from klachten.messaging.selectors import DelayInput, message_draft
from klachten.messaging.services import (
    WordingRefused,
    complaint_delay_notice_send,
    customer_message_mark_posted,
    customer_message_send,
    customer_message_send_standard,
    message_findings,
)
from klachten.ops.management.commands.demo import build_demo
from klachten.organisation.models import OrganisationSettings
from tests.messaging.conftest import CHECKLIST, CUSTOMER, NOW, REPORT, MailServer


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def complaint(employee: Any, manager: Any) -> Complaint:
    return complaint_register(
        receiver=employee,
        customer=CUSTOMER,
        received_at=NOW - timedelta(minutes=5),
        channel="phone",
        report=REPORT,
        checklist=CHECKLIST,
        now=NOW,
    )


def contacted(complaint: Complaint, actor: Any, now: datetime = NOW) -> Complaint:
    return complaint_contact(
        complaint=complaint,
        actor=actor,
        at=None,
        channel="phone",
        summary="Mevrouw gebeld; nieuwe map toegezegd.",
        agreed_term=date(2026, 11, 12),
        now=now + timedelta(hours=1),
    )


def send(complaint: Complaint, author: Any, body: str, **changes: Any) -> CustomerMessage:
    fields = {
        "complaint": complaint,
        "author": author,
        "kind": MessageKind.FREE,
        "channel": "email",
        "subject": f"Uw melding {complaint.reference}",
        "body": body,
        "now": NOW + timedelta(hours=2),
    }
    fields.update(changes)
    return customer_message_send(**fields)


# --- The standard messages ---------------------------------------------------------------------


def test_every_standard_message_rendered_with_demo_data_passes_the_guard(db: None) -> None:
    """R12, R13: each standard text, filled in for the demo's complaints in every state, with
    the handler's card, has no finding at all; every kind is rendered at least once."""
    demo = build_demo(seed=7, password="Demo-wachtwoord-2026!", now=NOW)
    rendered: dict[str, int] = dict.fromkeys(MessageKind.values, 0)
    refusals: set[str] = set()
    for complaint in demo.complaints:
        complaint = Complaint.objects.select_related("customer", "handler").get(pk=complaint.pk)
        if complaint.handler is None:
            continue  # a web report nobody has taken up yet: nobody writes to the customer
        card = _card_of(complaint.handler)
        for kind in MessageKind.values:
            delay = None
            if kind == MessageKind.DELAY_NOTICE and not complaint.delay_reason:
                delay = DelayInput(
                    reason="wij wachten op de planning", expected_date=date(2027, 1, 8)
                )
            try:
                draft = message_draft(
                    complaint=complaint, kind=kind, author=complaint.handler, delay=delay
                )
            except InvalidInput as error:
                refusals.add(error.code)
                continue
            findings = message_findings(subject=draft.subject, body=draft.body, card=card)
            assert findings == [], (complaint.reference, kind, findings)
            assert "{{" not in draft.subject + draft.body
            rendered[kind] += 1
    assert all(rendered.values()), rendered
    assert refusals <= {"missing_data"}  # only a fact the complaint does not have yet


def _card_of(staff: Any) -> BusinessCard:
    from klachten.mail.cards import card_for

    return card_for(staff, OrganisationSettings())


def test_the_receipt_confirms_what_happens_next_the_contact_promise_and_the_status_link(
    complaint: Complaint, employee: Any
) -> None:
    """R3: the confirmation of receipt says when the customer will be contacted, and links the
    private status page."""
    draft = message_draft(complaint=complaint, kind=MessageKind.RECEIPT, author=employee)
    assert complaint.reference in draft.subject
    assert "Mevrouw A. Bakker" in draft.body
    assert "Uiterlijk dinsdag 3 november nemen wij contact met u op" in draft.body
    assert f"/status/{status_token_for(complaint)}/" in draft.body


def test_a_message_that_needs_a_fact_the_complaint_lacks_says_what_to_do_first(
    complaint: Complaint, employee: Any
) -> None:
    """R3, R9: no term before contact, no action plan before there is one."""
    with pytest.raises(InvalidInput) as refused:
        message_draft(complaint=complaint, kind=MessageKind.CONTACT_SUMMARY, author=employee)
    assert refused.value.code == "missing_data"
    assert "termijn afspreken" in refused.value.detail
    with pytest.raises(InvalidInput, match="missing_data"):
        message_draft(complaint=complaint, kind=MessageKind.ACTION_PLAN, author=employee)


def test_the_action_plan_reads_what_who_when(complaint: Complaint, employee: Any) -> None:
    """R9: the customer reads every action as what, who and when."""
    complaint = contacted(complaint, employee)
    complaint_plan_actions(
        complaint=complaint,
        actor=employee,
        actions=[ActionData(what="Nieuwe cursusmap opsturen", who=employee, due=date(2026, 11, 4))],
        now=NOW + timedelta(hours=2),
    )
    draft = message_draft(complaint=complaint, kind=MessageKind.ACTION_PLAN, author=employee)
    assert (
        "- Wat: Nieuwe cursusmap opsturen\n  Wie: Petra de Vries\n"
        "  Wanneer: uiterlijk woensdag 4 november"
    ) in draft.body


def test_the_closing_message_names_the_third_party_from_the_settings(
    complaint: Complaint, employee: Any
) -> None:
    """R11: the route to the independent third party, as management set it."""
    OrganisationSettings.objects.create(
        pk=1,
        third_party_name="Stichting Geschillen Opleidingen",
        third_party_website="https://sgo.example",
    )
    draft = message_draft(complaint=complaint, kind=MessageKind.CLOSING, author=employee)
    assert "Stichting Geschillen Opleidingen (https://sgo.example)" in draft.body


# --- The guard ---------------------------------------------------------------------------------


def test_sending_is_refused_for_a_text_with_a_word_of_r13(
    complaint: Complaint, employee: Any
) -> None:
    """R13: refused with every finding and its suggestions; nothing is stored or queued."""
    outbox_before = OutboxMessage.objects.count()
    with pytest.raises(WordingRefused) as refused:
        send(
            complaint, employee, "Geachte mevrouw Bakker,\n\nExcuses voor het probleem met de map."
        )
    assert refused.value.code == "wording_blocked"
    [finding] = refused.value.findings
    assert finding.field == "body"
    assert finding.finding.text == "probleem"
    assert "punt" in finding.finding.suggestions
    assert CustomerMessage.objects.count() == 0
    assert OutboxMessage.objects.count() == outbox_before


def test_a_word_of_r13_in_the_subject_blocks_too(complaint: Complaint, employee: Any) -> None:
    with pytest.raises(WordingRefused) as refused:
        send(complaint, employee, "Geachte mevrouw Bakker,", subject="Uw klacht")
    assert [item.field for item in refused.value.findings] == ["subject"]


def test_a_message_in_english_is_guarded_in_english(complaint: Complaint, employee: Any) -> None:
    """R13 (#11): a message written in English is checked in English: the short subject
    follows its text, and complaint and error block like klacht and fout do."""
    body = (
        "Dear Mrs Bakker,\n\nThank you for your call. We are sorry for the error in the "
        "material and will send you the missing module this week."
    )
    with pytest.raises(WordingRefused) as refused:
        send(complaint, employee, body, subject="Your complaint")
    assert refused.value.code == "wording_blocked"
    found = [(item.field, item.finding.text) for item in refused.value.findings]
    assert found == [("subject", "complaint"), ("body", "error")]
    assert refused.value.findings[1].finding.suggestions[0] == "oversight"
    message = send(
        complaint, employee, body.replace("error", "slip"), subject="Your course material"
    )
    assert message.subject == "Your course material"


def test_a_dutch_message_may_quote_an_english_word(complaint: Complaint, employee: Any) -> None:
    """R13 (#11): a Dutch message is checked in Dutch; an English word is not forbidden in it."""
    body = "Geachte mevrouw Bakker,\n\nDe melding “error 404” op de website is verholpen."
    assert send(complaint, employee, body).body == body


def test_a_word_hidden_from_the_guard_still_blocks(complaint: Complaint, employee: Any) -> None:
    """R13 (#11): a soft hyphen, a zero-width space or a Cyrillic letter hides nothing."""
    body = "Geachte mevrouw Bakker,\n\nUw kla\u00adcht over de f\u043eut in de map."
    with pytest.raises(WordingRefused) as refused:
        send(complaint, employee, body)
    found = [item.finding for item in refused.value.findings]
    assert [f.text for f in found] == ["kla\u00adcht", "f\u043eut"]
    assert all(body[f.start : f.end] == f.text for f in found)
    assert CustomerMessage.objects.count() == 0


def test_a_job_title_with_a_word_of_r13_blocks_the_card(
    complaint: Complaint, make_staff: Any
) -> None:
    """R13, R14: the card is customer-facing too."""
    officer = make_staff(
        "ria",
        "management",
        email="ria@kerngroep.nl",
        phone="030 760 22 05",
        job_title="Klachtenfunctionaris",
    )
    with pytest.raises(WordingRefused) as refused:
        send(complaint, officer, "Geachte mevrouw Bakker,\n\nWij bellen u morgen.")
    assert [item.field for item in refused.value.findings] == ["card"]
    assert "visitekaartje" in refused.value.detail


def test_an_r12_warning_needs_a_confirmation_and_is_stored_with_the_message(
    complaint: Complaint, employee: Any
) -> None:
    """R12: blaming the computer is a warning: refused until confirmed, then kept on record."""
    text = "Geachte mevrouw Bakker,\n\nHet inschrijfsysteem lag eruit."
    with pytest.raises(WordingRefused) as refused:
        send(complaint, employee, text)
    assert refused.value.code == "wording_warnings"
    assert refused.value.findings[0].finding.rule == "R12"
    assert CustomerMessage.objects.count() == 0

    message = send(complaint, employee, text, confirm_warnings=True)
    assert [warning["rule"] for warning in message.warnings_confirmed] == ["R12"]
    entry = AuditEntry.objects.get(action="message_sent")
    assert entry.after["warnings_confirmed"] == 1


def test_the_systems_own_status_link_is_an_address_not_wording(
    complaint: Complaint, employee: Any, settings: Any
) -> None:
    """R13 is about wording: an installation at klachten.kerngroep.nl, or a token that happens
    to spell a word, does not block the status link."""
    settings.BASE_URL = "https://klachten.kerngroep.nl"
    link = f"{settings.BASE_URL}/status/aFoutb9Klacht_x/"
    assert message_findings(subject="Uw melding", body=f"Kijk op {link}", card=None) == []
    [finding] = message_findings(subject="", body="Zie https://example.org/fout", card=None)
    assert finding.finding.rule == "R13"


# --- The card and e-mail -----------------------------------------------------------------------


def test_an_email_reaches_the_customer_with_the_card_and_the_vcard_attachment(
    smtp: MailServer, complaint: Complaint, employee: Any
) -> None:
    """R14: the signature block (name, role, direct phone, e-mail) and a vCard that vobject
    reads back; the customer's address comes from the customer file; replies go to the
    employee."""
    message = send(complaint, employee, "Geachte mevrouw Bakker,\n\nWij sturen de map vandaag.")
    assert message.recipient == "a.bakker@example.nl"
    outbox_deliver(now=NOW + timedelta(hours=3))

    [mail] = [d for d in smtp.delivered if d.rcpt_tos == ("a.bakker@example.nl",)]
    assert str(mail.message["Reply-To"]) == "petra@kerngroep.nl"
    assert str(mail.message["Subject"]) == f"Uw melding {complaint.reference}"
    text = mail.message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert "Wij sturen de map vandaag." in text
    assert (
        "Petra de Vries\nCursuscoördinator, Kerngroep\nDirect: +31 30 760 2211\npetra@kerngroep.nl"
        in text
    )
    [attachment] = list(mail.message.iter_attachments())
    assert attachment.get_filename() == "petra-de-vries.vcf"
    assert attachment.get_content_type() == "text/vcard"
    card = vobject.readOne(attachment.get_content())
    assert card.fn.value == "Petra de Vries"
    assert card.title.value == "Cursuscoördinator"
    assert card.tel.value == "+31307602211"  # E.164: dials from abroad too (#10)
    assert card.email.value == "petra@kerngroep.nl"
    assert card.org.value == ["Kerngroep"]
    message.refresh_from_db()
    assert message.outbox is not None
    assert message.outbox.sent_at is not None


def test_a_mail_with_an_attachment_keeps_its_message_id_and_its_file_on_a_retry(
    smtp: MailServer, complaint: Complaint, employee: Any
) -> None:
    """The outbox's guarantee holds with attachments: a refused attempt is retried with the
    same Message-ID and the same vCard."""
    smtp.handler.refuse_data = "451 4.3.0 Even niet"
    message = send(complaint, employee, "Geachte mevrouw Bakker,\n\nTot morgen.")
    outbox_deliver(now=NOW + timedelta(hours=3))
    assert smtp.delivered == []
    smtp.handler.refuse_data = None
    outbox_deliver(now=NOW + timedelta(hours=4))
    [mail] = [d for d in smtp.delivered if d.rcpt_tos == ("a.bakker@example.nl",)]
    assert mail.message_id == f"<{complaint.reference}-message-{message.pk}@{message_id_domain()}>"
    assert [a.get_filename() for a in mail.message.iter_attachments()] == ["petra-de-vries.vcf"]


def test_an_employee_without_a_direct_phone_number_cannot_send_yet(
    complaint: Complaint, make_staff: Any, manager: Any
) -> None:
    """R14: every message carries the employee's own card; without a phone number it is no
    card the customer can use."""
    bare = make_staff("kees", "management", email="kees@kerngroep.nl")
    with pytest.raises(InvalidInput) as refused:
        send(complaint, bare, "Geachte mevrouw Bakker,")
    assert refused.value.code == "card_incomplete"
    assert "direct telefoonnummer" in refused.value.detail


def test_email_is_refused_clearly_when_the_customer_file_has_no_address(
    complaint: Complaint, employee: Any
) -> None:
    CustomerFile.objects.filter(pk=complaint.customer_id).update(email="")
    complaint.refresh_from_db()
    with pytest.raises(InvalidInput) as refused:
        send(complaint, employee, "Geachte mevrouw Bakker,")
    assert refused.value.code == "no_email"
    assert refused.value.field == "channel"


# --- Letters -----------------------------------------------------------------------------------


def test_a_letter_is_a_pdf_with_the_address_the_text_and_the_card(
    complaint: Complaint, employee: Any
) -> None:
    """R14: the letter carries the card and its QR code; it is made from the stored message."""
    message = send(
        complaint,
        employee,
        "Geachte mevrouw Bakker,\n\nHierbij de nieuwe cursusmap.\n\nMet vriendelijke groet,",
        channel="letter",
    )
    assert message.outbox is None
    assert message.sent_at is None
    assert message.recipient == "Mevrouw A. Bakker\nLindenlaan 12a\n3512 AB  UTRECHT"
    data = letter_pdf(message)
    text = pdf_text(data)
    for expected in (
        "Mevrouw A. Bakker",
        "Lindenlaan 12a",
        "3512 AB",
        complaint.reference,
        "Hierbij de nieuwe cursusmap.",
        "Petra de Vries",
        "Cursuscoördinator, Kerngroep",
        "Direct: +31 30 760 2211",
        "petra@kerngroep.nl",
    ):
        assert expected in text, expected
    # The QR code on the letter is the card's vCard (decoded in tests/messaging/test_letters).
    assert qr_data_uri(BusinessCard.from_dict(message.card)) in letter_html(message)

    posted = customer_message_mark_posted(
        message=message, actor=employee, now=NOW + timedelta(hours=5)
    )
    assert posted.sent_at == NOW + timedelta(hours=5)
    assert AuditEntry.objects.filter(action="letter_posted").count() == 1
    customer_message_mark_posted(message=message, actor=employee, now=NOW + timedelta(hours=6))
    assert AuditEntry.objects.filter(action="letter_posted").count() == 1


def test_only_a_letter_is_posted(complaint: Complaint, employee: Any) -> None:
    message = send(complaint, employee, "Geachte mevrouw Bakker,")
    with pytest.raises(NotAllowed):
        customer_message_mark_posted(message=message, actor=employee, now=NOW)


# --- The delay notice (R16) --------------------------------------------------------------------


def test_the_delay_notice_message_records_the_delay_and_allows_the_extension(
    smtp: MailServer, complaint: Complaint, employee: Any
) -> None:
    """R16: sending the notice (reason and expected date) before the 3-week mark is what
    allows the extension; the customer gets both in the message."""
    complaint = contacted(complaint, employee)
    with pytest.raises(StepRefused):
        complaint_extend(complaint=complaint, actor=employee, now=NOW + timedelta(days=14))
    complaint = complaint_delay_notice_send(
        complaint=complaint,
        author=employee,
        reason="De docent is drie weken ziek; wij plannen een vervanger in.",
        expected_date=date(2026, 12, 15),
        now=NOW + timedelta(days=14),
    )
    assert complaint.delay_notice_sent_at == NOW + timedelta(days=14)
    assert complaint.delay_expected_date == date(2026, 12, 15)
    message = CustomerMessage.objects.get()
    assert message.kind == MessageKind.DELAY_NOTICE
    assert "De docent is drie weken ziek" in message.body
    assert "uiterlijk dinsdag 15 december een besluit" in message.body
    complaint = complaint_extend(complaint=complaint, actor=employee, now=NOW + timedelta(days=15))
    assert complaint.extended_until == date(2026, 12, 15)


def test_a_delay_notice_without_the_reason_in_its_text_is_refused(
    complaint: Complaint, employee: Any
) -> None:
    """R16: the notice tells the customer the reason and the date; an edited text that drops
    them is refused, and no delay is recorded."""
    with pytest.raises(InvalidInput) as refused:
        send(
            complaint,
            employee,
            "Geachte mevrouw Bakker,\n\nHet duurt wat langer.",
            kind=MessageKind.DELAY_NOTICE,
            delay=DelayInput(reason="De docent is ziek.", expected_date=date(2026, 12, 15)),
        )
    assert refused.value.code == "delay_notice_incomplete"
    complaint.refresh_from_db()
    assert complaint.delay_notice_sent_at is None


def test_a_refused_delay_step_stores_no_message(complaint: Complaint, employee: Any) -> None:
    """One transaction: a closed complaint refuses the step, and the message is not kept."""
    complaint = complaint_close(
        complaint=complaint,
        actor=employee,
        outcome="withdrawn",
        note="",
        now=NOW + timedelta(hours=1),
    )
    with pytest.raises(StepRefused):
        customer_message_send_standard(
            complaint=complaint,
            author=employee,
            kind=MessageKind.DELAY_NOTICE,
            delay=DelayInput(reason="Wij wachten op de docent.", expected_date=date(2026, 12, 1)),
            now=NOW + timedelta(hours=2),
        )
    assert CustomerMessage.objects.count() == 0


def test_a_second_delay_notice_keeps_the_moment_the_customer_was_first_told(
    complaint: Complaint, employee: Any
) -> None:
    """R16: a further notice after the 3-week mark does not undo the timely first one."""
    complaint = complaint_delay_notice_send(
        complaint=complaint,
        author=employee,
        reason="Wij wachten op de docent.",
        expected_date=date(2026, 12, 10),
        now=NOW + timedelta(days=10),
    )
    complaint = complaint_delay_notice_send(
        complaint=complaint,
        author=employee,
        reason="De vervanger begint later.",
        expected_date=date(2026, 12, 21),
        now=NOW + timedelta(days=25),
    )
    assert complaint.delay_notice_sent_at == NOW + timedelta(days=10)
    assert complaint.delay_reason == "De vervanger begint later."
    assert CustomerMessage.objects.count() == 2
    complaint = complaint_extend(complaint=complaint, actor=employee, now=NOW + timedelta(days=26))
    assert complaint.extended_until == date(2026, 12, 21)


def test_nobody_writes_to_the_customer_of_a_web_report_before_someone_takes_it_up(
    db: None, employee: Any
) -> None:
    """R15: the first employee who takes it up answers; before that, sending is refused."""
    from klachten.complaints.services import complaint_take_up

    report = complaint_register(
        receiver=None,
        customer=CUSTOMER,
        received_at=NOW,
        channel="web",
        report=REPORT,
        checklist=CHECKLIST,
        now=NOW,
    )

    with pytest.raises(NotAllowed) as refused:
        send(report, employee, "Dank voor uw bericht.")
    assert refused.value.code == "not_taken_up"
    assert not CustomerMessage.objects.exists()

    taken = complaint_take_up(complaint=report, actor=employee, now=NOW + timedelta(minutes=1))
    assert send(taken, employee, "Dank voor uw bericht.").recipient == CUSTOMER.email
