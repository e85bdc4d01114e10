"""The work screens of #14: the overview's sorting, count filters and htmx list, Start as a work
queue, and the time left or past as staff read it ("3 dagen te laat", "nog 5 werkuren")."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from klachten.complaints.services import Checklist, complaint_register
from klachten.domain.urgency import TimeUnit, remaining
from klachten.domain.workdays import AMSTERDAM
from tests.complaints.conftest import NOW, PAGE_TIME, customer_data
from tests.conftest import logged_in


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(PAGE_TIME, tick=False) as traveller:
        yield traveller


def _register(receiver, name: str, minutes: int):
    return complaint_register(
        receiver=receiver,
        customer=customer_data(name=name),
        received_at=NOW - timedelta(minutes=minutes),
        channel="phone",
        report=f"Verslag over {name}.",
        checklist=Checklist(),
        now=NOW,
    )


def test_the_overview_sorts_by_a_column_both_ways(employee, manager) -> None:
    zeta = _register(employee, "Zeta Jansen", minutes=5)
    alfa = _register(employee, "Alfa de Boer", minutes=60)
    client = logged_in(manager)
    html = client.get("/meldingen/", {"sorteer": "klant"}).content.decode()
    assert html.index(alfa.reference) < html.index(zeta.reference)
    assert 'aria-sort="ascending"><a href="?sorteer=-klant">Klant' in html
    html = client.get("/meldingen/", {"sorteer": "-klant"}).content.decode()
    assert html.index(zeta.reference) < html.index(alfa.reference)
    assert client.get("/meldingen/", {"sorteer": "onzin"}).status_code == 200


def test_the_counts_filter_and_htmx_gets_the_list_alone(employee, manager, clock) -> None:
    late = _register(employee, "Te Laat", minutes=60 * 24 * 3)
    fresh = _register(employee, "Net Binnen", minutes=1)
    client = logged_in(manager)
    page = client.get("/meldingen/", {"te_laat": "1"}).content.decode()
    assert late.reference in page
    assert fresh.reference not in page
    assert 'href="?te_laat=1" class="count status-late" aria-current="true"' in page
    # Nearly late: the contact term of the fresh one ends within the warning of three days.
    soon = client.get("/meldingen/", {"bijna": "1"}).content.decode()
    assert fresh.reference in soon
    assert late.reference not in soon
    partial = client.get("/meldingen/", headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="overzicht"')
    assert "<html" not in partial
    assert 'hx-trigger="every 30s' in partial
    assert late.reference in partial


def test_start_is_a_work_queue(employee, manager, make_staff) -> None:
    other = make_staff("jan", "employee", first_name="Jan", last_name="Bos")
    mine = _register(employee, "Mijn Klant", minutes=60 * 24 * 3)
    theirs = _register(other, "Andere Klant", minutes=60 * 24 * 3)
    html = logged_in(employee).get("/").content.decode()
    assert "Te laat" in html
    assert mine.reference in html
    assert theirs.reference not in html  # R2: only what the employee may see
    assert "Acties die nu moeten" in html
    assert "API-documentatie" not in html
    management = logged_in(manager).get("/").content.decode()
    assert mine.reference in management
    assert theirs.reference in management
    assert "termijnen verstreken deze week" in management


def test_the_time_left_and_past_in_words() -> None:
    now = NOW  # Monday 2 November 2026, 10:00
    assert remaining(now + timedelta(days=3, hours=2), now).unit == TimeUnit.DAYS
    assert remaining(now + timedelta(days=3, hours=2), now).amount == 3
    assert remaining(now + timedelta(hours=5), now) == remaining(now + timedelta(hours=5), now)
    left = remaining(now + timedelta(hours=5), now)
    assert (left.late, left.amount, left.unit) == (False, 5, TimeUnit.HOURS)
    working = remaining(now + timedelta(days=3), now, working=timedelta(hours=20, minutes=30))
    assert (working.amount, working.unit) == (20, TimeUnit.WORKING_HOURS)
    past = remaining(now - timedelta(days=2, hours=3), now)
    assert (past.late, past.amount, past.unit) == (True, 2, TimeUnit.DAYS)
    minutes = remaining(now - timedelta(seconds=20), now)
    assert (minutes.late, minutes.amount, minutes.unit) == (True, 1, TimeUnit.MINUTES)


@given(st.integers(min_value=-60 * 24 * 90, max_value=60 * 24 * 90))
def test_late_exactly_when_past_the_deadline(minutes: int) -> None:
    now = NOW.astimezone(AMSTERDAM)
    due = now + timedelta(minutes=minutes)
    found = remaining(due, now)
    assert found.late == (minutes < 0)
    assert found.amount >= 0
    if found.unit == TimeUnit.DAYS and not found.late:
        assert found.amount == (due.date() - now.date()).days


def test_the_overview_pages_by_fifty(employee, manager) -> None:
    """Fifty lines a page; the pager keeps the filters and the sorting (core/_pages.html)."""
    made = [_register(employee, f"Klant {n:02d}", minutes=5 + n) for n in range(51)]
    client = logged_in(manager)
    first = client.get("/meldingen/", {"sorteer": "klant"}).content.decode()
    assert 'rel="next">Volgende 50</a>' in first
    assert "?sorteer=klant&amp;pagina=2" in first
    assert 'rel="prev"' not in first
    second = client.get("/meldingen/", {"sorteer": "klant", "pagina": "2"}).content.decode()
    assert 'rel="prev">Vorige 50</a>' in second
    assert "Pagina 2" in second
    assert made[-1].reference in second  # "Klant 50" sorts last
    assert made[-1].reference not in first
