"""The routes of a plan as a server-rendered SVG map over the district's outline.

No tile service: the outline comes from the shipped district borders
(`tillit.core.districts.borders`), the points from the plan's instance. The
projection is equirectangular around the district's middle latitude, which
is close enough at Oslo's scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from shapely.geometry.base import BaseGeometry

from tillit.core import districts

WIDTH = 640
PAD = 16


@dataclass(frozen=True)
class MapRoute:
    label: str
    colour: str
    points: list[tuple[float, float]]  # (lat, lon): start, the visits in order, end


@dataclass
class _Frame:
    min_lon: float
    max_lat: float
    scale: float
    kx: float
    height: int

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (PAD + (lon - self.min_lon) * self.kx * self.scale,
                PAD + (self.max_lat - lat) * self.scale)


def _polygons(geom: BaseGeometry) -> list:
    return list(getattr(geom, "geoms", [geom]))


def _frame(border: BaseGeometry | None, points: list[tuple[float, float]]) -> _Frame:
    lons = [lon for _lat, lon in points]
    lats = [lat for lat, _lon in points]
    if border is not None:
        x0, y0, x1, y1 = border.bounds
        lons += [x0, x1]
        lats += [y0, y1]
    if not lons:
        lons, lats = [10.75, 10.76], [59.91, 59.92]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * kx, 1e-6)
    span_y = max(max_lat - min_lat, 1e-6)
    scale = (WIDTH - 2 * PAD) / span_x
    height = int(span_y * scale + 2 * PAD)
    return _Frame(min_lon, max_lat, scale, kx, height)


def render_routes_svg(district_slug: str, routes: list[MapRoute],
                      unassigned: list[tuple[float, float]], title: str,
                      description: str) -> str:
    """The map as an SVG string (an image with a title and a description)."""
    border = districts.borders().get(district_slug)
    all_points = [p for r in routes for p in r.points] + list(unassigned)
    frame = _frame(border, all_points)
    parts: list[str] = []
    if border is not None:
        for poly in _polygons(border):
            ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in
                            (frame.xy(lat, lon) for lon, lat in poly.exterior.coords))
            parts.append(f'<polygon class="plan-map__district" points="{ring}" '
                         'fill="#f1f1f1" stroke="#2a2859" stroke-width="1.5"/>')
    for route in routes:
        if len(route.points) < 2:
            continue
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (frame.xy(*p) for p in route.points))
        colour = escape(route.colour)
        parts.append(f'<g><title>{escape(route.label)}</title>'
                     f'<polyline points="{line}" fill="none" stroke="{colour}" '
                     'stroke-width="2.5" stroke-linejoin="round" stroke-opacity="0.85"/>')
        sx, sy = frame.xy(*route.points[0])
        parts.append(f'<rect x="{sx - 4:.1f}" y="{sy - 4:.1f}" width="8" height="8" '
                     f'fill="{colour}"/>')
        for n, point in enumerate(route.points[1:-1], 1):
            x, y = frame.xy(*point)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#fff" '
                         f'stroke="{colour}" stroke-width="2"><title>{escape(route.label)} '
                         f'{n}</title></circle>')
        parts.append("</g>")
    for lat, lon in unassigned:
        x, y = frame.xy(lat, lon)
        parts.append(f'<path d="M{x - 5:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 5:.1f} '
                     f'M{x - 5:.1f},{y + 5:.1f} L{x + 5:.1f},{y - 5:.1f}" stroke="#c9302c" '
                     'stroke-width="2.5"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-map" role="img" '
            f'viewBox="0 0 {WIDTH} {frame.height}" aria-labelledby="plan-map-title '
            f'plan-map-desc"><title id="plan-map-title">{escape(title)}</title>'
            f'<desc id="plan-map-desc">{escape(description)}</desc>{"".join(parts)}</svg>')
