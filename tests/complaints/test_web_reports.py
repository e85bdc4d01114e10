"""Reports from the website in the staff's world: nobody's until taken up (R2, R15), the
customer's own answers (R7, R10), the status link's renewal and the later NAW check (R6).

Through the services, the staff pages (Django's test client) and the API.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from klachten.accounts.services import token_create
from klachten.audit.models import AuditEntry
from klachten.complaints.models import STATUS_LINK_ERASED, Complaint
from klachten.complaints.selectors import (
    OverviewFilter,
    complaint_get_for,
    complaint_overview,
    complaint_status_url,
    overview_counts,
    status_token_for,
)
from klachten.complaints.services import (
    ActionData,
    Checklist,
    StepRefused,
    complaint_assign,
    complaint_contact,
    complaint_follow_up,
    complaint_plan_actions,
    complaint_propose_solution,
    complaint_record_view,
    complaint_register,
    complaint_request_follow_up,
    complaint_status_link_renew,
    complaint_take_up,
    customer_naw_check,
)
from klachten.core.errors import InvalidInput, NotAllowed, NotFound
from klachten.domain import wording
from klachten.mail.models import OutboxMessage
from tests.complaints.conftest import NOW, customer_data, in_days, later
from tests.conftest import ApiClient


def r13(text: str) -> list[str]:
    return [finding.text for finding in wording.check(text) if finding.rule == "R13"]


@pytest.fixture
def web_report(manager):
    """A report that arrived through the public form a moment ago: nobody's yet."""
    return complaint_register(
        receiver=None,
        customer=customer_data(),
        received_at=NOW,
        channel="web",
        report="Cursus of training: Excel\n\nWat is er misgegaan:\nDe lesdag ging niet door.",
        checklist=Checklist(),
        now=NOW,
    )


@pytest.fixture
def colleague(make_staff):
    return make_staff(
        "sanne",
        "employee",
        first_name="Sanne",
        last_name="Visser",
        email="sanne@kerngroep.nl",
        job_title="Opleidingsadviseur",
        phone="030 760 22 17",
    )


def _proposed(report, employee, solution="Een nieuwe lesdag op 20 november."):
    """Taken up, contacted, planned, solution proposed: the customer's view is next (R7)."""
    c = complaint_take_up(complaint=report, actor=employee, now=later(hours=1))
    c = complaint_contact(
        complaint=c,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(10),
        now=later(hours=2),
    )
    c = complaint_plan_actions(
        complaint=c,
        actor=employee,
        actions=[ActionData(what="Nieuwe lesdatum aanbieden", who=employee, due=in_days(3))],
        now=later(hours=3),
    )
    return complaint_propose_solution(complaint=c, actor=employee, solution=solution, now=later(1))


def _accepted(report, employee):
    """The customer agreed to the solution: the follow-up check is next (R10)."""
    c = _proposed(report, employee)
    return complaint_record_view(complaint=c, actor=None, agrees=True, note="", now=later(2))


# --- Registering without a receiver ------------------------------------------------------------


def test_only_a_web_report_arrives_without_a_receiver(manager):
    """R15: at intake the employee is the receiver; only the website has nobody yet."""
    with pytest.raises(InvalidInput) as refused:
        complaint_register(
            receiver=None,
            customer=customer_data(),
            received_at=NOW,
            channel="phone",
            report="Verslag",
            checklist=Checklist(),
            now=NOW,
        )
    assert refused.value.code == "receiver_required"
    assert not Complaint.objects.exists()


def test_management_is_alerted_of_a_web_report_at_once(web_report, manager):
    """R3: the same alert as any registration, saying nobody took it up yet."""
    [alert] = OutboxMessage.objects.filter(to=manager.email)
    assert web_report.reference in alert.subject
    assert "website" in alert.body
    assert "None" not in alert.body


# --- Taking it up (R2, R15) --------------------------------------------------------------------


def test_every_employee_sees_an_unclaimed_web_report_and_only_the_taker_after(
    web_report, employee, colleague, manager
):
    """R2: until taken up, every staff member may see it, so someone takes it up; after, the
    normal rule: receiver, handler and management."""
    for staff in (employee, colleague, manager):
        assert complaint_get_for(staff=staff, reference=web_report.reference)
    taken = complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    assert (taken.receiver, taken.handler) == (employee, employee)
    assert complaint_get_for(staff=employee, reference=web_report.reference)
    assert complaint_get_for(staff=manager, reference=web_report.reference)
    with pytest.raises(NotFound):
        complaint_get_for(staff=colleague, reference=web_report.reference)


def test_the_first_to_take_it_up_wins_and_the_second_is_told_who(web_report, employee, colleague):
    complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    with pytest.raises(NotAllowed) as refused:
        complaint_take_up(complaint=web_report, actor=colleague, now=later(hours=1))
    assert refused.value.code == "already_taken_up"
    assert "Petra de Vries" in refused.value.detail
    assert Complaint.objects.get().receiver == employee
    entry = AuditEntry.objects.get(action="taken_up")
    assert entry.actor == employee
    assert entry.after == {"receiver_id": employee.pk, "handler_id": employee.pk}


def test_no_step_is_taken_before_someone_takes_it_up(web_report, manager):
    """R15: someone must be responsible before the customer is contacted."""
    with pytest.raises(NotAllowed) as refused:
        complaint_contact(
            complaint=web_report,
            actor=manager,
            at=None,
            channel="phone",
            summary="Gebeld",
            agreed_term=in_days(5),
            now=later(hours=1),
        )
    assert refused.value.code == "not_taken_up"
    assert Complaint.objects.get().status == "new"


def test_once_taken_up_the_receiver_hears_of_later_steps(web_report, employee, manager):
    """R15: the taker is the receiver and is notified like any receiver."""
    c = complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    complaint_assign(complaint=c, actor=manager, handler=manager, now=later(hours=2))
    complaint_contact(
        complaint=Complaint.objects.get(),
        actor=manager,
        at=None,
        channel="phone",
        summary="Gebeld",
        agreed_term=in_days(5),
        now=later(hours=3),
    )
    assert OutboxMessage.objects.filter(to=employee.email, subject__contains="bijgewerkt").exists()


def test_management_can_hand_an_unclaimed_report_to_someone_who_then_receives_it(
    web_report, manager, colleague
):
    c = complaint_assign(complaint=web_report, actor=manager, handler=colleague, now=later(1))
    assert (c.receiver, c.handler) == (colleague, colleague)


def test_an_employee_cannot_hand_on_an_unclaimed_report(web_report, employee, colleague):
    with pytest.raises(NotAllowed):
        complaint_assign(complaint=web_report, actor=employee, handler=colleague, now=later(1))


def _unclaimed(staff) -> int:
    return overview_counts(staff=staff, now=NOW, soon_until=NOW + timedelta(days=1)).unclaimed


def test_the_overview_marks_and_filters_what_is_still_to_be_taken_up(
    web_report, complaint, employee, colleague
):
    """R15: a "Nog op te pakken" filter and count for everyone; "mine" leaves them out."""
    assert _unclaimed(colleague) == 1
    rows = complaint_overview(staff=colleague, filters=OverviewFilter(unclaimed=True), now=NOW)
    assert [row.reference for row in rows] == [web_report.reference]
    assert rows[0].unclaimed
    assert rows[0].receiver == ""
    mine = complaint_overview(staff=employee, filters=OverviewFilter(mine=True), now=NOW)
    assert [row.reference for row in mine] == [complaint.reference]
    complaint_take_up(complaint=web_report, actor=colleague, now=later(hours=1))
    assert _unclaimed(colleague) == 0


def test_the_overview_page_shows_the_unclaimed_count_and_the_row_marked(web_report, colleague):
    client = Client()
    client.force_login(colleague)
    with time_machine.travel(later(hours=1), tick=False):
        page = client.get("/meldingen/").content.decode()
        filtered = client.get("/meldingen/", {"op_te_pakken": "1"}).content.decode()
    assert '<a href="?op_te_pakken=1" class="count"><strong>1</strong> nog op te pakken</a>' in page
    assert "Nog op te pakken" in filtered
    assert web_report.reference in filtered
    assert "None" not in page


def test_the_complaint_page_offers_taking_it_up_and_then_the_normal_next_step(
    web_report, colleague
):
    client = Client()
    client.force_login(colleague)
    with time_machine.travel(later(hours=1), tick=False):
        page = client.get(f"/meldingen/{web_report.reference}/").content.decode()
        assert "Oppakken" in page
        assert "nog niemand" in page
        assert "NAW nog niet gecontroleerd" in page
        assert "None" not in page
        response = client.post(f"/meldingen/{web_report.reference}/oppakken/", follow=True)
    page = response.content.decode()
    assert "U heeft deze melding opgepakt" in page
    assert "Contact opnemen en termijn afspreken" in page
    assert Complaint.objects.get().receiver == colleague


def test_taking_up_through_the_api_and_the_receiver_is_null_before(web_report, employee, colleague):
    _, token = token_create(staff=employee)
    api = ApiClient(token)
    with time_machine.travel(later(hours=1), tick=False):
        before = api.get(f"/api/v1/complaints/{web_report.reference}").json()
        assert before["receiver"] is None
        assert before["handler"] is None
        taken = api.post(f"/api/v1/complaints/{web_report.reference}/take-up")
        assert taken.status_code == 200
        assert taken.json()["receiver"]["username"] == "petra"
        _, other = token_create(staff=colleague)
        again = ApiClient(other).post(f"/api/v1/complaints/{web_report.reference}/take-up")
    # R15: the colleague who comes second learns who was first — as documented, not a 404,
    # though the report is no longer theirs to see (R2).
    assert again.status_code == 409
    assert again.json()["code"] == "already_taken_up"
    assert "Petra de Vries" in again.json()["detail"]
    assert again.json()["reasons"][0]["code"] == "already_taken_up"
    assert "Bakker" not in again.content.decode()  # nothing of the report itself (R2)
    listed = api.get("/api/v1/complaints").json()["items"]
    assert listed[0]["receiver"]["username"] == "petra"


def test_a_colleague_who_comes_second_on_the_page_is_told_who_was_first(
    web_report, employee, colleague
):
    """R15: a clear Dutch message, not "niet gevonden"; back to what is still to be taken up,
    since the report is no longer the colleague's to see (R2)."""
    complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    client = Client()
    client.force_login(colleague)
    with time_machine.travel(later(hours=2), tick=False):
        response = client.post(f"/meldingen/{web_report.reference}/oppakken/")
        assert response.status_code == 302
        assert response["Location"] == "/meldingen/?op_te_pakken=1"
        page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Deze melding is al opgepakt door Petra de Vries." in page.content.decode()
    assert Complaint.objects.get().receiver == employee


def test_management_who_comes_second_on_the_page_stays_on_the_complaint(
    web_report, employee, manager
):
    complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    client = Client()
    client.force_login(manager)
    with time_machine.travel(later(hours=2), tick=False):
        response = client.post(f"/meldingen/{web_report.reference}/oppakken/", follow=True)
    assert response.redirect_chain[-1][0] == f"/meldingen/{web_report.reference}/"
    assert "Deze melding is al opgepakt door Petra de Vries." in response.content.decode()


def test_taking_up_a_complaint_that_was_never_everyones_stays_not_found(complaint, colleague):
    """R2: only reports that every staff member once saw reveal who took them up; any other
    complaint the caller may not see is simply not found, on the page and in the API."""
    _, token = token_create(staff=colleague)
    response = ApiClient(token).post(f"/api/v1/complaints/{complaint.reference}/take-up")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    client = Client()
    client.force_login(colleague)
    assert client.post(f"/meldingen/{complaint.reference}/oppakken/").status_code == 404


def test_taking_up_twice_through_the_api_is_a_409_for_management(web_report, employee, manager):
    _, token = token_create(staff=manager)
    complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    with time_machine.travel(later(hours=2), tick=False):
        response = ApiClient(token).post(f"/api/v1/complaints/{web_report.reference}/take-up")
    assert response.status_code == 409
    assert response.json()["code"] == "already_taken_up"


# --- The customer's own answers (R7, R10) ------------------------------------------------------


def test_the_customers_view_is_audited_as_theirs_and_mails_handler_and_receiver(
    web_report, employee, manager
):
    """R7 by the customer: no staff actor, ``by: customer``; R15: receiver and handler hear."""
    c = _proposed(web_report, employee, "Een nieuwe lesdag.")
    c = complaint_assign(complaint=c, actor=manager, handler=manager, now=later(1, 1))
    OutboxMessage.objects.all().delete()
    c = complaint_record_view(
        complaint=c, actor=None, agrees=False, note="Liever een vergoeding.", now=later(2)
    )
    assert c.status == "in_progress"
    assert (c.customer_view, c.customer_view_note) == ("disagrees", "Liever een vergoeding.")
    entry = AuditEntry.objects.get(action="reject_solution")
    assert entry.actor is None
    assert entry.after["by"] == "customer"
    assert entry.after["note"] == "Liever een vergoeding."
    mailed = set(OutboxMessage.objects.values_list("to", flat=True))
    assert mailed == {employee.email, manager.email}
    body = OutboxMessage.objects.first().body
    assert "De klant heeft geantwoord op de statuspagina" in body


def test_the_follow_up_question_needs_the_handlers_request_first(web_report, employee):
    """R10: the customer answers only once the handler asked."""
    c = _accepted(web_report, employee)
    with pytest.raises(NotAllowed) as refused:
        complaint_follow_up(complaint=c, actor=None, solved=True, note="", now=later(3))
    assert refused.value.code == "follow_up_not_requested"
    c = complaint_request_follow_up(complaint=c, actor=employee, now=later(3))
    assert c.follow_up_requested_at == later(3)
    c = complaint_follow_up(complaint=c, actor=None, solved=True, note="", now=later(4))
    assert c.status == "verified"
    assert AuditEntry.objects.get(action="confirm_solved").after == {
        "follow_up_solved": True,
        "by": "customer",
    } | {"status": "verified"}


def test_asking_for_the_follow_up_mails_the_customer_the_link_and_the_handlers_card(
    web_report, colleague
):
    """R10 asked on the status page; R14: the mail carries the handler's card; R13: its
    words avoid the forbidden ones."""
    c = _accepted(web_report, colleague)
    OutboxMessage.objects.all().delete()
    complaint_request_follow_up(complaint=c, actor=colleague, now=later(3))
    [mail] = OutboxMessage.objects.filter(to="a.bakker@example.nl")
    assert complaint_status_url(c) in mail.body
    for line in ("Sanne Visser", "Opleidingsadviseur", "+31 30 760 2217", "sanne@kerngroep.nl"):
        assert line in mail.body
    assert r13(mail.subject + "\n" + mail.body) == []
    # R14: the card travels as a vCard too, and a reply reaches the employee.
    assert mail.reply_to == "sanne@kerngroep.nl"
    [card] = mail.attachments.all()
    assert card.content_type == "text/vcard"
    assert b"FN:Sanne Visser" in bytes(card.content)


def test_the_follow_up_cannot_be_asked_before_the_customer_agreed(web_report, employee):
    c = complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    with pytest.raises(StepRefused) as refused:
        complaint_request_follow_up(complaint=c, actor=employee, now=later(hours=2))
    assert refused.value.reasons
    assert Complaint.objects.get().follow_up_requested_at is None


def test_a_new_solution_withdraws_the_earlier_follow_up_question(web_report, employee):
    """R7: a new proposal clears the view and the check, and the question with them."""
    c = _accepted(web_report, employee)
    c = complaint_request_follow_up(complaint=c, actor=employee, now=later(3))
    c = complaint_follow_up(complaint=c, actor=None, solved=False, note="Nee", now=later(4))
    c = complaint_propose_solution(
        complaint=c, actor=employee, solution="Een vergoeding.", now=later(5)
    )
    assert c.follow_up_requested_at is None


# --- The status link and the NAW check ---------------------------------------------------------


def test_renewing_the_status_link_revokes_the_old_one_and_mails_the_new(web_report, employee):
    """R2: a link that reached someone else stops working; the token is never logged."""
    c = complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    old = status_token_for(c)
    c = complaint_status_link_renew(complaint=c, actor=employee, send=True, now=later(hours=2))
    assert status_token_for(c)
    assert status_token_for(c) != old
    [mail] = OutboxMessage.objects.filter(to="a.bakker@example.nl")
    assert complaint_status_url(c) in mail.body
    assert old not in mail.body
    assert r13(mail.subject + "\n" + mail.body) == []
    entry = AuditEntry.objects.get(action="status_link_renewed")
    assert entry.after == {"sent": True}
    assert old not in str(entry.before) + str(entry.after)


def test_the_staff_button_renews_the_link_without_mail_when_unticked(web_report, employee):
    complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    old = status_token_for(Complaint.objects.get())
    client = Client()
    client.force_login(employee)
    with time_machine.travel(later(hours=2), tick=False):
        response = client.post(f"/meldingen/{web_report.reference}/statuslink/", follow=True)
    assert "de vorige werkt niet meer" in response.content.decode()
    assert status_token_for(Complaint.objects.get()) != old
    assert not OutboxMessage.objects.filter(to="a.bakker@example.nl").exists()


def test_an_erased_status_link_cannot_be_renewed(web_report, employee):
    Complaint.objects.filter(pk=web_report.pk).update(**STATUS_LINK_ERASED)
    with pytest.raises(NotAllowed):
        complaint_status_link_renew(complaint=web_report, actor=employee, send=True, now=later(1))


def test_an_employee_checks_the_naw_of_a_web_report_later(web_report, employee):
    """R6: the customer typed NAW; an employee checks it with them and records it."""
    c = complaint_take_up(complaint=web_report, actor=employee, now=later(hours=1))
    c = customer_naw_check(complaint=c, actor=employee, now=later(hours=2))
    assert c.customer.naw_checked_at == later(hours=2)
    assert c.customer.naw_checked_by == employee
    assert AuditEntry.objects.filter(action="naw_checked", actor=employee).count() == 1
    customer_naw_check(complaint=c, actor=employee, now=later(hours=3))  # once is enough
    assert AuditEntry.objects.filter(action="naw_checked").count() == 1


def test_the_complaint_page_shows_the_customers_own_view_apart(web_report, employee):
    """R7: the employee sees on the complaint page that the customer gave the view
    themself, with their comment, in the solution section and the timeline."""
    c = _proposed(web_report, employee, "Een nieuwe lesdag.")
    complaint_record_view(
        complaint=c, actor=None, agrees=True, note="Dat is prima zo.", now=later(2)
    )
    client = Client()
    client.force_login(employee)
    with time_machine.travel(later(2, 1), tick=False):
        page = client.get(f"/meldingen/{web_report.reference}/").content.decode()
    assert "Zelf gegeven door de klant op de statuspagina" in page
    assert "Dat is prima zo." in page
    assert "Klant akkoord met de oplossing" in page
    assert "Zelf ingevuld door de klant op de statuspagina" in page
    assert "Nacontrole vragen via de statuspagina" in page


def test_the_customer_mails_are_written_in_the_organisations_language(web_report, employee):
    """Staff working in English still write to the customer in Dutch (settings.LANGUAGE_CODE)."""
    from django.utils import translation

    c = _accepted(web_report, employee)
    with translation.override("en"):
        complaint_request_follow_up(complaint=c, actor=employee, now=later(3))
    mail = OutboxMessage.objects.get(to="a.bakker@example.nl")
    assert mail.body.startswith("Beste")
    assert settings.LANGUAGE_CODE == "nl"


def test_a_web_report_takes_the_same_steps_as_any_once_taken(web_report, employee):
    c = _accepted(web_report, employee)
    assert c.status == "solution_accepted"
    assert c.attention_due is not None
    assert c.receiver == employee
    assert c.received_at == NOW
    assert c.contact_due > NOW + timedelta(hours=1)
