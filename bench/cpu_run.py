"""The engine's time-boxed run on generated HHCRSP days, boxed by CPU seconds instead of
wall seconds: variants compared at equal CPU on a shared machine, where a wall-clock
run's result depends on the CPU it happens to get.

    .venv/bin/python bench/cpu_run.py [--patients 300,500] [--instance-seed 1]
        [--engine-seeds 0,1] [--cpu 60] [--variant NAME:key=value;key=value]...
    .venv/bin/python bench/cpu_run.py bench/data/hhcrsp-mankowska/instances/X.txt ... --cpu 20

Every clock the engine reads (`time.monotonic`) is the process's CPU clock in this
script, so `solve_result(instance, time_limit=--cpu)` is the engine's own run (every
phase, the same schedule of the annealing over the limit) as if it had had one core to
itself. Each variant is a set of `SolverParams` changes (`from_strings` syntax); `base`
(the defaults) is always run. Prints one JSON line per run: the start's cost, the
engine's cost after 1/3, 2/3 and all of the limit (from the run's trace of the best),
moves, the paper's objective of the plan and the checker's verdict; then a table of
the final objectives.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.common import check, params_from_text  # noqa: E402
from bench.hhcrsp_generator import file_name, generate  # noqa: E402
from bench.mankowska import evaluate, parse, parse_text, to_instance  # noqa: E402
from tillit.core.planner import load_instance, plan_to_dict  # noqa: E402
from tillit.core.planner.solver import solve_result  # noqa: E402


def cost_at(trace: tuple[tuple[float, float], ...], t: float) -> float | None:
    """The best cost found by `t` seconds (None: nothing yet)."""
    got = None
    for at, c in trace:
        if at <= t:
            got = c
    return got


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="published HHCRSP files instead of generated days")
    ap.add_argument("--patients", default="300,500")
    ap.add_argument("--instance-seed", type=int, default=1)
    ap.add_argument("--engine-seeds", default="0,1")
    ap.add_argument("--cpu", type=float, default=60.0, help="the limit, in CPU seconds")
    ap.add_argument("--variant", action="append", default=[],
                    help="NAME:key=value;key=value (SolverParams changes)")
    ap.add_argument("--no-base", action="store_true", help="run only the variants given")
    args = ap.parse_args(argv)
    variants = [] if args.no_base else [("base", "")]
    for v in args.variant:
        name, _, text = v.partition(":")
        variants.append((name, text))
    # every clock the engine reads is this process's CPU clock (until the runs end)
    wall = time.monotonic
    time.monotonic = time.process_time  # type: ignore[assignment]
    try:
        table = _runs(args, variants)
    finally:
        time.monotonic = wall  # type: ignore[assignment]
    print("\n| day | variant | objectives (by engine seed) | mean |\n|---|---|---|---|")
    for (day, name), objs in table.items():
        print(f"| {day} | {name} | {', '.join(f'{o:.1f}' for o in objs)} | "
              f"{statistics.mean(objs):.1f} |")
    return 0


def _runs(args: argparse.Namespace,
          variants: list[tuple[str, str]]) -> dict[tuple[str, str], list[float]]:
    table: dict[tuple[str, str], list[float]] = {}
    days = ([(Path(f).name, lambda f=f: parse(f)) for f in args.files] if args.files else
            [(str(size), lambda size=size: parse_text(generate(size, args.instance_seed),
                                                      file_name(size, args.instance_seed)))
             for size in (int(x) for x in args.patients.split(","))])
    for day, read in days:
        m = read()
        raw = to_instance(m)
        for seed in (int(x) for x in args.engine_seeds.split(",")):
            for name, text in variants:
                params = params_from_text(text)
                inst = load_instance(raw)
                res = solve_result(inst, time_limit=args.cpu, seed=seed, params=params)
                plan = plan_to_dict(res.plan)
                ev = evaluate(m, plan)
                verdict = check(raw, plan)
                tr = res.stats.best_trace
                line = {
                    "instance": m["name"], "variant": name, "seed": seed, "cpu": args.cpu,
                    "start_cost": round(res.stats.start_cost, 1),
                    "start_cpu_s": round(res.stats.phases[0].seconds, 2),
                    **{f"cost_at_{round(f * args.cpu)}": round(c, 1) if c is not None else None
                       for f in (1 / 3, 2 / 3) for c in (cost_at(tr, f * args.cpu),)},
                    "cost": round(res.cost, 1), "moves": res.stats.iterations,
                    "objective": ev["objective"], "distance": ev["distance"],
                    "total_tardiness": ev["total_tardiness"],
                    "check": "ok" if verdict.feasible and verdict.cost_matches
                    else "; ".join(verdict.violations[:3]),
                }
                print(json.dumps(line), flush=True)
                table.setdefault((day, name), []).append(ev["objective"])
    return table


if __name__ == "__main__":
    raise SystemExit(main())
