"""Fixed-move runs of the engine: the same plan on any machine, for checking that a
change to the engine's code leaves its search as it was.

    .venv/bin/python bench/fixed_moves.py [--moves 300] [--only NAME]

Runs `solve` with `SolverParams(max_moves=N)` and a time limit far above what the
moves need, on a few fixed cases (three published HHCRSP files and two generated
home-care days with lateness allowed, which take the greedy start and ruin and
recreate only: OR-Tools and PyVRP are time-boxed), seeds 0 and 3, and prints one
JSON line per run: the plan's cost, a hash of its routes and the checker's
verdict. Run it before and after a change and compare the lines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.generator import generate_instance  # noqa: E402
from bench.mankowska import DATA, parse, to_instance  # noqa: E402
from tillit.core.planner import check_plan, load_instance, plan_to_dict, solve  # noqa: E402
from tillit.core.planner.params import SolverParams  # noqa: E402

SOFT = {"travel_minute": 1, "non_preferred_visit": 10, "unassigned_visit": 1000,
        "overtime_minute": 1, "late_minute": 2}
FILES = ("InstanzCPLEX_HCSRP_10_1.txt", "InstanzCPLEX_HCSRP_25_3.txt",
         "InstanzCPLEX_HCSRP_50_2.txt")


def cases() -> list[tuple[str, dict]]:
    out = [(f, to_instance(parse(DATA / "instances" / f))) for f in FILES]
    for seed in (1, 2):
        out.append((f"gen60-soft-{seed}",
                    generate_instance(60, seed, objective=SOFT, two_person_share=0.15)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--moves", type=int, default=300)
    ap.add_argument("--only", default="", help="run only the cases whose name holds this")
    args = ap.parse_args(argv)
    params = SolverParams(max_moves=args.moves)
    for name, data in cases():
        if args.only not in name:
            continue
        for seed in (0, 3):
            inst = load_instance(data)
            t = time.monotonic()
            plan = solve(inst, 10_000, seed=seed, params=params)
            out = plan_to_dict(plan)
            digest = hashlib.sha1(json.dumps(out["routes"], sort_keys=True).encode())
            print(json.dumps({"case": name, "seed": seed, "cost": out["cost"]["total"],
                              "routes": digest.hexdigest()[:12],
                              "ok": check_plan(inst, out).ok,
                              "s": round(time.monotonic() - t, 1)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
