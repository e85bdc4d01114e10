"""What a complaint concerns (#16 item 1): course, trainer, where and when — picked on the
intake from management's lists, shown on the complaint page and corrected there."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.services import Training, complaint_training_update
from klachten.core.errors import InvalidInputs
from klachten.organisation.models import Course, Trainer
from tests.complaints.conftest import PAGE_TIME
from tests.complaints.test_views import INTAKE
from tests.conftest import logged_in


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(PAGE_TIME, tick=False):
        yield


@pytest.fixture
def lists():
    excel = Course.objects.create(name="Excel basis")
    word = Course.objects.create(name="Word")
    old = Course.objects.create(name="Lotus 1-2-3", active=False)
    jan = Trainer.objects.create(name="Jan Smit")
    piet = Trainer.objects.create(name="Piet Bos", active=False)
    excel.trainers.add(jan)
    return {"excel": excel, "word": word, "old": old, "jan": jan, "piet": piet}


def test_the_intake_offers_the_courses_and_trainers_in_use(employee, lists):
    html = logged_in(employee).get("/meldingen/nieuw/").content.decode()
    assert "Over welke training gaat het?" in html
    assert f'<option value="{lists["excel"].pk}">Excel basis</option>' in html
    assert f'<option value="{lists["jan"].pk}">Jan Smit</option>' in html
    assert "Lotus 1-2-3" not in html
    assert "Piet Bos" not in html
    for name in ("course", "course_text", "trainer", "training_location", "training_date"):
        assert f'name="{name}"' in html, name


def test_the_intake_registers_the_course_trainer_place_and_day(employee, manager, lists):
    response = logged_in(employee).post(
        "/meldingen/nieuw/",
        {
            **INTAKE,
            "course": str(lists["excel"].pk),
            "trainer": str(lists["jan"].pk),
            "training_location": "Utrecht,  Jaarbeurs",
            "training_date": "2026-10-28",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.course == lists["excel"]
    assert complaint.trainer == lists["jan"]
    assert complaint.training_location == "Utrecht, Jaarbeurs"
    assert complaint.training_date == date(2026, 10, 28)
    assert complaint.course_text == ""
    page = logged_in(employee).get(f"/meldingen/{complaint.reference}/").content.decode()
    assert "Cursus en training" in page
    assert "Excel basis" in page
    assert "Jan Smit" in page
    assert "Utrecht, Jaarbeurs" in page
    assert f'href="/meldingen/{complaint.reference}/training/"' in page


def test_a_course_out_of_use_cannot_be_picked_at_intake(employee, lists):
    html = (
        logged_in(employee)
        .post("/meldingen/nieuw/", {**INTAKE, "course": str(lists["old"].pk)})
        .content.decode()
    )
    assert 'id="id_course_error"' in html
    assert not Complaint.objects.exists()


def test_the_facts_are_corrected_on_their_own_page_and_logged(employee, lists):
    client = logged_in(employee)
    client.post("/meldingen/nieuw/", {**INTAKE, "course_text": "de Excel-cursus op dinsdag"})
    complaint = Complaint.objects.get()
    page = client.get(f"/meldingen/{complaint.reference}/").content.decode()
    assert "In de woorden van de klant: “de Excel-cursus op dinsdag”" in page
    url = f"/meldingen/{complaint.reference}/training/"
    form = client.get(url).content.decode()
    assert "Cursus in de woorden van de klant" in form
    response = client.post(
        url,
        {
            "course": str(lists["excel"].pk),
            "trainer": str(lists["jan"].pk),
            "course_text": "de Excel-cursus op dinsdag",
            "training_location": "",
            "training_date": "",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"/meldingen/{complaint.reference}/#training", 302)]
    assert "Cursus en training opgeslagen." in response.content.decode()
    assert "Cursus en training aangepast" in response.content.decode()
    complaint.refresh_from_db()
    assert (complaint.course, complaint.trainer) == (lists["excel"], lists["jan"])
    entry = AuditEntry.objects.get(action="training_changed")
    assert entry.before == {"course_id": None, "trainer_id": None}
    assert entry.after == {"course_id": lists["excel"].pk, "trainer_id": lists["jan"].pk}


def test_a_course_taken_out_of_use_stays_on_its_complaint(employee, lists):
    """Correcting another fact never loses a course or trainer retired since; another retired
    one cannot be chosen."""
    client = logged_in(employee)
    client.post(
        "/meldingen/nieuw/",
        {**INTAKE, "course": str(lists["excel"].pk), "trainer": str(lists["jan"].pk)},
    )
    complaint = Complaint.objects.get()
    lists["excel"].active = False
    lists["excel"].save()
    url = f"/meldingen/{complaint.reference}/training/"
    assert "Excel basis" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "course": str(lists["excel"].pk),
            "trainer": str(lists["jan"].pk),
            "training_location": "Amersfoort",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.course, complaint.training_location) == (lists["excel"], "Amersfoort")
    html = client.post(url, {"course": str(lists["old"].pk)}).content.decode()
    assert 'id="id_course_error"' in html
    with pytest.raises(InvalidInputs) as refused:
        complaint_training_update(
            complaint=complaint,
            actor=employee,
            training=Training(course=lists["old"], trainer=lists["piet"]),
            now=PAGE_TIME,
        )
    assert [error.field for error in refused.value.errors] == ["course", "trainer"]


def test_who_may_not_see_the_complaint_may_not_correct_it(employee, make_staff, lists):
    logged_in(employee).post("/meldingen/nieuw/", INTAKE)
    complaint = Complaint.objects.get()
    stranger = logged_in(make_staff("jan", "employee"))
    url = f"/meldingen/{complaint.reference}/training/"
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"course": str(lists["word"].pk)}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.course is None
