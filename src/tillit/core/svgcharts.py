"""Server-rendered SVG charts and the district map, as plain strings.

Every chart has a <title> and is `role="img"` with an accessible name; the
pages show the same figures as a table beside or below it (screen readers
read the table). Hidden (suppressed) values are drawn as nothing and
labelled "<5". Colours are from Oslo's palette with contrast against white.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

from tillit.core import districts

BLUE = "#2a2859"
LIGHT_BLUE = "#6fe9ff"
GREEN = "#034b45"
RED = "#ff8274"
GREY = "#d0cfcc"
# Light to dark blue: the map's scale (five steps).
SCALE = ("#e5fcff", "#b3f5ff", "#6fe9ff", "#1f42aa", "#2a2859")
TEXT = "#2c2c2c"


def _fmt(value: float) -> str:
    text = f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"
    return text.replace(".", ",")


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{escape(title)}" class="insight-chart">'
            f"<title>{escape(title)}</title>{body}</svg>")


def bar_chart(title: str, rows: Sequence[tuple[str, float | None]], *, unit: str = "",
              reference: float | None = None) -> str:
    """Horizontal bars, one per label, from a zero line (negative values to
    its left). `reference` draws a dashed line (the city's value)."""
    label_w, bar_w, row_h = 200, 300, 22
    height = row_h * len(rows) + 30
    values = [v for _, v in rows if v is not None] + ([reference] if reference is not None else [])
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    zero = label_w + bar_w * (0 - low) / span

    def x_of(value: float) -> float:
        return label_w + bar_w * (value - low) / span

    parts = []
    for i, (name, value) in enumerate(rows):
        y = 10 + i * row_h
        short = name if len(name) <= 30 else name[:29] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
                     f'fill="{TEXT}">{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{zero + 4:.1f}" y="{y + 15}" font-size="12" '
                         f'fill="{TEXT}">&lt;5</text>')
            continue
        left, right = sorted((zero, x_of(value)))
        parts.append(f'<rect x="{left:.1f}" y="{y + 3}" width="{right - left:.1f}" '
                     f'height="{row_h - 6}" fill="{BLUE if value >= 0 else RED}"/>')
        parts.append(f'<text x="{max(right, zero) + 4:.1f}" y="{y + 15}" font-size="12" '
                     f'fill="{TEXT}">{_fmt(value)}{escape(unit)}</text>')
    if low < 0:
        parts.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="6" y2="{height - 18}" '
                     f'stroke="{TEXT}"/>')
    if reference is not None:
        x = x_of(reference)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="6" y2="{height - 18}" '
                     f'stroke="{RED}" stroke-width="2" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 4}" font-size="11" text-anchor="middle" '
                     f'fill="{TEXT}">{_fmt(reference)}{escape(unit)}</text>')
    return _svg(label_w + bar_w + 70, height, title, "".join(parts))


def dot_plot(title: str, rows: Sequence[tuple[str, float | None]], *, unit: str = "") -> str:
    """The districts' values on one axis: the spread at a glance."""
    width, left, right, axis_y = 560, 20, 540, 60
    values = [v for _, v in rows if v is not None]
    if not values:
        return _svg(width, 90, title, f'<text x="{left}" y="40" font-size="12">&lt;5</text>')
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    parts = [f'<line x1="{left}" x2="{right}" y1="{axis_y}" y2="{axis_y}" stroke="{TEXT}"/>']
    for value in (low, high):
        x = left + (right - left) * (value - low) / span
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 18}" font-size="11" text-anchor="middle" '
                     f'fill="{TEXT}">{_fmt(value)}{escape(unit)}</text>')
    for i, (name, value) in enumerate(rows):
        if value is None:
            continue
        x = left + (right - left) * (value - low) / span
        y = axis_y - 8 - (i % 4) * 10
        parts.append(f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{BLUE}" fill-opacity="0.75">'
                     f"<title>{escape(name)}: {_fmt(value)}{escape(unit)}</title></circle>")
    return _svg(width, 90, title, "".join(parts))


def line_chart(title: str, labels: Sequence[str],
               series: Mapping[str, Sequence[float | None]], *, unit: str = "") -> str:
    """One line per series over the labels (months); gaps where hidden."""
    width, height, left, right, top, bottom = 560, 220, 44, 540, 14, 180
    values = [v for vs in series.values() for v in vs if v is not None]
    high = max(values, default=1.0) or 1.0
    colours = (BLUE, RED, GREEN, LIGHT_BLUE)
    step = (right - left) / max(1, len(labels) - 1)
    parts = [f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{TEXT}"/>',
             f'<text x="{left - 4}" y="{top + 8}" font-size="11" text-anchor="end" '
             f'fill="{TEXT}">{_fmt(high)}{escape(unit)}</text>',
             f'<text x="{left - 4}" y="{bottom}" font-size="11" text-anchor="end" '
             f'fill="{TEXT}">0</text>']
    for i, name in enumerate(labels):
        if len(labels) <= 13 or i % 3 == 0:
            parts.append(f'<text x="{left + i * step:.1f}" y="{bottom + 16}" font-size="10" '
                         f'text-anchor="middle" fill="{TEXT}">{escape(name)}</text>')
    for k, (name, vals) in enumerate(series.items()):
        colour = colours[k % len(colours)]
        path, pen = [], "M"
        for i, v in enumerate(vals):
            if v is None:
                pen = "M"
                continue
            y = bottom - (bottom - top) * v / high
            path.append(f"{pen}{left + i * step:.1f},{y:.1f}")
            pen = "L"
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"/>')
        parts.append(f'<rect x="{left + k * 140}" y="{height - 16}" width="12" height="4" '
                     f'fill="{colour}"/><text x="{left + k * 140 + 16}" y="{height - 11}" '
                     f'font-size="11" fill="{TEXT}">{escape(name)}</text>')
    return _svg(width, height, title, "".join(parts))


def _rings(geom) -> list[list[tuple[float, float]]]:
    polys = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    rings = []
    for poly in polys:
        rings.append(list(poly.exterior.coords))
        rings.extend(list(r.coords) for r in poly.interiors)
    return rings


def district_map(title: str, values: Mapping[str, float | None], *, unit: str = "") -> str:
    """The 15 districts coloured by `values[slug]` in five equal steps from
    the lowest to the highest shown value; hidden ones grey."""
    borders = districts.borders()
    min_lon = min(g.bounds[0] for g in borders.values())
    min_lat = min(g.bounds[1] for g in borders.values())
    max_lon = max(g.bounds[2] for g in borders.values())
    max_lat = max(g.bounds[3] for g in borders.values())
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    width = 480
    scale = width / ((max_lon - min_lon) * kx)
    height = int((max_lat - min_lat) * scale) + 1
    shown = [v for v in values.values() if v is not None]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    parts = []
    for info in districts.DISTRICTS:
        geom = borders.get(info.slug)
        if geom is None:
            continue
        value = values.get(info.slug)
        if value is None:
            fill = GREY
        else:
            step = 0 if high == low else min(4, int(5 * (value - low) / (high - low)))
            fill = SCALE[step]
        d = " ".join(
            "M" + " L".join(f"{(x - min_lon) * kx * scale:.1f},{(max_lat - y) * scale:.1f}"
                            for x, y in ring) + " Z"
            for ring in _rings(geom.simplify(0.0008))
        )
        shown_text = "<5" if value is None else f"{_fmt(value)}{unit}"
        parts.append(f'<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="1">'
                     f"<title>{escape(info.name)}: {escape(shown_text)}</title></path>")
    legend_y = height + 8
    for i, colour in enumerate(SCALE):
        parts.append(f'<rect x="{10 + i * 36}" y="{legend_y}" width="36" height="10" '
                     f'fill="{colour}" stroke="{TEXT}" stroke-width="0.5"/>')
    parts.append(f'<text x="10" y="{legend_y + 24}" font-size="11" fill="{TEXT}">'
                 f"{_fmt(low)}{escape(unit)}</text>")
    parts.append(f'<text x="190" y="{legend_y + 24}" font-size="11" text-anchor="end" '
                 f'fill="{TEXT}">{_fmt(high)}{escape(unit)}</text>')
    parts.append(f'<rect x="220" y="{legend_y}" width="14" height="10" fill="{GREY}"/>'
                 f'<text x="238" y="{legend_y + 9}" font-size="11" fill="{TEXT}">&lt;5</text>')
    return _svg(width, height + 40, title, "".join(parts))
