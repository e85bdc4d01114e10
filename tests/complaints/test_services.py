"""Registering and handling a complaint through the services, on the real database."""

from __future__ import annotations

import pytest

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.services import (
    ActionData,
    StepRefused,
    action_mark_done,
    complaint_close,
    complaint_contact,
    complaint_extend,
    complaint_follow_up,
    complaint_plan_actions,
    complaint_propose_solution,
    complaint_record_view,
    complaint_send_delay_notice,
)
from klachten.core.errors import InvalidInput
from klachten.mail.models import OutboxMessage
from tests.complaints.conftest import NOW, in_days, later


def test_registering_stores_deadlines_and_alerts_every_manager(complaint, manager):
    """R3: management hears of every complaint at once; deadlines are stored (R3, R16)."""
    assert complaint.reference.startswith("KG-2026-")
    assert complaint.status == "new"
    assert complaint.contact_due.isoformat() == "2026-11-03T09:55:00+01:00"
    assert complaint.attention_due == complaint.contact_due
    assert complaint.customer.postcode == "3512 AB"  # R6: normalised
    assert complaint.customer.phone == "+31 30 123 4567"
    assert complaint.customer.naw_checked_by == complaint.receiver
    [alert] = OutboxMessage.objects.all()
    assert alert.to == manager.email
    assert complaint.reference in alert.subject
    assert AuditEntry.objects.filter(complaint=complaint, action="registered").exists()


def test_the_whole_journey_to_closed_as_solved(complaint, employee):
    """R3 → R9 → R7 → R10: contact and term, actions, solution, view, check, closed."""
    c = complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Teruggebeld, excuses aangeboden.",
        agreed_term=in_days(10),
        now=later(hours=2),
    )
    assert c.status == "contacted"
    c = complaint_plan_actions(
        complaint=c,
        actor=employee,
        now=later(hours=3),
        actions=[ActionData(what="Cursusmap nasturen", who=employee, due=in_days(2))],
    )
    assert c.status == "in_progress"
    with pytest.raises(StepRefused) as refused:
        complaint_close(complaint=c, actor=employee, outcome="solved", note="", now=later(1))
    assert "R10" in refused.value.detail
    c = complaint_propose_solution(
        complaint=c, actor=employee, solution="Map nagestuurd.", now=later(1)
    )
    c = complaint_record_view(
        complaint=c, actor=employee, agrees=True, note="Prima", now=later(1, 1)
    )
    assert c.status == "solution_accepted"
    action = c.actions.get()
    action_mark_done(action=action, actor=employee, now=later(2))
    c = complaint_follow_up(
        complaint=c, actor=employee, solved=True, note="Map ontvangen.", now=later(3)
    )
    c = complaint_close(complaint=c, actor=employee, outcome="solved", note="", now=later(3))
    assert c.status == "closed"
    assert c.outcome == "solved"
    assert c.attention_due is None
    log = AuditEntry.objects.filter(complaint=c).order_by("at", "id")
    actions = list(log.values_list("action", flat=True))
    assert actions == [
        "registered",
        "contact",
        "plan_actions",
        "propose_solution",
        "accept_solution",
        "action_done",
        "confirm_solved",
        "close_solved",
    ]


def test_an_extension_needs_a_timely_delay_notice(complaint, employee):
    """R16: no extension without a delay notice sent before the 3-week mark."""
    c = complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld.",
        agreed_term=in_days(20),
        now=later(hours=1),
    )
    with pytest.raises(StepRefused) as refused:
        complaint_extend(complaint=c, actor=employee, now=later(5))
    assert "R16" in refused.value.detail
    c = complaint_send_delay_notice(
        complaint=c,
        actor=employee,
        reason="Onderzoek bij docent",
        expected_date=in_days(38),
        now=later(14),
    )
    c = complaint_extend(complaint=c, actor=employee, now=later(14))
    assert c.extended_until == in_days(38)


def test_bad_input_is_refused_and_nothing_is_saved(employee, manager):
    """R6: a Dutch postcode is checked; a refused registration leaves no half record."""
    from klachten.complaints.services import Checklist, complaint_register
    from tests.complaints.conftest import customer_data

    with pytest.raises(InvalidInput) as error:
        complaint_register(
            receiver=employee,
            customer=customer_data(postcode="12345"),
            received_at=None,
            channel="phone",
            report="Verslag",
            checklist=Checklist(),
            now=NOW,
        )
    assert error.value.field == "customer.postcode"
    assert not Complaint.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_only_management_receiver_or_handler_may_hand_a_complaint_on(complaint, make_staff):
    """R15: an employee who is neither receiver nor handler cannot reassign a complaint."""
    from klachten.complaints.services import complaint_assign
    from klachten.core.errors import NotAllowed

    stranger = make_staff("kees", "employee")
    with pytest.raises(NotAllowed) as refused:
        complaint_assign(complaint=complaint, actor=stranger, handler=stranger, now=later(1))
    assert refused.value.code == "reassign_not_allowed"
    assert (
        complaint_assign(
            complaint=complaint, actor=complaint.receiver, handler=stranger, now=later(1)
        ).handler
        == stranger
    )


def test_customer_facing_texts_with_forbidden_words_are_refused(complaint, employee):
    """R13: a solution, delay reason or action item that reaches the customer is checked."""
    c = complaint_contact(
        complaint=complaint,
        actor=employee,
        at=None,
        channel="phone",
        summary="Gebeld over de klacht.",
        agreed_term=in_days(10),
        now=later(hours=1),
    )
    with pytest.raises(InvalidInput) as refused:
        complaint_plan_actions(
            complaint=c,
            actor=employee,
            now=later(hours=2),
            actions=[
                ActionData(what="Fout in de factuur herstellen", who=employee, due=in_days(2))
            ],
        )
    assert (refused.value.code, refused.value.field) == ("wording_blocked", "actions.0.what")
    with pytest.raises(InvalidInput):
        complaint_send_delay_notice(
            complaint=c,
            actor=employee,
            reason="Het probleem is groot",
            expected_date=in_days(38),
            now=later(2),
        )
    assert not c.actions.exists()
