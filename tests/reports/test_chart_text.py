"""Text in charts is literal (issue #10, 18): a name with dollar signs is no formula.

A plotting library once read ``$…$`` in any text as mathtext: an unknown command made the
dashboard and the annual report answer 500, and a known one changed the name. Names come from
management (categories, root causes, measures), so they are drawn exactly as typed.
"""

from __future__ import annotations

import html
import io

import pytest
import time_machine
from django.test import Client
from pypdf import PdfReader

from klachten.organisation.models import Category, RootCause
from klachten.reports.services import measure_record
from tests.conftest import PASSWORD
from tests.reports.conftest import LOOK

CATEGORY = r"Kosten $\nietbestaand{x}$ en meer"
ROOT_CAUSE = r"Rooster $\frac{1}{2}$ week"
MEASURE = r"Korting $\alpha$ voor $10"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(LOOK, tick=False):
        yield


@pytest.fixture
def dollar_names(world, manager):
    Category.objects.filter(pk=world.planning.pk).update(name=CATEGORY)
    RootCause.objects.filter(pk=world.timetable.pk).update(name=ROOT_CAUSE)
    measure_record(
        actor=manager,
        title=MEASURE,
        description="",
        root_causes=[world.timetable],
        taken_on=LOOK.date(),
        now=LOOK,
    )


def _client(staff) -> Client:
    client = Client()
    assert client.login(username=staff.username, password=PASSWORD)
    return client


def _svg_texts(page: str) -> str:
    """The text of every ``<text>`` element of the charts on a page, unescaped."""
    import re

    return " ".join(
        html.unescape(match) for match in re.findall(r"<text[^>]*>(.*?)</text>", page, re.S)
    )


def test_the_dashboard_draws_dollar_names_as_typed(manager, dollar_names):
    response = _client(manager).get("/dashboard/", {"van": "2026-01", "tot": "2026-04"})
    assert response.status_code == 200
    texts = _svg_texts(response.content.decode())
    assert CATEGORY in texts
    assert ROOT_CAUSE in texts


def test_the_annual_report_draws_dollar_names_as_typed(manager, dollar_names):
    response = _client(manager).get("/dashboard/jaarverslag/", {"jaar": "2026", "formaat": "pdf"})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert CATEGORY in text
    assert ROOT_CAUSE in text
    assert MEASURE in text
