"""Solomon VRPTW (100 customers) through the engine: gap to the best-known values.

    .venv/bin/python bench/solomon.py [--time-limit 10] [--instances C101,R101,...]
        [--solver engine|ortools|greedy] [--seed 0]

Convention (DIMACS / CVRPLIB): distance = travel time = Euclidean distance
truncated to one decimal (floor(10 d) / 10), 25 vehicles, objective = total
distance, vehicle count not minimised; best-known values from
`bench/data/solomon/bks.csv` (`dimacs_bks_distance`).

Adapter (VRPLIB -> `tillit.planning-instance/1`, kind `matrix`): one time
unit = 10 s where the service time and the horizon allow it (C instances:
90 units = 15 min, C2's 3 390-unit horizon fits in a day), else 60 s (R, RC:
service 10 units = 10 min); either way 0.1 unit is a whole number of seconds,
so the one-decimal precision is kept exactly. Windows bound the service start,
staff shifts are the depot's window, no breaks, one competence, objective
`travel_minute` 1 and `unassigned_visit` 100 000. The spec has no vehicle
capacity: capacities are NOT modelled, so a plan may load a route over the
instance's capacity; the table says whether every route respects it
(`cap ok`), and a gap below zero on a route set that breaks capacity is not
an improvement on the best-known value.

Target: mean gap <= 0.5 % at 10 s (reference measured on this kind of
machine: PyVRP 0.14 0.18 %, OR-Tools 9.15 GLS 1.6 %, VROOM 1.7 %).
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.common import check, hms, run_isolated, solver_fn  # noqa: E402

DATA = ROOT / "bench" / "data" / "solomon"
DEFAULT = "C101,C201,R101,R201,RC101,RC201"


def parse_vrp(path: str | Path) -> dict[str, Any]:
    head: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    cur = ""
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            cur = line
            sections[cur] = []
        elif ":" in line and not cur:
            k, _, v = line.partition(":")
            head[k.strip()] = v.strip()
        elif cur:
            sections[cur].append(line.split())
    coords = [(float(r[1]), float(r[2])) for r in sections["NODE_COORD_SECTION"]]
    demand = [int(r[1]) for r in sections["DEMAND_SECTION"]]
    tw = [(int(r[1]), int(r[2])) for r in sections["TIME_WINDOW_SECTION"]]
    service = int(head.get("SERVICE_TIME", "0"))
    return {
        "name": head.get("NAME", Path(path).stem),
        "vehicles": int(head.get("VEHICLES", "25")),
        "capacity": int(head["CAPACITY"]),
        "service": service,
        "coords": coords,
        "demand": demand,
        "tw": tw,
    }


def dist10(a: tuple[float, float], b: tuple[float, float]) -> int:
    """Distance in tenths, truncated: floor(10 d)."""
    return math.floor(10 * math.hypot(a[0] - b[0], a[1] - b[1]))


def unit_seconds(vrp: dict[str, Any]) -> int:
    horizon = vrp["tw"][0][1]
    if vrp["service"] * 10 % 60 == 0 and horizon * 10 < 86_400:
        return 10
    return 60


def to_instance(vrp: dict[str, Any]) -> dict[str, Any]:
    u = unit_seconds(vrp)
    pts: list[tuple[float, float]] = []
    pidx: dict[tuple[float, float], int] = {}
    node_pt = []
    for c in vrp["coords"]:
        if c not in pidx:
            pidx[c] = len(pts)
            pts.append(c)
        node_pt.append(pidx[c])
    sec = [[dist10(a, b) * u // 10 for b in pts] for a in pts]
    points = [{"lat": y / 100.0, "lon": x / 100.0} for x, y in pts]
    depot = points[node_pt[0]]
    e0, l0 = vrp["tw"][0]
    staff = [
        {
            "id": f"r{k + 1}",
            "competence": "driver",
            "mode": "car",
            "shift": [hms(e0 * u), hms(l0 * u)],
            "start": depot,
            "end": depot,
        }
        for k in range(vrp["vehicles"])
    ]
    visits = [
        {
            "id": f"c{i}",
            "client": f"c{i}",
            "location": points[node_pt[i]],
            "window": [hms(vrp["tw"][i][0] * u), hms(vrp["tw"][i][1] * u)],
            "minutes": vrp["service"] * u // 60,
            "competence": "driver",
        }
        for i in range(1, len(vrp["coords"]))
    ]
    return {
        "format": "tillit.planning-instance/1",
        "name": f"solomon-{vrp['name']}",
        "date": "2026-11-23",
        "timezone": "Europe/Oslo",
        "competences": ["driver"],
        "travel": {"kind": "matrix", "points": points, "seconds": {"car": sec}},
        "objective": {
            "travel_minute": 1,
            "non_preferred_visit": 0,
            "unassigned_visit": 100000,
            "overtime_minute": None,
            "late_minute": None,
        },
        "staff": staff,
        "visits": visits,
    }


def evaluate(vrp: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
    """Total distance (DIMACS), routes used, capacity and coverage, from the plan."""
    co = vrp["coords"]
    total10 = 0
    used = 0
    cap_ok = True
    served: set[int] = set()
    for r in plan["routes"]:
        seq = [int(s["visit"][1:]) for s in r["stops"] if not s.get("break")]
        if not seq:
            continue
        used += 1
        prev = 0
        for i in seq:
            total10 += dist10(co[prev], co[i])
            prev = i
        total10 += dist10(co[prev], co[0])
        served.update(seq)
        if sum(vrp["demand"][i] for i in seq) > vrp["capacity"]:
            cap_ok = False
    return {
        "distance": total10 / 10.0,
        "routes": used,
        "capacity_ok": cap_ok,
        "missing": len(co) - 1 - len(served),
    }


def bks() -> dict[str, tuple[float, int]]:
    out = {}
    with open(DATA / "bks.csv") as f:
        for row in csv.DictReader(f):
            out[row["instance"]] = (
                float(row["dimacs_bks_distance"]),
                int(row["dimacs_bks_routes"]),
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--instances", default=DEFAULT, help="comma list, or 'all'")
    ap.add_argument("--solver", default="engine", choices=["engine", "ortools", "greedy"])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    best = bks()
    names = sorted(best) if args.instances == "all" else args.instances.split(",")
    fn = solver_fn(args.solver)
    print(f"solver {args.solver}, time limit {args.time_limit:g} s, seed {args.seed}")
    hdr = (
        f"{'instance':<8} {'BKS':>8} {'dist':>8} {'gap %':>7} {'routes':>6} {'bks r':>5} "
        f"{'miss':>4} {'cap ok':>6} {'wall s':>6} check"
    )
    print(hdr)
    print("-" * len(hdr))
    gaps: list[float] = []
    cap_gaps: list[float] = []
    for name in names:
        vrp = parse_vrp(DATA / f"{name}.vrp")
        inst = to_instance(vrp)
        plan, err, wall, _peak = run_isolated(fn, inst, args.time_limit, args.seed)
        if plan is None:
            print(f"{name:<8} ERROR {err}")
            continue
        ev = evaluate(vrp, plan)
        v = check(inst, plan)
        verdict = "ok" if v.feasible and v.cost_matches else "BAD: " + "; ".join(v.violations[:2])
        ref, ref_routes = best[name]
        gap = 100.0 * (ev["distance"] / ref - 1.0)
        if ev["missing"] == 0 and verdict == "ok":
            gaps.append(gap)
            if ev["capacity_ok"]:
                cap_gaps.append(gap)
        print(
            f"{name:<8} {ref:>8.1f} {ev['distance']:>8.1f} {gap:>7.2f} {ev['routes']:>6} "
            f"{ref_routes:>5} {ev['missing']:>4} {'yes' if ev['capacity_ok'] else 'NO':>6} "
            f"{wall:>6.1f} {verdict}",
            flush=True,
        )
    if gaps:
        mean = statistics.mean(gaps)
        over = len(gaps) - len(cap_gaps)
        ok = mean <= 0.5 and len(gaps) == len(names)
        print(f"\nmean gap {mean:.2f} % over {len(gaps)} complete, checked plans (of {len(names)})")
        if cap_gaps:
            print(
                f"mean gap {statistics.mean(cap_gaps):.2f} % over the {len(cap_gaps)} plans "
                "that also respect the (unmodelled) capacity"
            )
        caveat = f"; {over} plan(s) over the unmodelled capacity" if over else ""
        print(
            f"target mean <= 0.5 % at 10 s: {'MET' if ok else 'NOT MET'} "
            f"(this run: {args.time_limit:g} s{caveat})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
