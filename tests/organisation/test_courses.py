"""*Instellingen › Cursussen en trainers* (#16 item 1): the courses with the trainers who give
them, kept the way categories are kept — add, rename, take out of use, each change logged."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klachten.audit.models import AuditEntry
from klachten.core.errors import InvalidInput, NotAllowed
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation import services
from klachten.organisation.models import Course, Trainer
from tests.conftest import logged_in

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=AMSTERDAM)
PAGE = "/instellingen/cursussen/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def management(manager):
    return logged_in(manager)


def test_the_section_is_in_the_navigation_and_sums_up_on_the_index(management, manager):
    services.course_create(actor=manager, name="Excel basis", now=NOW)
    services.trainer_create(actor=manager, name="Jan Smit", now=NOW)
    html = management.get("/instellingen/").content.decode()
    assert f'href="{PAGE}"' in html
    assert "Cursussen en trainers" in html
    assert "1 cursus en 1 trainer in gebruik." in html
    page = management.get(PAGE).content.decode()
    assert f'href="{PAGE}" aria-current="page"' in page


def test_trainers_and_courses_are_added_and_the_trainers_of_a_course_ticked(management):
    response = management.post("/instellingen/trainers/", {"trainer-name": "Jan Smit"}, follow=True)
    assert response.redirect_chain == [(f"{PAGE}#trainer-lijst", 302)]
    assert "“Jan Smit” is toegevoegd." in response.content.decode()
    response = management.post(
        "/instellingen/cursussen/nieuw/", {"cursus-name": "Excel basis"}, follow=True
    )
    assert response.redirect_chain == [(f"{PAGE}#cursus-lijst", 302)]
    course, trainer = Course.objects.get(), Trainer.objects.get()
    html = response.content.decode()
    assert f'name="cursus-{course.pk}-trainers" value="{trainer.pk}"' in html
    assert "Trainers van “Excel basis”" in html

    response = management.post(
        f"/instellingen/cursussen/{course.pk}/",
        {
            f"cursus-{course.pk}-name": "Excel voor beginners",
            f"cursus-{course.pk}-active": "on",
            f"cursus-{course.pk}-trainers": [str(trainer.pk)],
        },
        follow=True,
    )
    assert "“Excel voor beginners” is opgeslagen." in response.content.decode()
    course.refresh_from_db()
    assert (course.name, course.active) == ("Excel voor beginners", True)
    assert list(course.trainers.all()) == [trainer]
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "settings.trainer_added",
        "settings.course_added",
        "settings.course_changed",
        "settings.course_trainers",
    ]


def test_a_course_taken_out_of_use_keeps_its_complaints_and_leaves_the_pickers(
    management, manager, employee
):
    from klachten.organisation.selectors import courses_active, courses_for_complaint

    course = services.course_create(actor=manager, name="Word", now=NOW)
    management.post(f"/instellingen/cursussen/{course.pk}/", {f"cursus-{course.pk}-name": "Word"})
    course.refresh_from_db()
    assert not course.active
    assert courses_active() == []
    assert courses_for_complaint(course.pk) == [course]
    assert 'class="settings-row inactive"' in management.get(PAGE).content.decode()


def test_a_duplicate_name_is_refused_next_to_it(management, manager):
    services.course_create(actor=manager, name="Excel basis", now=NOW)
    other = services.course_create(actor=manager, name="Word", now=NOW)
    response = management.post(
        f"/instellingen/cursussen/{other.pk}/",
        {f"cursus-{other.pk}-name": "excel BASIS", f"cursus-{other.pk}-active": "on"},
    )
    html = response.content.decode()
    assert f'id="id_cursus-{other.pk}-name_error"' in html
    assert "Deze naam staat al in de lijst." in html
    assert 'value="excel BASIS"' in html
    response = management.post("/instellingen/trainers/", {"trainer-name": ""})
    assert "Vul een naam in." in response.content.decode()


def test_a_trainer_out_of_use_is_not_added_to_a_course_but_stays_on_one(manager):
    course = services.course_create(actor=manager, name="Excel", now=NOW)
    kept = services.trainer_create(actor=manager, name="Jan", now=NOW)
    services.course_update(
        actor=manager,
        course_id=course.pk,
        name="Excel",
        active=True,
        trainer_ids=[kept.pk],
        now=NOW,
    )
    services.trainer_update(actor=manager, trainer_id=kept.pk, name="Jan", active=False, now=NOW)
    retired = services.trainer_create(actor=manager, name="Piet", now=NOW)
    services.trainer_update(
        actor=manager, trainer_id=retired.pk, name="Piet", active=False, now=NOW
    )
    with pytest.raises(InvalidInput) as refused:
        services.course_update(
            actor=manager,
            course_id=course.pk,
            name="Excel",
            active=True,
            trainer_ids=[kept.pk, retired.pk],
            now=NOW,
        )
    assert refused.value.code == "unknown_trainer"
    services.course_update(
        actor=manager,
        course_id=course.pk,
        name="Excel",
        active=True,
        trainer_ids=[kept.pk],
        now=NOW,
    )
    assert list(course.trainers.all()) == [kept]


def test_only_management_keeps_the_lists(employee):
    client = logged_in(employee)
    assert client.get(PAGE).status_code == 403
    assert client.post("/instellingen/trainers/", {"trainer-name": "X"}).status_code == 403
    assert not Trainer.objects.exists()
    with pytest.raises(NotAllowed):
        services.course_create(actor=employee, name="Excel", now=NOW)


def test_the_page_costs_the_same_for_3_and_20_courses(management, manager):
    trainers = [services.trainer_create(actor=manager, name=f"T{n}", now=NOW) for n in range(5)]

    def fill(count: int, offset: int) -> int:
        for number in range(offset, offset + count):
            course = services.course_create(actor=manager, name=f"Cursus {number}", now=NOW)
            course.trainers.set(trainers[: number % 5 + 1])
        with CaptureQueriesContext(connection) as captured:
            assert management.get(PAGE).status_code == 200
        return len(captured.captured_queries)

    assert fill(3, 0) == fill(17, 3)
