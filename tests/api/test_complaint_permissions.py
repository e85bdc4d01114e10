"""Who may see and handle which complaint through the API (R2): the permission table.

Employees see and act on the complaints they received or handle; management on all, and an
admin only when management too (#15, item 5). Anything else is a 404 — never a 403 — that
looks exactly like a reference that does not exist, is absent from the list, and changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klachten.accounts.models import Role, Staff
from klachten.accounts.services import staff_create, token_create
from klachten.audit.models import AuditEntry
from klachten.complaints.models import ActionItem, Complaint
from klachten.complaints.services import (
    ActionData,
    Checklist,
    complaint_assign,
    complaint_contact,
    complaint_plan_actions,
    complaint_register,
)
from klachten.mail.models import OutboxMessage
from klachten.organisation.models import Category
from tests.complaints.conftest import NOW, customer_data, in_days, later
from tests.conftest import ApiClient

URL = "/api/v1/complaints"
GHOST = "KG-2026-99999"

# Who each caller is; "own" was received by the employee, "other" by the other employee.
CALLERS = {
    "employee": ("petra", Role.EMPLOYEE),
    "other employee": ("kees", Role.EMPLOYEE),
    "uninvolved employee": ("jan", Role.EMPLOYEE),
    "management": ("marco", Role.MANAGEMENT),
    # An admin keeps accounts and settings and reads no complaint unless management too
    # (#15, item 5).
    "admin": ("beheer", Role.ADMIN),
    "admin and management": ("linda", "admin,management"),
}
SEES = {
    ("employee", "own"): True,
    ("employee", "other"): False,
    ("other employee", "own"): False,
    ("other employee", "other"): True,
    ("uninvolved employee", "own"): False,
    ("uninvolved employee", "other"): False,
    ("management", "own"): True,
    ("management", "other"): True,
    ("admin", "own"): False,
    ("admin", "other"): False,
    ("admin and management", "own"): True,
    ("admin and management", "other"): True,
}

# Every step endpoint with a valid body, and its answer for a caller who may act on a complaint
# that was contacted and has one open action: done (200) or refused by the lifecycle (409).
STEPS: dict[str, tuple[dict[str, Any] | None, int]] = {
    "contact": ({"channel": "phone", "summary": "Nogmaals gebeld."}, 200),
    "actions": ({"actions": [{"what": "Certificaat", "who": "jan", "due": "2026-11-06"}]}, 200),
    "actions/{action}/done": (None, 200),
    "delay-notice": ({"reason": "Navraag bij de docent", "expected_date": "2026-12-10"}, 200),
    "extend": (None, 409),
    "solution": ({"solution": "Map wordt nagestuurd."}, 200),
    "customer-view": ({"agrees": True}, 409),
    "follow-up": ({"solved": True, "note": "Opgelost."}, 409),
    "close": ({"outcome": "withdrawn"}, 200),
    "dispute": ({"note": "Voorgelegd aan Sandra-Kok.nl"}, 200),
    "ruling": ({"text": "Terugbetalen.", "consequences": []}, 409),
    "assign": ({"handler": "marco"}, 200),
}
ACTIONS = ["list", "get", *STEPS]


@dataclass
class World:
    """The staff members, one API client each, and the two complaints."""

    staff: dict[str, Staff]
    clients: dict[str, ApiClient]
    complaints: dict[str, Complaint]


def _staff(username: str, role: str) -> Staff:
    # Token-only accounts: no password, so no slow password hashing per test.
    return staff_create(
        username=username,
        role=role.partition(",")[0],
        also_management=role == "admin,management",
        email=f"{username}@kerngroep.nl",
        phone="030 760 22 00",
    )


def _complaint(receiver: Staff) -> Complaint:
    """Registered at 10:00, contacted with a term, one open action: most steps apply."""
    complaint = complaint_register(
        receiver=receiver,
        customer=customer_data(),
        received_at=None,
        channel="phone",
        report="Certificaat van de training ontbreekt.",
        checklist=Checklist(),
        now=NOW,
    )
    complaint = complaint_contact(
        complaint=complaint,
        actor=receiver,
        at=None,
        channel="phone",
        summary="Teruggebeld.",
        agreed_term=in_days(10),
        now=later(hours=1),
    )
    return complaint_plan_actions(
        complaint=complaint,
        actor=receiver,
        actions=[ActionData(what="Certificaat nasturen", who=receiver, due=in_days(2))],
        now=later(hours=1),
    )


@pytest.fixture
def world(db: None) -> Any:
    with time_machine.travel(later(hours=2), tick=False):
        staff = {role: _staff(username, kind) for role, (username, kind) in CALLERS.items()}
        yield World(
            staff=staff,
            clients={role: ApiClient(token_create(staff=s)[1]) for role, s in staff.items()},
            complaints={
                "own": _complaint(staff["employee"]),
                "other": _complaint(staff["other employee"]),
            },
        )


def _call(client: ApiClient, action: str, complaint: Complaint) -> Any:
    if action == "list":
        return client.get(URL, page_size=100)
    if action == "get":
        return client.get(f"{URL}/{complaint.reference}")
    body, _ = STEPS[action]
    action_id = complaint.actions.get().pk
    path = action.format(action=action_id)
    return client.post(f"{URL}/{complaint.reference}/{path}", body)


def _state(complaint: Complaint) -> tuple[Any, ...]:
    """Everything a step could change."""
    return (
        Complaint.objects.values().get(pk=complaint.pk),
        list(ActionItem.objects.filter(complaint=complaint).values()),
        AuditEntry.objects.count(),
        OutboxMessage.objects.count(),
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("caller", "which"), list(SEES), ids=[f"{c}-{w}" for c, w in SEES])
def test_the_permission_table(world, caller, which, action):
    """R2: a complaint is shown and handled only by its receiver or handler and management
    (admins who are management too); for anyone else it is absent from the list, a 404 on
    every endpoint, and nothing is read, logged or changed."""
    complaint = world.complaints[which]
    client = world.clients[caller]
    visible = SEES[(caller, which)]
    before = _state(complaint)
    response = _call(client, action, complaint)

    if action == "list":
        assert response.status_code == 200
        listed = {item["reference"] for item in response.json()["items"]}
        assert (complaint.reference in listed) is visible
        assert response.json()["count"] == len(listed)
    elif not visible:
        assert response.status_code == 404
        assert response.json() == {
            "detail": f"Melding {complaint.reference} niet gevonden.",
            "code": "not_found",
        }
        assert _state(complaint) == before
    elif action == "get":
        assert response.status_code == 200
        assert response.json()["reference"] == complaint.reference
        [read] = AuditEntry.objects.filter(complaint=complaint, action="viewed")
        assert read.actor == world.staff[caller]
    else:
        expected = STEPS[action][1]
        assert response.status_code == expected, response.json()
        if expected == 409:
            assert response.json()["reasons"]
            assert _state(complaint) == before
        else:
            assert response.json()["reference"] == complaint.reference
            assert (
                AuditEntry.objects.filter(complaint=complaint).latest("id").actor
                == (world.staff[caller])
            )


def test_a_hidden_complaint_answers_exactly_like_one_that_does_not_exist(world):
    """R2: the answer for a complaint the caller may not see tells nothing about it."""
    client = world.clients["uninvolved employee"]
    reference = world.complaints["own"].reference
    for action in ACTIONS[1:]:
        hidden = _call(client, action, world.complaints["own"])
        ghost = _call(client, action, Complaint(reference=GHOST, pk=world.complaints["own"].pk))
        assert (hidden.status_code, ghost.status_code) == (404, 404), action
        assert hidden.json() == {
            key: value.replace(GHOST, reference) for key, value in ghost.json().items()
        }
        assert hidden.headers["Content-Type"] == ghost.headers["Content-Type"]


def test_a_complaint_assigned_to_another_employee_becomes_visible_to_them(world):
    """R2: the handler sees the complaint and may act on it; the receiver keeps it; an
    employee who hands it on loses sight of it."""
    reference = world.complaints["own"].reference
    jan = world.clients["uninvolved employee"]
    with time_machine.travel(later(hours=3), tick=False):
        assert jan.get(f"{URL}/{reference}").status_code == 404

        assigned = world.clients["management"].post(f"{URL}/{reference}/assign", {"handler": "jan"})
        assert assigned.json()["handler"]["username"] == "jan"

        assert jan.get(f"{URL}/{reference}").status_code == 200
        assert reference in {item["reference"] for item in jan.get(URL).json()["items"]}
        acted = jan.post(f"{URL}/{reference}/solution", {"solution": "Nieuw certificaat."})
        assert acted.status_code == 200
        assert world.clients["employee"].get(f"{URL}/{reference}").status_code == 200

        handed_on = jan.post(f"{URL}/{reference}/assign", {"handler": "kees"})
        assert handed_on.status_code == 200
        assert jan.get(f"{URL}/{reference}").status_code == 404
        assert world.clients["other employee"].get(f"{URL}/{reference}").status_code == 200
        assert world.clients["employee"].get(f"{URL}/{reference}").status_code == 200


def test_a_complaint_assigned_by_the_service_is_visible_to_its_handler(world):
    """R2: visibility follows the handler, however the complaint was assigned."""
    complaint = world.complaints["other"]
    jan = world.staff["uninvolved employee"]
    with time_machine.travel(later(hours=3), tick=False):
        complaint_assign(
            complaint=complaint, actor=world.staff["management"], handler=jan, now=later(hours=3)
        )
        response = world.clients["uninvolved employee"].get(f"{URL}/{complaint.reference}")
    assert response.status_code == 200


@pytest.mark.parametrize("caller", ["employee", "management"])
def test_the_list_takes_the_same_queries_for_3_and_30_complaints(world, caller):
    """No query per row: a count, one page and the staff's names, whatever the number of
    complaints."""
    client = world.clients[caller]
    employee, other = world.staff["employee"], world.staff["other employee"]
    category = Category.objects.create(name="Certificaten")

    def add(count: int) -> None:
        for index in range(count):
            complaint = complaint_register(
                receiver=employee,
                customer=customer_data(name=f"Klant {index}"),
                received_at=None,
                channel="email",
                report="Certificaat ontbreekt.",
                checklist=Checklist(),
                now=NOW,
            )
            if index % 2:  # another handler and a category: more joined rows per page
                complaint_assign(
                    complaint=complaint,
                    actor=employee,
                    handler=other,
                    category=category,
                    now=NOW,
                )

    with time_machine.travel(later(hours=2), tick=False):
        add(1)  # with the two of the world: three for management, two for the employee
        client.get(URL)  # the token's use is stamped once a minute; not part of the list
        with CaptureQueriesContext(connection) as few:
            small = client.get(URL, page_size=100).json()
        add(27)
        with CaptureQueriesContext(connection) as many:
            large = client.get(URL, page_size=100).json()
    assert (len(small["items"]), len(large["items"])) == (
        (3, 30) if caller == "management" else (2, 29)
    )
    assert len(few) == len(many)
    assert len(many) == 4  # the token, the count, the page, the staff's names (#17 item 3)
