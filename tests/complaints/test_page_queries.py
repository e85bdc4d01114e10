"""Every complaint screen runs a constant number of queries, however much there is to show.

An old laptop on a busy day (UX.md) must not wait for one query per row: the overview, the
complaint page and the customer file are measured with few and with many rows, and must cost
the same.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachten.complaints.services import (
    ActionData,
    Checklist,
    action_mark_done,
    complaint_contact,
    complaint_plan_actions,
    complaint_register,
)
from tests.complaints.conftest import NOW, PAGE_TIME, customer_data, in_days


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(PAGE_TIME, tick=False):
        yield


def _queries(client: Client, path: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _register_many(receiver, count: int, customer_file=None) -> list:
    complaints = []
    for number in range(count):
        complaints.append(
            complaint_register(
                receiver=receiver,
                customer=None if customer_file else customer_data(name=f"Klant {number}"),
                customer_file=customer_file,
                received_at=NOW - timedelta(minutes=number + 1),
                channel="phone",
                report=f"Verslag {number}",
                checklist=Checklist(apologised=True),
                now=NOW,
            )
        )
    return complaints


def _overview_costs(staff, count: int, **params: str) -> int:
    _register_many(staff, count)
    client = Client()
    client.force_login(staff)
    return _queries(client, "/meldingen/", **params)


@pytest.mark.parametrize("params", [{}, {"mijn": "1"}, {"zoek": "Klant", "te_laat": "on"}])
def test_the_overview_costs_the_same_for_3_and_30_complaints(make_staff, params):
    """R2-filtered overview, with the management counts: a fixed number of queries."""
    few = _overview_costs(
        make_staff("directie3", "management", email="d3@kerngroep.nl"), 3, **params
    )
    many = _overview_costs(
        make_staff("directie30", "management", email="d30@kerngroep.nl"), 30, **params
    )
    assert few == many, (few, many)
    # The session, the user, the categories, the page, the staff's names instead of two
    # joins (#17 item 3), the working-day calendar (two) for the time left in working hours
    # (#14), and the management counts with the web reports not yet taken up (R15) in one
    # query (#17).
    assert many <= 8


def test_an_employees_overview_costs_the_same_for_3_and_30_complaints(make_staff):
    """R2: an employee's overview (no counts) is as cheap."""
    few = _overview_costs(make_staff("petra3", "employee"), 3, mijn="1")
    many = _overview_costs(make_staff("petra30", "employee"), 30, mijn="1")
    assert few == many, (few, many)


def _complaint_page_costs(staff, size: int) -> int:
    [complaint] = _register_many(staff, 1)
    moment = NOW
    for number in range(size):
        moment += timedelta(seconds=1)
        complaint = complaint_contact(
            complaint=complaint,
            actor=staff,
            at=moment,
            channel="phone",
            summary=f"Gesprek {number}",
            agreed_term=in_days(10),
            now=moment,
        )
    complaint = complaint_plan_actions(
        complaint=complaint,
        actor=staff,
        actions=[
            ActionData(what=f"Actie {number}", who=staff, due=in_days(2)) for number in range(size)
        ],
        now=moment,
    )
    for action in complaint.actions.all():
        action_mark_done(action=action, actor=staff, now=moment)
    client = Client()
    client.force_login(staff)
    return _queries(client, f"/meldingen/{complaint.reference}/")


def test_the_complaint_page_costs_the_same_for_2_and_20_actions_and_history_rows(make_staff):
    """R9 action plan, R3 contacts and the R2 timeline: no query per row; the read is logged."""
    few = _complaint_page_costs(make_staff("few", "employee"), 2)
    many = _complaint_page_costs(make_staff("many", "employee"), 20)
    assert few == many, (few, many)
    # 12, one for how the complaint's mails fared (R3; #10, item 20), and three for the
    # conversation and the notes (#13: messages from the customer with their files, notes),
    # and the working-day calendar (two) for the deadline pills in working hours (#14), and
    # the version of the regulation in force when it was received (R17, #16 item 7).
    assert many <= 19


def _customer_file_costs(staff, count: int) -> int:
    [first] = _register_many(staff, 1)
    _register_many(staff, count - 1, customer_file=first.customer)
    client = Client()
    client.force_login(staff)
    return _queries(client, f"/meldingen/klantmap/{first.customer_id}/")


def test_the_customer_file_costs_the_same_for_3_and_30_complaints(make_staff):
    """R5: every complaint of the customer that the user may see, in a fixed number of queries."""
    few = _customer_file_costs(make_staff("drie", "employee"), 3)
    many = _customer_file_costs(make_staff("dertig", "employee"), 30)
    assert few == many, (few, many)
    assert many <= 6


def test_the_intake_page_costs_the_same_whatever_is_stored(make_staff):
    """The intake form reads nothing that grows."""
    staff = make_staff("intake", "employee")
    client = Client()
    client.force_login(staff)
    empty = _queries(client, "/meldingen/nieuw/")
    _register_many(staff, 10)
    assert _queries(client, "/meldingen/nieuw/") == empty


def test_the_complaint_page_costs_the_same_with_50_messages_and_20_notes(employee, manager):
    """#13, item 10: what the customer sent and the internal notes cost a fixed number of
    queries, however many there are."""
    from django.core.files.base import ContentFile

    from klachten.complaints.attachments import attachment_add
    from klachten.complaints.services import note_add
    from klachten.messaging.models import IncomingMessage

    def page_with(messages: int, notes: int) -> int:
        [complaint] = _register_many(employee, 1)
        for n in range(messages):
            message = IncomingMessage.objects.create(
                complaint=complaint,
                channel="email",
                sender="klant@example.nl",
                subject=f"Re: {n}",
                text=f"Bericht {n}",
                received_at=NOW,
                created_at=NOW,
            )
            if n % 10 == 0:
                pdf = ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"bijlage-{n}.pdf")
                message.attachments.add(
                    attachment_add(complaint=complaint, actor=None, file=pdf, now=NOW)
                )
        for n in range(notes):
            note_add(complaint=complaint, author=employee, text=f"Notitie {n}", now=NOW)
        client = Client()
        client.force_login(employee)
        return _queries(client, f"/meldingen/{complaint.reference}/")

    assert page_with(1, 1) == page_with(50, 20)


def test_on_postgresql_the_complaint_page_asks_its_reads_in_one_round_trip(employee, monkeypatch):
    """#17 item 3: after its one write (the read is logged, R2) the page's lists, the
    calendar, the regulation's versions and the conversation are one round trip, and each of
    those reads is used: none read for nothing."""
    from contextlib import contextmanager

    from django.db import connection, connections

    from klachten.complaints import views
    from klachten.core import prepared

    left_over: list[int] = []

    @contextmanager
    def watched(calls, using="default"):
        calls = list(calls)
        with prepared.read_ahead(calls, using):
            yield
            left_over.extend(len(p._ahead.get(connections[using], {})) for p, _values in calls)

    monkeypatch.setattr(views, "read_ahead", watched)
    [complaint] = _register_many(employee, 1)
    client = Client()
    client.force_login(employee)
    queries = _queries(client, f"/meldingen/{complaint.reference}/")
    assert sum(left_over) == 0, left_over
    if connection.vendor == "postgresql":
        # session, staff member, staff, complaint, the logged read, the rest
        assert queries <= 7
