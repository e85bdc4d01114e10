"""The kept month figures: reused while they hold, computed again as soon as they do not.

A dashboard over a year adds up twelve kept months instead of reading every complaint; that is
only right if every change reaches them. A change of a complaint (audit log, R2), a new
complaint (an id above the watermark), a complaint erased without a trace (R5, at the
worker's round), a deadline that passes (R3, R16) and a clock turned back each make a month
stale; nothing else does.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from klachten.audit.models import AuditEntry
from klachten.complaints.models import Complaint
from klachten.complaints.services import complaint_assign
from klachten.reports.models import MonthFigures
from klachten.reports.selectors import Period, period_figures
from klachten.reports.services import figures_refresh
from tests.reports.conftest import LOOK

MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)
MONTHS = [MARCH, APRIL]
# Seconds a thread of the test may take; only a hang takes this long, not a busy machine.
WAIT = 300


def _computed_at() -> dict[date, object]:
    return dict(MonthFigures.objects.values_list("month", "computed_at"))


def _received(kept, month=MARCH) -> int:
    return kept[month].figures["counts"]["received"]


def test_figures_are_kept_and_reused_with_four_reads(world):
    figures_refresh(months=MONTHS, now=LOOK)
    first = _computed_at()
    assert set(first) == set(MONTHS)
    later = LOOK + timedelta(hours=1)
    with CaptureQueriesContext(connection) as captured:
        kept = figures_refresh(months=MONTHS, now=later)
    # The watermark, the last audit id, the newest complaint id and the kept months; never a
    # count of the whole table (#17).
    assert len(captured.captured_queries) == 4
    for query in captured.captured_queries:
        assert not re.search(r'COUNT\(\*\).*FROM "complaints_complaint"\s*$', query["sql"])
    assert _computed_at() == first
    assert _received(kept) == 5


def test_a_change_to_a_complaint_makes_its_month_stale(world, manager):
    """R2: the change is in the audit log, so March is computed again and April is not."""
    figures_refresh(months=MONTHS, now=LOOK)
    before = _computed_at()
    complaint_assign(complaint=world.c, actor=manager, category=world.planning, now=LOOK)
    later = LOOK + timedelta(minutes=5)
    kept = figures_refresh(months=MONTHS, now=later)
    after = _computed_at()
    assert after[APRIL] == before[APRIL]
    assert after[MARCH] == later
    figures = period_figures(
        period=Period(MARCH, MARCH),
        kept=kept,
        categories={str(world.planning.pk): "Planning", str(world.material.pk): "Lesmateriaal"},
        root_causes={},
    )
    assert [(item.name, item.count) for item in figures.by_category] == [
        ("Planning", 3),
        ("Lesmateriaal", 2),
    ]


def test_reading_a_complaint_changes_no_figures(world, manager):
    """Reads are logged too (R2) but change nothing: the kept figures stay."""
    from klachten.complaints.services import complaint_read_log

    figures_refresh(months=MONTHS, now=LOOK)
    before = _computed_at()
    complaint_read_log(complaint=world.a, actor=manager, now=LOOK)
    figures_refresh(months=MONTHS, now=LOOK + timedelta(minutes=1))
    assert _computed_at() == before


def test_a_change_in_a_month_not_asked_for_forgets_that_month(world, manager):
    figures_refresh(months=MONTHS, now=LOOK)
    complaint_assign(complaint=world.e, actor=manager, root_cause=world.timetable, now=LOOK)
    figures_refresh(months=[MARCH], now=LOOK + timedelta(minutes=1))
    assert set(_computed_at()) == {MARCH}
    kept = figures_refresh(months=MONTHS, now=LOOK + timedelta(minutes=2))
    assert kept[APRIL].figures["by_root_cause"] == {str(world.timetable.pk): 1}


def test_an_erased_complaint_leaves_the_figures_of_its_month_at_the_workers_round(world):
    """R5: a complaint removed without a trace in the audit log no longer counts once the
    background worker looked (``verify``: it counts each kept month by the receipt index); a
    visit does not count (#17)."""
    figures_refresh(months=MONTHS, now=LOOK)
    AuditEntry.objects.filter(complaint=world.d).delete()
    world.d.actions.all().delete()
    Complaint.objects.filter(pk=world.d.pk).delete()
    kept = figures_refresh(months=MONTHS, now=LOOK + timedelta(minutes=1), verify=True)
    assert _received(kept) == 4
    assert kept[MARCH].complaints == 4


def test_a_complaint_added_without_a_trace_counts_at_the_next_visit(world, employee):
    """An id above the watermark is new, whatever wrote it (a bulk load, say): its day is
    computed again without any count of the table."""
    figures_refresh(months=MONTHS, now=LOOK)
    copy = Complaint.objects.get(pk=world.a.pk)
    copy.pk, copy.reference = None, "KG-2026-09999"
    copy.status_token_digest = copy.status_code_digest = None
    copy.save()  # no audit entry
    kept = figures_refresh(months=MONTHS, now=LOOK + timedelta(minutes=1))
    assert _received(kept) == 6


def test_a_passing_deadline_makes_the_month_stale(world):
    """R16: E's settlement deadline passes at the end of 29 April; until then April holds."""
    before = world.e.settlement_due - timedelta(days=1)
    kept = figures_refresh(months=[APRIL], now=before)
    assert kept[APRIL].fresh_until == world.e.settlement_due
    assert kept[APRIL].figures["counts"]["settled_in_4_weeks_applicable"] == 0
    kept = figures_refresh(months=[APRIL], now=world.e.settlement_due)
    assert kept[APRIL].computed_at == before
    kept = figures_refresh(months=[APRIL], now=world.e.settlement_due + timedelta(seconds=1))
    assert kept[APRIL].figures["counts"]["settled_in_4_weeks_applicable"] == 1
    assert kept[APRIL].fresh_until is None


def test_figures_computed_later_than_now_are_computed_again(world):
    figures_refresh(months=[MARCH], now=LOOK)
    earlier = LOOK - timedelta(days=20)
    kept = figures_refresh(months=[MARCH], now=earlier)
    assert kept[MARCH].computed_at == earlier


def test_computing_a_month_costs_the_same_whatever_its_size(world, employee):
    """Three aggregate queries per month, never one per complaint."""
    from klachten.complaints.services import Checklist
    from tests.reports.conftest import _register, at

    def cold_queries() -> int:
        figures_refresh(months=[MARCH], now=LOOK)  # the watermark has seen every change
        MonthFigures.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            figures_refresh(months=[MARCH], now=LOOK + timedelta(days=30))
        return len(captured.captured_queries)

    few = cold_queries()
    for number in range(12):
        _register(employee, f"Extra {number}", at(3, 12, 9, number), Checklist(), naw_checked=False)
    assert cold_queries() == few


def test_a_change_computes_only_the_day_of_that_complaint_again(world, manager):
    """A busy month costs no more than a busy day: C was received on 4 March, so only that day
    is computed again and March is added up anew from its days."""
    from klachten.reports.models import DayFigures

    figures_refresh(months=MONTHS, now=LOOK)
    before = dict(DayFigures.objects.values_list("day", "computed_at"))
    assert len(before) == 31 + 30
    complaint_assign(complaint=world.c, actor=manager, category=world.material, now=LOOK)
    later = LOOK + timedelta(minutes=5)
    kept = figures_refresh(months=MONTHS, now=later)
    after = dict(DayFigures.objects.values_list("day", "computed_at"))
    assert {day for day in after if after[day] != before[day]} == {date(2026, 3, 4)}
    assert kept[MARCH].figures["by_category"] == {
        str(world.planning.pk): 2,
        str(world.material.pk): 3,
    }
    assert kept[MARCH].figures["counts"]["received"] == 5


def test_a_new_complaint_counts_at_once(world, employee):
    from klachten.complaints.services import Checklist
    from tests.reports.conftest import _register, at

    figures_refresh(months=MONTHS, now=LOOK)
    _register(employee, "Nieuw", at(3, 12, 9), Checklist(), naw_checked=False)
    kept = figures_refresh(months=MONTHS, now=LOOK + timedelta(minutes=1))
    assert kept[MARCH].complaints == 6
    assert _received(kept) == 6


@pytest.mark.django_db(transaction=True)
def test_a_refresh_waits_for_a_change_still_being_written(employee):
    """PostgreSQL hands out audit ids before commit, so a later id can be visible first. The
    refresh that computes waits for writers still at work, so no change slips under the
    watermark. (SQLite serialises writers: nothing to wait for there.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time")
    from klachten.complaints.services import Checklist
    from tests.reports.conftest import _register, at

    _register(employee, "Eerste", at(3, 2), Checklist(), naw_checked=False)
    figures_refresh(months=[MARCH], now=LOOK)
    writing, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                _register(employee, "Traag", at(3, 3), Checklist(), naw_checked=False)
                writing.set()
                release.wait(WAIT)
        finally:
            connection.close()

    results: dict[str, int] = {}

    def refresh() -> None:
        try:
            results["received"] = _received(figures_refresh(months=[MARCH], now=LOOK))
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    try:
        assert writing.wait(WAIT)
        _register(employee, "Snel", at(3, 4), Checklist(), naw_checked=False)  # a later id
        reader = threading.Thread(target=refresh)
        reader.start()
        reader.join(timeout=1)
        assert reader.is_alive()  # waiting for the slow writer
    finally:
        release.set()  # the writer holds its transaction until now, however long that took
        writer.join(WAIT)
    reader.join(WAIT)
    assert results["received"] == 3
    assert _received(figures_refresh(months=[MARCH], now=LOOK + timedelta(minutes=1))) == 3


def test_the_worker_keeps_the_dashboard_figures_so_a_visit_computes_nothing(world):
    """#14: the dashboard's months (this year, a year earlier, the headline) are kept by the
    worker's periodic task; the dashboard then only reads them (four reads)."""
    from klachten.reports.insight import dashboard, dashboard_figures_keep
    from klachten.reports.tasks import keep_dashboard_figures

    assert keep_dashboard_figures.call_local() is None  # the periodic task, run in-process
    kept = dashboard_figures_keep(now=LOOK)
    assert kept >= 10  # Jan–May of 2026 and of 2025, and the headline months
    assert MARCH in _computed_at()
    first = _computed_at()
    dashboard(period=Period.this_year(LOOK), now=LOOK + timedelta(minutes=1))
    assert _computed_at() == first  # nothing computed again on the visit


def test_the_worker_also_keeps_what_last_years_annual_report_compares_with(world):
    """#17 item 1: last year's annual report sets it against the year before; the worker keeps
    those months too, so the report's first request computes no month (at 1,000,000
    complaints that was 2.3 s before the PDF was even drawn)."""
    from klachten.reports.insight import annual_report, dashboard_figures_keep

    dashboard_figures_keep(now=LOOK)
    kept = _computed_at()
    assert date(LOOK.year - 2, 1, 1) in kept
    assert date(LOOK.year - 2, 12, 1) in kept
    annual_report(year=LOOK.year - 1, now=LOOK + timedelta(minutes=1))
    assert _computed_at() == kept
