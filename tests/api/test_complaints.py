"""/api/v1/complaints (CONTRACT.md): registering, listing, reading and every handling step."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klachten.audit.models import AuditEntry
from klachten.complaints.models import ActionItem, Complaint
from klachten.customers.models import CustomerFile
from klachten.mail.models import OutboxMessage
from klachten.organisation.models import Category
from tests.complaints.conftest import NOW, in_days, later

URL = "/api/v1/complaints"


def registration(**changes: Any) -> dict[str, Any]:
    """A valid registration body, as the intake screen sends it."""
    body: dict[str, Any] = {
        "customer": {
            "name": "Mevrouw A. Bakker",
            "street": "Lindenlaan",
            "house_number": "12a",
            "postcode": "3512ab",
            "town": "Utrecht",
            "country": "NL",
            "email": "a.bakker@example.nl",
            "phone": "030 123 4567",
        },
        "received_at": "2026-11-02T09:55:00+01:00",
        "channel": "phone",
        "report": "Cursusmap voor de training Leidinggeven ontbrak bij de start.",
        "checklist": {"not_interrupted": True, "vented": True, "apologised": True},
        # The receipt confirmation (default true) is pinned in tests/messaging/test_receipt.py;
        # here the registration alone, so the history and the outbox hold only its own rows.
        "send_receipt": False,
    }
    body.update(changes)
    return body


@pytest.fixture
def clock():
    """Monday 2 November 2026, 10:00 in Amsterdam; tests move it on by hand."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def registered(api, manager, clock) -> dict[str, Any]:
    """A complaint registered through the API by the employee of ``api``."""
    response = api.post(URL, registration())
    assert response.status_code == 201, response.json()
    return response.json()


def step(api, reference: str, name: str, body: Any = None) -> Any:
    return api.post(f"{URL}/{reference}/{name}", body)


def contacted(api, reference: str, term_in_days: int = 10) -> dict[str, Any]:
    """R3: the customer called back and a term agreed."""
    response = step(
        api,
        reference,
        "contact",
        {"channel": "phone", "summary": "Teruggebeld.", "agreed_term": str(in_days(term_in_days))},
    )
    assert response.status_code == 200, response.json()
    return response.json()


def planned(api, reference: str) -> dict[str, Any]:
    """R9: one action, by the employee, in two days."""
    response = step(
        api,
        reference,
        "actions",
        {"actions": [{"what": "Cursusmap nasturen", "who": "petra", "due": str(in_days(2))}]},
    )
    assert response.status_code == 200, response.json()
    return response.json()


# --- Registering -------------------------------------------------------------------------------


def test_registering_answers_201_with_the_procedures_deadlines(api, manager, clock):
    """R3, R16: the deadlines stored are the procedure's, as the calendar endpoint gives them;
    the caller is receiver and handler; NAW is normalised (R6)."""
    response = api.post(URL, registration())
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("KG-2026-")
    assert body["status"] == "new"
    assert body["received_at"] == "2026-11-02T09:55:00+01:00"
    assert body["deadlines"] == {
        "contact_due": "2026-11-03T09:55:00+01:00",
        "delay_notice_due": "2026-11-24T00:00:00+01:00",
        "settlement_due": "2026-12-01T00:00:00+01:00",
    }
    calendar = api.get("/api/v1/calendar/deadlines", received_at=body["received_at"]).json()
    assert body["deadlines"] == {key: calendar[key] for key in body["deadlines"]}
    assert body["receiver"] == body["handler"] == {"username": "petra", "name": "Petra de Vries"}
    assert body["customer"]["postcode"] == "3512 AB"
    assert body["customer"]["phone"] == "+31 30 123 4567"
    assert body["checklist"] == {
        "not_interrupted": True,
        "vented": True,
        "put_at_ease": False,
        "apologised": True,
        "business_card_given": False,
    }
    assert body["next_step"] == "contact"
    assert [entry["action"] for entry in body["history"]] == ["registered"]


def test_a_customer_file_and_new_naw_together_are_refused(api, clock):
    """R6: either an existing customer file or new NAW, so no complaint lands in the wrong file."""
    first = api.post(URL, registration()).json()
    response = api.post(URL, registration(customer_id=first["customer"]["id"]))
    assert response.status_code == 422
    assert response.json()["code"] == "customer_required"
    assert (Complaint.objects.count(), CustomerFile.objects.count()) == (1, 1)


def test_registering_alerts_management_at_once(api, manager, clock):
    """R3: the manager's alert is queued in the outbox in the same transaction."""
    reference = api.post(URL, registration()).json()["reference"]
    [alert] = OutboxMessage.objects.all()
    assert alert.to == manager.email
    assert reference in alert.subject


def test_received_at_defaults_to_now(api, clock):
    """Without ``received_at`` the complaint is received at the moment of registering."""
    body = registration()
    del body["received_at"]
    assert api.post(URL, body).json()["received_at"] == "2026-11-02T10:00:00+01:00"


def test_an_existing_customer_file_can_be_used_and_its_naw_checked(api, clock):
    """R6: a second complaint goes into the same customer file; the NAW check is recorded."""
    first = api.post(URL, registration()).json()
    assert first["customer"]["naw_checked_at"] is None
    second = api.post(
        URL,
        registration(customer=None, customer_id=first["customer"]["id"], naw_checked=True),
    )
    assert second.status_code == 201
    assert second.json()["customer"]["id"] == first["customer"]["id"]
    assert second.json()["customer"]["naw_checked_at"] == "2026-11-02T10:00:00+01:00"
    assert CustomerFile.objects.count() == 1


# --- Listing -----------------------------------------------------------------------------------


def test_the_list_is_newest_first_and_paginated(api, clock):
    """R2: the caller's complaints, newest received first, a page at a time, with the count."""
    references = [
        api.post(URL, registration(received_at=f"2026-10-{day}T12:00:00+01:00")).json()["reference"]
        for day in (26, 30, 28)
    ]
    first = api.get(URL, page_size=2).json()
    assert first["count"] == 3
    assert (first["page"], first["page_size"]) == (1, 2)
    assert [item["reference"] for item in first["items"]] == [references[1], references[2]]
    second = api.get(URL, page_size=2, page=2).json()
    assert [item["reference"] for item in second["items"]] == [references[0]]
    assert api.get(URL, page=3, page_size=2).json()["items"] == []
    assert api.get(URL).json()["page_size"] == 50


def test_the_list_says_whether_there_is_more_and_pages_by_cursor(api, clock):
    """#17 item 3: ``has_more`` and ``next_cursor`` page through the list by keyset, in the
    same order as ``page``; the last page has no cursor."""
    references = [
        api.post(URL, registration(received_at=f"2026-10-{day}T12:00:00+01:00")).json()["reference"]
        for day in (26, 30, 28, 29, 27)
    ]
    newest_first = [references[i] for i in (1, 3, 2, 4, 0)]
    seen, cursor, pages = [], None, 0
    while True:
        body = api.get(URL, page_size=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [item["reference"] for item in body["items"]]
        pages += 1
        assert (body["count"], body["count_exact"]) == (5, True)
        if not body["has_more"]:
            assert body["next_cursor"] is None
            break
        cursor = body["next_cursor"]
    assert (seen, pages) == (newest_first, 3)
    by_page = api.get(URL, page_size=2, page=2).json()
    assert [item["reference"] for item in by_page["items"]] == newest_first[2:4]
    assert by_page["has_more"] is True
    assert api.get(URL, page_size=5).json()["has_more"] is False


def test_a_list_row_says_what_the_complaint_itself_says(api, make_staff, clock):
    """#17 item 2: the list builds its rows from plain values, not models; each row still
    holds exactly what ``GET /complaints/{reference}`` gives for the same keys (people by
    their full name or user name, the category, the customer, times in Amsterdam)."""
    make_staff("jan", "employee", first_name="Jan", last_name="Smit", email="jan@kerngroep.nl")
    make_staff("ida", "employee", first_name="", last_name="", email="ida@kerngroep.nl")
    category = Category.objects.create(name="Cursusmateriaal <oud>")
    plain = api.post(URL, registration()).json()["reference"]
    assigned = api.post(URL, registration(channel="email")).json()["reference"]
    step(api, assigned, "assign", {"handler": "jan", "category_id": category.pk})
    nameless = api.post(URL, registration()).json()["reference"]
    step(api, nameless, "assign", {"handler": "ida"})
    items = {item["reference"]: item for item in api.get(URL).json()["items"]}
    assert set(items) == {plain, assigned, nameless}
    for reference, item in items.items():
        detail = api.get(f"{URL}/{reference}").json()
        assert {key: detail[key] for key in item} == item, reference
    assert items[assigned]["handler"] == {"username": "jan", "name": "Jan Smit"}
    assert items[nameless]["handler"] == {"username": "ida", "name": "ida"}
    assert items[assigned]["category"] == {"id": category.pk, "name": "Cursusmateriaal <oud>"}
    assert items[plain]["receiver"] == {"username": "petra", "name": "Petra de Vries"}
    assert items[plain]["category"] is None


def test_the_count_stops_at_its_limit(api, clock, monkeypatch):
    """#17 item 3: the list counts what its filter selects only up to ``COUNT_LIMIT`` (10,000),
    and says so, instead of counting the whole table on every request."""
    from klachten.complaints import selectors

    for _ in range(4):
        api.post(URL, registration())
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    body = api.get(URL, page_size=1).json()
    assert (body["count"], body["count_exact"], body["has_more"]) == (3, False, True)
    body = api.get(URL, status="contacted").json()
    assert (body["count"], body["count_exact"], body["has_more"]) == (0, True, False)


@pytest.mark.parametrize("cursor", ["abc", "12", "1.x", "-5.3", "9" * 40 + ".1"])
def test_a_cursor_that_is_not_one_is_refused(api, clock, cursor):
    """A cursor the list did not give is a 422 naming the field, never a 500."""
    response = api.get(URL, cursor=cursor)
    assert response.status_code == 422
    assert response.json()["field"] == "cursor"


def test_the_list_filters_by_status(api, clock):
    """``?status=`` keeps the complaints in that status only."""
    kept = api.post(URL, registration()).json()["reference"]
    api.post(URL, registration())
    contacted(api, kept)
    body = api.get(URL, status="contacted").json()
    assert [item["reference"] for item in body["items"]] == [kept]
    assert body["count"] == 1


def test_overdue_keeps_open_complaints_whose_deadline_passed(api, clock):
    """R3, R16: ``?overdue=true`` lists open complaints past their nearest deadline; a closed
    one is never overdue."""
    late = api.post(URL, registration(received_at="2026-10-01T10:00:00+02:00")).json()
    api.post(URL, registration())  # contact is due tomorrow: not overdue
    closed = api.post(URL, registration(received_at="2026-10-01T11:00:00+02:00")).json()
    assert step(api, closed["reference"], "close", {"outcome": "withdrawn"}).status_code == 200
    body = api.get(URL, overdue="true").json()
    assert [item["reference"] for item in body["items"]] == [late["reference"]]
    assert body["items"][0]["overdue"] is True
    assert api.get(URL, overdue="false").json()["count"] == 3


# --- Reading one -------------------------------------------------------------------------------


def test_one_complaint_has_the_contract_shape(api, registered, clock):
    """CONTRACT.md names reference, status, received_at, receiver, handler, customer,
    deadlines, agreed_term, actions and history; more may be added, none renamed."""
    reference = registered["reference"]
    contacted(api, reference)
    planned(api, reference)
    body = api.get(f"{URL}/{reference}").json()
    assert {
        "reference",
        "status",
        "received_at",
        "receiver",
        "handler",
        "customer",
        "deadlines",
        "agreed_term",
        "actions",
        "history",
        "channel",
        "report",
        "checklist",
        "outcome",
        "closed_at",
        "next_step",
        "allowed_steps",
    } <= set(body)
    assert set(body["customer"]) >= {
        "id",
        "name",
        "street",
        "house_number",
        "postcode",
        "town",
        "country",
        "email",
        "phone",
    }
    assert set(body["deadlines"]) == {"contact_due", "delay_notice_due", "settlement_due"}
    assert body["agreed_term"] == str(in_days(10))
    [action] = body["actions"]
    assert set(action) >= {"id", "what", "who", "due", "done_at"}
    assert action["who"] == {"username": "petra", "name": "Petra de Vries"}
    assert action["due"] == str(in_days(2))
    assert [entry["action"] for entry in body["history"]] == [
        "plan_actions",
        "contact",
        "registered",
    ]
    assert set(body["history"][0]) == {"at", "actor", "action", "before", "after"}
    assert body["history"][0]["before"] == {"status": "contacted"}
    assert body["status"] == "in_progress"
    assert body["next_step"] == "propose_solution"
    assert "propose_solution" in body["allowed_steps"]


def test_every_read_is_logged_and_kept_out_of_the_history(api, employee, registered, clock):
    """R2: each GET of one complaint appends a read to the audit log, with who and when."""
    reference = registered["reference"]
    api.get(f"{URL}/{reference}")
    api.get(f"{URL}/{reference}")
    reads = AuditEntry.objects.filter(complaint__reference=reference, action="viewed")
    assert reads.count() == 2
    assert {(read.actor, read.at) for read in reads} == {(employee, NOW)}
    history = api.get(f"{URL}/{reference}").json()["history"]
    assert [entry["action"] for entry in history] == ["registered"]


def test_a_reference_that_does_not_exist_is_a_404_and_logs_nothing(api, registered, clock):
    """R2: no complaint, no read in the log; the answer is JSON {detail, code}."""
    response = api.get(f"{URL}/KG-2026-99999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "KG-2026-99999" in response.json()["detail"]
    assert not AuditEntry.objects.filter(action="viewed").exists()


def test_reading_one_complaint_takes_the_same_queries_with_1_or_10_actions(api, registered, clock):
    """Actions, contacts and history are one query each, whatever their number."""
    reference = registered["reference"]
    contacted(api, reference)
    planned(api, reference)
    with CaptureQueriesContext(connection) as one:
        api.get(f"{URL}/{reference}")
    for _ in range(3):
        actions = [{"what": "Bellen", "who": "petra", "due": str(in_days(3))}] * 3
        step(api, reference, "actions", {"actions": actions})
    contacted(api, reference)
    with CaptureQueriesContext(connection) as ten:
        body = api.get(f"{URL}/{reference}").json()
    assert len(body["actions"]) == 10
    assert len(one) == len(ten)


# --- The handling steps ------------------------------------------------------------------------


def test_the_whole_journey_through_the_step_endpoints_to_closed_as_solved(api, registered, clock):
    """R3 → R9 → R7 → R10: contact and term, actions, solution, the customer's view, the
    action done, the follow-up check, closed as solved — one endpoint per step."""
    reference = registered["reference"]
    clock.move_to(later(hours=2))
    assert contacted(api, reference)["status"] == "contacted"
    clock.move_to(later(hours=3))
    body = planned(api, reference)
    assert body["status"] == "in_progress"
    clock.move_to(later(days=1))
    body = step(api, reference, "solution", {"solution": "Map wordt nagestuurd."}).json()
    assert body["status"] == "solution_proposed"
    assert body["next_step"] == "accept_solution"
    clock.move_to(later(days=1, hours=1))
    body = step(api, reference, "customer-view", {"agrees": True, "note": "Prima"}).json()
    assert body["status"] == "solution_accepted"
    clock.move_to(later(days=2))
    action_id = body["actions"][0]["id"]
    body = step(api, reference, f"actions/{action_id}/done").json()
    assert body["actions"][0]["done_at"] == later(days=2).isoformat()
    clock.move_to(later(days=3))
    body = step(api, reference, "follow-up", {"solved": True, "note": "Map ontvangen."}).json()
    assert body["status"] == "verified"
    assert body["next_step"] == "close_solved"
    body = step(api, reference, "close", {"outcome": "solved", "note": "Klant tevreden."}).json()
    assert body["status"] == "closed"
    assert body["outcome"] == "solved"
    assert body["closed_at"] == later(days=3).isoformat()
    assert body["attention_due"] is None
    assert body["next_step"] is None
    assert body["allowed_steps"] == ["refer_to_dispute"]
    assert [entry["action"] for entry in body["history"]] == [
        "close_solved",
        "confirm_solved",
        "action_done",
        "accept_solution",
        "propose_solution",
        "plan_actions",
        "contact",
        "registered",
    ]


def test_closing_before_the_follow_up_check_is_a_409_with_every_reason(api, registered, clock):
    """R10: no closing as solved before the follow-up check; the customer's view (R7) and the
    open action (R9) are named too, and nothing changes."""
    reference = registered["reference"]
    contacted(api, reference)
    planned(api, reference)
    entries = AuditEntry.objects.count()
    response = step(api, reference, "close", {"outcome": "solved"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "follow_up_check_first"
    assert "R10" in body["detail"]
    assert {(reason["code"], reason["rule"]) for reason in body["reasons"]} == {
        ("follow_up_check_first", "R10"),
        ("customer_view_first", "R7"),
        ("actions_open", "R9"),
    }
    assert all(reason["message"] for reason in body["reasons"])
    assert Complaint.objects.get(reference=reference).status == "in_progress"
    assert AuditEntry.objects.count() == entries


def test_a_first_contact_without_an_agreed_term_is_refused(api, registered, clock):
    """R3: the first contact agrees a term with the customer; later ones may keep it."""
    reference = registered["reference"]
    response = step(api, reference, "contact", {"channel": "phone", "summary": "Gebeld."})
    assert response.status_code == 409
    assert response.json()["reasons"][0]["rule"] == "R3"
    contacted(api, reference)
    again = step(api, reference, "contact", {"channel": "email", "summary": "Gemaild."})
    assert again.status_code == 200
    assert len(again.json()["contacts"]) == 2


def test_an_extension_needs_a_timely_delay_notice(api, registered, clock):
    """R16: no extension without a delay notice sent before the 3-week mark."""
    reference = registered["reference"]
    contacted(api, reference, term_in_days=20)
    refused = step(api, reference, "extend")
    assert refused.status_code == 409
    assert refused.json()["reasons"][0] == {
        "code": "delay_notice_required",
        "rule": "R16",
        "message": refused.json()["reasons"][0]["message"],
    }
    clock.move_to(later(days=14))
    notice = {"reason": "Navraag bij de docent", "expected_date": str(in_days(38))}
    body = step(api, reference, "delay-notice", notice).json()
    assert body["delay_notice_sent_at"] == later(days=14).isoformat()
    assert body["delay_expected_date"] == str(in_days(38))
    body = step(api, reference, "extend").json()
    assert body["extended_until"] == str(in_days(38))


def test_a_dispute_ends_in_a_binding_ruling_and_its_consequences(api, registered, clock):
    """R11: referral, the binding ruling with its consequences as action items; the outcome
    can no longer be changed, and the complaint closes once the consequences are done."""
    reference = registered["reference"]
    contacted(api, reference)
    body = step(api, reference, "dispute", {"note": "Klant legt de zaak voor aan Sandra-Kok.nl"})
    assert body.json()["status"] == "in_dispute"
    clock.move_to(later(days=7))
    consequence = {"what": "Cursusgeld terugbetalen", "who": "petra", "due": str(in_days(9))}
    body = step(api, reference, "ruling", {"text": "Terugbetalen.", "consequences": [consequence]})
    assert body.status_code == 200
    [action] = body.json()["actions"]
    assert action["from_ruling"] is True
    assert body.json()["dispute_third_party"] == "Sandra Kok (https://www.sandra-kok.nl)"
    assert body.json()["ruling_on"] == str(in_days(7))
    withdrawn = step(api, reference, "close", {"outcome": "withdrawn"})
    assert withdrawn.status_code == 409
    assert withdrawn.json()["reasons"] == [
        {
            "code": "ruling_is_binding",
            "rule": "R11",
            "message": withdrawn.json()["reasons"][0]["message"],
        }
    ]
    step(api, reference, f"actions/{action['id']}/done")
    body = step(api, reference, "close", {"outcome": "ruling"}).json()
    assert (body["status"], body["outcome"]) == ("closed", "ruling")


def test_a_consequence_without_a_date_is_due_in_five_working_days(api, registered, clock):
    """R11: Kerngroep handles the consequences quickly; the ruling's own date is kept."""
    reference = registered["reference"]
    contacted(api, reference)
    step(api, reference, "dispute", {"note": "Voorgelegd aan de derde."})
    clock.move_to(later(days=4))  # Friday 6 November 2026
    body = step(
        api,
        reference,
        "ruling",
        {
            "ruled_on": "2026-11-05",
            "text": "Cursus kosteloos opnieuw.",
            "consequences": [{"what": "Nieuwe plek reserveren", "who": "petra"}],
        },
    ).json()

    assert body["ruling_on"] == "2026-11-05"
    assert body["actions"][0]["due"] == "2026-11-13"  # five working days after Friday


def test_a_ruling_dated_in_the_future_is_refused(api, registered, clock):
    reference = registered["reference"]
    contacted(api, reference)
    step(api, reference, "dispute", {"note": "Voorgelegd aan de derde."})

    refused = step(api, reference, "ruling", {"ruled_on": str(in_days(3)), "text": "Uitspraak."})

    assert refused.status_code == 422
    assert refused.json()["code"] == "ruling_in_future"


def test_assigning_sets_handler_category_and_root_cause(api, make_staff, registered, clock):
    """A complaint goes to another handler; the receiver stays attached; mail goes out."""
    make_staff("jan", "employee", first_name="Jan", last_name="Smit", email="jan@kerngroep.nl")
    category = Category.objects.create(name="Cursusmateriaal")
    body = step(
        api,
        registered["reference"],
        "assign",
        {"handler": "JAN", "category_id": category.pk},
    ).json()
    assert body["handler"] == {"username": "jan", "name": "Jan Smit"}
    assert body["receiver"]["username"] == "petra"
    assert body["category"] == {"id": category.pk, "name": "Cursusmateriaal"}
    assert body["history"][0]["action"] == "assigned"
    assert OutboxMessage.objects.filter(to="jan@kerngroep.nl").exists()


def test_a_closed_complaint_cannot_get_a_new_handler(api, manager, registered, clock):
    """A refusal outside the lifecycle table is a 409 in the same shape, with its reason."""
    reference = registered["reference"]
    step(api, reference, "close", {"outcome": "withdrawn"})
    response = step(api, reference, "assign", {"handler": "marco"})
    assert response.status_code == 409
    assert response.json()["code"] == "complaint_closed"
    assert [(r["code"], r["rule"]) for r in response.json()["reasons"]] == [
        ("complaint_closed", "")
    ]
    assert Complaint.objects.get(reference=reference).handler.username == "petra"


def test_an_unknown_action_of_a_complaint_is_a_404(api, registered, clock):
    """An action id of another complaint, or none, is not found here."""
    response = step(api, registered["reference"], "actions/987654/done")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_openapi_document_lists_every_step_endpoint(api):
    """CONTRACT.md: the handling steps are listed in the OpenAPI document."""
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    steps = [
        "contact",
        "actions",
        "actions/{action_id}/done",
        "delay-notice",
        "extend",
        "solution",
        "customer-view",
        "follow-up",
        "close",
        "dispute",
        "ruling",
        "assign",
    ]
    for name in steps:
        assert "post" in paths[f"{URL}/{{reference}}/{name}"], name
    assert set(paths[URL]) == {"get", "post"}


def test_without_a_token_the_api_answers_401(anonymous_api, db):
    response = anonymous_api.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# --- Bad input: a 4xx with JSON, never a 500, nothing saved ------------------------------------


def _customer(**changes: Any) -> dict[str, Any]:
    return {**registration()["customer"], **changes}


BAD_REGISTRATIONS = {
    "naive received_at": (registration(received_at="2026-11-02T09:55:00"), "offset_required"),
    "received_at not a moment": (registration(received_at="gisteren"), "invalid_datetime"),
    "received in the future": (
        registration(received_at="2026-11-03T09:00:00+01:00"),
        "received_in_future",
    ),
    "received centuries ago": (
        registration(received_at="1850-01-01T09:00:00+01:00"),
        "out_of_range",
    ),
    "bad Dutch postcode": (registration(customer=_customer(postcode="12345")), "invalid_postcode"),
    "bad phone number": (registration(customer=_customer(phone="12")), "invalid_phone"),
    "bad e-mail": (registration(customer=_customer(email="a@")), "invalid_email"),
    "empty name": (registration(customer=_customer(name="  ")), "required"),
    "overlong name": (registration(customer=_customer(name="x" * 201)), "invalid"),
    "unknown channel": (registration(channel="fax"), "invalid_channel"),
    "missing report": ({k: v for k, v in registration().items() if k != "report"}, "invalid"),
    "empty report": (registration(report=" "), "required"),
    "report a number": (registration(report=123), "invalid"),
    "report with NUL": (registration(report="ver\x00slag"), "invalid"),
    "checklist item a string": (registration(checklist={"vented": "yes"}), "invalid"),
    "customer a string": (registration(customer="Bakker"), "invalid"),
    "unknown field": (registration(priority="high"), "invalid"),
    "no customer at all": (registration(customer=None), "customer_required"),
    "unknown customer file": (registration(customer=None, customer_id=4242), "unknown_customer"),
    "customer file id too large": (registration(customer=None, customer_id=2**70), "invalid"),
}


@pytest.mark.parametrize(
    ("body", "code"), list(BAD_REGISTRATIONS.values()), ids=list(BAD_REGISTRATIONS)
)
def test_a_bad_registration_is_a_422_and_saves_nothing(api, manager, clock, body, code):
    """R6 and the contract: bad input is a 422 {detail, code}, never a 500 or half a record."""
    response = api.post(URL, body)
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Complaint.objects.exists()
    assert not CustomerFile.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('"tekst"', "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        ("", "invalid"),  # an empty body is an empty object: every field is missing
    ],
    ids=repr,
)
def test_a_body_that_is_no_json_object_is_a_422(api, clock, raw, code):
    response = api.post(URL, raw=raw)
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert not Complaint.objects.exists()


def test_the_field_of_a_refusal_is_named(api, clock):
    """A refusal names the field it concerns, so a client can show it next to the input."""
    response = api.post(URL, registration(customer=_customer(postcode="12345")))
    assert response.json()["field"] == "customer.postcode"
    response = api.post(URL, registration(checklist={"vented": "yes"}))
    assert response.json()["errors"][0]["field"] == "checklist.vented"


BAD_LIST_QUERIES = {
    "unknown status": ({"status": "open"}, "invalid_status"),
    "page 0": ({"page": 0}, "invalid"),
    "page not a number": ({"page": "een"}, "invalid"),
    "page size over 100": ({"page_size": 101}, "invalid"),
    "overdue not a boolean": ({"overdue": "misschien"}, "invalid"),
}


@pytest.mark.parametrize(
    ("query", "code"), list(BAD_LIST_QUERIES.values()), ids=list(BAD_LIST_QUERIES)
)
def test_a_bad_list_query_is_a_422(api, query, code):
    response = api.get(URL, **query)
    assert response.status_code == 422
    assert response.json()["code"] == code


BAD_STEPS = {
    "unknown username": (
        "actions",
        {"actions": [{"what": "Bellen", "who": "niemand", "due": "2026-11-05"}]},
        "unknown_staff",
        "actions.0.who",
    ),
    "a date that is not YYYY-MM-DD": (
        "actions",
        {"actions": [{"what": "Bellen", "who": "petra", "due": "05-11-2026"}]},
        "invalid_date",
        "actions.0.due",
    ),
    "a date that does not exist": (
        "actions",
        {"actions": [{"what": "Bellen", "who": "petra", "due": "2026-02-30"}]},
        "invalid_date",
        "actions.0.due",
    ),
    "an action in the past": (
        "actions",
        {"actions": [{"what": "Bellen", "who": "petra", "due": "2026-10-30"}]},
        "action_due_in_past",
        "actions.0.due",
    ),
    "no actions": ("actions", {"actions": []}, "actions_required", "actions"),
    "actions not a list": ("actions", {"actions": "bellen"}, "invalid", None),
    "agreed term a number": (
        "contact",
        {"channel": "phone", "summary": "Gebeld.", "agreed_term": 20261112},
        "invalid",
        None,
    ),
    "contact at a naive moment": (
        "contact",
        {"channel": "phone", "summary": "Gebeld.", "at": "2026-11-02T09:00:00"},
        "offset_required",
        "at",
    ),
    "contact by pigeon": (
        "contact",
        {"channel": "duif", "summary": "Ok."},
        "invalid_channel",
        "channel",
    ),
    "a misspelt field": ("solution", {"solutoin": "Nasturen"}, "invalid", None),
    "expected date far away": (
        "delay-notice",
        {"reason": "Onderzoek", "expected_date": "9999-12-31"},
        "out_of_range",
        "expected_date",
    ),
    "unknown outcome": ("close", {"outcome": "klaar"}, "invalid_outcome", "outcome"),
    "agrees as a string": ("customer-view", {"agrees": "ja"}, "invalid", None),
    "follow-up without note": ("follow-up", {"solved": True, "note": ""}, "required", "note"),
    "unknown handler": ("assign", {"handler": "niemand"}, "unknown_staff", "handler"),
    "unknown category": ("assign", {"category_id": 99}, "unknown_choice", "category_id"),
    "nothing to assign": ("assign", {}, "nothing_to_assign", "handler"),
    "ruling with unknown person": (
        "ruling",
        {"text": "Terugbetalen", "consequences": [{"what": "x", "who": "z", "due": "2026-11-05"}]},
        "unknown_staff",
        "consequences.0.who",
    ),
}


@pytest.mark.parametrize(
    ("name", "body", "code", "field"), list(BAD_STEPS.values()), ids=list(BAD_STEPS)
)
def test_a_bad_step_is_a_422_and_changes_nothing(api, registered, clock, name, body, code, field):
    """Inputs are checked before the service runs: a 422 {detail, code, field}, no change."""
    reference = registered["reference"]
    contacted(api, reference)
    before = Complaint.objects.values().get(reference=reference)
    counts = (AuditEntry.objects.count(), ActionItem.objects.count(), OutboxMessage.objects.count())
    response = step(api, reference, name, body)
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code
    if field is not None:
        assert response.json()["field"] == field
    assert Complaint.objects.values().get(reference=reference) == before
    assert (
        AuditEntry.objects.count(),
        ActionItem.objects.count(),
        OutboxMessage.objects.count(),
    ) == counts


def test_a_step_on_a_complaint_that_does_not_exist_is_a_404_before_its_input_is_read(api, clock):
    """R2: a missing reference is found out first, whatever the body says."""
    response = step(api, "KG-2026-04040", "assign", {"handler": "niemand"})
    assert response.status_code == 404
    response = step(api, "not a reference!", "extend")
    assert response.status_code == 404


def test_moments_are_given_in_amsterdam_time_whatever_was_sent(api, clock):
    """Times are ISO 8601 with offset (CONTRACT.md); a UTC moment comes back in local time."""
    body = api.post(URL, registration(received_at="2026-11-02T08:30:00Z")).json()
    assert body["received_at"] == "2026-11-02T09:30:00+01:00"
    assert body["deadlines"]["contact_due"] == "2026-11-03T09:30:00+01:00"


def test_whether_the_customer_booked_again_is_recorded_where_known(api, registered, clock):
    """R1: staff record it when they know; "unknown" clears it; anything else is refused."""
    reference = registered["reference"]

    body = step(api, reference, "assign", {"booked_again": "yes"}).json()
    assert body["booked_again"] is True
    assert body["history"][0]["after"] == {"booked_again": True}
    assert (
        step(api, reference, "assign", {"booked_again": "unknown"}).json()["booked_again"] is None
    )
    assert step(api, reference, "assign", {"booked_again": "misschien"}).status_code == 422


# --- What may happen next: one answer for the page and the API (#12) --------------------------


def test_a_web_report_nobody_took_up_offers_no_step_until_it_is_taken_up(api, manager, clock):
    """R15: the API offers what the complaint page offers. Before, it offered ``contact`` for a
    web report nobody had taken up, and the service then refused it with 409 not_taken_up."""
    from klachten.complaints.services import Checklist, complaint_register
    from tests.complaints.conftest import customer_data

    report = complaint_register(
        receiver=None,
        customer=customer_data(),
        received_at=NOW,
        channel="web",
        report="Cursus of training: Excel\n\nWat is er misgegaan:\nGeen lesdag.",
        checklist=Checklist(),
        now=NOW,
    )
    waiting = api.get(f"{URL}/{report.reference}").json()
    assert waiting["next_step"] is None
    assert waiting["allowed_steps"] == []
    assert waiting["awaiting_take_up"] is True

    assert api.post(f"{URL}/{report.reference}/take-up").status_code == 200
    taken = api.get(f"{URL}/{report.reference}").json()
    assert taken["awaiting_take_up"] is False
    assert taken["next_step"] == "contact"
    assert "contact" in taken["allowed_steps"]
