"""A small world of complaints handled through the real services, with figures by hand.

Five complaints received in March 2026 and one in April, each taken through its steps at
fixed moments. The docstring of each builder says what every measure makes of it at ``LOOK``
(Friday 1 May 2026, 12:00); the tests compare the computed figures with those hand counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from klachten.complaints.models import Complaint
from klachten.complaints.services import (
    ActionData,
    Checklist,
    action_mark_done,
    complaint_assign,
    complaint_close,
    complaint_contact,
    complaint_extend,
    complaint_follow_up,
    complaint_plan_actions,
    complaint_propose_solution,
    complaint_record_ruling,
    complaint_record_view,
    complaint_refer_to_dispute,
    complaint_register,
    complaint_send_delay_notice,
)
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation.models import Category, RootCause
from tests.complaints.conftest import customer_data

LOOK = datetime(2026, 5, 1, 12, 0, tzinfo=AMSTERDAM)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=AMSTERDAM)


ALL_TICKS = Checklist(
    not_interrupted=True, vented=True, put_at_ease=True, apologised=True, business_card_given=True
)


@dataclass
class World:
    a: Complaint
    b: Complaint
    c: Complaint
    d: Complaint
    f: Complaint
    e: Complaint
    planning: Category
    material: Category
    timetable: RootCause
    communication: RootCause


def _register(receiver, name, received_at, checklist, *, naw_checked, category=None):
    return complaint_register(
        receiver=receiver,
        customer=customer_data(name=name),
        naw_checked=naw_checked,
        received_at=received_at,
        channel="phone",
        report=f"Verslag van {name}.",
        checklist=checklist,
        category=category,
        now=received_at,
    )


def _contact(complaint, actor, moment, term):
    return complaint_contact(
        complaint=complaint,
        actor=actor,
        at=moment,
        channel="phone",
        summary="Gebeld en een termijn afgesproken.",
        agreed_term=term,
        now=moment,
    )


def build_a(employee, manager, planning, timetable):
    """A, received Mon 2 March 10:00, every tick, NAW checked; contact after 5 hours, an action
    plan, solution, agreement, follow-up, closed solved on 20 March (18 days).
    R3 met, R4/R6/R8/R14 met, R9 met, R10 met, 4 weeks met, R16 met, delay n/a."""
    a = _register(employee, "Mevrouw A", at(3, 2), ALL_TICKS, naw_checked=True, category=planning)
    a = _contact(a, employee, at(3, 2, 15), date(2026, 3, 20))
    a = complaint_plan_actions(
        complaint=a,
        actor=employee,
        actions=[ActionData(what="Nieuwe planning sturen", who=employee, due=date(2026, 3, 10))],
        now=at(3, 2, 16),
    )
    a = complaint_propose_solution(
        complaint=a, actor=employee, solution="Een nieuwe lesdag op 14 maart.", now=at(3, 10)
    )
    a = complaint_record_view(complaint=a, actor=employee, agrees=True, note="", now=at(3, 11))
    action_mark_done(action=a.actions.get(), actor=employee, now=at(3, 11, 11))
    a = complaint_follow_up(
        complaint=a, actor=employee, solved=True, note="Klant tevreden.", now=at(3, 18)
    )
    a = complaint_close(complaint=a, actor=employee, outcome="solved", note="", now=at(3, 20))
    return complaint_assign(complaint=a, actor=manager, root_cause=timetable, now=at(3, 20, 11))


def build_b(employee, material):
    """B, received Tue 3 March 9:00, only "not interrupted", NAW not checked; contact due Wed
    4 March 9:00 but made Thu 5 March 9:00 (48 hours); delay notice on 20 March (in time)
    with 10 April as the date; closed unsolved on 8 April (36 days).
    R3 not met, R4 met, R6/R8/R14 not met, R9 met, R10 n/a, 4 weeks not met, delay notice
    met, R16 met (settled by the date given)."""
    b = _register(
        employee,
        "De heer B",
        at(3, 3, 9),
        Checklist(not_interrupted=True),
        naw_checked=False,
        category=material,
    )
    b = _contact(b, employee, at(3, 5, 9), date(2026, 3, 27))
    b = complaint_plan_actions(
        complaint=b,
        actor=employee,
        actions=[ActionData(what="Lesdata nagaan", who=employee, due=date(2026, 3, 20))],
        now=at(3, 5, 10),
    )
    b = complaint_send_delay_notice(
        complaint=b,
        actor=employee,
        reason="We hebben meer tijd nodig om de nieuwe lesdata vast te stellen.",
        expected_date=date(2026, 4, 10),
        now=at(3, 20),
    )
    b = complaint_extend(complaint=b, actor=employee, now=at(3, 20, 11))
    b = complaint_propose_solution(
        complaint=b, actor=employee, solution="Een lesdag in mei.", now=at(3, 25)
    )
    b = complaint_record_view(
        complaint=b, actor=employee, agrees=False, note="Te laat.", now=at(3, 26)
    )
    return complaint_close(
        complaint=b, actor=employee, outcome="unsolved", note="Geen akkoord.", now=at(4, 8, 12)
    )


def build_c(employee):
    """C, received Wed 4 March 14:00, vented/at ease/apologies/card, NAW checked, no category;
    never contacted and still open.
    R3 not met, R4 not met, R6/R8/R14 met, R9/R10 n/a, 4 weeks not met, delay notice not met,
    R16 not met."""
    return _register(
        employee,
        "Mevrouw C",
        at(3, 4, 14),
        Checklist(vented=True, put_at_ease=True, apologised=True, business_card_given=True),
        naw_checked=True,
    )


def build_d(employee, planning):
    """D, received Thu 5 March 11:00, no ticks, NAW not checked; withdrawn at 12:00 (0 days).
    R3 n/a (withdrawn before the contact deadline), R4/R6/R8/R14 not met, R9/R10 n/a, 4 weeks
    met, delay n/a, R16 met."""
    d = _register(
        employee, "De heer D", at(3, 5, 11), Checklist(), naw_checked=False, category=planning
    )
    return complaint_close(
        complaint=d, actor=employee, outcome="withdrawn", note="Ingetrokken.", now=at(3, 5, 12)
    )


def build_f(employee, manager, material, communication):
    """F, received Mon 9 March 10:00, every tick, NAW checked; contact after 2 hours; referred
    to the third party on 16 March (7 days), ruling on 25 March, closed after the ruling.
    R3 met, R4/R6/R8/R14 met, R9/R10 n/a, 4 weeks met (referral ends the own handling), delay
    n/a, R16 met; one dispute, ruled and closed after the ruling (R11)."""
    f = _register(employee, "Mevrouw F", at(3, 9), ALL_TICKS, naw_checked=True, category=material)
    f = _contact(f, employee, at(3, 9, 12), date(2026, 3, 27))
    f = complaint_refer_to_dispute(
        complaint=f, actor=employee, note="Lesgeld terug gevraagd.", now=at(3, 16)
    )
    f = complaint_record_ruling(
        complaint=f,
        actor=manager,
        text="Lesgeld wordt terugbetaald.",
        consequences=[ActionData(what="Lesgeld terugbetalen", who=employee, due=date(2026, 3, 27))],
        now=at(3, 25),
    )
    action_mark_done(action=f.actions.get(), actor=employee, now=at(3, 26))
    f = complaint_close(complaint=f, actor=manager, outcome="ruling", note="", now=at(3, 27))
    return complaint_assign(complaint=f, actor=manager, root_cause=communication, now=at(3, 27, 11))


def build_e(employee, planning):
    """E, received Wed 1 April 10:00, "not interrupted", NAW checked; contact after 2 hours;
    still open after its settlement deadline (end of Wed 29 April).
    R3 met, R4/R6 met, R8/R14 not met, 4 weeks not met, delay notice not met, R16 not met."""
    e = _register(
        employee,
        "De heer E",
        at(4, 1),
        Checklist(not_interrupted=True),
        naw_checked=True,
        category=planning,
    )
    return _contact(e, employee, at(4, 1, 12), date(2026, 4, 20))


@pytest.fixture
def world(employee, manager) -> World:
    planning = Category.objects.create(name="Planning")
    material = Category.objects.create(name="Lesmateriaal")
    timetable = RootCause.objects.create(name="Roosterwijziging")
    communication = RootCause.objects.create(name="Communicatie")
    return World(
        a=build_a(employee, manager, planning, timetable),
        b=build_b(employee, material),
        c=build_c(employee),
        d=build_d(employee, planning),
        f=build_f(employee, manager, material, communication),
        e=build_e(employee, planning),
        planning=planning,
        material=material,
        timetable=timetable,
        communication=communication,
    )
