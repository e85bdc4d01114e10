"""The course picker on /melding/ (#16 item 1): the courses in use, with "Anders, namelijk"
and a text field for one that is not in the list. Plain fields, so it works without
JavaScript, by keyboard and with a screen reader; no word of R13 on it, in Dutch or English."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from klachten.complaints.models import Complaint
from klachten.organisation.models import Course
from tests.public.conftest import page_text, r13_words

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def courses(db):
    return {
        "excel": Course.objects.create(name="Excel voor gevorderden"),
        "word": Course.objects.create(name="Word basis"),
        "old": Course.objects.create(name="WordPerfect", active=False),
    }


def _send(data: dict, **changes: str):
    return Client().post("/melding/", {**data, **changes})


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_form_offers_the_courses_in_use_and_anders_namelijk(courses, language):
    client = Client(headers={"accept-language": language})
    html = client.get("/melding/").content.decode()
    assert r13_words(page_text(html)) == []
    select = re.search(r'<select name="course_choice"[^>]*>(.*?)</select>', html, re.S)
    assert select, html
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    assert [value for value, _label in options] == [
        "",
        str(courses["excel"].pk),
        str(courses["word"].pk),
        "anders",
    ]
    assert 'name="course"' in html  # the text field keeps its name
    assert 'for="id_course_choice"' in html
    assert 'for="id_course"' in html
    if language == "nl":
        assert "Om welke cursus of training gaat het?" in html
        assert "Anders, namelijk" in html
        assert "WordPerfect" not in html


def test_a_picked_course_is_the_complaints_course(courses, form_data, manager):
    response = _send(form_data, course_choice=str(courses["word"].pk), course="")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.course == courses["word"]
    assert complaint.course_text == ""
    assert complaint.report.startswith("Cursus of training: Word basis\n\n")


def test_anders_keeps_the_customers_own_words(courses, form_data, manager):
    response = _send(form_data, course_choice="anders", course="Excel op maat voor ons team")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.course is None
    assert complaint.course_text == "Excel op maat voor ons team"
    assert "Cursus of training: Excel op maat voor ons team" in complaint.report


def test_a_form_sent_with_the_text_alone_still_works(courses, form_data, manager):
    """Compatibility: a client that posts only ``course`` (the form before the picker)."""
    assert _send(form_data).status_code == 302
    assert Complaint.objects.get().course_text == form_data["course"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"course_choice": "", "course": ""},
            "course_choice",
            "Kies een cursus of training, of vul bij Anders de naam in.",
        ),
        (
            {"course_choice": "anders", "course": "  "},
            "course",
            "Vul de naam van de cursus of training in.",
        ),
        ({"course_choice": "9999"}, "course_choice", "Kies een cursus of training uit de lijst."),
    ],
)
def test_a_missing_course_is_named_next_to_its_field(courses, form_data, changes, field, message):
    response = _send(form_data, **changes)
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(rf'id="id_{field}_error"[^>]*>{re.escape(message)}', html), html
    assert r13_words(page_text(html)) == []
    assert "Lange Nieuwstraat" in html
    assert not Complaint.objects.exists()


def test_a_course_out_of_use_cannot_be_sent(courses, form_data):
    response = _send(form_data, course_choice=str(courses["old"].pk))
    assert response.status_code == 422
    assert not Complaint.objects.exists()


def test_without_courses_in_use_the_form_asks_for_the_name_alone(db, form_data, manager):
    html = Client().get("/melding/").content.decode()
    assert 'name="course_choice"' not in html
    assert "Om welke cursus of training gaat het?" in html
    response = _send(form_data, course="")
    assert "Vul de naam van de cursus of training in." in response.content.decode()
