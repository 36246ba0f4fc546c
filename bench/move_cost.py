"""CPU time per ruin-and-recreate move on generated HHCRSP days, at a fixed number of
moves: a measure of the engine's speed that a busy machine does not change much
(CPU time, not wall time), and a check that a change leaves the search as it was.

    .venv/bin/python bench/move_cost.py [--patients 100,300,500] [--moves 40] [--seed 1]
    .venv/bin/python bench/move_cost.py --homecare 120,400   # home-care days (breaks)

For each size: the greedy start (`insert_all` in time order, as the engine's start
phase with lateness allowed), then `--moves` moves of `Lns` from it with seed 0.
Prints one JSON line per size: the CPU seconds of the start and of the moves, CPU per
move, the cost after the moves and a hash of the routes (equal before and after a
change that must not change what the engine decides). `--profile` prints the top of a
cProfile of the moves.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.generator import generate_instance  # noqa: E402
from bench.hhcrsp_generator import file_name, generate  # noqa: E402
from bench.mankowska import parse_text, to_instance  # noqa: E402
from tillit.core.planner import load_instance  # noqa: E402
from tillit.core.planner.candidate import settle  # noqa: E402
from tillit.core.planner.greedy import insert_all  # noqa: E402
from tillit.core.planner.lns import Lns  # noqa: E402
from tillit.core.planner.problem import build_problem  # noqa: E402
from tillit.core.planner.routes import Routes  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", default="100,300,500")
    ap.add_argument("--moves", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1, help="the generated instance's seed")
    ap.add_argument("--homecare", default="",
                    help="visit counts of generated home-care days (bench/generator.py: "
                         "every carer has a break, hard windows) instead of HHCRSP days")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--sort", default="tottime", help="the profile's order (tottime, cumulative)")
    args = ap.parse_args(argv)
    kind = "homecare" if args.homecare else "patients"
    for size in (int(x) for x in (args.homecare or args.patients).split(",")):
        if args.homecare:
            inst = load_instance(generate_instance(size, args.seed))
        else:
            m = parse_text(generate(size, args.seed), file_name(size, args.seed))
            inst = load_instance(to_instance(m))
        problem = build_problem(inst)
        c0 = time.process_time()
        routes = Routes(problem)
        insert_all(problem, routes, [v.id for v in inst.visits])
        start = settle(problem, routes.seqs)
        c1 = time.process_time()
        lns = Lns(problem, start.seqs, 0)
        prof = cProfile.Profile() if args.profile else None
        c2 = time.process_time()
        if prof is not None:
            prof.enable()
        lns.run(time.monotonic() + 1e6, max_iterations=args.moves)
        if prof is not None:
            prof.disable()
        c3 = time.process_time()
        digest = hashlib.sha1(json.dumps(lns.seqs, sort_keys=True).encode()).hexdigest()
        print(json.dumps({kind: size, "visits": len(inst.visits),
                          "start_cost": round(start.cost, 1), "start_cpu_s": round(c1 - c0, 2),
                          "moves": lns.iterations, "moves_cpu_s": round(c3 - c2, 2),
                          "cpu_per_move_s": round((c3 - c2) / max(1, lns.iterations), 4),
                          "cost": round(lns.cost, 1), "routes": digest[:12]}), flush=True)
        if prof is not None:
            pstats.Stats(prof).sort_stats(args.sort).print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
