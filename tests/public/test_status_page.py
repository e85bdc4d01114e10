"""The customer's private status page /status/<token>/ (CONTRACT.md, UX.md).

It shows where the case stands in plain words, the agreed term (R3), the action plan as what /
who / when (R9) and the handler's card (R14), and lets the customer give their view of the
proposed solution (R7) and answer the follow-up check (R10). It names no staff note, no audit
log and no other customer (R2); it avoids the words of R13 in Dutch and English; the token is
unguessable, stops working when renewed or erased, and the page is neither cached nor indexed,
and its path (the token) is never passed on as a referrer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachten.audit.models import AuditEntry
from klachten.complaints.models import STATUS_LINK_ERASED, Complaint
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import (
    ActionData,
    Checklist,
    complaint_contact,
    complaint_plan_actions,
    complaint_propose_solution,
    complaint_record_view,
    complaint_register,
    complaint_request_follow_up,
    complaint_status_link_renew,
    complaint_take_up,
)
from klachten.mail.models import OutboxMessage
from tests.complaints.conftest import customer_data
from tests.public.conftest import NOW, later, page_text, r13_words

REPORT = "Cursus of training: Excel\n\nWat is er misgegaan:\nGEHEIM-VERSLAG lesdag vervallen."


@pytest.fixture
def card_holder(make_staff):
    return make_staff(
        "sanne",
        "employee",
        first_name="Sanne",
        last_name="Visser",
        email="sanne@kerngroep.nl",
        job_title="Opleidingsadviseur",
        phone="030 760 22 17",
    )


@pytest.fixture
def report(manager):
    return complaint_register(
        receiver=None,
        customer=customer_data(),
        received_at=NOW,
        channel="web",
        report=REPORT,
        checklist=Checklist(),
        now=NOW,
    )


@pytest.fixture
def other_customers_case(employee):
    return complaint_register(
        receiver=employee,
        customer=customer_data(name="Dhr. P. Anders", email="p.anders@example.nl"),
        received_at=NOW,
        channel="phone",
        report="Verslag over meneer Anders.",
        checklist=Checklist(),
        now=NOW,
    )


def _planned(report, staff, *, actions: int = 1):
    c = complaint_take_up(complaint=report, actor=staff, now=later(hours=1))
    c = complaint_contact(
        complaint=c,
        actor=staff,
        at=None,
        channel="phone",
        summary="GEHEIME-NOTITIE: klant was boos.",
        agreed_term=(NOW + timedelta(days=10)).date(),
        management_consulted="INTERN-OVERLEG met Marco.",
        now=later(hours=2),
    )
    return complaint_plan_actions(
        complaint=c,
        actor=staff,
        actions=[
            ActionData(
                what=f"Nieuwe lesdatum aanbieden {n + 1}",
                who=staff,
                due=(NOW + timedelta(days=3 + n)).date(),
            )
            for n in range(actions)
        ],
        now=later(hours=3),
    )


def _proposed(report, staff):
    c = _planned(report, staff)
    return complaint_propose_solution(
        complaint=c,
        actor=staff,
        solution="U krijgt een nieuwe lesdag op vrijdag 20 november.",
        now=later(days=1),
    )


def _get(token: str, client: Client | None = None, language: str = "nl"):
    client = client or Client(headers={"accept-language": language})
    with time_machine.travel(later(days=1, hours=1), tick=False):
        return client.get(f"/status/{token}/")


def _post(token: str, data: dict, client: Client | None = None):
    client = client or Client()
    with time_machine.travel(later(days=2), tick=False):
        return client.post(f"/status/{token}/", data)


# --- Who gets in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["x" * 43, "niet-een-token", "a", "a.b.c", "A" * 65],
)
def test_an_unknown_or_malformed_token_is_a_calm_404(report, token):
    response = _get(token)
    assert response.status_code == 404
    text = page_text(response.content.decode())
    assert "Deze pagina bestaat niet (meer)" in text
    assert report.reference not in text
    assert r13_words(text) == []
    assert response["Referrer-Policy"] == "strict-origin"


def test_a_renewed_link_stops_working_and_the_new_one_works(report, card_holder):
    c = complaint_take_up(complaint=report, actor=card_holder, now=later(hours=1))
    old = status_token_for(c)
    c = complaint_status_link_renew(complaint=c, actor=card_holder, send=False, now=later(days=1))
    assert _get(old).status_code == 404
    assert _get(status_token_for(c)).status_code == 200


def test_the_link_stops_working_once_the_cases_data_is_erased(report):
    """R5: erasure sets the token to NULL; the page is gone, whatever was the link."""
    token = status_token_for(report)
    Complaint.objects.filter(pk=report.pk).update(**STATUS_LINK_ERASED)
    assert _get(token).status_code == 404


def test_the_page_is_not_cached_indexed_or_passed_on_as_referrer(report):
    """Referrer-Policy strict-origin: only scheme and host go out, never the token; with
    no-referrer browsers would send "Origin: null" with the page's own forms (CSRF)."""
    response = _get(status_token_for(report))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "strict-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_opening_the_page_is_logged_as_the_customers_read(report):
    """R2: every read is logged; the customer is no staff member."""
    _get(status_token_for(report))
    entry = AuditEntry.objects.get(complaint=report, action="viewed")
    assert entry.actor is None
    assert entry.after == {"by": "customer"}


# --- What it shows -----------------------------------------------------------------------------


def test_before_anyone_took_it_up_it_shows_receipt_the_contact_promise_and_our_details(report):
    """R3: contact within 24 working hours; no employee yet, so the organisation's details."""
    from klachten.organisation.models import OrganisationSettings

    OrganisationSettings.objects.create(pk=1, name="Kerngroep", phone="030 760 22 00")
    text = page_text(_get(status_token_for(report)).content.decode())
    assert f"Uw melding {report.reference}" in text
    assert "Ontvangen" in text
    assert "Een medewerker neemt" in text
    assert "030 760 22 00" in text
    assert "Een medewerker pakt uw melding zo snel mogelijk op" in text


def test_it_shows_the_agreed_term_the_plan_as_what_who_when_and_the_handlers_card(
    report, card_holder
):
    """R3 agreed term, R9 what / who / when, R14 the card: name, role, phone, e-mail."""
    c = _planned(report, card_holder)
    text = page_text(_get(status_token_for(c)).content.decode())
    assert "Afgesproken termijn" in text
    assert "U hoort uiterlijk donderdag 12 november van ons." in text
    assert "Nieuwe lesdatum aanbieden 1" in text
    assert "uiterlijk donderdag 5 november" in text
    assert "Sanne Visser" in text
    for part in ("Opleidingsadviseur", "+31 30 760 2217", "sanne@kerngroep.nl"):
        assert part in text
    assert "We werken aan een oplossing" in text


def test_it_names_no_staff_note_no_audit_log_and_no_other_customer(
    report, card_holder, other_customers_case, manager
):
    """R2: the report, contact summaries, management's consultation, the audit log and other
    customers stay with the staff."""
    c = _proposed(report, card_holder)
    html = _get(status_token_for(c)).content.decode()
    for secret in (
        "GEHEIM-VERSLAG",
        "GEHEIME-NOTITIE",
        "INTERN-OVERLEG",
        "Dhr. P. Anders",
        other_customers_case.reference,
        "taken_up",
        "Opgepakt",
        "Marco",
        "Lindenlaan",  # not even the customer's own address: the link could be forwarded
    ):
        assert secret not in html, secret


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_word_of_r13_in_any_state_in_either_language(report, card_holder, language):
    """R13: new, in progress with a plan, a solution to give a view on, the follow-up
    question, and closed — none says klacht, probleem, problem or fout."""
    pages = [_get(status_token_for(report), language=language)]
    c = _proposed(report, card_holder)
    pages.append(_get(status_token_for(c), language=language))
    c = complaint_record_view(complaint=c, actor=None, agrees=True, note="", now=later(days=1))
    c = complaint_request_follow_up(complaint=c, actor=card_holder, now=later(days=1, hours=1))
    pages.append(_get(status_token_for(c), language=language))
    for response in pages:
        assert response.status_code == 200
        text = page_text(response.content.decode())
        assert r13_words(text) == [], text


def test_the_page_costs_the_same_queries_with_one_or_ten_actions(report, card_holder, make_staff):
    """Every page runs a constant number of queries (one for the whole action plan)."""
    few = _planned(report, card_holder, actions=1)
    other = complaint_register(
        receiver=None,
        customer=customer_data(name="Mevrouw B. Tien"),
        received_at=NOW,
        channel="web",
        report=REPORT,
        checklist=Checklist(),
        now=NOW,
    )
    many = _planned(other, card_holder, actions=10)

    def count(token: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _get(token).status_code == 200
        return len(captured.captured_queries)

    assert count(status_token_for(few)) == count(status_token_for(many)) <= 6


# --- The customer's answers (R7, R10) ----------------------------------------------------------


def test_the_customer_gives_their_view_and_the_handler_and_receiver_hear_of_it(
    report, card_holder, manager
):
    """R7: agree or not, with a comment; through the service, audited as the customer's;
    handler and receiver are mailed (R15)."""
    c = _proposed(report, card_holder)
    page = page_text(_get(status_token_for(c)).content.decode())
    assert "Wat vindt u van de voorgestelde oplossing?" in page
    assert "U krijgt een nieuwe lesdag op vrijdag 20 november." in page
    OutboxMessage.objects.all().delete()

    response = _post(
        status_token_for(c), {"vraag": "mening", "agrees": "nee", "comment": "Vrijdag kan ik niet."}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.customer_view, c.customer_view_note, c.status) == (
        "disagrees",
        "Vrijdag kan ik niet.",
        "in_progress",
    )
    entry = AuditEntry.objects.get(complaint=c, action="reject_solution")
    assert entry.actor is None
    assert entry.after["by"] == "customer"
    assert OutboxMessage.objects.filter(to=card_holder.email).exists()

    after = page_text(_get(status_token_for(c)).content.decode())
    assert "Dank u wel, we hebben uw antwoord ontvangen." not in after  # shown once, above
    assert "u bent het er niet mee eens" in after
    assert "Wat vindt u van de voorgestelde oplossing?" not in after


def test_the_thank_you_message_follows_the_answer(report, card_holder):
    c = _proposed(report, card_holder)
    client = Client()
    with time_machine.travel(later(days=2), tick=False):
        response = client.post(
            f"/status/{status_token_for(c)}/", {"vraag": "mening", "agrees": "ja"}, follow=True
        )
    text = page_text(response.content.decode())
    assert "Dank u wel, we hebben uw antwoord ontvangen." in text
    assert "u bent het ermee eens" in text
    c.refresh_from_db()
    assert c.status == "solution_accepted"


def test_an_answer_without_a_choice_is_asked_again_in_dutch_keeping_the_comment(
    report, card_holder
):
    c = _proposed(report, card_holder)
    response = _post(status_token_for(c), {"vraag": "mening", "comment": "Mijn toelichting"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Kies ja of nee." in page_text(html)
    assert "Mijn toelichting" in html
    c.refresh_from_db()
    assert c.customer_view == ""


def test_answering_twice_is_refused_calmly(report, card_holder):
    c = _proposed(report, card_holder)
    assert _post(status_token_for(c), {"vraag": "mening", "agrees": "ja"}).status_code == 302
    again = _post(status_token_for(c), {"vraag": "mening", "agrees": "nee"})
    assert again.status_code == 409
    text = page_text(again.content.decode())
    assert "Deze vraag staat niet meer open" in text
    c.refresh_from_db()
    assert c.customer_view == "agrees"


def test_the_follow_up_question_appears_only_once_the_handler_asks(report, card_holder):
    """R10: "Is het voor u opgelost?" once asked; the answer is the follow-up check."""
    c = _proposed(report, card_holder)
    c = complaint_record_view(complaint=c, actor=None, agrees=True, note="", now=later(days=1))
    assert "Is het voor u opgelost?" not in page_text(_get(status_token_for(c)).content.decode())
    refused = _post(status_token_for(c), {"vraag": "nacontrole", "solved": "ja"})
    assert refused.status_code == 409

    c = complaint_request_follow_up(complaint=c, actor=card_holder, now=later(days=1))
    assert "Is het voor u opgelost?" in page_text(_get(status_token_for(c)).content.decode())
    response = _post(
        status_token_for(c), {"vraag": "nacontrole", "solved": "ja", "comment": "Alles goed."}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.follow_up_solved, c.follow_up_note) == ("verified", True, "Alles goed.")
    entry = AuditEntry.objects.get(complaint=c, action="confirm_solved")
    assert entry.actor is None
    assert entry.after["by"] == "customer"


def test_a_comment_over_the_limit_is_refused(report, card_holder):
    c = _proposed(report, card_holder)
    response = _post(
        status_token_for(c), {"vraag": "mening", "agrees": "ja", "comment": "x" * 2001}
    )
    assert response.status_code == 422
    assert "maximaal 2000 tekens" in page_text(response.content.decode())


def test_an_answer_needs_the_csrf_token_of_the_page(report, card_holder):
    c = _proposed(report, card_holder)
    client = Client(enforce_csrf_checks=True)
    response = _post(status_token_for(c), {"vraag": "mening", "agrees": "ja"}, client)
    assert response.status_code == 403
    c.refresh_from_db()
    assert c.customer_view == ""


def test_the_employee_sees_the_customers_view_on_the_complaint_page(report, card_holder):
    """R7: the answer given on the status page is on the complaint page, marked as the
    customer's own."""
    c = _proposed(report, card_holder)
    _post(status_token_for(c), {"vraag": "mening", "agrees": "nee", "comment": "Liever zaterdag."})
    staff = Client()
    staff.force_login(card_holder)
    with time_machine.travel(later(days=2, hours=1), tick=False):
        page = page_text(staff.get(f"/meldingen/{c.reference}/").content.decode())
    assert "Niet akkoord" in page
    assert "Liever zaterdag." in page
    assert "Zelf gegeven door de klant op de statuspagina" in page


# --- The messages sent and the card (R14) -------------------------------------------------------


def test_the_messages_sent_show_as_sent_and_drafts_never(report, card_holder):
    """What the customer was sent is on their page, word for word; a letter not yet posted is
    not (it has not reached them)."""
    from klachten.messaging.models import MessageKind
    from klachten.messaging.services import customer_message_send

    c = _planned(report, card_holder)
    customer_message_send(
        complaint=c,
        author=card_holder,
        kind=MessageKind.FREE,
        channel="email",
        subject="Uw nieuwe lesdatum",
        body="Beste mevrouw Bakker,\n\nU krijgt een nieuwe lesdag op vrijdag 20 november.",
        now=later(hours=3),
    )
    customer_message_send(
        complaint=c,
        author=card_holder,
        kind=MessageKind.FREE,
        channel="letter",
        subject="BRIEF-NOG-NIET-VERSTUURD",
        body="Beste mevrouw Bakker,\n\nTot ziens.",
        now=later(hours=4),
    )

    text = page_text(_get(status_token_for(c)).content.decode())

    assert "onze e-mail aan u" in text
    assert "Uw nieuwe lesdatum" in text
    assert "U krijgt een nieuwe lesdag op vrijdag 20 november." in text
    assert "BRIEF-NOG-NIET-VERSTUURD" not in text


def test_the_customer_saves_the_handlers_card_as_a_vcard(report, card_holder):
    """R14: the card as a vCard that vobject reads back, private like the page."""
    import vobject

    c = _planned(report, card_holder)

    with time_machine.travel(later(days=1), tick=False):
        response = Client().get(f"/status/{status_token_for(c)}/visitekaartje.vcf")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vcard")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    card = vobject.readOne(response.content.decode())
    assert card.fn.value == "Sanne Visser"
    assert card.email.value == "sanne@kerngroep.nl"


def test_there_is_no_card_to_save_before_someone_takes_the_report_up(report):
    assert Client().get(f"/status/{status_token_for(report)}/visitekaartje.vcf").status_code == 404
    assert Client().get("/status/" + "x" * 43 + "/visitekaartje.vcf").status_code == 404
