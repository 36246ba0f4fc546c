"""Travel times: haversine per the spec, matrices, and the OSRM provider (fake server)."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tillit.core.planner import Point, load_instance, travel_seconds
from tillit.core.planner.osrm import clear_osrm_cache, osrm_table, with_road_matrix
from tillit.core.planner.problem import build_problem
from tillit.core.planner.tests.conftest import example
from tillit.core.planner.travel import haversine_km


def _reference(a: Point, b: Point, detour: float, speed: float) -> int:
    r = 6371.0088
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp = p2 - p1
    dl = math.radians(b.lon) - math.radians(a.lon)
    h = 2 * r * math.asin(math.sqrt(math.sin(dp / 2) ** 2
                                    + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2))
    return math.ceil(h * detour / speed * 3600)


def test_haversine_matches_formula() -> None:
    inst = load_instance(example("tiny.json"))
    a, b = Point(59.9265, 10.776), Point(59.929, 10.7705)
    assert travel_seconds(inst, "car", a, b) == _reference(a, b, 1.3, 22.0)
    assert travel_seconds(inst, "walk", a, b) == _reference(a, b, 1.3, 4.5)
    assert travel_seconds(inst, "car", a, a) == 0
    assert 0.4 < haversine_km(a, b) < 0.45
    # e1 leaves 07:35:42 and arrives at v1 07:37:11 in the independent plan: 89 s
    assert travel_seconds(inst, "car", a, b) == 89


def test_vectorised_matrix_equals_scalar() -> None:
    inst = load_instance(example("small-120.json"))
    problem = build_problem(inst)
    for mode in {s.mode for s in inst.staff}:
        mat = problem.table.matrices[mode]
        for i in range(0, len(problem.points), 7):
            for j in range(0, len(problem.points), 5):
                assert mat[i, j] == travel_seconds(inst, mode, problem.points[i],
                                                   problem.points[j])


def test_matrix_kind() -> None:
    d = example("tiny.json")
    pts: list[dict] = []
    for p in [s["start"] for s in d["staff"]] + [v["location"] for v in d["visits"]]:
        if p not in pts:
            pts.append(p)
    n = len(pts)
    d["travel"] = {"kind": "matrix", "points": pts,
                   "seconds": {m: [[(i * 7 + j * 3) % 50 if i != j else 0 for j in range(n)]
                                   for i in range(n)] for m in ("walk", "bike", "car")}}
    inst = load_instance(d)
    a, b = Point(**pts[1]), Point(**pts[2])
    assert travel_seconds(inst, "car", a, b) == (1 * 7 + 2 * 3) % 50


class _FakeOSRM(BaseHTTPRequestHandler):
    calls: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        _FakeOSRM.calls.append(self.path)
        parts = self.path.split("?")[0].split("/")
        coords = [tuple(map(float, c.split(","))) for c in parts[4].split(";")]
        durations = [[abs(a[0] - b[0]) * 10000 + abs(a[1] - b[1]) * 20000 + 0.4
                      for b in coords] for a in coords]
        body = json.dumps({"code": "Ok", "durations": durations}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def osrm() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _FakeOSRM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    clear_osrm_cache()
    _FakeOSRM.calls.clear()
    yield url
    server.shutdown()
    clear_osrm_cache()


def _fake(a: Point, b: Point) -> int:
    return 0 if a == b else math.ceil(abs(a.lon - b.lon) * 10000 + abs(a.lat - b.lat) * 20000 + 0.4)


def test_osrm_table_client(osrm: str) -> None:
    a, b = Point(59.9265, 10.776), Point(59.929, 10.7705)
    table = osrm_table(osrm, "2026-11-23", "bike", [a, b])
    assert table == [[0, _fake(a, b)], [_fake(b, a), 0]]
    assert _FakeOSRM.calls[0].startswith("/table/v1/cycling/10.776000,59.926500;")
    osrm_table(osrm, "2026-11-23", "bike", [a, b])
    assert len(_FakeOSRM.calls) == 1  # cached per day


def test_road_matrix_instance_is_judged_by_its_matrix(osrm: str) -> None:
    data = example("tiny.json")
    road = with_road_matrix(data, osrm)
    assert {c.split("/")[3] for c in _FakeOSRM.calls} == {"driving", "foot", "cycling"}
    inst = load_instance(road)
    assert inst.travel.kind == "matrix"
    problem = build_problem(inst)
    for i, j in ((0, 1), (1, 0), (2, 3)):
        a, b = problem.points[i], problem.points[j]
        assert travel_seconds(inst, "car", a, b) == _fake(a, b)
        assert problem.table.matrices["car"][i, j] == _fake(a, b)


def test_the_environment_does_not_change_what_an_instance_means(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = load_instance(example("tiny.json"))
    a, b = Point(59.9265, 10.776), Point(59.929, 10.7705)
    before = travel_seconds(inst, "car", a, b)
    monkeypatch.setenv("TILLIT_OSRM_URL", "http://127.0.0.1:9")
    assert travel_seconds(inst, "car", a, b) == before
    assert build_problem(inst).table.matrices["car"].shape[0] > 0
