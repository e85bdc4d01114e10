"""Charts as SVG, written directly: the same picture in the page and in the PDF.

Every chart reads at a glance and without colour: bars carry hatch patterns and their values as
direct labels (a zero or a missing value gets no label: the bar's absence says it, and the table
beside the chart gives every number); lines differ in dash and marker and carry their last value.
There are no gridlines, the axes are thin, month labels are short (the year only where it
starts). Text stays text in the font family of the pages and the PDF, exactly as typed —
names come from management, so nothing in them is read as markup. Each ``<svg>`` has
``role="img"`` with a ``<title>`` and a ``<desc>``.

The picture is written without matplotlib: importing and drawing with it cost a fresh process
about two seconds, which the first visit of the dashboard paid. Writing the SVG costs about a
millisecond, and it is still kept in Django's cache under a digest of everything drawn (``key``,
texts and figures): the same figures give the kept picture, a change of any figure a new one.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from html import escape
from typing import Any

from django.core.cache import cache

# Dark and light fills with dark edges and distinct hatches: told apart in grey print too.
FILLS = ("#1f4e79", "#9dc3e6", "#ffffff", "#5b9bd5")
HATCHES = ("", "///", "...", "xx")
MARKERS = ("o", "s", "^", "D")
DASHES = ("", "7 4", "2 3", "9 3 2 3")
LINE_COLOURS = ("#111111", "#1f4e79", "#111111", "#1f4e79")

FONT_FAMILY = "DejaVu Sans"  # the body font of the PDFs (core.pdf), so a report has one family
TEXT, MUTED, AXIS = "#1a1a1a", "#4a4a4a", "#6b6b6b"
WIDTH = 640
TITLE_SIZE, LABEL_SIZE, VALUE_SIZE = 15, 12, 11
LABEL_CHARACTERS = 40  # longer names are cut with "…" (the table beside gives them whole)

CACHE_PREFIX = "klachten:chart:v1:"
CACHE_SECONDS = 30 * 24 * 3600  # a kept picture is only ever replaced by different figures


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


def series(name: str, values: Sequence[float | int | None]) -> Series:
    """A series with plain (hashable) values."""
    return Series(name, tuple(None if value is None else float(value) for value in values))


# --- Kept pictures -------------------------------------------------------------------------------


def cache_key(kind: str, spec: dict[str, Any]) -> str:
    """The cache key of a chart: a digest of its kind and of everything it draws."""
    digest = hashlib.sha256(repr((kind, sorted(spec.items()))).encode()).hexdigest()
    return CACHE_PREFIX + digest


def _kept(draw: Callable[..., str]) -> Callable[..., str]:
    """Draw a chart only when no picture of exactly these figures is kept yet."""

    @wraps(draw)
    def kept(**spec: Any) -> str:
        key = cache_key(draw.__name__, spec)
        svg = cache.get(key)
        if not isinstance(svg, str):
            svg = draw(**spec)
            cache.set(key, svg, CACHE_SECONDS)
        return svg

    return kept


# --- Writing SVG ---------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate, short: 12.5, 40."""
    return f"{value:.1f}".removesuffix(".0")


def _text_width(text: str, size: float) -> float:
    """About how wide ``text`` is drawn (DejaVu Sans averages 0.6 em a character)."""
    return len(text) * size * 0.6


def _cut(text: str, limit: int = LABEL_CHARACTERS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = LABEL_SIZE,
    anchor: str = "start",
    colour: str = TEXT,
    weight: str = "",
    rotate: bool = False,
    value: bool = False,
) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    if value:  # a figure written at its bar or line, as opposed to an axis or a name
        extra += ' class="value"'
    if rotate:
        extra += f' transform="rotate(-90 {_n(x)} {_n(y)})"'
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}"{extra}>{escape(text)}</text>'
    )


def _label(x: float, y: float, text: str, *, anchor: str) -> str:
    """An axis label: cut when long (its whole text as a tooltip), two lines at a newline."""
    first, _, second = text.partition("\n")
    shown = _cut(first)
    drawn = _text(x, y, shown, anchor=anchor)
    if second:
        drawn += _text(x, y + LABEL_SIZE + 2, second, size=VALUE_SIZE, anchor=anchor, colour=MUTED)
    if shown != first:
        return f"<g><title>{escape(first)}</title>{drawn}</g>"
    return drawn


def _patterns(key: str, count: int) -> str:
    """The fill of each series: a colour and, after the first, a hatch."""
    drawn = []
    for index in range(count):
        fill, hatch = FILLS[index % len(FILLS)], HATCHES[index % len(HATCHES)]
        if hatch == "":
            continue
        marks = {
            "///": '<path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="#1a1a1a" stroke-width="1"/>',
            "...": '<circle cx="3" cy="3" r="1" fill="#1a1a1a"/>',
            "xx": '<path d="M0 0L6 6M6 0L0 6" stroke="#1a1a1a" stroke-width="0.8"/>',
        }[hatch]
        drawn.append(
            f'<pattern id="{key}-fill-{index}" patternUnits="userSpaceOnUse" width="6" '
            f'height="6"><rect width="6" height="6" fill="{fill}"/>{marks}</pattern>'
        )
    return f"<defs>{''.join(drawn)}</defs>" if drawn else ""


def _fill(key: str, index: int) -> str:
    if HATCHES[index % len(HATCHES)] == "":
        return FILLS[index % len(FILLS)]
    return f"url(#{key}-fill-{index})"


def _swatch(key: str, index: int, x: float, y: float) -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="14" height="12" fill="{_fill(key, index)}" '
        f'stroke="#1a1a1a" stroke-width="0.8"/>'
    )


def _svg(key: str, title: str, description: str, height: float, body: list[str]) -> str:
    """The chart as an inline ``<svg>`` with its title, description and ids unique per chart."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'role="img" class="chart" aria-labelledby="{key}-title {key}-desc" '
        f"font-family=\"'{FONT_FAMILY}', 'Liberation Sans', Arial, sans-serif\">"
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(description)}</desc>'
        f'<rect width="{WIDTH}" height="{_n(height)}" fill="#ffffff"/>'
        + _text(0, 18, title, size=TITLE_SIZE, weight="bold")
        + "".join(body)
        + "</svg>"
    )


def _value_text(value: float | None, percent: bool) -> str:
    """A bar's label: empty for a missing value and for zero (no clutter of "0" labels)."""
    if value is None or round(value) == 0:
        return ""
    return f"{value:.0f}%" if percent else f"{value:.0f}"


def _nice_top(largest: float) -> tuple[float, float]:
    """A round upper end of a count axis and its step: 7 → (8, 2), 130 → (150, 50)."""
    if largest <= 0:
        return 1, 1
    raw = largest / 3
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    step = max(1, step)
    return math.ceil(largest / step) * step, step


def _legend(key: str, names: Sequence[str], y: float, draw: Callable[[int, float], str]) -> str:
    x, drawn = 0.0, []
    for index, name in enumerate(names):
        drawn.append(draw(index, x))
        drawn.append(_text(x + 20, y, name, size=VALUE_SIZE + 1))
        x += 20 + _text_width(name, VALUE_SIZE + 1) + 18
    return "".join(drawn)


# --- The charts ----------------------------------------------------------------------------------


@_kept
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
    """Bars per label, one bar per series side by side, each with its value written at it."""
    if horizontal:
        return _horizontal_bars(key, title, description, labels, series, percent)
    return _vertical_bars(key, title, description, labels, series, percent)


def _legend_for_bars(key: str, lines: tuple[Series, ...], y: float) -> str:
    return _legend(
        key, [line.name for line in lines], y, lambda index, x: _swatch(key, index, x, y)
    )


def _bars_start(key: str, lines: tuple[Series, ...]) -> tuple[int, list[str], float]:
    """What every bar chart starts with: the number of series, their patterns, and below the
    title the legend when there is more than one series; the height used so far."""
    count = max(1, len(lines))
    body = [_patterns(key, count)]
    top = 34.0
    if count > 1:
        body.append(_legend_for_bars(key, lines, top + 8))
        top += 24
    return count, body, top


def _vertical_bars(
    key: str,
    title: str,
    description: str,
    labels: tuple[str, ...],
    lines: tuple[Series, ...],
    percent: bool,
) -> str:
    count, body, top = _bars_start(key, lines)
    top += 20  # room for the value above the highest bar
    plot_height = 170.0
    bottom = top + plot_height
    values = [value or 0 for line in lines for value in line.values]
    high, step = (100.0, 50.0) if percent else _nice_top(max(values, default=0))
    tick_texts = [f"{tick:.0f}%" if percent else f"{tick:.0f}" for tick in _ticks(high, step)]
    left = max(_text_width(text, VALUE_SIZE) for text in tick_texts) + 8
    plot_width = WIDTH - left - 4
    slot = plot_width / max(1, len(labels))
    bar = slot * 0.8 / count

    def y_of(value: float) -> float:
        return bottom - plot_height * min(value, high) / high

    for tick, text in zip(_ticks(high, step), tick_texts, strict=True):
        body.append(
            _text(left - 6, y_of(tick) + 4, text, size=VALUE_SIZE, anchor="end", colour=MUTED)
        )
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{WIDTH - 4}" y2="{_n(bottom)}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    texts = [_value_text(value, percent) for line in lines for value in line.values]
    rotate = max((_text_width(text, VALUE_SIZE) for text in texts), default=0) > bar + 4
    for index, line in enumerate(lines):
        for position, value in enumerate(line.values):
            x = left + slot * position + slot * 0.1 + bar * index
            if value:
                body.append(
                    f'<rect x="{_n(x)}" y="{_n(y_of(value))}" width="{_n(bar)}" '
                    f'height="{_n(bottom - y_of(value))}" fill="{_fill(key, index)}" '
                    f'stroke="#1a1a1a" stroke-width="0.8"/>'
                )
            text = _value_text(value, percent)
            if text:
                centre = x + bar / 2
                if rotate:
                    body.append(
                        _text(
                            centre + 4,
                            y_of(value or 0) - 3,
                            text,
                            size=VALUE_SIZE,
                            rotate=True,
                            value=True,
                        )
                    )
                else:
                    body.append(
                        _text(
                            centre,
                            y_of(value or 0) - 4,
                            text,
                            size=VALUE_SIZE,
                            anchor="middle",
                            value=True,
                        )
                    )
    for position, label in enumerate(labels):
        body.append(_label(left + slot * (position + 0.5), bottom + 16, label, anchor="middle"))
    lines_below = 2 if any("\n" in label for label in labels) else 1
    return _svg(key, title, description, bottom + 8 + 15 * lines_below, body)


def _ticks(high: float, step: float) -> list[float]:
    return [step * index for index in range(round(high / step) + 1)]


def _horizontal_bars(
    key: str,
    title: str,
    description: str,
    labels: tuple[str, ...],
    lines: tuple[Series, ...],
    percent: bool,
) -> str:
    count, body, top = _bars_start(key, lines)
    bar, gap = 16.0, 10.0
    row = bar * count + gap
    left = min(
        max((_text_width(_cut(label), LABEL_SIZE) for label in labels), default=0) + 10,
        WIDTH * 0.45,
    )
    texts = [_value_text(value, percent) for line in lines for value in line.values]
    room = max((_text_width(text, VALUE_SIZE) for text in texts), default=0) + 8
    plot_width = WIDTH - left - room
    values = [value or 0 for line in lines for value in line.values]
    high = 100.0 if percent else max(max(values, default=0), 1)
    bottom = top + row * max(1, len(labels))

    def x_of(value: float) -> float:
        return left + plot_width * min(value, high) / high

    body.append(
        f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    for position, label in enumerate(labels):
        y = top + row * position + gap / 2
        body.append(_label(left - 8, y + row / 2 - gap / 2 + 4, label, anchor="end"))
        for index, line in enumerate(lines):
            value = line.values[position] if position < len(line.values) else None
            y_bar = y + bar * index
            if value:
                body.append(
                    f'<rect x="{_n(left)}" y="{_n(y_bar)}" width="{_n(x_of(value) - left)}" '
                    f'height="{_n(bar)}" fill="{_fill(key, index)}" stroke="#1a1a1a" '
                    f'stroke-width="0.8"/>'
                )
            text = _value_text(value, percent)
            if text:
                body.append(
                    _text(x_of(value or 0) + 5, y_bar + bar - 4, text, size=VALUE_SIZE, value=True)
                )
    height = bottom + 6
    if percent:  # a share needs its scale; counts are read from the labels
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(x_of(100))}" y2="{_n(bottom)}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
        )
        for tick in (0, 50, 100):
            body.append(
                _text(
                    x_of(tick),
                    bottom + 15,
                    f"{tick}%",
                    size=VALUE_SIZE,
                    anchor="middle",
                    colour=MUTED,
                )
            )
        height = bottom + 22
    return _svg(key, title, description, height, body)


def _marker(index: int, x: float, y: float, colour: str) -> str:
    shape = MARKERS[index % len(MARKERS)]
    fill = "#ffffff" if index % 2 else colour
    style = f'fill="{fill}" stroke="{colour}" stroke-width="1.4"'
    if shape == "o":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.6" {style}/>'
    if shape == "s":
        return f'<rect x="{_n(x - 3.4)}" y="{_n(y - 3.4)}" width="6.8" height="6.8" {style}/>'
    points = {
        "^": ((0, -4.4), (4.2, 3), (-4.2, 3)),
        "D": ((0, -4.6), (4, 0), (0, 4.6), (-4, 0)),
    }[shape]
    path = "L".join(f"{_n(x + dx)} {_n(y + dy)}" for dx, dy in points)
    return f'<path d="M{path}Z" {style}/>'


def _stroke(index: int) -> str:
    colour, dash = LINE_COLOURS[index % len(LINE_COLOURS)], DASHES[index % len(DASHES)]
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return f'fill="none" stroke="{colour}" stroke-width="1.8"{dashes}'


@_kept
def line_chart(
    *,
    key: str,
    title: str,
    description: str,
    labels: tuple[str, ...],
    series: tuple[Series, ...],
) -> str:
    """Percentages over time: one line per series, told apart by dash and marker, each with
    its last value at its end; the legend names them."""
    body: list[str] = []
    legend_y = 42.0

    def sample(index: int, x: float) -> str:
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        return (
            f'<line x1="{_n(x)}" y1="{_n(legend_y - 4)}" x2="{_n(x + 16)}" y2="{_n(legend_y - 4)}" '
            f"{_stroke(index)}/>" + _marker(index, x + 8, legend_y - 4, colour)
        )

    body.append(_legend(key, [line.name for line in series], legend_y, sample))
    top, plot_height = 66.0, 170.0
    bottom = top + plot_height
    left, right = 44.0, 52.0
    plot_width = WIDTH - left - right
    slot = plot_width / max(1, len(labels))

    def x_of(position: int) -> float:
        return left + slot * (position + 0.5)

    def y_of(value: float) -> float:
        return bottom - plot_height * max(0.0, min(value, 100.0)) / 100

    for tick in (0, 50, 100):
        body.append(
            _text(left - 6, y_of(tick) + 4, f"{tick}%", size=VALUE_SIZE, anchor="end", colour=MUTED)
        )
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(WIDTH - right)}" y2="{_n(bottom)}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    ends: list[tuple[float, float, str]] = []
    for index, line in enumerate(series):
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        runs: list[list[tuple[float, float]]] = [[]]
        for position, value in enumerate(line.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x_of(position), y_of(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
                body.append(f'<polyline points="{points}" {_stroke(index)}/>')
        last = None
        for position, value in enumerate(line.values):
            if value is not None:
                body.append(_marker(index, x_of(position), y_of(value), colour))
                last = (position, value)
        if last is not None and _value_text(last[1], True):
            ends.append((y_of(last[1]), x_of(last[0]), _value_text(last[1], True)))
    # Each line's last value at its end; values that would overlap are moved apart.
    placed: list[float] = []
    for y, x, text in sorted(ends):
        spot = max([y, *(other + 13 for other in placed if y - other < 13)])
        placed.append(spot)
        body.append(_text(x + 8, spot + 4, text, size=VALUE_SIZE, value=True))
    for position, label in enumerate(labels):
        body.append(_label(x_of(position), bottom + 16, label, anchor="middle"))
    lines_below = 2 if any("\n" in label for label in labels) else 1
    return _svg(key, title, description, max(bottom, *placed, 0) + 8 + 15 * lines_below, body)
