"""Times in every text read as promises, and the end of a day is that day (#10, item 9).

One helper (``klachten.core.templatetags.klachten_time``) writes every day the customer reads —
mails, letters, the status page, the placeholders of the message templates — and the deadlines
in the staff mails. A deadline at the end of a day is stored as 00:00 of the next day
(PROCEDURE.md, "Deadlines, exactly"): it is written as that day, never as "zaterdag 00:00".
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from hypothesis import given
from hypothesis import strategies as st

from klachten.complaints.models import Complaint
from klachten.complaints.reminders import reminders_send
from klachten.complaints.selectors import complaint_status_url
from klachten.complaints.services import complaint_register
from klachten.core.templatetags.klachten_time import (
    deadline_words,
    promise_day,
    promise_text,
)
from klachten.domain.workdays import AMSTERDAM, end_of_day
from klachten.mail.models import OutboxMessage
from klachten.messaging.selectors import message_draft
from klachten.public.services import web_report_confirm
from tests.messaging.conftest import CHECKLIST, CUSTOMER, REPORT

# Received Friday 6 November 2026: settlement by the end of Friday 4 December (day 28), stored
# as Saturday 5 December 00:00; the delay notice by the end of Friday 27 November (day 21).
RECEIVED = datetime(2026, 11, 6, 18, 30, tzinfo=AMSTERDAM)
SETTLEMENT = datetime(2026, 12, 5, 0, 0, tzinfo=AMSTERDAM)
MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(AMSTERDAM)
)
LANGUAGES = st.sampled_from(["nl", "en"])


def register(receiver: Any, received_at: datetime = RECEIVED) -> Complaint:
    return complaint_register(
        receiver=receiver,
        customer=CUSTOMER,
        received_at=received_at,
        channel="phone",
        report=REPORT,
        checklist=CHECKLIST,
        now=received_at,
    )


# --- The helper --------------------------------------------------------------------------------


def test_the_end_of_friday_is_promised_as_friday_in_dutch_and_english() -> None:
    with translation.override("nl"):
        assert promise_text(SETTLEMENT, RECEIVED) == "uiterlijk vrijdag 4 december"
        assert deadline_words(SETTLEMENT, RECEIVED) == "vrijdag 4 december"
    with translation.override("en"):
        assert promise_text(SETTLEMENT, RECEIVED) == "by Friday 4 December"


def test_a_promise_names_the_day_without_a_clock_time_staff_see_the_time() -> None:
    """R3: contact due Monday 9 November 18:30 is promised to the customer as that Monday."""
    due = datetime(2026, 11, 9, 18, 30, tzinfo=AMSTERDAM)
    with translation.override("nl"):
        assert promise_text(due, RECEIVED) == "uiterlijk maandag 9 november"
        assert deadline_words(due, RECEIVED) == "maandag 9 november om 18:30"
    with translation.override("en"):
        assert deadline_words(due, RECEIVED) == "Monday 9 November at 18:30"


def test_the_year_is_written_only_when_it_is_another_year_than_the_receipt() -> None:
    december = datetime(2026, 12, 21, 10, 0, tzinfo=AMSTERDAM)
    with translation.override("nl"):
        assert promise_day(date(2027, 1, 18), december) == "maandag 18 januari 2027"
        assert promise_day(date(2026, 12, 23), december) == "woensdag 23 december"
        assert promise_day(date(2026, 12, 23)) == "woensdag 23 december 2026"  # no reference


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 30)), LANGUAGES)
def test_the_end_of_any_day_is_written_as_that_day(day: date, language: str) -> None:
    """Whatever the day, summer or winter time: the promise names the day itself, never the
    next day and never 00:00."""
    with translation.override(language):
        text = promise_text(end_of_day(day))
        staff = deadline_words(end_of_day(day))
        expected = date_format(day, "l j F Y")
    assert text.endswith(expected)
    assert staff == expected
    assert "00:00" not in text + staff


@given(MOMENTS, LANGUAGES)
def test_any_moment_is_its_own_day_unless_it_is_the_end_of_the_day_before(
    moment: datetime, language: str
) -> None:
    """An instant of exactly 00:00 is the end of the day before; any other keeps its day and,
    for staff, its clock time."""
    local = moment.astimezone(AMSTERDAM)
    at_midnight = local.time() == datetime.min.time()
    with translation.override(language):
        words, promise = deadline_words(moment), promise_day(moment)
        if at_midnight:
            expected = date_format(local.date() - timedelta(days=1), "l j F Y")
            assert words == promise == expected
        else:
            expected = date_format(local.date(), "l j F Y")
            assert promise == expected
            assert words.startswith(expected)
            assert words.endswith(local.strftime("%H:%M"))


# --- In the texts ------------------------------------------------------------------------------


def test_the_receipt_promises_days_and_the_end_of_a_day_is_that_day(
    employee: Any, manager: Any
) -> None:
    """The standard receipt text (placeholders ``{{ contact_uiterlijk }}``,
    ``{{ afhandeling_uiterlijk }}``, ``{{ uitstel_uiterlijk }}``): days, no clock times, no
    "zaterdag"."""
    complaint = register(employee)
    assert complaint.settlement_due == SETTLEMENT
    body = message_draft(complaint=complaint, kind="receipt", author=employee).body
    assert "op vrijdag 6 november liet weten" in body
    assert "Uiterlijk maandag 9 november nemen wij contact met u op" in body  # due 18:30
    assert "Uiterlijk vrijdag 4 december is uw melding afgehandeld" in body
    assert "uiterlijk vrijdag 27 november, met de reden" in body
    assert "zaterdag" not in body
    assert re.search(r"\d\d:\d\d", body) is None  # no clock times in a promise


def test_the_confirmation_of_a_web_report_promises_the_contact_day(
    employee: Any, manager: Any
) -> None:
    complaint = register(employee)
    OutboxMessage.objects.all().delete()
    web_report_confirm(complaint=complaint, language="nl", now=RECEIVED)
    [mail] = OutboxMessage.objects.all()
    assert "Een medewerker neemt uiterlijk maandag 9 november contact met u op." in mail.body


def test_the_status_page_promises_days(employee: Any, manager: Any) -> None:
    complaint = register(employee)
    text = Client().get(urlsplit(complaint_status_url(complaint)).path).content.decode()
    assert "Een medewerker neemt uiterlijk maandag 9 november contact met u op." in text
    assert "uiterlijk vrijdag 4 december" in text
    assert "zaterdag 5 december" not in text


def test_staff_reminders_and_breaches_name_the_end_of_a_day_as_that_day(
    employee: Any, manager: Any
) -> None:
    """R16: the settlement reminder and breach in Dutch, and in English for a manager who
    reads English, never "zaterdag 00:00"."""
    manager.language = "en"
    manager.save(update_fields=["language"])
    register(employee)
    OutboxMessage.objects.all().delete()
    reminders_send(now=SETTLEMENT + timedelta(minutes=1))
    mails = {mail.to: mail for mail in OutboxMessage.objects.filter(key__contains="settlement")}
    dutch, english = mails[employee.email], mails[manager.email]
    assert "De melding is niet afgehandeld; dat moest uiterlijk vrijdag 4 december (R16)." in (
        dutch.body
    )
    assert "by Friday 4 December" in english.body
    for mail in (dutch, english):
        assert "00:00" not in mail.body
        assert "zaterdag" not in mail.body.lower()
        assert "saturday" not in mail.body.lower()
