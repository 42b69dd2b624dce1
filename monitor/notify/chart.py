"""A figure's history as chart geometry: one line per source over the articles in arrival order.

Only numbers and the points' labels come out of here; the HTML template draws them as
inline SVG (escaped like every other text), so the digest needs no script and no asset.

The axes are read, not guessed (issue 15): the x axis is the articles in arrival order, as
the history table lists them, with the dates of dated articles as ticks; an article that
gives no date keeps its place in arrival order and the chart says how many did. The y axis
has round ticks (0, a round step, the largest value rounded up to one).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .model import CHART_POINTS, UNDATED, Point

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 22          # room for the value and date labels
# Okabe–Ito palette: told apart by people with the common colour-vision deficiencies.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
# Values all within this fraction of the largest are drawn on a padded range, not from zero,
# so that a toll going from 17,000 to 17,134 is visible; otherwise the axis starts at zero.
ZOOM_SPAN = 0.5
# About this many intervals on the value axis: the plot is ~120 px high, so ticks ~30 px
# apart, each label 10 px high.
Y_INTERVALS = 4
# Round steps: 1, 2, 2.5 or 5 times a power of ten (the usual "nice numbers" of axis ticks).
NICE = (1, 2, 2.5, 5, 10)
# Width of a date tick label ("2024-10-23" in 10 px sans-serif is about 55 px) and the gap
# kept between two labels: as many dates as fit without overlapping.
DATE_LABEL = 56
DATE_GAP = 8


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    colour: str
    label: str                  # the tooltip: "2024-10-23 John Kirby: at least 3,000"
    changed: bool


@dataclass(frozen=True)
class Line:
    colour: str
    source: str
    points: str                 # the polyline's "x,y x,y ..."


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: tuple[Line, ...]
    dots: tuple[Dot, ...]
    y_ticks: tuple[tuple[float, str], ...]          # y, label: 0, 5k, 10k, 15k
    x_ticks: tuple[tuple[float, str, str], ...]     # x, date, text-anchor
    x0: float
    x1: float
    baseline: float
    note: str | None = None     # how undated articles are placed, when there are any


def chart(history: tuple[Point, ...]) -> Chart | None:
    """The chart of a figure's history, or None when there is nothing to draw a line through."""
    points = history[-CHART_POINTS:]
    if len(points) < 2:
        return None
    articles = list(dict.fromkeys(p.article_id for p in points))
    x = {a: LEFT + (WIDTH - LEFT - RIGHT) * (i / max(len(articles) - 1, 1)) for i, a in enumerate(articles)}
    ticks = value_ticks([p.value for p in points])
    low, high = ticks[0], ticks[-1]
    y = lambda v: TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - low) / (high - low))
    colours = {key: COLOURS[i % len(COLOURS)] for i, key in enumerate(dict.fromkeys(p.source_key for p in points))}
    lines = tuple(Line(colour=colours[key], source=next(p.source for p in points if p.source_key == key),
                       points=" ".join(f"{x[p.article_id]:.1f},{y(p.value):.1f}"
                                       for p in points if p.source_key == key))
                  for key in colours)
    dots = tuple(Dot(x=round(x[p.article_id], 1), y=round(y(p.value), 1), colour=colours[p.source_key],
                     label=f"{p.date} {p.source}: {p.shown}", changed=bool(p.change)) for p in points)
    step = ticks[1] - ticks[0]
    return Chart(width=WIDTH, height=HEIGHT, lines=lines, dots=dots,
                 y_ticks=tuple((round(y(t), 1), short_value(t, step, high)) for t in ticks),
                 x_ticks=date_ticks(points, x), x0=LEFT, x1=WIDTH - RIGHT, baseline=HEIGHT - BOTTOM,
                 note=_undated_note(points))


# ---- the value axis ---------------------------------------------------------------------------

def value_ticks(values: list[float]) -> list[float]:
    """Round ticks covering `values`: from 0 (or, for values close together, from a round
    number just below them) to the largest value rounded up to a step."""
    low, high = min(values), max(values)
    zoomed = low >= ZOOM_SPAN * high > 0
    bottom = low if zoomed else min(0.0, low)
    step = nice_step((high - bottom) / Y_INTERVALS if high > bottom else abs(high) / Y_INTERVALS or 1.0)
    first = math.floor(bottom / step) * step
    last = max(math.ceil(high / step) * step, first + step)
    count = round((last - first) / step)
    return [round(first + i * step, 10) for i in range(count + 1)]


def nice_step(raw: float) -> float:
    """The smallest round step (1, 2, 2.5, 5 times a power of ten) at least `raw`."""
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in NICE if m * power >= raw * (1 - 1e-9))


def short_value(value: float, step: float, top: float) -> str:
    """An axis label in the unit of the top tick: 11,000 -> 11k, 2,500,000 -> 2.5M, with as many
    decimals as the step needs so that two ticks never read the same (17.05k, 17.1k)."""
    if value == 0:
        return "0"
    scale, suffix = next(((s, x) for s, x in ((1e9, "bn"), (1e6, "M"), (1e3, "k")) if abs(top) >= s), (1.0, ""))
    decimals = next((d for d in range(7) if abs(round(step / scale, d) - step / scale) < 1e-9), 6)
    text = f"{value / scale:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") + suffix if "." in text else text + suffix


# ---- the article axis -------------------------------------------------------------------------

def date_ticks(points: tuple[Point, ...], x: dict[int, float]) -> tuple[tuple[float, str, str], ...]:
    """The dates of the dated articles, each at its first article: the first and the last, and
    as many between as fit without overlapping."""
    firsts: dict[str, float] = {}
    for p in points:
        if p.date != UNDATED:
            firsts.setdefault(p.date, x[p.article_id])
    dates = list(firsts.items())
    if not dates:
        return ()
    middle = (dates[0][1] + dates[-1][1]) / 2
    wanted = [dates[0], dates[-1]] + sorted(dates[1:-1], key=lambda d: abs(d[1] - middle))
    chosen: list[tuple[float, str, str]] = []
    for date, at in wanted:
        tick = (round(at, 1), date, _anchor(at))
        if not any(_overlap(tick, other) for other in chosen):
            chosen.append(tick)
    return tuple(sorted(chosen))


def _anchor(at: float) -> str:
    """A label near an end of the axis is aligned to it, so that it stays inside the chart."""
    if at - LEFT < DATE_LABEL / 2:
        return "start"
    if WIDTH - RIGHT - at < DATE_LABEL / 2:
        return "end"
    return "middle"


def _extent(tick: tuple[float, str, str]) -> tuple[float, float]:
    at, _, anchor = tick
    start = {"start": at, "middle": at - DATE_LABEL / 2, "end": at - DATE_LABEL}[anchor]
    return start, start + DATE_LABEL


def _overlap(a, b) -> bool:
    (a0, a1), (b0, b1) = _extent(a), _extent(b)
    return a0 < b1 + DATE_GAP and b0 < a1 + DATE_GAP


def _undated_note(points: tuple[Point, ...]) -> str | None:
    articles = {p.article_id: p.date for p in points}
    undated = sum(1 for date in articles.values() if date == UNDATED)
    if not undated:
        return None
    return (f"{undated} of {len(articles)} articles give no date: each is drawn in the order it arrived, "
            f"between its neighbours.")
