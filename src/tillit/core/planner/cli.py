"""`tillit plan` and `tillit check-plan` (dispatched from tillit.cli)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tillit.core.planner.check import check_plan
from tillit.core.planner.errors import InfeasibleError, InstanceError
from tillit.core.planner.load import load_instance
from tillit.core.planner.model import Progress
from tillit.core.planner.result import plan_to_dict
from tillit.core.planner.solver import solve

EXIT_OK, EXIT_INFEASIBLE, EXIT_INVALID = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INVALID)


def plan_command(argv: list[str]) -> int:
    parser = _Parser(prog="tillit plan", description="Plan one day (planning-format.md).")
    parser.add_argument("instance", help="instance JSON file")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", help="write the plan here (default: stdout)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    began = time.monotonic()
    try:
        instance = load_instance(args.instance)
    except InstanceError as exc:
        print(f"invalid instance: {exc}", file=sys.stderr)
        return EXIT_INVALID
    # the time limit covers the whole command: reading the instance counts too
    time_limit = max(0.5, args.time_limit - (time.monotonic() - began))

    stop = threading.Event()
    last = [0.0]

    def progress(p: Progress) -> None:
        if args.quiet:
            return
        now = time.monotonic()
        if now - last[0] < 1.0 and p.phase in ("search", "improve"):
            return
        last[0] = now
        un = f", {p.unassigned} unassigned" if p.unassigned >= 0 else ""
        print(f"[{p.phase}] best cost {p.best_cost:.2f}{un}, {p.time_left:.0f} s left",
              file=sys.stderr, flush=True)

    def on_sigint(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("interrupted: stopping and writing the best plan so far", file=sys.stderr)

    old = None
    if threading.current_thread() is threading.main_thread():
        old = signal.signal(signal.SIGINT, on_sigint)
    try:
        plan = solve(instance, time_limit, seed=args.seed, on_progress=progress, stop=stop)
    except InfeasibleError as exc:
        print(f"infeasible: mandatory visit {exc.visit_id} cannot be covered: {exc.reason}",
              file=sys.stderr)
        return EXIT_INFEASIBLE
    finally:
        if old is not None:
            signal.signal(signal.SIGINT, old)
    data = plan_to_dict(plan)
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if not args.quiet:
        c = data["cost"]
        print(f"plan: cost {c['total']:.2f}, travel {c['travel_minutes']:.1f} min, "
              f"{c['unassigned']} unassigned, {c['non_preferred']} non-preferred",
              file=sys.stderr)
    return EXIT_OK


def check_command(argv: list[str]) -> int:
    parser = _Parser(prog="tillit check-plan",
                     description="Check a plan against its instance and recompute its cost.")
    parser.add_argument("instance")
    parser.add_argument("plan")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        instance = load_instance(args.instance)
    except InstanceError as exc:
        print(f"invalid instance: {exc}", file=sys.stderr)
        return EXIT_INVALID
    try:
        plan = json.loads(Path(args.plan).read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"cannot read plan {args.plan}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID
    except json.JSONDecodeError as exc:
        print(f"invalid plan {args.plan}: malformed JSON: {exc}", file=sys.stderr)
        return EXIT_INVALID
    report = check_plan(instance, plan)
    if args.json:
        print(json.dumps(report.to_dict(), indent=1))
    else:
        for v in report.violations:
            print(f"violation: {v}")
        for d in report.cost_differences:
            print(f"cost mismatch: {d}")
        cost = ", ".join(f"{k} {v}" for k, v in report.cost.items())
        print(f"recomputed cost: {cost}")
        verdict = "feasible" if report.feasible else f"INFEASIBLE ({len(report.violations)})"
        match = "stated cost matches" if report.cost_matches else "stated cost DIFFERS"
        print(f"{verdict}; {match}")
    return EXIT_OK if report.ok else EXIT_INFEASIBLE
