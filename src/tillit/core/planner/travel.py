"""Travel times between points, exactly as planning-format.md defines them.

`haversine`: ceil(haversine_km * detour_factor / speeds_kmh[mode] * 3600),
R = 6371.0088 km, equal points 0. `matrix`: looked up by point index.
Optionally, when env `TILLIT_OSRM_URL` is set, haversine instances use road
travel times from an OSRM server's table service instead (cached per day).
"""

from __future__ import annotations

import json
import math
import os
import threading
import urllib.request
from collections.abc import Sequence

import numpy as np

from tillit.core.planner.model import Instance, Point

EARTH_RADIUS_KM = 6371.0088
OSRM_PROFILES = {"car": "driving", "bike": "cycling", "walk": "foot"}


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
    if os.environ.get("TILLIT_OSRM_URL"):
        return int(osrm_table(instance, mode, [a, b])[0][1])
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


class TravelTable:
    """Travel seconds between a fixed list of points, one matrix per mode."""

    def __init__(self, instance: Instance, points: Sequence[Point], modes: Sequence[str]):
        self.points = list(points)
        self.matrices: dict[str, np.ndarray] = {}
        spec = instance.travel
        if spec.kind == "matrix":
            pidx = _point_index(instance)
            sel = np.array([pidx[p] for p in self.points], dtype=np.int64)
            for mode in modes:
                full = np.asarray(spec.seconds[mode], dtype=np.int64)
                self.matrices[mode] = full[np.ix_(sel, sel)].astype(np.int32)
        elif os.environ.get("TILLIT_OSRM_URL"):
            for mode in modes:
                mat = osrm_table(instance, mode, self.points)
                self.matrices[mode] = np.asarray(mat, dtype=np.int32)
        else:
            for mode in modes:
                self.matrices[mode] = _haversine_matrix(
                    self.points, spec.detour_factor, spec.speeds_kmh[mode]
                )

    def get(self, mode: str, i: int, j: int) -> int:
        return int(self.matrices[mode][i, j])


# --- OSRM road network provider -------------------------------------------------------

_osrm_cache: dict[tuple[str, str, str, tuple[Point, ...]], list[list[int]]] = {}
_osrm_lock = threading.Lock()


def clear_osrm_cache() -> None:
    with _osrm_lock:
        _osrm_cache.clear()


def osrm_table(instance: Instance, mode: str, points: Sequence[Point]) -> list[list[int]]:
    """Durations (whole seconds, rounded up) from an OSRM `table` service.

    Cached per (server, day, mode, points). Equal points are 0.
    """
    base = os.environ["TILLIT_OSRM_URL"].rstrip("/")
    key = (base, instance.date, mode, tuple(points))
    with _osrm_lock:
        hit = _osrm_cache.get(key)
    if hit is not None:
        return hit
    profile = OSRM_PROFILES.get(mode, mode)
    coords = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
    url = f"{base}/table/v1/{profile}/{coords}?annotations=duration"
    with urllib.request.urlopen(url, timeout=60) as resp:  # noqa: S310 (configured URL)
        body = json.loads(resp.read().decode("utf-8"))
    if body.get("code") != "Ok" or "durations" not in body:
        raise RuntimeError(f"OSRM table failed for mode {mode}: {body.get('code')}")
    table: list[list[int]] = []
    for i, row in enumerate(body["durations"]):
        out_row = []
        for j, d in enumerate(row):
            if points[i] == points[j]:
                out_row.append(0)
            elif d is None:
                raise RuntimeError(f"OSRM found no route between points {i} and {j}")
            else:
                out_row.append(math.ceil(d))
        table.append(out_row)
    with _osrm_lock:
        _osrm_cache[key] = table
    return table
