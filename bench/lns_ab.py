"""A/B of ruin-and-recreate variants at a fixed number of moves on home-care days: the
same start for every variant, several engine seeds, mean and worst final cost.

    .venv/bin/python bench/lns_ab.py [--sizes 120] [--instances 1,2,3,4,5,6,7]
        [--engine-seeds 0,1,2,3,4] [--moves 700] [--variant NAME:key=value;key=value]...
        [--start-params key=value;...]

The start of each day is what the engine hands to ruin and recreate at a 10-s limit
(greedy start, OR-Tools from it for its share of the time, repair), computed once and
kept in a cache file (OR-Tools depends on the clock), so every variant starts from
the same routes. Each variant is a set of `SolverParams` changes (`from_strings`
syntax); `base` (no changes) is always run. A fixed number of moves makes the
comparison independent of the machine's load. Prints one line per run and a table:
per day, each variant's mean and worst cost over the engine seeds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.common import params_from_text  # noqa: E402
from bench.generator import generate_instance  # noqa: E402
from tillit.core.planner import load_instance  # noqa: E402
from tillit.core.planner.lns import Lns  # noqa: E402
from tillit.core.planner.params import SolverParams  # noqa: E402
from tillit.core.planner.problem import build_problem  # noqa: E402
from tillit.core.planner.solver import _repair, _Run, _search, _start, finish_margin  # noqa: E402

LIMITS = {120: 10.0, 400: 30.0}


def start_of(n: int, seed: int, cache: Path, share: float | None,
             start_params: str = "") -> dict[str, list[str]]:
    """The routes ruin and recreate starts from (cached: OR-Tools depends on the clock)."""
    params = params_from_text(start_params)
    if share is not None:
        field = "ortools_share" if n > params.greedy_first_up_to else "ortools_share_small"
        params = params.with_changes(**{field: share})
    tag = "" if share is None else f"-share{share}"
    if start_params:
        tag += "-" + "".join(ch if ch.isalnum() or ch in ".," else "_" for ch in start_params)
    path = cache / f"homecare-start-{n}-{seed}{tag}.json"
    if path.exists():
        return json.loads(path.read_text())
    inst = load_instance(generate_instance(n, seed))
    problem = build_problem(inst)
    limit = LIMITS.get(n, 30.0)
    t0 = time.monotonic()
    run = _Run(problem=problem, params=params, seed=seed, time_limit=limit, t0=t0,
               deadline=t0 + limit - finish_margin(limit, n), stop=None, on_progress=None,
               visit_ids=[v.id for v in inst.visits], staff_ids=[s.id for s in inst.staff])
    best = _start(run)
    found = _repair(run, _search(run, best))
    if found.cost < best.cost:
        best = found
    path.write_text(json.dumps(best.seqs))
    return best.seqs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="120")
    ap.add_argument("--instances", default="1,2,3,4,5,6,7")
    ap.add_argument("--engine-seeds", default="0,1,2,3,4")
    ap.add_argument("--moves", type=int, default=700)
    ap.add_argument("--variant", action="append", default=[],
                    help="NAME:key=value;key=value (SolverParams fields)")
    ap.add_argument("--share", type=float, default=None,
                    help="OR-Tools' share of the time in the start (default: SolverParams')")
    ap.add_argument("--start-params", default="",
                    help="key=value;... SolverParams changes for the start only")
    ap.add_argument("--no-base", action="store_true", help="do not run the defaults")
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "tillit-lns-ab"))
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    variants: list[tuple[str, SolverParams]] = [] if args.no_base else [("base", SolverParams())]
    for spec in args.variant:
        name, _, rest = spec.partition(":")
        variants.append((name, params_from_text(rest)))
    seeds = [int(x) for x in args.engine_seeds.split(",")]
    res: dict[tuple[str, int, int], list[float]] = {}
    for n in (int(x) for x in args.sizes.split(",")):
        for inst_seed in (int(x) for x in args.instances.split(",")):
            seqs = start_of(n, inst_seed, cache, args.share, args.start_params)
            problem = build_problem(load_instance(generate_instance(n, inst_seed)))
            for name, params in variants:
                for es in seeds:
                    c = time.process_time()
                    lns = Lns(problem, seqs, es, params)
                    start_cost = lns.cost
                    lns.run(time.monotonic() + 1e6, max_iterations=args.moves)
                    res.setdefault((name, n, inst_seed), []).append(lns.cost)
                    print(json.dumps({"variant": name, "n": n, "instance": inst_seed,
                                      "engine_seed": es, "start": round(start_cost, 1),
                                      "cost": round(lns.cost, 1),
                                      "cpu_s": round(time.process_time() - c, 1)}), flush=True)
    names = [v for v, _ in variants]
    print()
    print(f"{'day':>8} " + " ".join(f"{v + ' mean/worst':>22}" for v in names))
    days = sorted({(n, s) for _, n, s in res})
    for n, s in days:
        cells = []
        for v in names:
            xs = res.get((v, n, s), [])
            cells.append(f"{statistics.fmean(xs):>10.1f}/{max(xs):>10.1f}" if xs else " " * 21)
        print(f"{n:>4}/{s:<3} " + " ".join(f"{c:>22}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
