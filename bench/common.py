"""JSON-level helpers shared by the benchmark scripts and baselines.

Also the throw-away PostgreSQL cluster of the server benchmarks
(`ThrowAwayCluster`: `shift_start.py`, `pg_restart.py`).

Reads a `tillit.planning-instance/1` dict into plain arrays (seconds, indices,
travel matrices per mode), schedules routes by the spec's rules, writes
`tillit.plan/1` dicts with their cost, and checks plans. The engine's own
`load_instance` / `check_plan` / `travel_seconds` are used when
`tillit.core.planner` exposes them (`engine()`); the code here is the thin
stand-in the baselines need either way, and the fallback checker.
"""

from __future__ import annotations

import math
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

R_EARTH_KM = 6371.0088
INF = 10**9


def engine() -> ModuleType | None:
    """The engine package when its public API is there, else None."""
    try:
        import tillit.core.planner as planner
    except ImportError:
        return None
    needed = ("load_instance", "solve", "plan_to_dict", "check_plan")
    return planner if all(hasattr(planner, n) for n in needed) else None


def peak_rss_mb() -> float:
    """Peak resident memory of this process (and finished children) in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return own / 1024.0


def tsec(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    return parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)


def hms(seconds: int) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    if a == b:
        return 0.0
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp = p2 - p1
    dl = math.radians(b[1]) - math.radians(a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH_KM * math.asin(math.sqrt(h))


@dataclass
class Staff:
    id: str
    idx: int
    level: int
    skills: frozenset[str]
    mode: str
    shift: tuple[int, int]
    start: int  # point index
    end: int
    brk: tuple[int, int, int] | None  # window lo, window hi, duration (seconds)


@dataclass
class Visit:
    id: str
    idx: int
    client: str
    loc: int
    lo: int
    hi: int
    dur: int
    level: int
    skills: frozenset[str]
    preferred: tuple[str, ...]
    count: int
    mandatory: bool
    after: tuple[int, int, int] | None  # parent idx, min s, max s
    children: list[int] = field(default_factory=list)


@dataclass
class Inst:
    raw: dict[str, Any]
    name: str
    staff: list[Staff]
    visits: list[Visit]
    points: list[tuple[float, float]]
    travel: dict[str, list[list[int]]]  # mode -> matrix over points
    w_travel: float
    w_pref: float
    w_unassigned: float
    w_over: float | None
    w_late: float | None
    vid: dict[str, int]
    sid: dict[str, int]

    def t(self, mode: str, a: int, b: int) -> int:
        return self.travel[mode][a][b]

    def can_do(self, s: Staff, v: Visit) -> bool:
        return s.level >= v.level and v.skills <= s.skills


def load(raw: dict[str, Any]) -> Inst:
    comps = {c: i for i, c in enumerate(raw["competences"])}
    tr = raw["travel"]
    point_idx: dict[tuple[float, float], int] = {}
    points: list[tuple[float, float]] = []

    def pt(p: dict[str, float]) -> int:
        key = (float(p["lat"]), float(p["lon"]))
        if key not in point_idx:
            point_idx[key] = len(points)
            points.append(key)
        return point_idx[key]

    if tr["kind"] == "matrix":
        for p in tr["points"]:
            key = (float(p["lat"]), float(p["lon"]))
            if key not in point_idx:  # first occurrence wins
                point_idx[key] = len(points)
                points.append(key)
    staff = []
    for i, s in enumerate(raw["staff"]):
        brk = None
        if s.get("break"):
            b = s["break"]
            brk = (tsec(b["window"][0]), tsec(b["window"][1]), int(b["minutes"]) * 60)
        staff.append(
            Staff(
                s["id"],
                i,
                comps[s["competence"]],
                frozenset(s.get("skills", [])),
                s["mode"],
                (tsec(s["shift"][0]), tsec(s["shift"][1])),
                pt(s["start"]),
                pt(s["end"]),
                brk,
            )
        )
    vid = {v["id"]: i for i, v in enumerate(raw["visits"])}
    visits = []
    for i, v in enumerate(raw["visits"]):
        after = None
        if v.get("after"):
            a = v["after"]
            after = (vid[a["visit"]], int(a["min_minutes"]) * 60, int(a["max_minutes"]) * 60)
        visits.append(
            Visit(
                v["id"],
                i,
                v["client"],
                pt(v["location"]),
                tsec(v["window"][0]),
                tsec(v["window"][1]),
                int(v["minutes"]) * 60,
                comps[v["competence"]],
                frozenset(v.get("skills", [])),
                tuple(v.get("preferred_staff", []) or []),
                int(v.get("staff_count", 1)),
                bool(v.get("mandatory", False)),
                after,
            )
        )
    for v in visits:
        if v.after:
            visits[v.after[0]].children.append(v.idx)
    modes = sorted({s.mode for s in staff})
    travel: dict[str, list[list[int]]] = {}
    if tr["kind"] == "matrix":
        # index of each of our points in the file's list
        file_idx = {}
        for j, p in enumerate(tr["points"]):
            file_idx.setdefault((float(p["lat"]), float(p["lon"])), j)
        order = [file_idx[p] for p in points]
        for m in modes:
            mat = tr["seconds"][m]
            travel[m] = [[int(mat[a][b]) for b in order] for a in order]
    else:
        n = len(points)
        km = [[0.0] * n for _ in range(n)]
        for a in range(n):
            for b in range(a + 1, n):
                km[a][b] = km[b][a] = haversine_km(points[a], points[b])
        det = float(tr["detour_factor"])
        for m in modes:
            sp = float(tr["speeds_kmh"][m])
            travel[m] = [
                [
                    0 if points[a] == points[b] else math.ceil(km[a][b] * det / sp * 3600)
                    for b in range(n)
                ]
                for a in range(n)
            ]
    ob = raw["objective"]
    return Inst(
        raw,
        raw["name"],
        staff,
        visits,
        points,
        travel,
        float(ob["travel_minute"]),
        float(ob["non_preferred_visit"]),
        float(ob["unassigned_visit"]),
        ob.get("overtime_minute"),
        ob.get("late_minute"),
        vid,
        {s.id: s.idx for s in staff},
    )


# ---------------------------------------------------------------- PostgreSQL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThrowAwayCluster:
    """initdb + pg_ctl in a temporary directory on loopback, as .ci/run does;
    `stop()` removes it. As root the server runs as the `postgres` user."""

    def __init__(self, max_connections: int = 200) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
        if not bins:
            raise SystemExit("PostgreSQL is not installed (apt-get install postgresql), "
                             "or give --database-url")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="tillit-bench-pg."))
        self.data = self.dir / "data"
        self.port = free_port()
        self.max_connections = max_connections
        self.as_pg: list[str] = []
        if os.getuid() == 0:
            subprocess.run(["sh", "-c", "id postgres >/dev/null 2>&1 || "
                            "useradd --system --no-create-home postgres"], check=True)
            shutil.chown(self.dir, "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]

    def pg_ctl(self, *args: str) -> None:
        subprocess.run([*self.as_pg, str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
                       check=True, stdout=subprocess.DEVNULL)

    def start(self, database: str = "tillit") -> str:
        """initdb, start and create `database`; its URL."""
        subprocess.run([*self.as_pg, str(self.bin / "initdb"), "-D", str(self.data), "-U",
                        "tillit", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, stdout=subprocess.DEVNULL)
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   f"-c max_connections={self.max_connections} -c shared_buffers=256MB")
        self.pg_ctl("-l", str(self.dir / "log"), "-w", "-o", options, "start")
        subprocess.run([*self.as_pg, str(self.bin / "createdb"), "-h", "127.0.0.1", "-p",
                        str(self.port), "-U", "tillit", database], check=True)
        return f"postgres://tillit@127.0.0.1:{self.port}/{database}"

    def copy_from(self, source_url: str, database: str = "tillit") -> None:
        """Fill `database` (empty) with a copy of another PostgreSQL database
        (pg_dump piped into psql): a migrated schema in seconds."""
        target = f"postgres://tillit@127.0.0.1:{self.port}/{database}"
        dump = subprocess.Popen([str(self.bin / "pg_dump"), "--no-owner", "--no-acl",
                                 source_url], stdout=subprocess.PIPE)
        subprocess.run([str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", target],
                       stdin=dump.stdout, check=True, stdout=subprocess.DEVNULL)
        if dump.wait() != 0:
            raise SystemExit(f"pg_dump of {source_url} failed")

    def restart(self, mode: str) -> None:
        """`pg_ctl restart -m MODE -w` (fast: clients are disconnected and the
        server shuts down cleanly; immediate: it stops without a checkpoint and
        recovers from the WAL on start, as after a crash)."""
        self.pg_ctl("-m", mode, "-w", "restart")

    def stop(self) -> None:
        subprocess.run([*self.as_pg, str(self.bin / "pg_ctl"), "-D", str(self.data),
                        "-m", "fast", "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------- scheduling

BREAK = -1


@dataclass
class Timed:
    """A scheduled route: element list (visit idx or BREAK) with times."""

    staff: int
    elems: list[int]
    arrive: list[int]
    start: list[int]
    leave: int
    back: int
    travel: int
    late: int
    over: int


def schedule(
    inst: Inst,
    s: Staff,
    elems: list[int],
    fixed: dict[int, int] | None = None,
    lo_of: dict[int, int] | None = None,
    hi_of: dict[int, int] | None = None,
) -> Timed | None:
    """Earliest-start schedule of `elems` (visits and at most one BREAK) for staff `s`.

    `fixed` forces visit starts (two-person sync); `lo_of`/`hi_of` narrow windows
    (after-gaps). Returns None when a hard rule fails.
    """
    fixed = fixed or {}
    soft_late = inst.w_late is not None
    t = s.shift[0]
    loc = s.start
    arrive: list[int] = []
    start: list[int] = []
    trav = 0
    late = 0
    for e in elems:
        if e == BREAK:
            if s.brk is None:
                return None
            st = max(t, s.brk[0])
            if st > s.brk[1]:
                return None
            arrive.append(t)
            start.append(st)
            t = st + s.brk[2]
            continue
        v = inst.visits[e]
        d = inst.t(s.mode, loc, v.loc)
        a = t + d
        lo = v.lo if lo_of is None else max(v.lo, lo_of.get(e, v.lo))
        hi = INF if soft_late else v.hi
        if hi_of is not None and e in hi_of:
            hi = min(hi, hi_of[e])
        st = max(a, lo)
        if e in fixed:
            if st > fixed[e]:
                return None
            st = fixed[e]
        if st > hi:
            return None
        if soft_late and st > v.hi:
            late += st - v.hi
        trav += d
        arrive.append(a)
        start.append(st)
        t = st + v.dur
        loc = v.loc
    d = inst.t(s.mode, loc, s.end)
    back = t + d
    trav += d
    over = max(0, back - s.shift[1], (t - s.shift[1]) if elems and elems[-1] == BREAK else 0)
    if over > 0 and inst.w_over is None:
        return None
    if s.brk is not None and BREAK in elems and inst.w_over is None:
        bi = elems.index(BREAK)
        if start[bi] + s.brk[2] > s.shift[1]:
            return None
    return Timed(s.idx, list(elems), arrive, start, s.shift[0], back, trav, late, over)


def route_cost(inst: Inst, tm: Timed) -> float:
    c = inst.w_travel * tm.travel / 60.0
    if inst.w_late is not None:
        c += inst.w_late * tm.late / 60.0
    if inst.w_over is not None:
        c += inst.w_over * tm.over / 60.0
    return c


def with_break(inst: Inst, s: Staff, visits_order: list[int], **kw: Any) -> Timed | None:
    """Place the break at the best feasible slot of a visit sequence."""
    if not visits_order:
        return schedule(inst, s, [], **kw)
    if s.brk is None:
        return schedule(inst, s, visits_order, **kw)
    best: Timed | None = None
    for k in range(len(visits_order) + 1):
        tm = schedule(inst, s, visits_order[:k] + [BREAK] + visits_order[k:], **kw)
        if tm is not None and (best is None or route_cost(inst, tm) < route_cost(inst, best)):
            best = tm
    return best


def plan_dict(inst: Inst, routes: list[Timed], unassigned: dict[int, str]) -> dict[str, Any]:
    """A `tillit.plan/1` dict with its cost computed from the routes."""
    out_routes = []
    travel = late = over = 0
    served: dict[int, list[int]] = {}
    for tm in routes:
        visits_in = [e for e in tm.elems if e != BREAK]
        if not visits_in:
            continue
        s = inst.staff[tm.staff]
        stops = []
        for e, a, st in zip(tm.elems, tm.arrive, tm.start, strict=True):
            if e == BREAK:
                assert s.brk is not None
                stops.append({"break": True, "start": hms(st), "end": hms(st + s.brk[2])})
            else:
                v = inst.visits[e]
                served.setdefault(e, []).append(tm.staff)
                stops.append(
                    {"visit": v.id, "arrive": hms(a), "start": hms(st), "end": hms(st + v.dur)}
                )
        out_routes.append(
            {"staff": s.id, "leave": hms(tm.leave), "stops": stops, "back": hms(tm.back)}
        )
        travel += tm.travel
        late += tm.late
        over += tm.over
    nonpref = 0
    for e, who in served.items():
        v = inst.visits[e]
        if v.preferred and not any(inst.staff[w].id in v.preferred for w in who):
            nonpref += 1
    un = [{"visit": inst.visits[e].id, "reason": r} for e, r in sorted(unassigned.items())]
    cost: dict[str, Any] = {
        "travel_minutes": round(travel / 60.0, 4),
        "non_preferred": nonpref,
        "unassigned": len(un),
        "overtime_minutes": round(over / 60.0, 4),
        "late_minutes": round(late / 60.0, 4),
    }
    total = inst.w_travel * travel / 60.0 + inst.w_pref * nonpref + inst.w_unassigned * len(un)
    if inst.w_over is not None:
        total += inst.w_over * over / 60.0
    if inst.w_late is not None:
        total += inst.w_late * late / 60.0
    cost["total"] = round(total, 4)
    return {
        "format": "tillit.plan/1",
        "instance": inst.name,
        "routes": out_routes,
        "unassigned": un,
        "cost": cost,
    }


# ---------------------------------------------------------------- checking


@dataclass
class Verdict:
    feasible: bool
    violations: list[str]
    cost: dict[str, Any]
    cost_matches: bool
    by: str  # "engine" or "bench"


def engine_checker() -> tuple[Any, Any] | None:
    """(load_instance, check_plan) of the engine, if those modules are there."""
    eng = engine()
    if eng is not None:
        return eng.load_instance, eng.check_plan
    try:
        from tillit.core.planner.check import check_plan
        from tillit.core.planner.load import load_instance
    except ImportError:
        return None
    return load_instance, check_plan


def check(raw: dict[str, Any], plan: dict[str, Any], inst: Inst | None = None) -> Verdict:
    """The engine's `check_plan` when there, else the bench's own checker."""
    ec = engine_checker()
    if ec is not None:
        rep = ec[1](ec[0](raw), plan)
        cost = rep.cost if isinstance(rep.cost, dict) else dict(rep.cost)
        return Verdict(
            bool(rep.feasible),
            [str(x) for x in rep.violations],
            cost,
            bool(rep.cost_matches),
            "engine",
        )
    return bench_check(inst or load(raw), plan)


def bench_check(inst: Inst, plan: dict[str, Any]) -> Verdict:
    """Independent checker of the spec's hard rules and cost (fallback)."""
    bad: list[str] = []
    seen: dict[int, list[tuple[int, int]]] = {}  # visit -> [(staff, start)]
    travel = late = over = 0
    staff_seen: set[str] = set()
    if plan.get("instance") != inst.name:
        bad.append("instance name differs")
    for r in plan["routes"]:
        if r["staff"] not in inst.sid:
            bad.append(f"unknown staff {r['staff']}")
            continue
        if r["staff"] in staff_seen:
            bad.append(f"staff {r['staff']} has two routes")
        staff_seen.add(r["staff"])
        s = inst.staff[inst.sid[r["staff"]]]
        t = tsec(r["leave"])
        if t < s.shift[0]:
            bad.append(f"{s.id} leaves before shift")
        loc = s.start
        breaks = 0
        nvis = 0
        last_break_end = None
        for stop in r["stops"]:
            st, en = tsec(stop["start"]), tsec(stop["end"])
            if stop.get("break"):
                breaks += 1
                if s.brk is None:
                    bad.append(f"{s.id} break without break rule")
                    continue
                if not (s.brk[0] <= st <= s.brk[1]) or en - st < s.brk[2] or st < t:
                    bad.append(f"{s.id} break {stop['start']}-{stop['end']} invalid")
                if inst.w_over is None and en > s.shift[1]:
                    bad.append(f"{s.id} break ends after shift")
                t = en
                last_break_end = en
                continue
            nvis += 1
            last_break_end = None
            if stop["visit"] not in inst.vid:
                bad.append(f"unknown visit {stop['visit']}")
                continue
            v = inst.visits[inst.vid[stop["visit"]]]
            d = inst.t(s.mode, loc, v.loc)
            arr = tsec(stop["arrive"])
            if arr < t + d:
                bad.append(f"{s.id} {v.id}: arrive {stop['arrive']} before possible")
            if st < arr:
                bad.append(f"{s.id} {v.id}: start before arrive")
            if en != st + v.dur:
                bad.append(f"{s.id} {v.id}: wrong end")
            if st < v.lo:
                bad.append(f"{s.id} {v.id}: starts before window")
            if st > v.hi:
                if inst.w_late is None:
                    bad.append(f"{s.id} {v.id}: starts after window")
                else:
                    late += st - v.hi
            if not inst.can_do(s, v):
                bad.append(f"{s.id} {v.id}: not qualified")
            travel += d
            seen.setdefault(v.idx, []).append((s.idx, st))
            t = en
            loc = v.loc
        d = inst.t(s.mode, loc, s.end)
        travel += d
        back = tsec(r["back"])
        if back < t + d:
            bad.append(f"{s.id}: back before possible")
        end_at = max(back, last_break_end or 0)
        if end_at > s.shift[1]:
            if inst.w_over is None:
                bad.append(f"{s.id}: back after shift end")
            over += end_at - s.shift[1]
        if nvis and s.brk is not None and breaks != 1:
            bad.append(f"{s.id}: {breaks} breaks")
    unassigned = {u["visit"] for u in plan["unassigned"]}
    nonpref = 0
    for v in inst.visits:
        got = seen.get(v.idx, [])
        if v.id in unassigned:
            if got:
                bad.append(f"{v.id} both routed and unassigned")
            if v.mandatory:
                bad.append(f"mandatory {v.id} unassigned")
            continue
        if len(got) != v.count or len({g[0] for g in got}) != v.count:
            bad.append(f"{v.id} served {len(got)} times, needs {v.count}")
            continue
        if len({g[1] for g in got}) != 1:
            bad.append(f"{v.id}: two-person starts differ")
        if v.after:
            p = inst.visits[v.after[0]]
            pg = seen.get(p.idx)
            if not pg or p.id in unassigned:
                bad.append(f"{v.id} served but its `after` visit {p.id} is not")
            else:
                gap = got[0][1] - pg[0][1]
                if not (v.after[1] <= gap <= v.after[2]):
                    bad.append(f"{v.id}: gap {gap}s after {p.id} outside bounds")
        if v.preferred and not any(inst.staff[g[0]].id in v.preferred for g in got):
            nonpref += 1
    total = (
        inst.w_travel * travel / 60 + inst.w_pref * nonpref + inst.w_unassigned * len(unassigned)
    )
    if inst.w_over is not None:
        total += inst.w_over * over / 60
    if inst.w_late is not None:
        total += inst.w_late * late / 60
    cost = {
        "total": total,
        "travel_minutes": travel / 60,
        "non_preferred": nonpref,
        "unassigned": len(unassigned),
        "overtime_minutes": over / 60,
        "late_minutes": late / 60,
        "travel_seconds": travel,
    }
    stated = plan["cost"]
    matches = (
        abs(stated["total"] - total) <= 0.01
        and abs(stated["travel_minutes"] - travel / 60) <= 0.01
        and stated["non_preferred"] == nonpref
        and stated["unassigned"] == len(unassigned)
    )
    return Verdict(not bad, bad, cost, matches, "bench")


# ---------------------------------------------------------------- running solvers


def run_isolated(fn: Any, *args: Any, **kw: Any) -> tuple[Any, str | None, float, float]:
    """Run `fn(*args, **kw)` in a forked child: (result, error, wall s, peak RSS MB).

    The child's own peak memory is measured, so one solver's footprint does not
    hide behind another's.
    """
    import multiprocessing
    import time

    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()

    def target() -> None:
        t = time.perf_counter()
        try:
            res, err = fn(*args, **kw), None
        except Exception as e:  # reported, not raised: the table shows it
            res, err = None, f"{type(e).__name__}: {e}"
        q.put((res, err, time.perf_counter() - t, peak_rss_mb()))

    p = ctx.Process(target=target)
    p.start()
    out = q.get()
    p.join()
    return out


def engine_params() -> Any:
    """The engine's parameters for this run: the defaults, changed by
    `TILLIT_BENCH_PARAMS="name=value;name=value"` (names and ranges:
    `tillit.core.planner.params.SolverParams`; tuples comma-separated)."""
    return params_from_text(os.environ.get("TILLIT_BENCH_PARAMS", ""))


def params_from_text(text: str) -> Any:
    """`SolverParams` from `name=value;name=value` (the defaults changed by each pair;
    tuples comma-separated, unknown names refused): the benchmarks' variants."""
    from tillit.core.planner.params import SolverParams

    pairs = dict(item.split("=", 1) for item in text.split(";") if item.strip())
    return SolverParams.from_strings({k.strip(): v.strip() for k, v in pairs.items()})


def engine_solve(raw: dict[str, Any], time_limit: float, seed: int = 0) -> dict[str, Any]:
    eng = engine()
    if eng is None:
        raise RuntimeError("tillit.core.planner has no solve() yet")
    began = time.monotonic()
    inst = eng.load_instance(raw)
    # as `tillit plan` does: the limit covers reading the instance too
    time_limit = max(0.5, time_limit - (time.monotonic() - began))
    plan = eng.solve(inst, time_limit=time_limit, seed=seed, params=engine_params())
    return eng.plan_to_dict(plan)


def solver_fn(name: str) -> Any:
    """name -> fn(raw, time_limit, seed) -> plan dict."""
    if name == "engine":
        return engine_solve
    if name == "ortools":
        from bench.baselines.plain_ortools import solve_ortools

        return lambda raw, tl, seed=0: solve_ortools(raw, tl)
    if name == "greedy":
        from bench.baselines.greedy import solve_greedy

        return lambda raw, tl, seed=0: solve_greedy(raw)
    raise ValueError(f"unknown solver {name}")
