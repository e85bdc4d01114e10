"""Charts as SVG, drawn on the server with matplotlib: the same in the page and in the PDF.

Every chart is readable without colour: bars carry hatch patterns and their values as direct
labels, lines differ in marker and dash and are labelled at their end. The SVG keeps its text as
text (``svg.fonttype: none``) and carries a ``<title>`` and ``<desc>`` with ``role="img"``, so a
screen reader announces what the chart shows; the page also gives the numbers as a table.

Every text in a chart is literal: names come from management (categories, root causes), and
matplotlib would read ``$…$`` in them as a formula — changing the name, or failing on an
unknown command. So every chart is drawn with ``text.parse_math`` and ``text.usetex`` off,
and in the one font family of the pages and the PDF.

Drawing a chart costs tens of milliseconds, so the SVG is remembered per chart content: the
same figures give the same picture, and a change of any figure draws it anew.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.html import escape

# Dark and light fills with black edges and distinct hatches: told apart in grey print too.
FILLS = ("#1f4e79", "#9dc3e6", "#ffffff", "#5b9bd5")
HATCHES = ("", "///", "...", "xx")
MARKERS = ("o", "s", "^", "D")
DASHES = ("-", "--", ":", "-.")

_lock = threading.Lock()  # matplotlib's state is not thread-safe; gunicorn threads share it

FONT_FAMILY = "DejaVu Sans"  # the body font of the PDFs (core.pdf), so a report has one family


@contextmanager
def _drawing() -> Iterator[None]:
    """One chart at a time (the lock), with literal text in the report's font: every Text
    made and drawn meanwhile reads these settings."""
    import matplotlib

    with (
        _lock,
        matplotlib.rc_context(
            {
                "text.parse_math": False,
                "text.usetex": False,
                "font.family": "sans-serif",
                "font.sans-serif": [FONT_FAMILY],
            }
        ),
    ):
        yield


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


def _figure(width: float, height: float) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _svg(figure: Any, key: str, title: str, description: str) -> str:
    """The figure as an inline ``<svg>`` with a title, a description and ids unique per chart."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": key}):
        FigureCanvasSVG(figure).print_svg(out, metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    # Several charts share one page: prefix every id and every reference to one.
    text = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", text)
    text = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{key}-\1"', text)
    opening = text.index(">") + 1
    head = text[: opening - 1]
    head = re.sub(r'\swidth="[^"]*"', "", head, count=1)
    head = re.sub(r'\sheight="[^"]*"', "", head, count=1)
    return (
        f'{head} role="img" class="chart" aria-labelledby="{key}-title {key}-desc">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(description)}</desc>'
        f"{text[opening:]}"
    )


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def _number(value: float) -> str:
    return f"{value:.0f}"


@lru_cache(maxsize=128)
def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    labels: tuple[str, ...],
    series: tuple[Series, ...],
    percent: bool = False,
    horizontal: bool = False,
) -> str:
    """Bars per label, one bar per series side by side, each with its value written on it."""
    with _drawing():
        count = max(1, len(series))
        if horizontal:
            figure, axes = _figure(7.5, max(1.6, 0.45 * len(labels) * count + 0.9))
        else:
            figure, axes = _figure(8.0, 3.4)
        width = 0.8 / count
        positions = list(range(len(labels)))
        for index, line in enumerate(series):
            offset = (index - (count - 1) / 2) * width
            values = [value or 0 for value in line.values]
            spots = [position + offset for position in positions]
            style = {
                "color": FILLS[index % len(FILLS)],
                "edgecolor": "black",
                "hatch": HATCHES[index % len(HATCHES)],
                "label": line.name,
                "linewidth": 0.8,
            }
            bars = (
                axes.barh(spots, values, height=width, **style)
                if horizontal
                else axes.bar(spots, values, width=width, **style)
            )
            texts = [
                "" if value is None else (_percent if percent else _number)(value)
                for value in line.values
            ]
            # Every bar, this year's and last year's alike, carries its value; upright only
            # when many bars have long values, so short ones stay easy to read.
            crowded = not horizontal and len(labels) * count > 12
            upright = crowded and max(map(len, texts), default=0) > 3
            axes.bar_label(
                bars,
                labels=texts,
                padding=2,
                fontsize=7 if crowded else 8,
                rotation=90 if upright else 0,
            )
        from matplotlib.ticker import MaxNLocator

        if not percent:  # counts: whole numbers on the axis
            (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
        if horizontal:
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.margins(x=0.12)
            if percent:
                axes.set_xlim(0, 112)
                axes.set_xticks([0, 25, 50, 75, 100])
                axes.xaxis.set_major_formatter(lambda value, _: _percent(value))
        else:
            axes.set_xticks(positions, labels, fontsize=8)
            axes.margins(y=0.2)
            if percent:
                axes.set_ylim(0, 112)
                axes.set_yticks([0, 25, 50, 75, 100])
                axes.yaxis.set_major_formatter(lambda value, _: _percent(value))
        if count > 1:
            axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
        axes.set_title(title, loc="left", fontsize=11)
        return _svg(figure, key, title, description)


@lru_cache(maxsize=64)
def line_chart(
    *,
    key: str,
    title: str,
    description: str,
    labels: tuple[str, ...],
    series: tuple[Series, ...],
) -> str:
    """Percentages over time: one line per series, told apart by marker and dash, each named
    at its last point."""
    with _drawing():
        figure, axes = _figure(8.0, 3.4)
        positions = list(range(len(labels)))
        ends: list[tuple[float, float, str]] = []
        for index, line in enumerate(series):
            points = [(x, y) for x, y in zip(positions, line.values, strict=True) if y is not None]
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            axes.plot(
                xs,
                ys,
                color="black" if index % 2 == 0 else FILLS[0],
                linestyle=DASHES[index % len(DASHES)],
                marker=MARKERS[index % len(MARKERS)],
                markerfacecolor="white" if index % 2 else None,
                label=line.name,
                linewidth=1.4,
            )
            ends.append((ys[-1], xs[-1], f"{line.name} {_percent(ys[-1])}"))
        # Name each line at its last point; labels that would overlap are moved apart.
        placed: list[float] = []
        for value, x, text in sorted(ends, reverse=True):
            spot = min([value, *(y - 7 for y in placed if y - value < 7)])
            placed.append(spot)
            axes.annotate(
                text,
                (x, value),
                xytext=(x + 0.15, spot),
                textcoords="data",
                fontsize=8,
                va="center",
            )
        axes.set_xticks(positions, labels, fontsize=8)
        axes.set_ylim(0, 105)
        axes.set_xlim(-0.5, len(labels) - 0.5 + max(2, len(labels) * 0.35))
        axes.yaxis.set_major_formatter(lambda value, _: _percent(value))
        axes.grid(axis="y", linewidth=0.4, color="#999999")
        if ends:
            axes.legend(frameon=False, fontsize=8, loc="lower left")
        axes.set_title(title, loc="left", fontsize=11)
        return _svg(figure, key, title, description)


def series(name: str, values: Sequence[float | int | None]) -> Series:
    """A series with plain (hashable) values, for the remembered charts."""
    return Series(name, tuple(None if value is None else float(value) for value in values))
