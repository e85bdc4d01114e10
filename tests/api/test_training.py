"""The course, trainer, place and day of a complaint in the API (#16 items 1 and 5): given by
id when registering, validated like a category (422 ``{detail, code}`` for an id that is
unknown or out of use), and shown on the complaint with whether it was imported."""

from __future__ import annotations

from datetime import timedelta

import pytest

from klachten.complaints.models import Complaint
from klachten.complaints.services import Checklist, Imported, complaint_register
from klachten.organisation.models import Course, Trainer
from tests.api.test_complaints import URL, clock, registration
from tests.complaints.conftest import NOW, customer_data

__all__ = ["clock"]  # a fixture, found by name


@pytest.fixture
def lists(db):
    return {
        "excel": Course.objects.create(name="Excel basis"),
        "old": Course.objects.create(name="Lotus", active=False),
        "jan": Trainer.objects.create(name="Jan Smit"),
        "piet": Trainer.objects.create(name="Piet Bos", active=False),
    }


def test_a_complaint_is_registered_with_its_course_trainer_place_and_day(
    api, manager, clock, lists
):
    response = api.post(
        URL,
        registration(
            course_id=lists["excel"].pk,
            trainer_id=lists["jan"].pk,
            training_location="Utrecht",
            training_date="2026-10-28",
            course_text="Excel, de tweede dag",
        ),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["course"] == {"id": lists["excel"].pk, "name": "Excel basis"}
    assert body["trainer"] == {"id": lists["jan"].pk, "name": "Jan Smit"}
    assert body["training_location"] == "Utrecht"
    assert body["training_date"] == "2026-10-28"
    assert body["course_text"] == "Excel, de tweede dag"
    assert body["imported_at"] is None
    again = api.get(f"{URL}/{body['reference']}").json()
    assert {key: again[key] for key in ("course", "trainer", "training_date")} == {
        key: body[key] for key in ("course", "trainer", "training_date")
    }


def test_without_them_the_fields_are_empty(api, manager, clock):
    body = api.post(URL, registration()).json()
    assert (body["course"], body["trainer"], body["training_date"]) == (None, None, None)
    assert (body["training_location"], body["course_text"]) == ("", "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"course_id": 999_999}, "course_id"),
        ({"course_id": "old"}, "course_id"),
        ({"trainer_id": "piet"}, "trainer_id"),
    ],
)
def test_an_unknown_or_retired_id_is_a_422_with_a_code(api, manager, clock, lists, changes, field):
    """Follows the API's conventions for a category: ``unknown_choice``, the field named, and
    nothing registered."""
    body = {
        key: lists[value].pk if isinstance(value, str) else value for key, value in changes.items()
    }
    response = api.post(URL, registration(**body))
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "unknown_choice"
    assert error["field"] == field
    assert error["detail"] == "Deze keuze bestaat niet."
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"training_date": "28-10-2026"}, "invalid_date"),
        ({"training_location": "x" * 201}, None),
        ({"course_id": "1"}, None),
    ],
)
def test_bad_training_input_is_refused_without_a_500(api, manager, clock, lists, changes, code):
    response = api.post(URL, registration(**changes))
    assert response.status_code == 422
    assert "detail" in response.json()
    if code:
        assert response.json()["code"] == code
    assert not Complaint.objects.exists()


def test_an_imported_complaint_says_so(api, employee, clock):
    """``imported_at``, and ``management_alert.state`` ``imported``: history, no alert (#16
    item 5)."""
    complaint = complaint_register(
        receiver=employee,
        customer=customer_data(),
        received_at=NOW - timedelta(days=30),
        channel="letter",
        report="Uit het oude register.",
        checklist=Checklist(),
        imported=Imported(file="register.csv", row=2),
        now=NOW,
    )
    body = api.get(f"{URL}/{complaint.reference}").json()
    assert body["imported_at"] == "2026-11-02T10:00:00+01:00"
    assert body["management_alert"]["state"] == "imported"
    assert body["history"][0]["action"] == "imported"
