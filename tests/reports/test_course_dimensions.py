"""Courses and trainers as dimensions of the dashboard (#16 item 1).

The six complaints of ``tests/reports/conftest.py`` get a course and a trainer from the lists;
the figures per course and per trainer are checked against the hand counts of R3 (contact in
time) and R16 (settled as promised) in conftest's docstrings. Trainers shown pseudonymised
(the setting) never show a name; the drill-down lists the right complaints and is for
management only (R2); the pages cost the same number of queries whatever the number of
complaints, courses and trainers.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachten.accounts.models import Role
from klachten.complaints.models import Complaint
from klachten.complaints.services import Checklist, Training, complaint_training_update
from klachten.organisation.models import Course, OrganisationSettings, Trainer
from klachten.organisation.pseudonyms import letters, trainer_label, trainer_pseudonym
from klachten.organisation.services import organisation_settings_update
from klachten.reports.dimensions import (
    NONE_KEY,
    REST_KEY,
    dimension_complaints,
    dimension_table,
)
from klachten.reports.register import register_for
from klachten.reports.selectors import Period
from klachten.reports.services import figures_refresh
from tests.conftest import logged_in
from tests.reports.conftest import LOOK, _register, at

PERIOD = {"van": "2026-03", "tot": "2026-04"}
MARCH_APRIL = Period(first=date(2026, 3, 1), last=date(2026, 4, 1))
REFERENCE = re.compile(r">(KG-2026-\d+)</a>")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(LOOK, tick=False):
        yield


@pytest.fixture
def courses(world):
    """A, B, D on "Leidinggeven", C and E on "Excel", F without a course; A, B, E given by
    Jan Smit, C and D by Anna de Vries, F by nobody from the list.

    Hand counts (conftest): R3 met A, E, F; not met B, C; n/a D. R16 met A, B, D, F; not
    met C, E."""
    leading = Course.objects.create(name="Leidinggeven")
    excel = Course.objects.create(name="Excel")
    jan = Trainer.objects.create(name="Jan Smit")
    anna = Trainer.objects.create(name="Anna de Vries")
    for complaint, course, trainer in (
        (world.a, leading, jan),
        (world.b, leading, jan),
        (world.c, excel, anna),
        (world.d, leading, anna),
        (world.e, excel, jan),
    ):
        Complaint.objects.filter(pk=complaint.pk).update(course=course, trainer=trainer)
    return leading, excel, jan, anna


def _figures(table):
    return {
        line.label: (
            line.received,
            line.r3_met,
            line.r3_applicable,
            line.r16_met,
            line.r16_applicable,
        )
        for line in table.lines
    }


def _pseudonymise(manager, on=True):
    organisation_settings_update(actor=manager, changes={"trainers_pseudonymised": on}, now=LOOK)


# --- The pseudonyms --------------------------------------------------------------------------


def _table(dimension, period: Period, pseudonymise: bool = False):
    """The table as the dashboard makes it: from the kept month figures, made current."""
    kept = figures_refresh(months=period.months, now=LOOK)
    return dimension_table(dimension=dimension, period=period, kept=kept, pseudonymise=pseudonymise)


def test_letters_count_like_spreadsheet_columns():
    assert [letters(n) for n in (1, 2, 26, 27, 28, 52, 53, 702, 703)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="0"):
        letters(0)


def test_a_trainer_label_is_the_name_or_the_same_pseudonym_every_time(db):
    jan = Trainer.objects.create(name="Jan Smit")
    assert trainer_label(jan, False) == "Jan Smit"
    assert trainer_label(jan, True) == f"Trainer {letters(jan.pk)}"
    assert trainer_label(Trainer.objects.get(pk=jan.pk), True) == trainer_label(jan, True)
    jan.name = "Jan Smit-de Boer"  # a rename does not move the pseudonym
    assert trainer_label(jan, True) == trainer_pseudonym(jan.pk)
    assert trainer_label(None, True) == ""


# --- The figures per course and per trainer ----------------------------------------------------


def test_the_figures_per_course_follow_the_hand_counts(courses):
    """R3 and R16 per course, March and April; no course from the list under "Geen cursus"."""
    table = _table("course", MARCH_APRIL, False)
    assert [line.label for line in table.lines] == ["Leidinggeven", "Excel", "Geen cursus"]
    assert _figures(table) == {
        "Leidinggeven": (3, 1, 2, 3, 3),  # A, B, D: R3 A of A, B; R16 all three
        "Excel": (2, 1, 2, 0, 2),  # C, E: R3 E of C, E; R16 neither
        "Geen cursus": (1, 1, 1, 1, 1),  # F
    }
    assert table.lines[-1].key == NONE_KEY
    assert table.received == 6


def test_the_figures_per_trainer_follow_the_hand_counts(courses):
    table = _table("trainer", MARCH_APRIL, False)
    assert _figures(table) == {
        "Jan Smit": (3, 2, 3, 2, 3),  # A, B, E: R3 A and E; R16 A and B
        "Anna de Vries": (2, 0, 1, 1, 2),  # C, D: R3 not C (D n/a); R16 D
        "Geen trainer": (1, 1, 1, 1, 1),  # F
    }
    march = Period(first=MARCH_APRIL.first, last=MARCH_APRIL.first)
    assert _figures(_table("trainer", march, False))["Jan Smit"] == (
        2,
        1,
        2,
        2,
        2,
    )  # E was received in April


def test_the_kept_tables_add_up_to_a_live_count_of_the_complaints(courses):
    """The tables come from the kept figures (#17: no complaint rows on the dashboard); they
    agree with an aggregate over the complaints themselves, line by line."""
    from django.db.models import Count

    live = dict(
        Complaint.objects.filter(
            received_at__gte=MARCH_APRIL.start, received_at__lt=MARCH_APRIL.end
        )
        .values_list("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
    )
    table = _table("course", MARCH_APRIL)
    kept = {
        (None if line.key == NONE_KEY else int(line.key)): line.received for line in table.lines
    }
    assert kept == live


def test_a_course_corrected_on_the_complaint_moves_it_to_the_other_line(courses, employee):
    """A change through the service is in the audit log, so the kept day is computed again."""
    leading, excel, jan, _anna = courses
    assert _figures(_table("course", MARCH_APRIL))["Leidinggeven"][0] == 3
    complaint_training_update(
        complaint=Complaint.objects.get(pk=_world_a(leading)),
        actor=employee,
        training=Training(course=excel, trainer=jan),
        now=LOOK,
    )
    figures = _figures(_table("course", MARCH_APRIL))
    assert figures["Leidinggeven"][0] == 2
    assert figures["Excel"][0] == 3


def test_a_deadline_passing_changes_the_kept_verdicts_without_any_change(world, employee):
    """R3: an open complaint whose contact deadline passes turns into "not met" on the
    course's line by the clock alone (the kept day's ``fresh_until``)."""
    course = Course.objects.create(name="Projectmanagement")
    received = at(4, 29, 9)
    complaint = _register(employee, "Klant laat", received, Checklist(), naw_checked=False)
    Complaint.objects.filter(pk=complaint.pk).update(course=course)
    april = Period(first=date(2026, 4, 1), last=date(2026, 4, 1))
    before = figures_refresh(months=april.months, now=received)
    line = _figures(
        dimension_table(dimension="course", period=april, kept=before, pseudonymise=False)
    )
    assert line["Projectmanagement"][1:3] == (0, 0)  # R3 not decided yet
    later = complaint.contact_due + timedelta(hours=1)
    after = figures_refresh(months=april.months, now=later)
    line = _figures(
        dimension_table(dimension="course", period=april, kept=after, pseudonymise=False)
    )
    assert line["Projectmanagement"][1:3] == (0, 1)  # not met


def test_months_kept_before_the_tallies_existed_are_computed_again(courses):
    """A month kept without the tallies per course (before this version) is computed whole."""
    from klachten.reports.models import MonthFigures

    figures_refresh(months=MARCH_APRIL.months, now=LOOK)
    for row in MonthFigures.objects.filter(month__in=MARCH_APRIL.months):
        row.figures.pop("by_course")
        row.save(update_fields=["figures"])
    assert _figures(_table("course", MARCH_APRIL))["Leidinggeven"][0] == 3


def _world_a(leading) -> int:
    return (
        Complaint.objects.filter(course=leading)
        .order_by("received_at")
        .values_list("pk", flat=True)[0]
    )


def test_the_ten_largest_courses_are_named_and_the_rest_summed_as_overige(world, employee):
    """Sorted by count (then name): K00 with two, K01 … K09; K10 and K11 are "Overige"."""
    made = [Course.objects.create(name=f"K{number:02}") for number in range(12)]
    for number, course in enumerate([made[0], *made]):
        complaint = _register(
            employee, f"Klant {number}", at(3, 23, 9, number), Checklist(), naw_checked=False
        )
        Complaint.objects.filter(pk=complaint.pk).update(course=course)
    table = _table("course", MARCH_APRIL, False)
    labels = [line.label for line in table.lines]
    assert labels == ["K00", *(f"K{n:02}" for n in range(1, 10)), "Overige", "Geen cursus"]
    assert table.lines[0].received == 2
    rest = table.lines[-2]
    assert (rest.key, rest.received) == (REST_KEY, 2)
    assert table.lines[-1].received == 6  # the world's six have no course
    assert table.top_ids == (made[0].pk, *(course.pk for course in made[1:10]))


# --- Pseudonymised trainers -------------------------------------------------------------------


def test_pseudonymised_trainers_show_no_names_on_the_dashboard(courses, manager):
    _leading, _excel, jan, anna = courses
    _pseudonymise(manager)
    assert OrganisationSettings.objects.get().trainers_pseudonymised is True
    client = logged_in(manager)
    text = client.get("/dashboard/", PERIOD).content.decode()
    assert "Jan Smit" not in text
    assert "Anna de Vries" not in text
    assert trainer_pseudonym(jan.pk) in text
    assert trainer_pseudonym(anna.pk) in text
    assert "Leidinggeven" in text  # courses keep their names
    trainer_page = client.get(f"/dashboard/per-trainer/{jan.pk}/", PERIOD).content.decode()
    assert "Jan Smit" not in trainer_page
    assert "Anna de Vries" not in trainer_page
    assert trainer_pseudonym(jan.pk) in trainer_page
    course_page = client.get(f"/dashboard/per-cursus/{_leading.pk}/", PERIOD).content.decode()
    assert "Jan Smit" not in course_page
    assert "Anna de Vries" not in course_page


def test_pseudonyms_are_the_same_in_every_period_and_in_the_register(courses, manager):
    _leading, _excel, jan, anna = courses
    _pseudonymise(manager)
    march = Period(first=MARCH_APRIL.first, last=MARCH_APRIL.first)
    april = Period(first=MARCH_APRIL.last, last=MARCH_APRIL.last)
    labels = [
        {line.key: line.label for line in _table("trainer", period, True).lines}
        for period in (march, april, MARCH_APRIL)
    ]  # fmt: skip
    assert labels[0][str(jan.pk)] == labels[1][str(jan.pk)] == labels[2][str(jan.pk)]
    assert labels[0][str(anna.pk)] == labels[2][str(anna.pk)] != labels[2][str(jan.pk)]
    rows = register_for(
        staff=manager, first=MARCH_APRIL.first, last=MARCH_APRIL.last_day, now=LOOK
    ).rows()
    trainers = {row.trainer for row in rows}
    assert trainers == {trainer_pseudonym(jan.pk), trainer_pseudonym(anna.pk), ""}
    _pseudonymise(manager, on=False)
    rows = register_for(
        staff=manager, first=MARCH_APRIL.first, last=MARCH_APRIL.last_day, now=LOOK
    ).rows()
    assert {row.trainer for row in rows} == {"Jan Smit", "Anna de Vries", ""}


def test_the_setting_is_off_by_default_and_saved_on_the_courses_page(courses, manager):
    client = logged_in(manager)
    page = client.get("/instellingen/cursussen/").content.decode()
    assert "Trainers in rapportages gepseudonimiseerd tonen" in page
    assert "Jan Smit" in client.get("/dashboard/", PERIOD).content.decode()
    response = client.post("/instellingen/trainers/rapportages/", {"trainers_pseudonymised": "on"})
    assert response.status_code == 302
    assert OrganisationSettings.objects.get().trainers_pseudonymised is True
    assert "Jan Smit" not in client.get("/dashboard/", PERIOD).content.decode()
    client.post("/instellingen/trainers/rapportages/", {})
    assert OrganisationSettings.objects.get().trainers_pseudonymised is False


def test_an_employee_cannot_change_the_setting(courses, employee):
    response = logged_in(employee).post(
        "/instellingen/trainers/rapportages/", {"trainers_pseudonymised": "on"}
    )
    assert response.status_code == 403
    assert not OrganisationSettings.objects.filter(trainers_pseudonymised=True).exists()


# --- The drill-down ---------------------------------------------------------------------------


def _listed(client, path, params=PERIOD):
    response = client.get(path, params)
    assert response.status_code == 200
    return set(REFERENCE.findall(response.content.decode()))


def test_the_drill_down_lists_the_complaints_of_a_course_or_trainer(courses, world, manager):
    leading, excel, jan, _anna = courses
    client = logged_in(manager)
    assert _listed(client, f"/dashboard/per-cursus/{leading.pk}/") == {
        world.a.reference, world.b.reference, world.d.reference,
    }  # fmt: skip
    assert _listed(client, f"/dashboard/per-cursus/{excel.pk}/") == {
        world.c.reference, world.e.reference,
    }  # fmt: skip
    assert _listed(client, "/dashboard/per-cursus/geen/") == {world.f.reference}
    assert _listed(client, f"/dashboard/per-trainer/{jan.pk}/") == {
        world.a.reference, world.b.reference, world.e.reference,
    }  # fmt: skip
    assert _listed(client, "/dashboard/per-trainer/geen/") == {world.f.reference}
    # The period narrows it: only E of Excel was received in April.
    april = {"van": "2026-04", "tot": "2026-04"}
    assert _listed(client, f"/dashboard/per-cursus/{excel.pk}/", april) == {world.e.reference}


def test_the_dashboard_links_each_count_to_its_drill_down(courses, manager):
    leading, _excel, jan, _anna = courses
    text = logged_in(manager).get("/dashboard/", PERIOD).content.decode()
    assert f'href="/dashboard/per-cursus/{leading.pk}/?' in text
    assert f'href="/dashboard/per-trainer/{jan.pk}/?' in text
    assert 'href="/dashboard/per-cursus/geen/?' in text


def test_the_drill_down_of_overige_lists_the_courses_after_the_first_ten(world, employee, manager):
    made = [Course.objects.create(name=f"K{number:02}") for number in range(12)]
    last_two = set()
    for number, course in enumerate(made):
        complaint = _register(
            employee, f"Klant {number}", at(3, 23, 9, number), Checklist(), naw_checked=False
        )
        Complaint.objects.filter(pk=complaint.pk).update(course=course)
        if number >= 10:
            last_two.add(complaint.reference)
    drill = dimension_complaints(
        staff=manager,
        dimension="course",
        key=REST_KEY,
        period=MARCH_APRIL,
        now=LOOK,
        pseudonymise=False,
        limit=50,
        offset=0,
    )
    assert (drill.label, drill.count) == ("Overige", 2)
    assert {row.reference for row in drill.rows} == last_two
    assert _listed(logged_in(manager), "/dashboard/per-cursus/overige/") == last_two


def test_the_drill_down_pages_by_fifty(world, employee, manager):
    course = Course.objects.create(name="Groot")
    for number in range(51):
        complaint = _register(
            employee, f"Klant {number}", at(3, 24, 9, number), Checklist(), naw_checked=False
        )
        Complaint.objects.filter(pk=complaint.pk).update(course=course)
    client = logged_in(manager)
    first = client.get(f"/dashboard/per-cursus/{course.pk}/", PERIOD).content.decode()
    assert len(REFERENCE.findall(first)) == 50
    assert "pagina=2" in first
    second = _listed(client, f"/dashboard/per-cursus/{course.pk}/", {**PERIOD, "pagina": "2"})
    assert len(second) == 1


def test_an_unknown_course_or_dimension_is_not_found(courses, manager):
    client = logged_in(manager)
    assert client.get("/dashboard/per-cursus/999999/").status_code == 404
    assert client.get("/dashboard/per-cursus/iets/").status_code == 404
    assert client.get("/dashboard/per-locatie/geen/").status_code == 404


# --- Who may look (R2) ------------------------------------------------------------------------


@pytest.fixture
def auditor(make_staff):
    return make_staff("auditor", role=Role.AUDITOR)


def test_an_employee_gets_neither_the_tables_nor_the_drill_down(courses, employee):
    leading = courses[0]
    client = logged_in(employee)
    for path in (
        "/dashboard/",
        f"/dashboard/per-cursus/{leading.pk}/",
        "/dashboard/per-trainer/geen/",
    ):
        response = client.get(path, PERIOD)
        assert response.status_code == 403
        assert "Leidinggeven" not in response.content.decode()


def test_an_auditor_reads_the_tables_but_not_the_complaints_behind_them(courses, auditor):
    """#16 item 4: the dashboard's figures, yes; the drill-down lists complaints: management."""
    leading, _excel, jan, _anna = courses
    client = logged_in(auditor)
    dashboard = client.get("/dashboard/", PERIOD)
    assert dashboard.status_code == 200
    text = dashboard.content.decode()
    assert "Leidinggeven" in text
    assert "/dashboard/per-cursus/" not in text
    assert "/dashboard/per-trainer/" not in text
    for path in (f"/dashboard/per-cursus/{leading.pk}/", f"/dashboard/per-trainer/{jan.pk}/"):
        assert client.get(path, PERIOD).status_code == 403


# --- What it costs ----------------------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    client.get(path, PERIOD)  # the first visit computes the kept months
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, PERIOD)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _add(employee, count: int, start: int) -> None:
    """``count`` complaints in March, each with a course and a trainer of its own."""
    for number in range(start, start + count):
        complaint = _register(
            employee, f"Extra {number}", at(3, 25, 9, number), Checklist(), naw_checked=False
        )
        Complaint.objects.filter(pk=complaint.pk).update(
            course=Course.objects.create(name=f"Cursus {number}"),
            trainer=Trainer.objects.create(name=f"Trainer nr {number}"),
        )


@pytest.mark.parametrize("pseudonymised", [False, True])
@pytest.mark.parametrize(
    "path", ["/dashboard/", "/dashboard/per-cursus/overige/", "/dashboard/per-trainer/geen/"]
)
def test_the_pages_cost_the_same_whatever_the_number_of_complaints_and_courses(
    courses, employee, manager, path, pseudonymised
):
    _pseudonymise(manager, on=pseudonymised)
    client = logged_in(manager)
    _add(employee, 3, 0)
    few = _queries(client, path)
    _add(employee, 14, 3)  # 19 courses with complaints now: an "Overige" line
    assert Complaint.objects.count() == 23
    assert _queries(client, path) == few


def test_a_course_drill_down_costs_the_same_whatever_the_number_of_complaints(
    courses, employee, manager
):
    leading = courses[0]
    client = logged_in(manager)
    few = _queries(client, f"/dashboard/per-cursus/{leading.pk}/")
    for number in range(12):
        complaint = _register(
            employee, f"Meer {number}", at(3, 26, 9, number), Checklist(), naw_checked=False
        )
        Complaint.objects.filter(pk=complaint.pk).update(course=leading)
    assert _queries(client, f"/dashboard/per-cursus/{leading.pk}/") == few
