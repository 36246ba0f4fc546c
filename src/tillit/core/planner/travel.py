"""Travel times between points, exactly as planning-format.md defines them.

`haversine`: ceil(haversine_km * detour_factor / speeds_kmh[mode] * 3600),
R = 6371.0088 km, equal points 0. `matrix`: looked up by point index.

The solver takes its travel times from a provider (`TravelProvider`), the
instance's own rule by default (`SPEC_TRAVEL`). The checker always uses the
instance's rule, so a plan is judged the same way whatever provider made it:
for road travel times, write them into the instance as a matrix
(`tillit.core.planner.osrm.with_road_matrix`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from tillit.core.planner.model import Instance, Point

EARTH_RADIUS_KM = 6371.0088


def haversine_km(a: Point, b: Point) -> float:
    phi1 = math.radians(a.lat)
    phi2 = math.radians(b.lat)
    dphi = phi2 - phi1
    dlam = math.radians(b.lon) - math.radians(a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def haversine_seconds(a: Point, b: Point, detour_factor: float, speed_kmh: float) -> int:
    if a == b:
        return 0
    return math.ceil(haversine_km(a, b) * detour_factor / speed_kmh * 3600)


def travel_seconds(instance: Instance, mode: str, a: Point, b: Point) -> int:
    """Travel time in whole seconds from a to b for `mode`."""
    if a == b:
        return 0
    spec = instance.travel
    if spec.kind == "matrix":
        idx = _point_index(instance)
        return int(spec.seconds[mode][idx[a]][idx[b]])
    return haversine_seconds(a, b, spec.detour_factor, spec.speeds_kmh[mode])


def _point_index(instance: Instance) -> dict[Point, int]:
    idx = instance.__dict__.get("_pidx")
    if idx is None:
        idx = {}
        for i, p in enumerate(instance.travel.points):
            idx.setdefault(p, i)
        object.__setattr__(instance, "_pidx", idx)
    return idx


def _haversine_matrix(points: Sequence[Point], detour: float, speed: float) -> np.ndarray:
    """Vectorised matrix; entries near an integer boundary are recomputed exactly."""
    lat = np.radians(np.array([p.lat for p in points], dtype=np.float64))
    lon = np.radians(np.array([p.lon for p in points], dtype=np.float64))
    n = len(points)
    out = np.zeros((n, n), dtype=np.int32)
    for i in range(n):
        dphi = lat - lat[i]
        dlam = lon - lon[i]
        h = np.sin(dphi / 2) ** 2 + np.cos(lat[i]) * np.cos(lat) * np.sin(dlam / 2) ** 2
        raw = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h)) * detour / speed * 3600
        row = np.ceil(raw)
        frac = raw - np.floor(raw)
        near = np.nonzero((frac < 1e-6) | (frac > 1 - 1e-6))[0]
        for j in near:
            row[j] = haversine_seconds(points[i], points[j], detour, speed)
        row[(lat == lat[i]) & (lon == lon[i])] = 0
        out[i] = row.astype(np.int32)
    return out


class TravelProvider(Protocol):
    """Where the solver's travel times come from: one matrix of whole seconds per
    mode between `points` (equal points 0)."""

    def matrix(self, instance: Instance, mode: str, points: Sequence[Point]) -> np.ndarray: ...


class SpecTravel:
    """The instance's own rule (haversine or matrix), as the checker reads it."""

    def matrix(self, instance: Instance, mode: str, points: Sequence[Point]) -> np.ndarray:
        spec = instance.travel
        if spec.kind == "matrix":
            pidx = _point_index(instance)
            sel = np.array([pidx[p] for p in points], dtype=np.int64)
            full = np.asarray(spec.seconds[mode], dtype=np.int64)
            return full[np.ix_(sel, sel)].astype(np.int32)
        return _haversine_matrix(points, spec.detour_factor, spec.speeds_kmh[mode])


SPEC_TRAVEL = SpecTravel()


class TravelTable:
    """Travel seconds between a fixed list of points, one matrix per mode."""

    def __init__(self, instance: Instance, points: Sequence[Point], modes: Sequence[str],
                 provider: TravelProvider = SPEC_TRAVEL):
        self.points = list(points)
        self.matrices: dict[str, np.ndarray] = {
            mode: np.asarray(provider.matrix(instance, mode, self.points), dtype=np.int32)
            for mode in modes
        }

    def get(self, mode: str, i: int, j: int) -> int:
        return int(self.matrices[mode][i, j])
