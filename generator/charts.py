"""Small charts as inline SVG markup: no JavaScript, no extra request, no layout shift.

The markup carries classes, not colours: the theme's CSS paints it from its
custom properties, so a chart follows the light and dark schemes like the
text around it (presentation attributes are only the fallback without CSS).
It scales with its container through ``viewBox``. A chart is an image with a
title for assistive technology; pages also give its numbers as text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

MAX_WIDTH = 480  # viewBox units, at most; the CSS may shrink a chart to fit a phone
MIN_WIDTH = 200
SLOT = 40  # preferred width per year: a chart of few years stays small
HEIGHT = 150
TOP = 16  # room for the value labels above the bars
BOTTOM = 20  # room for the year labels below the baseline
SIDE = 2
FONT_SIZE = 11
DIGIT = 7  # about the width of a digit at FONT_SIZE: labels are thinned so none overlap
BAR_SHARE = 0.72  # of each year's slot; the rest is the gap between bars
MAX_BAR = 40


def _n(value: float) -> str:
    """A coordinate with at most one decimal: short markup, stable output."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _label_step(slot: float, chars: int = 4) -> int:
    """Label every n-th slot so labels of ``chars`` digits never touch."""
    return max(1, math.ceil((chars * DIGIT + 6) / slot))


def _bar_height(value: int, top: int) -> float:
    """Height in viewBox units; a small non-zero count stays visible."""
    height = (HEIGHT - TOP - BOTTOM) * value / top if top > 0 else 0.0
    return max(height, 1.0) if value > 0 else 0.0


def _bar(x: float, width: float, height: float, label: str) -> str:
    y = HEIGHT - BOTTOM - height
    return (
        f'<rect class="chart-bar" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"'
        f' fill="currentColor"><title>{label}</title></rect>'
    )


def _text(css_class: str, x: float, y: float, content: str) -> str:
    return f'<text class="{css_class}" x="{_n(x)}" y="{_n(y)}" text-anchor="middle">{content}</text>'


def bar_chart(
    pairs: Sequence[tuple[int, int]],
    *,
    title: str,
    chart_id: str,
    number: Callable[[int], str] = str,
) -> Markup:
    """An SVG bar chart of (year, count) pairs in the order given; empty markup for no pairs.

    ``title`` names the image for screen readers (its ``<title>``), ``number``
    formats counts for the site's language. Counts are labelled above the bars
    when they fit their slot; years are thinned from the newest back when crowded.
    """
    if not pairs:
        return Markup("")
    chart = min(MAX_WIDTH, max(MIN_WIDTH, SLOT * len(pairs) + 2 * SIDE))
    slot = (chart - 2 * SIDE) / len(pairs)
    width = min(slot * BAR_SHARE, MAX_BAR)
    top = max(count for _, count in pairs)
    step = _label_step(slot)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {chart} {HEIGHT}" width="{chart}"'
        f' height="{HEIGHT}" font-size="{FONT_SIZE}" role="img" aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for i, (year, count) in enumerate(pairs):
        centre = SIDE + slot * (i + 0.5)
        label = escape(number(count))
        height = _bar_height(count, top)
        parts.append(_bar(centre - width / 2, width, height, f"{year}: {label}"))
        if len(label) * DIGIT <= slot:
            parts.append(_text("chart-value", centre, HEIGHT - BOTTOM - height - 4, str(label)))
        if (len(pairs) - 1 - i) % step == 0:
            parts.append(_text("chart-year", centre, HEIGHT - 5, str(year)))
    y = _n(HEIGHT - BOTTOM + 0.5)
    parts.append(f'<line class="chart-axis" x1="0" y1="{y}" x2="{chart}" y2="{y}" stroke="currentColor"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
