"""Server-rendered SVG charts. Each chart is an image with a title and a
description; the page puts a table with the same numbers beside it for
screen readers (the SVG itself is `aria-hidden` on the bars' labels).

Colours are Punkt's dark blue and warm blue with a dashed outline on the
second series, so the two series differ without colour as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#2a2859"
SERIES = ("#2a2859", "#1f42aa", "#008a00")
DASHES = ("", "4 2", "1 2")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        top = step * (int(value / step) + 1)
        if top / step <= 6:
            return float(top)
    return float(value * 1.1)


def bar_chart(title: str, categories: Sequence[str], series: Sequence[Series],
              *, width: int = 640, height: int = 260) -> SafeString:
    """Grouped vertical bars: one group per category, one bar per series."""
    left, right, top, bottom = 44, 8, 28, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    peak = _nice_top(max(values, default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="staffing-chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#d0d0d0" stroke-width="1"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="{INK}">{_number(peak * i / 4)}</text>')
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.7 / max(len(series), 1)
    for ci, category in enumerate(categories):
        x0 = left + ci * group_w + group_w * 0.15
        for si, s in enumerate(series):
            value = s.values[ci]
            if value is None:
                continue
            h = plot_h * value / peak
            x, y = x0 + si * bar_w, top + plot_h - h
            dash = f' stroke-dasharray="{DASHES[si % 3]}"' if DASHES[si % 3] else ""
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{SERIES[si % 3]}" fill-opacity="{1 - 0.35 * si:.2f}" stroke="{INK}"'
                f'{dash}><title>{escape(s.label)}, {escape(category)}: {_number(value)}</title>'
                "</rect>"
            )
        parts.append(f'<text x="{x0 + group_w * 0.35:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle" font-size="12" fill="{INK}">{escape(category)}</text>')
    parts.append(_legend(series, left, height - 14))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(title: str, categories: Sequence[str], series: Sequence[Series],
               *, width: int = 640, height: int = 240) -> SafeString:
    """Lines over time (one point per category); gaps where a value is None."""
    left, right, top, bottom = 44, 8, 20, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    peak = _nice_top(max(values, default=0))
    step = plot_w / max(len(categories) - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="staffing-chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#d0d0d0" stroke-width="1"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="{INK}">{_number(peak * i / 4)}</text>')
    for ci, category in enumerate(categories):
        if ci % max(1, len(categories) // 6) == 0 or ci == len(categories) - 1:
            parts.append(f'<text x="{left + ci * step:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle" font-size="11" fill="{INK}">'
                         f"{escape(category)}</text>")
    for si, s in enumerate(series):
        points = [(left + ci * step, top + plot_h - plot_h * v / peak)
                  for ci, v in enumerate(s.values) if v is not None]
        if not points:
            continue
        dash = f' stroke-dasharray="{DASHES[si % 3]}"' if DASHES[si % 3] else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{SERIES[si % 3]}" '
                     f'stroke-width="2.5"{dash}/>')
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{SERIES[si % 3]}"/>')
    parts.append(_legend(series, left, height - 14))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _legend(series: Sequence[Series], x: float, y: float) -> str:
    parts = []
    for si, s in enumerate(series):
        dash = f' stroke-dasharray="{DASHES[si % 3]}"' if DASHES[si % 3] else ""
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="14" height="12" '
                     f'fill="{SERIES[si % 3]}" fill-opacity="{1 - 0.35 * si:.2f}" '
                     f'stroke="{INK}"{dash}/>')
        parts.append(f'<text x="{x + 18:.1f}" y="{y:.1f}" font-size="12" fill="{INK}">'
                     f"{escape(s.label)}</text>")
        x += 30 + 7 * len(s.label)
    return "".join(parts)
