"""Charts that read at a glance (issue #14, 7): no zero labels, the same numbers in a table
beside each chart, and a picture drawn once per change of its figures."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from klachten.complaints.services import Checklist
from klachten.reports import charts, insight
from klachten.reports.selectors import Period
from tests.conftest import PASSWORD
from tests.reports.conftest import LOOK, _register, at


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _values(svg: str) -> list[str]:
    """The figures written at the bars and line ends of a chart."""
    return re.findall(r'<text[^>]*class="value"[^>]*>([^<]*)</text>', svg)


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def _count_drawings(monkeypatch, name: str, drawn: list[str]) -> None:
    """Note the key of every chart ``charts.<name>`` actually draws."""
    draw = getattr(charts, name)

    def counted(*args):
        drawn.append(args[0])
        return draw(*args)

    monkeypatch.setattr(charts, name, counted)


def _bars(**changes) -> str:
    spec = {
        "key": "chart-test",
        "title": "Meldingen per maand",
        "description": "Ontvangen per maand.",
        "labels": ("jan", "feb", "mrt", "apr"),
        "series": (
            charts.series("2026", [0, 3, 0, None]),
            charts.series("2025", [0, 0, 12, 1]),
        ),
    }
    return charts.bar_chart(**{**spec, **changes})


def test_a_bar_without_complaints_gets_no_zero_label():
    svg = _bars()
    assert sorted(_values(svg), key=int) == ["1", "3", "12"]
    assert "0" not in _values(svg)
    assert svg.count("<rect x=") == 3 + 2  # a bar per figure that is not zero, two swatches


def test_horizontal_bars_and_shares_get_no_zero_labels_either():
    counts = charts.bar_chart(
        key="chart-open",
        title="Open",
        description="",
        labels=("Te laat", "Bijna te laat", "Op tijd"),
        series=(charts.series("Open", [0, 4, 0]),),
        horizontal=True,
    )
    assert _values(counts) == ["4"]
    assert "0" not in _texts(counts)  # and no axis of counts: the labels say them
    shares = charts.bar_chart(
        key="chart-rules",
        title="Naleving",
        description="",
        labels=("R3", "R4", "R9"),
        series=(charts.series("Nageleefd", [0, 75, None]),),
        percent=True,
        horizontal=True,
    )
    assert _values(shares) == ["75%"]


def test_a_line_ending_at_zero_has_no_zero_label():
    svg = charts.line_chart(
        key="chart-lines",
        title="Termijnen",
        description="",
        labels=("jan", "feb"),
        series=(charts.series("R3", [50, 80]), charts.series("Uitstel", [40, 0])),
    )
    assert _values(svg) == ["80%"]


def test_bars_are_told_apart_by_pattern_and_lines_by_dash_and_marker():
    assert "<pattern" in _bars()
    svg = charts.line_chart(
        key="chart-lines",
        title="Termijnen",
        description="",
        labels=("jan", "feb"),
        series=(charts.series("R3", [50, 80]), charts.series("R16", [40, 60])),
    )
    assert "stroke-dasharray" in svg
    assert "<circle" in svg
    assert "<rect x=" in svg  # the square marker of the second line


def test_a_long_name_is_cut_on_the_axis_and_kept_whole_in_its_tooltip():
    name = "Een heel lange naam van een oorzaak die niet op de as past"
    svg = charts.bar_chart(
        key="chart-causes",
        title="Oorzaken",
        description="",
        labels=(name,),
        series=(charts.series("Meldingen", [2]),),
        horizontal=True,
    )
    assert f"<title>{name}</title>" in svg
    assert any(text.endswith("…") and len(text) <= charts.LABEL_CHARACTERS for text in _texts(svg))


def test_a_second_chart_of_the_same_figures_is_taken_from_the_cache(monkeypatch):
    drawn: list[str] = []
    _count_drawings(monkeypatch, "_vertical_bars", drawn)
    first = _bars()
    assert _bars() == first
    assert len(drawn) == 1


def test_different_figures_draw_a_new_chart(monkeypatch):
    drawn: list[str] = []
    _count_drawings(monkeypatch, "_vertical_bars", drawn)
    first = _bars()
    other = _bars(series=(charts.series("2026", [0, 4, 0, None]),))
    assert len(drawn) == 2
    assert other != first
    assert _values(other) == ["4"]


# --- The charts of the dashboard and their tables -------------------------------------------------


@pytest.fixture
def clock():
    with time_machine.travel(LOOK, tick=False):
        yield


def test_each_chart_has_its_numbers_in_a_table(world, clock):
    """The figures written in a chart are the figures of its table (zeros only in the table)."""
    made = insight.period_insight(period=Period.year(2026), now=LOOK)
    for chart in made.charts:
        numbers = [cell for row in chart.rows for cell in row[1:]]
        if chart.key == "chart-rules":
            numbers = [row[2] for row in chart.rows]
        shown = [number for number in numbers if number not in {"0", "0%", "–", ""}]
        assert Counter(_values(chart.svg)) <= Counter(shown), chart.key
        if chart.key != "chart-deadlines":  # a line writes only its last value
            assert Counter(_values(chart.svg)) == Counter(shown), chart.key
    received = next(chart for chart in made.charts if chart.key == "chart-received")
    assert received.rows[2][1:] == ["5", "0"]  # March, and March a year earlier
    assert "5" in _values(received.svg)


def _client(staff) -> Client:
    client = Client()
    assert client.login(username=staff.username, password=PASSWORD)
    return client


def test_the_dashboard_shows_each_chart_beside_an_accessible_table(manager, world, clock):
    text = _client(manager).get("/dashboard/", {"van": "2026-03", "tot": "2026-04"}).content
    page = text.decode()
    figures = re.findall(r'<figure class="chart-figure".*?</figure>', page, re.S)
    assert len(figures) == 6
    for figure in figures:
        assert 'role="img"' in figure
        assert re.search(r"<caption id=\"chart-[a-z]+-numbers\">De cijfers bij „", figure)
        assert 'role="region" tabindex="0"' in figure  # a table that scrolls can be reached
        assert '<th scope="col"' in figure
        assert '<th scope="row">' in figure
    assert "<details" not in "".join(figures)  # the numbers are in view, not folded away


def test_the_dashboard_draws_a_chart_again_only_when_its_figures_change(
    manager, employee, world, clock, monkeypatch
):
    drawn: list[str] = []
    for name in ("_vertical_bars", "_horizontal_bars"):
        _count_drawings(monkeypatch, name, drawn)
    client = _client(manager)
    client.get("/dashboard/", {"van": "2026-03", "tot": "2026-04"})
    assert len(drawn) == 5  # every bar chart once
    drawn.clear()
    client.get("/dashboard/", {"van": "2026-03", "tot": "2026-04"})
    assert drawn == []
    _register(employee, "Nog een", at(4, 20, 9), Checklist(), naw_checked=False)
    client.get("/dashboard/", {"van": "2026-03", "tot": "2026-04"})
    assert "chart-receivednl" in drawn  # April has one more
    assert "chart-open" in drawn  # one more open
