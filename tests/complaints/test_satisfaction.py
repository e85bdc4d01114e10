"""R1: after closing the customer is asked how satisfied they are; one reminder, then nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint, SatisfactionSurvey
from klachten.complaints.satisfaction import (
    satisfaction_answer,
    satisfaction_ask,
    satisfaction_remind,
)
from klachten.complaints.selectors import status_token_for
from klachten.complaints.services import Checklist, complaint_register
from klachten.complaints.tasks import ask_satisfaction
from klachten.core.errors import InvalidInput, NotAllowed
from klachten.domain import wording
from klachten.domain.workdays import AMSTERDAM
from klachten.mail.models import OutboxMessage
from klachten.privacy.retention import retention_run

from .conftest import customer_data

pytestmark = pytest.mark.django_db

CLOSED = datetime(2026, 11, 20, 15, 0, tzinfo=AMSTERDAM)


def closed(employee, *, email: str = "a.bakker@example.nl", closed_at: datetime = CLOSED):
    received = closed_at - timedelta(days=10)
    complaint = complaint_register(
        receiver=employee,
        customer=customer_data(email=email),
        received_at=received,
        channel="phone",
        report="Cursusmap ontbrak.",
        checklist=Checklist(),
        now=received,
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed", outcome="solved", closed_at=closed_at, attention_due=None
    )
    return Complaint.objects.get(pk=complaint.pk)


def customer_mails(key_part: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(key__endswith=key_part))


def test_a_customer_is_asked_right_after_closing_with_their_status_link(employee):
    """R1, R14: the mail carries the link and the employee's card (text and vCard); R13: its
    words avoid the forbidden ones."""
    complaint = closed(employee)

    assert satisfaction_ask(now=CLOSED + timedelta(minutes=1)) == 1

    [mail] = customer_mails("-satisfaction")
    assert mail.to == "a.bakker@example.nl"
    assert f"/status/{status_token_for(complaint)}/" in mail.body
    assert [f for f in wording.check(mail.subject + "\n" + mail.body) if f.rule == "R13"] == []
    assert "Petra de Vries" in mail.body
    assert mail.attachments.get().content_type == "text/vcard"
    assert AuditEntry.objects.filter(complaint=complaint, action="satisfaction_asked").exists()


def test_a_customer_is_asked_once_however_often_the_worker_runs(employee):
    closed(employee)
    for minute in range(1, 6):
        satisfaction_ask(now=CLOSED + timedelta(minutes=minute))

    assert SatisfactionSurvey.objects.count() == 1
    assert len(customer_mails("-satisfaction")) == 1


def test_nobody_is_asked_without_an_address_long_after_closing_or_while_open(employee):
    closed(employee, email="")
    closed(employee, closed_at=CLOSED - timedelta(days=45))
    received = CLOSED - timedelta(days=3)
    complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=received,
        channel="phone",
        report="Nog open.",
        checklist=Checklist(),
        now=received,
    )

    assert satisfaction_ask(now=CLOSED + timedelta(minutes=1)) == 0


def test_one_reminder_after_a_week_then_nothing(employee):
    closed(employee)
    satisfaction_ask(now=CLOSED)

    assert satisfaction_remind(now=CLOSED + timedelta(days=6, hours=23)) == 0
    assert satisfaction_remind(now=CLOSED + timedelta(days=7)) == 1
    assert satisfaction_remind(now=CLOSED + timedelta(days=14)) == 0
    assert satisfaction_remind(now=CLOSED + timedelta(days=60)) == 0
    assert len(customer_mails("-satisfaction-reminder")) == 1


def test_an_answer_stops_the_reminder(employee):
    complaint = closed(employee)
    satisfaction_ask(now=CLOSED)
    satisfaction_answer(
        complaint=complaint, score=4, settled=True, comment="", now=CLOSED + timedelta(days=1)
    )

    assert satisfaction_remind(now=CLOSED + timedelta(days=8)) == 0


def test_the_worker_task_asks_on_the_clock(employee):
    closed(employee)

    with time_machine.travel(CLOSED + timedelta(minutes=1), tick=False):
        ask_satisfaction.call_local()

    assert SatisfactionSurvey.objects.count() == 1


def test_an_answer_is_given_once_with_a_score_of_one_to_five(employee):
    complaint = closed(employee)
    satisfaction_ask(now=CLOSED)

    with pytest.raises(InvalidInput):
        satisfaction_answer(complaint=complaint, score=6, settled=True, comment="", now=CLOSED)
    satisfaction_answer(
        complaint=complaint, score=2, settled=False, comment="Te traag.", now=CLOSED
    )
    with pytest.raises(NotAllowed):
        satisfaction_answer(complaint=complaint, score=5, settled=True, comment="", now=CLOSED)

    survey = SatisfactionSurvey.objects.get()
    assert (survey.score, survey.settled, survey.comment) == (2, False, "Te traag.")


def status_url(complaint: Complaint) -> str:
    return f"/status/{status_token_for(complaint)}/"


def test_the_customer_answers_on_their_status_page_and_the_employee_sees_it(employee):
    complaint = closed(employee)
    satisfaction_ask(now=CLOSED)
    customer = Client()

    with time_machine.travel(CLOSED + timedelta(days=1), tick=False):
        page = customer.get(status_url(complaint)).content.decode()
        assert "Hoe tevreden bent u?" in page
        missing = customer.post(status_url(complaint), {"vraag": "tevredenheid", "comment": "x"})
        assert missing.status_code == 422
        assert "Kies een cijfer van 1 tot en met 5." in missing.content.decode()
        assert "x</textarea>" in missing.content.decode()  # nothing typed is lost
        answered = customer.post(
            status_url(complaint),
            {"vraag": "tevredenheid", "score": "4", "settled": "ja", "comment": "Netjes opgelost."},
        )
        assert answered.status_code == 302
        after = customer.get(status_url(complaint)).content.decode()

    assert "U gaf ons een 4 van 5" in after
    assert "Hoe tevreden bent u?" not in after
    staff = Client()
    staff.force_login(employee)
    detail = staff.get(f"/meldingen/{complaint.reference}/").content.decode()
    assert "4 van 5" in detail
    assert "Netjes opgelost." in detail


def test_the_question_is_not_on_the_page_before_the_customer_was_asked(employee):
    complaint = closed(employee)

    assert "Hoe tevreden bent u?" not in Client().get(status_url(complaint)).content.decode()


def test_retention_removes_the_comment_and_keeps_the_score(employee):
    """R5: the figures stay for the reports, the customer's words go."""
    complaint = closed(employee, closed_at=datetime(2023, 1, 10, 10, 0, tzinfo=AMSTERDAM))
    SatisfactionSurvey.objects.create(
        complaint=complaint, asked_at=CLOSED, answered_at=CLOSED, score=3, comment="Mijn woorden"
    )

    retention_run(now=CLOSED)

    survey = SatisfactionSurvey.objects.get()
    assert (survey.score, survey.comment) == (3, "")
