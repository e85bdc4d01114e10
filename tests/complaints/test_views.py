"""The complaint screens through Django's test client: intake, complaint page, steps, overview,
customer file — Dutch errors next to the field, nothing typed lost, R2 everywhere."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.services import (
    ActionData,
    Checklist,
    complaint_contact,
    complaint_follow_up,
    complaint_plan_actions,
    complaint_propose_solution,
    complaint_record_view,
    complaint_register,
)
from klachten.mail.models import OutboxMessage
from klachten.mail.outbox import outbox_deliver
from klachten.organisation.models import Category
from tests.complaints.conftest import NOW, PAGE_TIME, customer_data, in_days
from tests.conftest import logged_in

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
    "not_interrupted": "on",
    "vented": "on",
    "put_at_ease": "on",
    "apologised": "on",
    "business_card_given": "on",
    "channel": "phone",
    "received_at": "2026-11-02T10:30",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(PAGE_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def colleague(make_staff):
    return make_staff(
        "jan", "employee", first_name="Jan", last_name="Bos", email="jan@kerngroep.nl"
    )


@pytest.fixture
def petra(employee) -> Client:
    return logged_in(employee)


def _html(response) -> str:
    return response.content.decode()


def _field_error(html: str, field: str) -> str:
    """The text of the error shown next to a field (``<small id="id_x_error">``)."""
    match = re.search(rf'<small id="id_{re.escape(field)}_error" class="error">(.*?)</small>', html)
    assert match, f"no error next to {field}"
    return match.group(1)


def _url(complaint, slug: str = "") -> str:
    return f"/meldingen/{complaint.reference}/" + (f"{slug}/" if slug else "")


# --- Intake ------------------------------------------------------------------------------------


def test_registering_opens_the_complaint_page_and_management_is_informed(petra, manager):
    """R3: on save the complaint page says the alert is on its way, and "Directie is ingelicht"
    from the moment the mail server accepted it (#10, item 20).
    R5/R6: the report and the checked NAW are stored; R4/R8/R14: the checklist too."""
    response = petra.post("/meldingen/nieuw/", INTAKE, follow=True)
    html = _html(response)
    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == f"/meldingen/{complaint.reference}/"
    assert "Directie wordt ingelicht" in html
    assert "Directie is ingelicht" not in html
    assert outbox_deliver(now=timezone.now()) == 1
    assert "Directie is ingelicht op" in _html(petra.get(_url(complaint)))
    assert complaint.report.startswith("Uitnodiging voor de training")
    assert complaint.customer.postcode == "2312 AV"
    assert complaint.customer.naw_checked_by is not None
    checklist = ["not_interrupted", "vented", "put_at_ease", "apologised", "business_card_given"]
    assert all(getattr(complaint, item) for item in checklist)
    [alert] = OutboxMessage.objects.all()
    assert alert.to == manager.email
    assert complaint.reference in alert.subject


def test_the_intake_is_one_page_with_customer_report_and_checklist(petra):
    """R4, R5, R6, R8, R14: everything the call needs on one form, "Registreren" at the bottom."""
    html = _html(petra.get("/meldingen/nieuw/"))
    for text in [
        "Zoek een klantmap",
        "NAW gecontroleerd met de klant",
        "Verslag",
        "Niet onderbroken",
        "Stoom laten afblazen",
        "Op het gemak gesteld",
        "Excuses aangeboden",
        "Visitekaartje gegeven",
        "Registreren",
    ]:
        assert text in html, text
    assert 'name="country" value="NL"' in html
    assert 'name="received_at" value="2026-11-02T11:00"' in html  # now, in Amsterdam


def test_registering_in_an_existing_customer_file(petra, complaint):
    """R5: a second complaint lands in the same customer file when it is picked."""
    data = {**INTAKE, "customer_id": str(complaint.customer_id), "name": "", "street": ""}
    response = petra.post("/meldingen/nieuw/", data)
    assert response.status_code == 302
    newest = Complaint.objects.order_by("-id").first()
    assert newest.customer_id == complaint.customer_id


def test_missing_naw_is_explained_next_to_each_field_and_nothing_typed_is_lost(petra):
    """R6: every missing NAW field gets its Dutch error at once; the report stays."""
    data = {**INTAKE, "name": "", "street": "", "town": ""}
    html = _html(petra.post("/meldingen/nieuw/", data))
    assert _field_error(html, "name") == "Vul de naam in."
    assert _field_error(html, "street") == "Vul de straat in."
    assert _field_error(html, "town") == "Vul de woonplaats in."
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_error"' in html
    assert INTAKE["report"] in html
    assert 'value="2312 av"' in html
    assert Complaint.objects.count() == 0


def test_a_bad_postcode_from_the_service_is_shown_next_to_the_postcode(petra):
    """R6: a Dutch postcode is 1234 AB; the service's refusal lands next to the field."""
    html = _html(petra.post("/meldingen/nieuw/", {**INTAKE, "postcode": "12345"}))
    assert "vier cijfers en twee letters" in _field_error(html, "postcode")
    assert 'value="12345"' in html
    assert "Vul het verslag in." not in html
    assert Complaint.objects.count() == 0


def test_an_empty_report_is_refused_next_to_the_report(petra):
    """R5: the report is part of registering."""
    html = _html(petra.post("/meldingen/nieuw/", {**INTAKE, "report": "  "}))
    assert _field_error(html, "report") == "Vul het verslag in."
    assert 'value="Dhr. K. Smit"' in html


def test_a_moment_of_receipt_in_the_future_is_refused(petra):
    """R3: the clock starts at receipt, which cannot lie ahead."""
    html = _html(petra.post("/meldingen/nieuw/", {**INTAKE, "received_at": "2026-11-03T10:00"}))
    assert "niet in de toekomst" in _field_error(html, "received_at")


def test_the_live_customer_search_offers_naw_but_never_complaints(petra, complaint):
    """R2: any employee finds a customer file to register for, but sees no complaint in it."""
    html = _html(
        petra.get("/meldingen/klanten/zoeken/", {"customer_search": "A.Bakker@example.nl"})
    )
    assert "Mevrouw A. Bakker" in html
    assert f'value="{complaint.customer_id}"' in html
    assert "1 klantmap gevonden." in html
    assert complaint.reference not in html
    assert "Cursusmap" not in html


def test_searching_without_javascript_keeps_everything_typed(petra, complaint):
    """The "Zoeken" button works without htmx and loses nothing, nor shows errors yet."""
    data = {**INTAKE, "name": "", "customer_search": "3512 AB 12a", "zoek_klant": "1"}
    html = _html(petra.post("/meldingen/nieuw/", data))
    assert "Mevrouw A. Bakker" in html
    assert INTAKE["report"] in html
    assert "Vul de naam in." not in html
    assert Complaint.objects.count() == 1


def test_the_report_is_internal_but_the_wording_check_warns_for_the_customer(petra):
    """R13: the report may say "klacht"; the live check says how to put it to the customer."""
    response = petra.post(
        "/tekstcontrole/?veld=report",
        {"report": "Klacht over de cursusmap."},
        headers={"HX-Request": "true"},
    )
    html = _html(response)
    assert "<html" not in html
    assert "Het verslag is intern" in html
    assert "R13" in html
    assert "<button" not in html  # no one-click change to an internal report


def test_a_customer_facing_text_is_blocked_until_rephrased(petra):
    """R13: the delay notice's reason goes to the customer; the live check blocks the word."""
    html = _html(
        petra.post(
            "/tekstcontrole/?veld=reason",
            {"reason": "Uw probleem vraagt meer tijd."},
        )
    )
    assert "Zo kan de tekst niet naar de klant" in html
    assert 'data-for="id_reason"' in html


# --- The complaint page ------------------------------------------------------------------------


def test_the_complaint_page_shows_deadlines_the_next_step_and_logs_the_read(petra, complaint):
    """R2: viewing is logged; R3/R16: three deadlines with a word; the next step is one button."""
    html = _html(petra.get(_url(complaint)))
    assert complaint.reference in html
    assert "Mevrouw A. Bakker" in html
    assert f'href="/meldingen/klantmap/{complaint.customer_id}/"' in html
    assert "Contact met de klant" in html
    assert "Uitstelbericht" in html
    assert "Afhandeling" in html
    assert html.count('<strong class="urgency status-ok">op tijd</strong>') == 3
    assert "dinsdag 3 november 2026, 09:55" in html  # 24 working hours (R3)
    assert "uiterlijk maandag 23 november 2026" in html  # 3 weeks (R16)
    assert 'class="cta primary-step" href="/meldingen/' in html
    assert "Contact opnemen en termijn afspreken" in html
    assert "Directie wordt ingelicht" in html  # the alert is queued, not yet accepted (R3)
    assert AuditEntry.objects.filter(complaint=complaint, action="viewed").count() == 1


def test_a_late_deadline_says_te_laat(employee, complaint, clock):
    """R3: a missed contact is flagged with a colour and the word."""
    clock.move_to(NOW + timedelta(days=2))
    # Logged in now: a session ends at most 12 hours after login (#15).
    html = _html(logged_in(employee).get(_url(complaint)))
    assert '<strong class="urgency status-late">te laat</strong>' in html


def test_the_timeline_names_what_happened_newest_first(petra, complaint, employee):
    """R2: every change is in the history, with who and when, in words."""
    complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Teruggebeld en excuses aangeboden.",
        agreed_term=in_days(10),
        now=NOW + timedelta(minutes=30),
    )
    html = _html(petra.get(_url(complaint)))
    timeline = html[html.index('id="tijdlijn"') :]
    assert timeline.index("Contact met de klant") < timeline.index("Melding geregistreerd")
    assert "Teruggebeld en excuses aangeboden." in timeline
    assert "Petra de Vries" in timeline
    assert "viewed" not in timeline


def test_a_waiting_next_step_shows_why(petra, complaint, employee):
    """R9/R10: a verified complaint with an open action cannot close yet; the page says why."""
    c = _to_solution_accepted(complaint, employee)
    c = complaint_follow_up(
        complaint=c, actor=employee, solved=True, note="Opgelost.", now=NOW + timedelta(hours=5)
    )
    html = _html(petra.get(_url(c)))
    assert "Afsluiten</strong>: kan nu nog niet." in html
    assert "Eerst alle acties afronden (R9)." in html


def _to_solution_accepted(complaint, employee) -> Complaint:
    c = complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(10),
        now=NOW + timedelta(minutes=10),
    )
    c = complaint_plan_actions(
        complaint=c,
        actor=employee,
        actions=[ActionData(what="Map nasturen", who=employee, due=in_days(2))],
        now=NOW + timedelta(minutes=20),
    )
    c = complaint_propose_solution(
        complaint=c, actor=employee, solution="Map nagestuurd.", now=NOW + timedelta(minutes=30)
    )
    return complaint_record_view(
        complaint=c, actor=employee, agrees=True, note="", now=NOW + timedelta(minutes=40)
    )


def test_an_action_is_ticked_done_from_the_plan(petra, complaint, employee):
    """R9: the action plan has a done tick per line."""
    c = _to_solution_accepted(complaint, employee)
    action = c.actions.get()
    response = petra.post(f"/meldingen/{c.reference}/acties/{action.pk}/gedaan/", follow=True)
    action.refresh_from_db()
    assert action.done_at is not None
    assert "✓ gedaan op" in _html(response)


# --- The handling steps ------------------------------------------------------------------------


def test_the_whole_handling_through_the_pages(petra, complaint, employee):
    """R3 → R9 → R7 → R10: contact and term, actions, solution, view, check, closed."""
    steps = [
        (
            "contact",
            {
                "at": "",
                "channel": "phone",
                "summary": "Teruggebeld.",
                "agreed_term": "2026-11-12",
                "management_consulted": "Met Marco afgestemd.",
            },
        ),
        (
            "acties",
            {
                "acties-TOTAL_FORMS": "3",
                "acties-INITIAL_FORMS": "0",
                "acties-0-what": "Cursusmap nasturen",
                "acties-0-who": str(employee.pk),
                "acties-0-due": "2026-11-04",
            },
        ),
        ("oplossing", {"solution": "Wij sturen de map vandaag per koerier."}),
        ("mening", {"agrees": "ja", "note": "Prima zo."}),
    ]
    for slug, data in steps:
        response = petra.post(_url(complaint, slug), data)
        assert response.status_code == 302, (slug, _html(response))
    action = Complaint.objects.get().actions.get()
    petra.post(f"/meldingen/{complaint.reference}/acties/{action.pk}/gedaan/")
    for slug, data in [
        ("nacontrole", {"solved": "ja", "note": "Map is binnen."}),
        ("afsluiten", {"outcome": "solved", "note": ""}),
    ]:
        response = petra.post(_url(complaint, slug), data)
        assert response.status_code == 302, (slug, _html(response))
    closed = Complaint.objects.get()
    assert closed.status == "closed"
    assert closed.outcome == "solved"
    assert closed.agreed_term.isoformat() == "2026-11-12"
    html = _html(petra.get(_url(complaint)))
    assert "Deze melding is afgesloten: opgelost." in html
    assert "gehaald" in html


def _contacted(complaint, employee) -> Complaint:
    return complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(10),
        now=NOW + timedelta(minutes=10),
    )


def test_a_dispute_and_its_binding_ruling_through_the_pages(petra, complaint, employee):
    """R11: referral, the binding ruling with its consequences as actions, then closing."""
    c = _contacted(complaint, employee)
    assert (
        petra.post(_url(c, "geschil"), {"note": "Klant schakelt Sandra-Kok.nl in."}).status_code
        == 302
    )
    html = _html(petra.get(_url(c)))
    assert "Uitspraak vastleggen" in html
    response = petra.post(
        _url(c, "uitspraak"),
        {
            "text": "De klant krijgt de cursus opnieuw, kosteloos.",
            "acties-TOTAL_FORMS": "3",
            "acties-INITIAL_FORMS": "0",
            "acties-0-what": "Nieuwe cursusdatum aanbieden",
            "acties-0-who": str(employee.pk),
            "acties-0-due": "2026-11-05",
        },
    )
    assert response.status_code == 302, _html(response)
    action = c.actions.get()
    assert action.from_ruling
    html = _html(petra.get(_url(c)))
    assert "gevolg van de uitspraak" in html
    assert "Eerst alle acties afronden" in html
    petra.post(f"/meldingen/{c.reference}/acties/{action.pk}/gedaan/")
    assert petra.post(_url(c, "afsluiten"), {"outcome": "ruling"}).status_code == 302
    assert Complaint.objects.get().outcome == "ruling"


def test_a_consequence_of_a_ruling_without_a_date_gets_five_working_days(
    petra, complaint, employee
):
    """R11: the page fills in the short default term; the third party and the ruling's date
    show on the complaint page."""
    c = _contacted(complaint, employee)
    petra.post(_url(c, "geschil"), {"note": "Klant schakelt de derde in."})
    with time_machine.travel(NOW, tick=False):
        response = petra.post(
            _url(c, "uitspraak"),
            {
                "ruled_on": "2026-10-30",
                "text": "Kosteloos opnieuw.",
                "acties-TOTAL_FORMS": "3",
                "acties-INITIAL_FORMS": "0",
                "acties-0-what": "Nieuwe cursusdatum aanbieden",
                "acties-0-who": str(employee.pk),
            },
        )
    assert response.status_code == 302, _html(response)
    assert c.actions.get().due == date(2026, 11, 9)  # Monday 2 November + 5 working days
    html = _html(petra.get(_url(c)))
    assert "Sandra Kok (https://www.sandra-kok.nl)" in html
    assert "Uitspraak van vr 30 okt 2026" in html


def test_a_delay_notice_then_an_extension_moves_the_settlement_deadline(petra, complaint, employee):
    """R16: with a delay notice before the 3-week mark, the settlement term moves."""
    c = _contacted(complaint, employee)
    html = _html(petra.get(_url(c, "verlengen")))
    assert "Eerst een uitstelbericht dat op tijd is verstuurd (R16)." in html
    # R16: the delay notice is a message to the customer; sending it records the delay.
    data = {"reason": "Wij wachten op de nieuwe planning.", "expected_date": "2026-12-15"}
    drafted = petra.post(_url(c, "uitstelbericht"), {**data, "opstellen": "1"})
    html = _html(drafted)
    assert "Wij wachten op de nieuwe planning." in html
    assert "uiterlijk dinsdag 15 december een besluit" in html  # the customer's words (#10)
    form = drafted.context["form"]
    sent = {**data, **{name: form[name].value() for name in ("channel", "subject", "body")}}
    assert petra.post(_url(c, "uitstelbericht"), sent).status_code == 302
    assert petra.post(_url(c, "verlengen"), {}).status_code == 302
    html = _html(petra.get(_url(c)))
    assert "uiterlijk dinsdag 15 december 2026" in html
    assert "verlengd na het uitstelbericht" in html
    assert "Uitstelbericht gestuurd" in html


@pytest.mark.parametrize(
    ("slug", "data", "field", "error", "kept"),
    [
        (
            "contact",
            {"channel": "phone", "summary": "", "agreed_term": "2026-11-12"},
            "summary",
            "Vul het verslag van het gesprek in.",
            'value="2026-11-12"',
        ),
        (
            "contact",
            {"channel": "phone", "summary": "Gebeld.", "agreed_term": "12-11"},
            "agreed_term",
            "Vul een datum in, bijvoorbeeld 12 november 2026.",
            "Gebeld.</textarea>",
        ),
        (
            "contact",
            {"at": "2026-11-05T10:00", "channel": "phone", "summary": "Gebeld."},
            "at",
            "Contact kan niet in de toekomst liggen.",
            "Gebeld.</textarea>",
        ),
        (
            "uitstelbericht",
            {
                "reason": "Wij wachten op de trainer.",
                "expected_date": "2026-11-26",
                "opstellen": "1",
            },
            "expected_date",
            "De verwachte datum moet na de huidige afhandeltermijn liggen (maandag 30 november "
            "2026): een uitstelbericht geeft de klant meer tijd, nooit minder (R16).",
            "Wij wachten op de trainer.</textarea>",
        ),
        (
            "uitstelbericht",
            {"reason": "", "expected_date": "2026-12-01", "opstellen": "1"},
            "reason",
            "Vul de reden van het uitstel in.",
            'value="2026-12-01"',
        ),
        ("oplossing", {"solution": ""}, "solution", "Vul de oplossing in.", ""),
        (
            "mening",
            {"note": "Weet het nog niet."},
            "agrees",
            "Kies akkoord of niet akkoord.",
            "Weet het nog niet.",
        ),
        (
            "nacontrole",
            {"solved": "nee", "note": ""},
            "note",
            "Vul het verslag van de nacontrole in.",
            'value="nee" id="id_solved_1" required checked',
        ),
        (
            "afsluiten",
            {"note": "Klant trekt in."},
            "outcome",
            "Kies de uitkomst.",
            "Klant trekt in.",
        ),
        ("geschil", {"note": ""}, "note", "Vul in wat aan de derde is voorgelegd.", ""),
        (
            "uitspraak",
            {"text": "", "acties-TOTAL_FORMS": "3", "acties-INITIAL_FORMS": "0"},
            "text",
            "Vul de uitspraak in.",
            "",
        ),
    ],
)
def test_every_step_form_keeps_the_input_and_explains_the_error_next_to_the_field(
    petra, complaint, slug, data, field, error, kept
):
    """Nothing typed is lost; the Dutch error sits next to its field (aria-describedby)."""
    response = petra.post(_url(complaint, slug), data)
    assert response.status_code == 200
    html = _html(response)
    assert _field_error(html, field) == error
    assert f"id_{field}_error" in html
    assert "Nog niet opgeslagen" in html
    assert kept in html


def test_an_action_line_without_who_is_explained_on_its_line(petra, complaint, employee):
    """R9: every action says what, who and when; the error sits on that line."""
    complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(10),
        now=NOW + timedelta(minutes=10),
    )
    data = {
        "acties-TOTAL_FORMS": "3",
        "acties-INITIAL_FORMS": "0",
        "acties-0-what": "Cursusmap nasturen",
        "acties-0-due": "2026-11-04",
    }
    html = _html(petra.post(_url(complaint, "acties"), data))
    assert _field_error(html, "acties-0-who") == "Kies wie het doet."
    assert 'value="Cursusmap nasturen"' in html


def test_an_action_in_the_past_is_refused_on_its_line(petra, complaint, employee):
    """R9: the service's refusal of the second filled line lands on that line."""
    complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(10),
        now=NOW + timedelta(minutes=10),
    )
    data = {
        "acties-TOTAL_FORMS": "3",
        "acties-INITIAL_FORMS": "0",
        "acties-0-what": "Map nasturen",
        "acties-0-who": str(employee.pk),
        "acties-0-due": "2026-11-04",
        "acties-2-what": "Trainer bellen",
        "acties-2-who": str(employee.pk),
        "acties-2-due": "2026-10-01",
    }
    html = _html(petra.post(_url(complaint, "acties"), data))
    assert "verleden" in _field_error(html, "acties-2-due")
    assert Complaint.objects.get().actions.count() == 0


def test_the_action_plan_takes_several_lines_and_skips_empty_ones(petra, complaint, employee):
    """R9: what, who, when — several at once."""
    complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(10),
        now=NOW + timedelta(minutes=10),
    )
    data = {"acties-TOTAL_FORMS": "4", "acties-INITIAL_FORMS": "0"}
    for index in (0, 3):
        data |= {
            f"acties-{index}-what": f"Actie {index}",
            f"acties-{index}-who": str(employee.pk),
            f"acties-{index}-due": "2026-11-06",
        }
    assert petra.post(_url(complaint, "acties"), data).status_code == 302
    assert sorted(complaint.actions.values_list("what", flat=True)) == ["Actie 0", "Actie 3"]


def test_a_refused_step_shows_the_reasons_and_keeps_the_input(petra, complaint, employee):
    """R10: closing as solved before the follow-up check is refused, with the reason; the
    form no longer offers "Opgelost" (issue #10), so a stale page's choice is explained."""
    c = _to_solution_accepted(complaint, employee)
    response = petra.post(_url(c, "afsluiten"), {"outcome": "solved", "note": "Klaar, denk ik."})
    html = _html(response)
    assert response.status_code == 200
    assert "Eerst nacontrole bij de klant (R10)." in html
    assert 'role="alert"' in html
    assert "Klaar, denk ik.</textarea>" in html
    assert 'value="solved"' not in html
    assert Complaint.objects.get().status == "solution_accepted"


def test_a_step_page_says_up_front_when_the_step_must_wait(petra, complaint):
    """R3: an action plan comes after the first contact; the page says so before typing."""
    html = _html(petra.get(_url(complaint, "acties")))
    assert "Eerst contact opnemen met de klant (R3)." in html


def test_a_first_contact_without_an_agreed_term_is_refused(petra, complaint):
    """R3: the first contact leaves a term agreed with the customer."""
    html = _html(petra.post(_url(complaint, "contact"), {"channel": "phone", "summary": "Gebeld."}))
    assert "Spreek een termijn af met de klant (R3)." in html
    assert "Gebeld.</textarea>" in html


def test_the_close_page_opens_with_the_chosen_outcome(petra, complaint):
    """The secondary buttons lead to the form with their choice made."""
    html = _html(petra.get(_url(complaint, "afsluiten") + "?uitkomst=withdrawn"))
    assert re.search(r'value="withdrawn"[^>]*checked', html)


def test_an_unknown_step_page_is_not_found(petra, complaint):
    assert petra.get(_url(complaint, "bestaat-niet")).status_code == 404


# --- Assigning (R15) ---------------------------------------------------------------------------


def test_the_receiver_hands_the_complaint_over_and_stays_attached(
    petra, complaint, employee, colleague
):
    """R15: the new handler is told; the receiver still sees the complaint."""
    category = Category.objects.create(name="Cursusmateriaal")
    response = petra.post(
        _url(complaint, "indeling"),
        {"handler": str(colleague.pk), "category": str(category.pk), "root_cause": ""},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.handler == colleague
    assert complaint.receiver == employee
    assert complaint.category == category
    assert OutboxMessage.objects.filter(to=colleague.email).exists()
    assert petra.get(_url(complaint)).status_code == 200
    assert logged_in(colleague).get(_url(complaint)).status_code == 200


def test_the_handler_may_hand_it_on_and_the_receiver_keeps_it(
    complaint, employee, colleague, make_staff
):
    """R15: management, the receiver and the current handler reassign; the receiver stays."""
    from klachten.complaints.services import complaint_assign

    complaint_assign(complaint=complaint, actor=employee, handler=colleague, now=NOW)
    jan = logged_in(colleague)
    assert 'name="handler"' in _html(jan.get(_url(complaint)))
    other = make_staff("kees", "employee")
    jan.post(_url(complaint, "indeling"), {"handler": str(other.pk)})
    complaint.refresh_from_db()
    assert complaint.handler == other
    assert complaint.receiver == employee


# --- R2: who sees what -------------------------------------------------------------------------


def test_another_employee_finds_nothing(complaint, colleague):
    """R2: for an employee without a right to it, the complaint and its file do not exist."""
    jan = logged_in(colleague)
    action_free = [
        _url(complaint),
        _url(complaint, "contact"),
        _url(complaint, "indeling"),
        f"/meldingen/klantmap/{complaint.customer_id}/",
    ]
    for url in action_free:
        response = jan.get(url)
        assert response.status_code == 404, url
        assert "Cursusmap" not in _html(response)
    assert jan.post(_url(complaint, "contact"), {"summary": "x"}).status_code == 404
    link = f'href="/meldingen/{complaint.reference}/"'
    assert link not in _html(jan.get("/meldingen/", {"zoek": complaint.reference}))
    assert link not in _html(jan.get("/meldingen/", {"zoek": "Bakker"}))
    assert "Geen meldingen gevonden." in _html(jan.get("/meldingen/"))
    assert not AuditEntry.objects.filter(actor=colleague).exists()


def test_another_employee_cannot_tick_an_action_done(complaint, employee, colleague):
    """R2: a hidden complaint's action items cannot be changed either."""
    c = _to_solution_accepted(complaint, employee)
    action = c.actions.get()
    response = logged_in(colleague).post(f"/meldingen/{c.reference}/acties/{action.pk}/gedaan/")
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.done_at is None


def test_management_sees_every_complaint_with_the_counts(complaint, manager):
    """R2: management sees all; UX.md: counts on top (nieuw, te laat, bijna, in geschil)."""
    client = logged_in(manager)
    html = _html(client.get("/meldingen/"))
    assert complaint.reference in html
    for count in ("nieuw", "te laat", "bijna te laat", "in geschil"):
        assert f"</strong> {count}</" in html, count
    assert client.get(_url(complaint)).status_code == 200
    assert client.get(f"/meldingen/klantmap/{complaint.customer_id}/").status_code == 200


# --- The overview ------------------------------------------------------------------------------


def _register(receiver, name: str = "Mevrouw A. Bakker", minutes: int = 5, **customer) -> Complaint:
    return complaint_register(
        receiver=receiver,
        customer=customer_data(name=name, **customer),
        received_at=NOW - timedelta(minutes=minutes),
        channel="email",
        report=f"Verslag over {name}.",
        checklist=Checklist(),
        now=NOW,
    )


def test_the_overview_lists_open_complaints_by_the_nearest_deadline(petra, employee):
    """R3/R16: the nearest deadline first, with its word; closed ones only on request."""
    late = _register(employee, "Eerst Ontvangen", minutes=60 * 24 * 3)
    fresh = _register(employee, "Net Binnen", minutes=1)
    html = _html(petra.get("/meldingen/", {"mijn": "1"}))
    assert "Mijn meldingen" in html
    assert html.index(late.reference) < html.index(fresh.reference)
    # #14: one urgency pill per row, colour and words: relative time, the state for readers.
    assert re.search(
        r'class="pill status-late"[^>]*>.*? te laat<span class="visually-hidden"> \(te laat\)', html
    )
    assert re.search(r'class="pill status-ok"[^>]*>.*?nog \d+ werkuren.*?\(op tijd\)', html)
    assert 'aria-sort="ascending"><a href="?mijn=1&amp;sorteer=-termijn">Termijn' in html


def test_the_overview_searches_reference_name_postcode_and_words(petra, employee):
    """UX.md: search by kenmerk, customer name, postcode or words from the report."""
    first = _register(employee, "Mevrouw Jansen", postcode="1011 AA")
    second = _register(employee, "Meneer de Boer", postcode="9711 BB")
    # A search that is exactly a reference opens that complaint (#14).
    opened = petra.get("/meldingen/", {"zoek": first.reference.lower()})
    assert opened["Location"] == f"/meldingen/{first.reference}/"
    for words, expected, other in [
        ("boer", second, first),
        ("1011aa", first, second),
        ("Verslag over Mevrouw", first, second),
    ]:
        html = _html(petra.get("/meldingen/", {"zoek": words}))
        assert expected.reference in html, words
        assert other.reference not in html, words
        assert f'value="{words}"' in html


def test_the_overview_filters_on_late_status_and_category(petra, employee, clock):
    """UX.md: filters te laat, status, categorie."""
    category = Category.objects.create(name="Planning")
    late = _register(employee, "Te Laat", minutes=60 * 24 * 3)
    on_time = complaint_register(
        receiver=employee,
        customer=customer_data(name="Op Tijd"),
        received_at=NOW,
        channel="email",
        report="x",
        checklist=Checklist(),
        category=category,
        now=NOW,
    )
    html = _html(petra.get("/meldingen/", {"te_laat": "on"}))
    assert late.reference in html
    assert on_time.reference not in html
    html = _html(petra.get("/meldingen/", {"categorie": str(category.pk)}))
    assert on_time.reference in html
    assert late.reference not in html
    html = _html(petra.get("/meldingen/", {"status": "contacted"}))
    assert "Geen meldingen gevonden." in html


def test_the_overview_pages_by_fifty(petra, employee):
    """UX.md: 50 per page, with a link to the next 50."""
    for number in range(51):
        _register(employee, f"Klant {number}", minutes=number)
    html = _html(petra.get("/meldingen/"))
    assert html.count('<th scope="row"><a href="/meldingen/KG-') == 50
    assert 'rel="next"' in html
    html = _html(petra.get("/meldingen/", {"pagina": "2"}))
    assert html.count('<th scope="row"><a href="/meldingen/KG-') == 1
    assert 'rel="prev"' in html


def test_my_complaints_are_what_i_received_or_handle(complaint, manager, employee):
    """R15: "Mijn meldingen" holds what one received or handles, also for management."""
    mine = _register(manager, "Directieklant")
    html = _html(logged_in(manager).get("/meldingen/", {"mijn": "1"}))
    assert mine.reference in html
    assert complaint.reference not in html


# --- The customer file -------------------------------------------------------------------------


def test_the_customer_file_shows_naw_its_check_and_the_complaints(petra, complaint, employee):
    """R5: complaints live in the customer's file; R6: who checked NAW and when."""
    html = _html(petra.get(f"/meldingen/klantmap/{complaint.customer_id}/"))
    assert "Klantmap Mevrouw A. Bakker" in html
    assert "Lindenlaan 12a" in html
    assert "3512 AB Utrecht" in html
    assert "Gecontroleerd met de klant door Petra de Vries" in html
    assert complaint.reference in html


def test_a_new_complaint_can_start_from_the_customer_file(petra, complaint):
    """R5: "Nieuwe melding voor deze klant" opens the intake with that file picked."""
    html = _html(petra.get(f"/meldingen/klantmap/{complaint.customer_id}/"))
    assert f'href="/meldingen/nieuw/?klant={complaint.customer_id}"' in html
    html = _html(petra.get("/meldingen/nieuw/", {"klant": complaint.customer_id}))
    assert re.search(rf'value="{complaint.customer_id}" checked', html)


def test_a_customer_file_that_does_not_exist_is_not_found(petra):
    assert petra.get("/meldingen/klantmap/999/").status_code == 404


# --- Getting there -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/meldingen/", "/meldingen/nieuw/", "/meldingen/KG-2026-00001/", "/meldingen/klantmap/1/"],
)
def test_the_complaint_pages_need_a_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_the_start_page_and_the_menu_lead_to_the_complaint_screens(petra, manager):
    """UX.md: "Nieuwe melding" and "Mijn meldingen" for everyone, the overview for management."""
    html = _html(petra.get("/"))
    assert 'href="/meldingen/nieuw/"' in html
    assert 'href="/meldingen/?mijn=1"' in html
    assert ">Overzicht<" not in html
    assert ">Overzicht<" in _html(logged_in(manager).get("/"))


def test_whether_the_customer_booked_again_is_recorded_on_the_page(petra, complaint):
    """R1: "Niet bekend" by default; the answer shows on the complaint page."""
    form = _html(petra.get(_url(complaint, "indeling")))
    [unknown] = re.findall(r'<input[^>]*name="booked_again"[^>]*value="unknown"[^>]*>', form)
    assert "checked" in unknown

    response = petra.post(_url(complaint, "indeling"), {"booked_again": "no"})

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.booked_again is False
    html = _html(petra.get(_url(complaint)))
    assert "Opnieuw geboekt" in html


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("a.bakker@example.nl", True),
        ("3512AB 12A", True),
        ("3512 ab, 12 a", True),
        ("bakker", False),  # a name: management's search only
        ("3512 AB", False),  # a postcode alone lists a street's neighbours
        ("3512 AB 12", False),  # another house
        ("@example.nl", False),
    ],
)
def test_an_employee_finds_a_customer_only_by_what_the_customer_confirms(
    petra, complaint, manager, words, found
):
    """#15, R2 (need to know): e-mail, or postcode and house number; every look-up logged,
    without the words; management still browses by name."""
    html = _html(petra.get("/meldingen/klanten/zoeken/", {"customer_search": words}))
    assert ("Mevrouw A. Bakker" in html) is found, words
    entry = AuditEntry.objects.filter(action="customer_looked_up").latest("id")
    assert entry.actor is not None
    assert entry.actor.username == "petra"
    assert entry.after["found"] == ([complaint.customer_id] if found else [])
    assert words not in str(entry.after)
    by_name = _html(
        logged_in(manager).get("/meldingen/klanten/zoeken/", {"customer_search": "bakker"})
    )
    assert "Mevrouw A. Bakker" in by_name
