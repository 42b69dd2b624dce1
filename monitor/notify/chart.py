"""A figure's history as chart geometry: one line per source over the articles in arrival order.

Only numbers and the points' labels come out of here; the HTML template draws them as
inline SVG (escaped like every other text), so the digest needs no script and no asset.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import CHART_POINTS, Point

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 48, 10, 10, 22          # room for the value and date labels
# Okabe–Ito palette: told apart by people with the common colour-vision deficiencies.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
# Values all within this fraction of the largest are drawn on a padded range, not from zero,
# so that a toll going from 17,000 to 17,134 is visible; otherwise the axis starts at zero.
ZOOM_SPAN = 0.5


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
    y_labels: tuple[tuple[float, str], ...]
    x_labels: tuple[tuple[float, str, str], ...]    # x, text, text-anchor
    baseline: float


def chart(history: tuple[Point, ...]) -> Chart | None:
    """The chart of a figure's history, or None when there is nothing to draw a line through."""
    points = history[-CHART_POINTS:]
    if len(points) < 2:
        return None
    articles = list(dict.fromkeys(p.article_id for p in points))
    low, high = _range([p.value for p in points])
    x = {a: LEFT + (WIDTH - LEFT - RIGHT) * (i / max(len(articles) - 1, 1)) for i, a in enumerate(articles)}
    y = lambda v: TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - low) / ((high - low) or 1))
    colours = {key: COLOURS[i % len(COLOURS)] for i, key in enumerate(dict.fromkeys(p.source_key for p in points))}
    lines = tuple(Line(colour=colours[key], source=next(p.source for p in points if p.source_key == key),
                       points=" ".join(f"{x[p.article_id]:.1f},{y(p.value):.1f}"
                                       for p in points if p.source_key == key))
                  for key in colours)
    dots = tuple(Dot(x=round(x[p.article_id], 1), y=round(y(p.value), 1), colour=colours[p.source_key],
                     label=f"{p.date} {p.source}: {p.shown}", changed=bool(p.change)) for p in points)
    y_labels = ((round(y(high), 1), _short(high)), (round(y(low), 1), _short(low)))
    x_labels = ((LEFT, points[0].date, "start"), (WIDTH - RIGHT, points[-1].date, "end"))
    return Chart(width=WIDTH, height=HEIGHT, lines=lines, dots=dots, y_labels=y_labels, x_labels=x_labels,
                 baseline=HEIGHT - BOTTOM)


def _range(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low >= ZOOM_SPAN * high > 0:
        pad = (high - low) * 0.1 or high * 0.05
        return low - pad, high + pad
    return min(0.0, low), high * 1.05 if high > 0 else 1.0


def _short(value: float) -> str:
    """Axis labels: 11,000 -> 11k, 2,500,000 -> 2.5M."""
    for scale, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"
