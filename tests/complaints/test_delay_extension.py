"""A delay notice promises a later working day, and an extension never shortens (R16, #10).

Received Monday 2 November 2026: settlement is due at the end of Monday 30 November. A delay
notice's expected date must lie after that (after an extended deadline, once extended) and on
a working day of the organisation's calendar — in the service, so the message screen, the
"Termijn verlengen" step and the API all obey.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.services import complaint_contact, complaint_send_delay_notice
from klachten.core.errors import InvalidInput, InvalidInputs
from klachten.messaging.models import CustomerMessage
from klachten.messaging.services import complaint_delay_notice_send
from klachten.organisation.models import ClosingDay
from tests.complaints.conftest import NOW, in_days
from tests.conftest import logged_in

URL = "/api/v1/complaints"
DAY_14 = NOW + timedelta(days=14)  # Monday 16 November: a notice is still in time


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(DAY_14, tick=False) as traveller:
        yield traveller


@pytest.fixture
def contacted(complaint: Complaint, employee: Any) -> Complaint:
    return complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Teruggebeld.",
        agreed_term=in_days(20),
        now=NOW + timedelta(hours=1),
    )


def _notice(api: Any, reference: str, expected: str) -> Any:
    return api.post(
        f"{URL}/{reference}/delay-notice",
        {"reason": "Navraag bij de docent", "expected_date": expected},
    )


# --- The service -------------------------------------------------------------------------------


def test_the_service_names_every_problem_of_the_reason_and_the_date_at_once(
    contacted: Complaint, employee: Any
) -> None:
    """A word of R13 in the reason and a Saturday before the deadline: all three in one round,
    nothing recorded."""
    with pytest.raises(InvalidInputs) as refused:
        complaint_send_delay_notice(
            complaint=contacted,
            actor=employee,
            reason="Het probleem is groot",
            expected_date=date(2026, 11, 28),
            now=DAY_14,
        )
    assert [error.code for error in refused.value.errors] == [
        "wording_blocked",
        "expected_date_not_after_deadline",
        "expected_date_not_working_day",
    ]
    contacted.refresh_from_db()
    assert contacted.delay_notice_sent_at is None


def test_a_closing_day_of_the_organisation_is_no_expected_date(
    contacted: Complaint, employee: Any
) -> None:
    """R16: the organisation's own calendar decides what a working day is."""
    ClosingDay.objects.create(day=date(2026, 12, 7), description="Studiedag")
    with pytest.raises(InvalidInput) as refused:
        complaint_delay_notice_send(
            complaint=contacted,
            author=employee,
            reason="Navraag bij de docent",
            expected_date=date(2026, 12, 7),
            now=DAY_14,
        )
    assert (refused.value.code, refused.value.field) == (
        "expected_date_not_working_day",
        "expected_date",
    )
    assert "maandag 7 december 2026" in refused.value.detail
    assert not CustomerMessage.objects.exists()


# --- The API -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "code", "words"),
    [
        ("2026-11-26", "expected_date_not_after_deadline", "maandag 30 november 2026"),
        ("2026-11-30", "expected_date_not_after_deadline", "nooit minder"),
        ("2026-12-05", "expected_date_not_working_day", "zaterdag 5 december 2026"),
        ("2026-12-25", "expected_date_not_working_day", "geen werkdag"),
    ],
    ids=["before the deadline", "on the deadline", "a Saturday", "Christmas Day"],
)
def test_the_api_refuses_an_expected_date_that_is_not_a_later_working_day(
    api: Any, contacted: Complaint, expected: str, code: str, words: str
) -> None:
    """R16: a JSON 422 ``{detail, code, field}`` in Dutch; no notice recorded, no message."""
    response = _notice(api, contacted.reference, expected)
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == (code, "expected_date")
    assert words in body["detail"]
    assert api.get(f"{URL}/{contacted.reference}").json()["delay_notice_sent_at"] is None
    assert not CustomerMessage.objects.exists()


def test_the_api_extends_only_later_and_a_further_notice_goes_past_the_extension(
    api: Any, contacted: Complaint
) -> None:
    """R16: notice, extension to its date; a further notice must name a date after that."""
    reference = contacted.reference
    assert _notice(api, reference, "2026-12-10").status_code == 200
    extended = api.post(f"{URL}/{reference}/extend")
    assert extended.json()["extended_until"] == "2026-12-10"
    # Extending again to the same date would move nothing.
    again = api.post(f"{URL}/{reference}/extend")
    assert again.status_code == 409
    assert again.json()["code"] == "extension_not_later"
    refused = _notice(api, reference, "2026-12-09")
    assert refused.status_code == 422
    assert refused.json()["code"] == "expected_date_not_after_deadline"
    assert "donderdag 10 december 2026" in refused.json()["detail"]
    assert _notice(api, reference, "2026-12-14").status_code == 200


def test_an_extension_to_an_earlier_date_is_refused_and_changes_nothing(
    api: Any, contacted: Complaint, employee: Any
) -> None:
    """R16: a notice stored with a date before the deadline (before this rule) cannot shorten
    the settlement deadline through "Termijn verlengen"."""
    complaint_send_delay_notice(
        complaint=contacted,
        actor=employee,
        reason="Navraag bij de docent",
        expected_date=date(2026, 12, 10),
        now=DAY_14,
    )
    Complaint.objects.filter(pk=contacted.pk).update(delay_expected_date=date(2026, 11, 26))
    response = api.post(f"{URL}/{contacted.reference}/extend")
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "extension_not_later"
    assert "nooit korter" in response.json()["detail"]
    contacted.refresh_from_db()
    assert contacted.extended_until is None
    assert not AuditEntry.objects.filter(complaint=contacted, action="extend").exists()
    assert "extend" not in api.get(f"{URL}/{contacted.reference}").json()["allowed_steps"]


# --- The screens -------------------------------------------------------------------------------


def test_the_message_screen_refuses_the_date_before_drafting_the_text(
    contacted: Complaint, employee: Any
) -> None:
    """R16: a Saturday before the deadline: both reasons next to the date, the reason typed
    kept, no text drafted yet."""
    response = logged_in(employee).post(
        f"/meldingen/{contacted.reference}/berichten/uitstelbericht/",
        {"reason": "Wij wachten op de trainer.", "expected_date": "2026-11-28", "opstellen": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    errors = response.context["form"].errors["expected_date"]
    assert len(errors) == 2
    assert "na de huidige afhandeltermijn" in errors[0]
    assert "geen werkdag" in errors[1]
    assert "Wij wachten op de trainer.</textarea>" in html
    assert "Tekst opstellen" in html  # still the first stage: no text with a wrong date


def test_the_message_screen_refuses_a_sent_text_with_a_date_before_the_deadline(
    contacted: Complaint, employee: Any
) -> None:
    """R16: the second stage (a text edited by hand, date changed) is checked by the same
    service: the error sits next to the date and nothing is sent."""
    client = logged_in(employee)
    url = f"/meldingen/{contacted.reference}/berichten/uitstelbericht/"
    data = {"reason": "Wij wachten op de trainer.", "expected_date": "2026-12-10"}
    drafted = client.post(url, {**data, "opstellen": "1"}).context["form"]
    fields = {name: drafted[name].value() for name in ("channel", "subject", "body")}
    body = fields["body"].replace("donderdag 10 december", "donderdag 26 november")
    sent = client.post(url, {**fields, "body": body, **data, "expected_date": "2026-11-26"})
    assert sent.status_code == 200
    assert "na de huidige afhandeltermijn" in sent.context["form"].errors["expected_date"][0]
    assert not CustomerMessage.objects.exists()


def test_termijn_verlengen_says_why_it_would_not_move_the_deadline(
    contacted: Complaint, employee: Any
) -> None:
    """R16: the step page explains, and a POST changes nothing."""
    complaint_send_delay_notice(
        complaint=contacted,
        actor=employee,
        reason="Navraag bij de docent",
        expected_date=date(2026, 12, 10),
        now=DAY_14,
    )
    Complaint.objects.filter(pk=contacted.pk).update(delay_expected_date=date(2026, 11, 26))
    client = logged_in(employee)
    url = f"/meldingen/{contacted.reference}/verlengen/"
    assert "verlengen maakt de termijn nooit korter" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    assert "verlengen maakt de termijn nooit korter" in response.content.decode()
    contacted.refresh_from_db()
    assert contacted.extended_until is None
