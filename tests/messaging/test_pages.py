"""The message screens through Django's test client: write, send, open as sent, the letter,
the R16 prompt on the complaint page, management's templates — and R2 everywhere."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import complaint_register
from klachten.messaging.models import CustomerMessage, MessageKind, MessageTemplate
from klachten.messaging.services import customer_message_send
from tests.conftest import logged_in
from tests.messaging.conftest import CHECKLIST, CUSTOMER, NOW, REPORT

PAGE_TIME = NOW + timedelta(hours=1)


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(PAGE_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def petra(employee: Any) -> Client:
    return logged_in(employee)


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


def _html(response: Any) -> str:
    return response.content.decode()


def _compose(complaint: Complaint, slug: str) -> str:
    return f"/meldingen/{complaint.reference}/berichten/{slug}/"


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<small id="id_{field}_error" class="error">(.*?)</small>', html, re.S)
    assert match, f"no error next to {field}"
    return html_lib.unescape(match.group(1))


def _draft(client: Client, url: str, **data: str) -> dict[str, str]:
    """The editor's fields as the page filled them in."""
    response = client.get(url) if not data else client.post(url, {**data, "opstellen": "1"})
    assert response.status_code == 200
    form = response.context["form"]
    return {
        **data,
        **{name: str(form[name].value() or "") for name in ("channel", "subject", "body")},
    }


# --- Writing and sending -----------------------------------------------------------------------


def test_the_editor_opens_with_the_standard_text_the_card_and_email_chosen(
    petra: Client, complaint: Complaint
) -> None:
    """R3: the receipt with the contact promise and the status link; R14: the card shown;
    the customer's address from the customer file. Opening the editor is a read (R2)."""
    html = _html(petra.get(_compose(complaint, "ontvangstbevestiging")))
    assert "Ontvangstbevestiging" in html
    assert f"Uw melding {complaint.reference} is ontvangen" in html
    assert "nemen wij contact met u op" in html
    assert f"/status/{status_token_for(complaint)}/" in html
    assert "Per e-mail naar a.bakker@example.nl" in html
    assert re.search(r'value="email"[^>]* checked>', html)
    assert "Petra de Vries\nCursuscoördinator, Kerngroep\nDirect: +31 30 760 2211" in html
    assert "Ik heb de waarschuwing gelezen en verstuur toch" in html
    assert 'hx-post="/tekstcontrole/?veld=body"' in html
    assert AuditEntry.objects.filter(action="viewed").count() == 1


def test_a_message_is_sent_and_opens_as_it_was_sent(petra: Client, complaint: Complaint) -> None:
    """Stored in the complaint's file, on its page and in its timeline, and opened as sent."""
    url = _compose(complaint, "ontvangstbevestiging")
    data = _draft(petra, url)
    response = petra.post(url, data, follow=True)
    message = CustomerMessage.objects.get()
    # #14: back on the complaint, the message on its one timeline, a short confirmation.
    assert response.redirect_chain[-1][0] == f"/meldingen/{complaint.reference}/#tijdlijn"
    page = _html(response)
    assert "Het bericht is verstuurd naar a.bakker@example.nl." in page
    assert "Bericht aan de klant" in page
    assert page.count(f'href="/meldingen/{complaint.reference}/berichten/{message.pk}/"') == 1
    html = _html(petra.get(f"/meldingen/{complaint.reference}/berichten/{message.pk}/"))
    assert "in de wachtrij" in html
    assert "petra-de-vries.vcf" in html
    assert html_lib.escape(data["body"].replace("\r\n", "\n")) in html
    assert "Direct: +31 30 760 2211" in html
    assert message.body == data["body"].replace("\r\n", "\n").strip()


def test_a_forbidden_word_keeps_the_text_and_shows_the_finding_next_to_it(
    petra: Client, complaint: Complaint
) -> None:
    """R13: refused, nothing stored, the text kept, the word and the rule next to the field."""
    url = _compose(complaint, "vrij")
    data = _draft(petra, url)
    data["body"] = "Geachte mevrouw Bakker,\n\nExcuses voor het probleem met de map."
    response = petra.post(url, data)
    assert response.status_code == 200
    html = _html(response)
    assert "R13" in _field_error(html, "body")
    assert "probleem" in _field_error(html, "body")
    assert "Excuses voor het probleem met de map.</textarea>" in html
    assert CustomerMessage.objects.count() == 0


def test_the_live_check_offers_the_suggestions_as_buttons_for_the_text(petra: Client) -> None:
    """R13: the finding with one-click suggestions that replace exactly the flagged span."""
    response = petra.post(
        "/tekstcontrole/?veld=body",
        {"body": "Excuses voor het probleem."},
        headers={"HX-Request": "true"},
    )
    html = _html(response)
    assert "Zo kan de tekst niet naar de klant" in html
    assert 'data-for="id_body"' in html
    assert 'data-suggestion="punt"' in html
    assert 'data-start="17" data-end="25"' in html


def test_the_live_check_uses_the_language_of_the_whole_message(petra: Client) -> None:
    """R13 (#11): htmx sends the whole form; the subject of an English message is checked in
    English as the service will check it, with the explanation of a hidden word."""
    data = {
        "subject": "Your complaint",
        "body": "Dear Mrs Bakker, thank you for your call. We will send you the module.",
    }
    html = _html(
        petra.post(
            "/tekstcontrole/?veld=subject",
            data,
            headers={"HX-Request": "true"},
        )
    )
    assert 'data-suggestion="feedback"' in html
    assert 'data-start="5" data-end="14"' in html
    assert "in het Engels gecontroleerd" in html
    data["body"] = "Geachte mevrouw Bakker, wij sturen u de module. Uw kla\u00adcht is bekend."
    data["subject"] = "Uw melding"
    html = _html(petra.post("/tekstcontrole/?veld=body", data, headers={"HX-Request": "true"}))
    assert "leest als “klacht”" in html_lib.unescape(html)
    assert "in het Engels gecontroleerd" not in html


def test_an_r12_warning_is_sent_only_after_the_confirmation(
    petra: Client, complaint: Complaint
) -> None:
    """R12: the warning next to the confirmation box; ticked, the message goes."""
    url = _compose(complaint, "vrij")
    data = _draft(petra, url)
    data["body"] = "Geachte mevrouw Bakker,\n\nHet inschrijfsysteem lag eruit."
    html = _html(petra.post(url, data))
    assert "R12" in _field_error(html, "body")
    assert "bevestig" in _field_error(html, "confirm_warnings")
    assert CustomerMessage.objects.count() == 0
    assert petra.post(url, {**data, "confirm_warnings": "on"}).status_code == 302
    assert CustomerMessage.objects.get().warnings_confirmed


def test_a_letter_is_downloaded_as_pdf_and_marked_as_posted(
    petra: Client, complaint: Complaint
) -> None:
    """R14: the PDF has the text and the card; the employee marks it posted."""
    url = _compose(complaint, "vrij")
    data = {**_draft(petra, url), "channel": "letter"}
    data["body"] = (
        "Geachte mevrouw Bakker,\n\nHierbij de nieuwe cursusmap.\n\nMet vriendelijke groet,"
    )
    html = _html(petra.post(url, data, follow=True))
    message = CustomerMessage.objects.get()
    assert "De brief staat klaar" in html
    assert "Brief downloaden (PDF)" in html
    assert "Op de post gedaan" in html
    pdf = petra.get(f"/meldingen/{complaint.reference}/berichten/{message.pk}/brief.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Hierbij de nieuwe cursusmap." in text
    assert "Direct: +31 30 760 2211" in text
    petra.post(f"/meldingen/{complaint.reference}/berichten/{message.pk}/op-de-post/")
    message.refresh_from_db()
    assert message.sent_at is not None
    html = _html(petra.get(f"/meldingen/{complaint.reference}/berichten/{message.pk}/"))
    assert "Op de post gedaan</button>" not in html


def test_a_message_that_needs_a_step_first_says_which(petra: Client, complaint: Complaint) -> None:
    """R9: no action plan message before there is an action plan."""
    html = _html(petra.get(_compose(complaint, "actieplan")))
    assert "Eerst een actieplan maken: wat, wie, wanneer (R9)." in html
    assert "<textarea" not in html


def test_without_an_email_address_the_page_says_to_send_a_letter(
    petra: Client, complaint: Complaint
) -> None:
    complaint.customer.email = ""
    complaint.customer.save()
    url = _compose(complaint, "vrij")
    html = _html(petra.get(url))
    assert "Er staat geen e-mailadres in de klantmap" in html
    data = {**_draft(petra, url), "channel": "email"}
    html = _html(petra.post(url, data))
    assert "Er staat geen e-mailadres in de klantmap" in _field_error(html, "channel")


@pytest.mark.parametrize(
    "path",
    [
        "berichten/ontvangstbevestiging/",
        "uitstelbericht/",
        "berichten/{pk}/",
        "berichten/{pk}/brief.pdf",
    ],
)
def test_staff_without_a_right_to_the_complaint_find_nothing(
    complaint: Complaint, employee: Any, make_staff: Any, path: str
) -> None:
    """R2: messages are shown only to staff with a right to the complaint; others get 404."""
    message = customer_message_send(
        complaint=complaint,
        author=employee,
        kind=MessageKind.FREE,
        channel="letter",
        subject="Uw melding",
        body="Geachte mevrouw Bakker,",
        now=NOW,
    )
    outsider = logged_in(make_staff("jan", "employee", email="jan@kerngroep.nl", phone="030 1"))
    url = f"/meldingen/{complaint.reference}/" + path.format(pk=message.pk)
    assert outsider.get(url).status_code == 404
    assert logged_in(employee).get(url).status_code == 200


# --- The delay notice (R16) --------------------------------------------------------------------


def test_the_complaint_page_asks_for_the_delay_notice_from_day_14(
    petra: Client, complaint: Complaint, clock: Any
) -> None:
    """R16: from day 14 a visible prompt with the deadline; its button opens the notice."""
    assert "Is er meer tijd nodig" not in _html(petra.get(f"/meldingen/{complaint.reference}/"))
    clock.move_to(NOW + timedelta(days=14))
    petra = logged_in(complaint.receiver)  # a fresh session on the later day
    html = _html(petra.get(f"/meldingen/{complaint.reference}/"))
    assert "Is er meer tijd nodig dan 4 weken?" in html
    assert "uiterlijk maandag 23 november 2026" in html
    assert f'href="/meldingen/{complaint.reference}/uitstelbericht/"' in html


def test_after_the_deadline_without_a_notice_page_and_overview_show_the_breach(
    petra: Client, complaint: Complaint, manager: Any, clock: Any
) -> None:
    """R16: once the 3-week deadline passed without a notice: "uitstelbericht te laat"."""
    clock.move_to(NOW + timedelta(days=22))
    petra = logged_in(complaint.receiver)  # a fresh session on the later day
    html = _html(petra.get(f"/meldingen/{complaint.reference}/"))
    assert "Uitstelbericht te laat" in html
    assert "Uitstelbericht alsnog sturen" in html
    overview = _html(logged_in(manager).get("/meldingen/"))
    assert "uitstelbericht te laat" in overview


def test_the_delay_notice_is_drafted_from_reason_and_date_then_sent_and_recorded(
    petra: Client, complaint: Complaint, clock: Any
) -> None:
    """R16: reason and date first, then the text with both; sending it records the delay."""
    clock.move_to(NOW + timedelta(days=15))
    petra = logged_in(complaint.receiver)  # a fresh session on the later day
    url = f"/meldingen/{complaint.reference}/uitstelbericht/"
    html = _html(petra.get(url))
    assert "Tekst opstellen" in html
    assert 'name="subject"' not in html
    data = _draft(
        petra,
        url,
        reason="De docent is ziek; wij zoeken een vervanger.",
        expected_date="2026-12-15",
    )
    assert "De docent is ziek; wij zoeken een vervanger." in data["body"]
    assert "uiterlijk dinsdag 15 december een besluit" in data["body"]
    assert petra.post(url, data).status_code == 302
    complaint.refresh_from_db()
    assert complaint.delay_notice_sent_at == NOW + timedelta(days=15)
    assert complaint.delay_expected_date == date(2026, 12, 15)
    assert CustomerMessage.objects.get().kind == MessageKind.DELAY_NOTICE
    html = _html(petra.get(f"/meldingen/{complaint.reference}/"))
    assert "Is er meer tijd nodig" not in html


# --- Templates (management) --------------------------------------------------------------------


def test_management_edits_a_template_with_the_live_check_and_a_preview(
    manager: Any, complaint: Complaint
) -> None:
    client = logged_in(manager)
    html = _html(client.get("/berichtsjablonen/"))
    assert "Ontvangstbevestiging" in html
    assert "standaardtekst" in html
    html = _html(client.get("/berichtsjablonen/afronding/"))
    assert "{{ derde }}" in html
    assert "Sandra Kok (www.sandra-kok.nl)" in html  # the preview, with example values
    assert 'hx-post="/tekstcontrole/?veld=body"' in html

    refused = client.post(
        "/berichtsjablonen/afronding/",
        {"subject": "Afronding", "body": "Beste {{ klant }},\n\nUw klacht is afgehandeld."},
    )
    assert "klacht" in _field_error(_html(refused), "body")
    unknown = client.post(
        "/berichtsjablonen/afronding/", {"subject": "Afronding", "body": "Beste {{ naam }},"}
    )
    assert "{{ naam }} is geen bekende plaatshouder" in _field_error(_html(unknown), "body")
    assert MessageTemplate.objects.count() == 0

    saved = client.post(
        "/berichtsjablonen/afronding/",
        {"subject": "Afronding {{ kenmerk }}", "body": "Beste {{ klant }},\n\nAfgerond."},
        follow=True,
    )
    assert "eigen tekst" in _html(saved)
    draft = _html(logged_in(manager).get(_compose(complaint, "afronding")))
    assert f"Afronding {complaint.reference}" in draft
    client.post("/berichtsjablonen/afronding/standaard/")
    assert MessageTemplate.objects.count() == 0


def test_employees_do_not_see_the_templates(petra: Client) -> None:
    assert petra.get("/berichtsjablonen/").status_code == 404
    assert petra.get("/berichtsjablonen/afronding/").status_code == 404
    assert petra.post("/berichtsjablonen/afronding/standaard/").status_code == 404


# --- Constant query counts ---------------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


def _with_messages(staff: Any, count: int) -> Complaint:
    complaint = complaint_register(
        receiver=staff,
        customer=CUSTOMER,
        received_at=NOW,
        channel="phone",
        report=REPORT,
        checklist=CHECKLIST,
        now=NOW,
    )
    for number in range(count):
        customer_message_send(
            complaint=complaint,
            author=staff,
            kind=MessageKind.FREE,
            channel="email" if number % 2 else "letter",
            subject=f"Bericht {number}",
            body="Geachte mevrouw Bakker,",
            now=NOW + timedelta(minutes=number),
        )
    return complaint


def test_the_pages_cost_the_same_for_2_and_20_messages(make_staff: Any, manager: Any) -> None:
    """The complaint page with its messages, a message, the editor: no query per message."""
    costs = {}
    for count in (2, 20):
        staff = make_staff(
            f"p{count}", "employee", email=f"p{count}@kerngroep.nl", phone="030 760 22 11"
        )
        complaint = _with_messages(staff, count)
        client = logged_in(staff)
        last = CustomerMessage.objects.filter(complaint=complaint).first()
        assert last is not None
        costs[count] = [
            _queries(client, f"/meldingen/{complaint.reference}/"),
            _queries(client, f"/meldingen/{complaint.reference}/berichten/{last.pk}/"),
            _queries(client, _compose(complaint, "ontvangstbevestiging")),
            _queries(logged_in(manager), "/berichtsjablonen/"),
        ]
    assert costs[2] == costs[20], costs
    page, message, editor, templates = costs[20]
    # One for how the complaint's mails fared (R3; #10, item 20); three for the conversation
    # and the notes (#13); two for the working-day calendar of the deadline pills (#14); one
    # for the version of the regulation (R17, #16 item 7).
    assert page <= 19
    assert message <= 5
    assert editor <= 7
    assert templates <= 3
