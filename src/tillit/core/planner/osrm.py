"""Road travel times from an OSRM server's `table` service (optional).

The planning format defines travel by the instance alone (haversine or a
matrix), and the checker reads only that. To plan on the road network, write
the road times into the instance: `with_road_matrix(data, base_url)` turns an
instance into a `"matrix"` instance whose points are its locations and whose
seconds come from OSRM, so the plan and every later check agree.
"""

from __future__ import annotations

import copy
import json
import math
import threading
import urllib.request
from collections.abc import Sequence
from typing import Any

from tillit.core.planner.model import Point

OSRM_PROFILES = {"car": "driving", "bike": "cycling", "walk": "foot"}

_osrm_cache: dict[tuple[str, str, str, tuple[Point, ...]], list[list[int]]] = {}
_osrm_lock = threading.Lock()


def clear_osrm_cache() -> None:
    with _osrm_lock:
        _osrm_cache.clear()


def osrm_table(base_url: str, day: str, mode: str, points: Sequence[Point]) -> list[list[int]]:
    """Durations (whole seconds, rounded up) from an OSRM `table` service.

    Cached per (server, day, mode, points). Equal points are 0.
    """
    base = base_url.rstrip("/")
    key = (base, day, mode, tuple(points))
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


def with_road_matrix(data: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A copy of instance `data` whose travel is a matrix of OSRM road times between
    every location in it (staff starts and ends, visits)."""
    out = copy.deepcopy(data)
    points: list[Point] = []
    seen: set[Point] = set()
    locations = [s[k] for s in out["staff"] for k in ("start", "end")]
    locations += [v["location"] for v in out["visits"]]
    for loc in locations:
        p = Point(float(loc["lat"]), float(loc["lon"]))
        if p not in seen:
            seen.add(p)
            points.append(p)
    modes = sorted({s["mode"] for s in out["staff"]})
    out["travel"] = {
        "kind": "matrix",
        "points": [{"lat": p.lat, "lon": p.lon} for p in points],
        "seconds": {m: osrm_table(base_url, out["date"], m, points) for m in modes},
    }
    return out
