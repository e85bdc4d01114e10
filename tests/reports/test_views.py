"""The dashboard, the drill-down, the annual report button and the measures page, through the
test client: who may see them (R2), what they say, and that they cost a constant number of
queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachten.complaints.services import Checklist
from klachten.reports.models import ImprovementMeasure
from tests.conftest import PASSWORD
from tests.reports.conftest import LOOK, _register, at

PERIOD = {"van": "2026-03", "tot": "2026-04"}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(LOOK, tick=False):
        yield


def _client(staff) -> Client:
    client = Client()
    assert client.login(username=staff.username, password=PASSWORD)
    return client


@pytest.fixture
def management(manager) -> Client:
    return _client(manager)


PAGES = ["/dashboard/", "/dashboard/naleving/r3/", "/dashboard/maatregelen/"]


@pytest.mark.parametrize("path", [*PAGES, "/dashboard/jaarverslag/?jaar=2026&formaat=csv"])
def test_employees_do_not_get_the_figures(employee, world, path):
    """R2: the dashboard is for management and admins; an employee gets a calm refusal."""
    response = _client(employee).get(path)
    assert response.status_code == 403
    text = response.content.decode()
    assert "alleen voor de directie" in text
    assert "<svg" not in text


@pytest.mark.parametrize("path", PAGES)
def test_visitors_are_asked_to_log_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_admins_see_the_dashboard(admin_user, world):
    assert _client(admin_user).get("/dashboard/").status_code == 200


def test_the_dashboard_shows_the_figures_of_the_period(management, world):
    """March and April 2026 (see conftest): R3 3 of 5 (60%), within 4 weeks 3 of 6 (50%), the
    delay notice 1 of 3 (33%), medians 3,5 hours and 12,5 days; satisfaction has no data."""
    response = management.get("/dashboard/", PERIOD)
    assert response.status_code == 200
    text = response.content.decode()
    assert "maart 2026 tot en met april 2026" in text
    assert "3 van 5 meldingen" in text
    assert ">60%<" in text
    assert ">50%<" in text
    assert ">33%<" in text
    assert "3,5 uur" in text
    assert "12,5 dagen" in text
    assert "Nog geen gegevens" in text
    # Six charts, each an SVG image with a title and a description, and its numbers as a table.
    assert text.count('role="img"') == 6
    for title in ("Meldingen per maand", "Naleving per regel", "Meldingen per oorzaak"):
        assert re.search(rf'<title id="chart-[a-z-]+">{title}</title>', text)
    assert text.count("<desc id=") == 6
    assert 'href="/dashboard/naleving/r3/?van=2026-03&amp;tot=2026-04"' in text


def test_the_charts_use_patterns_and_labels_not_colour_alone(management, world):
    """Bars carry hatches and their values as text; lines differ in dash and marker."""
    text = management.get("/dashboard/", PERIOD).content.decode()
    received = text[
        text.index('id="chart-received') : text.index("</svg>", text.index('id="chart-received'))
    ]
    assert "<pattern" in received  # the hatch of "een jaar eerder"
    assert ">5</text>" in received  # the value on March's bar
    deadlines = text[text.index('id="chart-deadlines') :]
    assert "stroke-dasharray" in deadlines[: deadlines.index("</svg>")]


def test_a_wrong_period_is_explained_in_dutch_and_this_year_shown(management, world):
    response = management.get("/dashboard/", {"van": "2026-13", "tot": "2026-04"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Vul een maand in als jjjj-mm" in text
    assert 'value="2026-13"' in text  # what was typed stays
    response = management.get("/dashboard/", {"van": "2026-04", "tot": "2026-03"})
    assert "De laatste maand ligt vóór de eerste." in response.content.decode()


def test_the_drill_down_lists_the_complaints_where_the_rule_was_not_met(management, world):
    """R3 in March: B (contact too late) and C (never contacted); not A and F (in time) and
    not D (withdrawn before its contact deadline)."""
    response = management.get("/dashboard/naleving/r3/", {"van": "2026-03", "tot": "2026-03"})
    assert response.status_code == 200
    text = response.content.decode()
    listed = set(re.findall(r">(KG-2026-\d+)</a>", text))
    assert listed == {world.b.reference, world.c.reference}
    assert "Nageleefd bij 2 van 4 meldingen (50%); niet bij 2." in text


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("r4", {"c", "d"}),
        ("r6", {"b", "d"}),
        ("r8", {"b", "d"}),
        ("r14", {"b", "d"}),
        ("r16", {"c"}),
        ("settled-in-4-weeks", {"b", "c"}),
        ("delay-notice-in-time", {"c"}),
        ("r9", set()),
        ("r10", set()),
    ],
)
def test_every_measure_has_its_drill_down(management, world, slug, expected):
    """R4, R6, R8, R9, R10, R14, R16 in March, as counted by hand in conftest."""
    text = management.get(f"/dashboard/naleving/{slug}/", {"van": "2026-03", "tot": "2026-03"})
    listed = set(re.findall(r">(KG-2026-\d+)</a>", text.content.decode()))
    assert listed == {getattr(world, name).reference for name in expected}


def test_an_unknown_measure_is_not_found(management, world):
    assert management.get("/dashboard/naleving/r99/").status_code == 404


def _queries(client: Client, path: str, params: dict) -> int:
    client.get(path, params)  # the first visit computes the kept months
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/naleving/r3/"])
def test_the_dashboard_costs_the_same_whatever_the_number_of_complaints(
    management, world, employee, path
):
    few = _queries(management, path, PERIOD)
    for number in range(15):
        _register(employee, f"Extra {number}", at(3, 12, 9, number), Checklist(), naw_checked=False)
    assert _queries(management, path, PERIOD) == few


def test_the_annual_report_button_gives_the_pdf_and_the_csv(management, world):
    pdf = management.get("/dashboard/jaarverslag/", {"jaar": "2026", "formaat": "pdf"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="jaarverslag-meldingen-2026.pdf"' in pdf["Content-Disposition"]
    csv = management.get("/dashboard/jaarverslag/", {"jaar": "2026", "formaat": "csv"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.startswith("\ufeff".encode())


def test_a_wrong_report_year_goes_back_to_the_dashboard_with_the_reason(management, world):
    response = management.get("/dashboard/jaarverslag/", {"jaar": "1850", "formaat": "pdf"})
    assert response.status_code == 302
    followed = management.get(response["Location"])
    assert "Kies een jaar uit de lijst." in followed.content.decode()


def test_management_records_an_improvement_measure_linked_to_root_causes(
    management, world, manager
):
    response = management.post(
        "/dashboard/maatregelen/nieuw/",
        {
            "title": "Roosterwijzigingen twee weken vooraf melden",
            "description": "Vaste termijn voor wijzigingen.",
            "root_causes": [str(world.timetable.pk)],
            "owner": str(manager.pk),
            "due_on": "2026-04-15",
            "status": "done",
            "taken_on": "2026-04-15",
            "check_due_on": "2026-07-15",
        },
    )
    assert response.status_code == 302
    measure = ImprovementMeasure.objects.get()
    assert list(measure.root_causes.all()) == [world.timetable]
    page = management.get("/dashboard/maatregelen/").content.decode()
    assert "Roosterwijzigingen twee weken vooraf melden" in page
    # The dashboard's panel counts measures and names those needing attention (test_capa).


def test_a_measure_without_a_root_cause_is_refused_and_keeps_what_was_typed(
    management, world, manager
):
    response = management.post(
        "/dashboard/maatregelen/nieuw/",
        {
            "title": "Nieuwe werkwijze",
            "owner": str(manager.pk),
            "due_on": "2026-06-15",
            "status": "planned",
        },
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "Kies ten minste één oorzaak of cursus waar de maatregel op ingaat." in text
    assert 'value="Nieuwe werkwijze"' in text
    assert not ImprovementMeasure.objects.exists()


def test_the_dashboard_shows_new_figures_after_a_change(management, world, manager):
    """A complaint handled after the first look counts at the next look."""
    from klachten.complaints.services import complaint_contact

    before = management.get("/dashboard/naleving/r3/", {"van": "2026-04", "tot": "2026-04"})
    assert "niet bij 0." in before.content.decode()
    late = _register(manager, "Laat", at(4, 20, 9), Checklist(), naw_checked=False)
    complaint_contact(
        complaint=late,
        actor=manager,
        at=LOOK - timedelta(hours=1),
        channel="phone",
        summary="Gebeld.",
        agreed_term=LOOK.date() + timedelta(days=5),
        now=LOOK - timedelta(minutes=30),
    )
    after = management.get("/dashboard/naleving/r3/", {"van": "2026-04", "tot": "2026-04"})
    assert late.reference in after.content.decode()
