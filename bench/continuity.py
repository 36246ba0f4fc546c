"""Benchmark: continuity of care over 28 consecutive days for one district.

Builds the demo city (scale 0.05 by default) and plans one district's team
day by day for the 28 rostered days (day and evening shift), twice: with
continuity (a client's preferred staff = primary contacts, then the carers
of the last 28 days, most visits first) and without (primary contacts
only). Prints, per run, the median and 90th percentile of distinct carers
per client over the 28 days (clients with at least 10 planned visits), and
the travel minutes. Targets: median at most 6 with continuity, and at most
5 % more travel than without.

    .venv/bin/python bench/continuity.py [--district sagene] [--scale 0.05]
        [--time-limit 1.5] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time

from planning_city import demo_city, percentile

TARGET_MEDIAN = 6
TARGET_EXTRA_TRAVEL = 0.05


def run(team, first: dt.date, days: int, time_limit: float, continuity: bool, seed: int):
    from tillit.planning import runner, services
    from tillit.planning.continuity import distinct_carers_many
    from tillit.planning.models import Assignment, Plan, ShiftKind

    Plan.objects.filter(team=team).update(is_current=False)
    Assignment.objects.filter(plan__team=team).delete()
    Plan.objects.filter(team=team).delete()
    travel = 0.0
    unassigned = 0
    visits = 0
    started = time.perf_counter()
    for n in range(days):
        day = first + dt.timedelta(days=n)
        for shift in (ShiftKind.DAY, ShiftKind.EVENING):
            services.do_generate_day(team, day, shift)
            plan = services.do_queue_plan(team, day, shift, time_limit=time_limit, enqueue=False)
            plan = runner.run_plan(plan.pk, seed=seed, continuity=continuity)
            if plan.status != Plan.Status.DONE:
                print(f"  {day} {shift}: {plan.error}")
                continue
            travel += plan.plan["cost"]["travel_minutes"]
            unassigned += plan.plan["cost"]["unassigned"]
            visits += len(plan.instance["visits"])
    last = first + dt.timedelta(days=days - 1)
    served = (Assignment.objects.filter(plan__team=team, plan__is_current=True)
              .values("visit__client_id").order_by())
    from django.db.models import Count

    busy = [r["visit__client_id"] for r in served.annotate(n=Count("visit", distinct=True))
            .filter(n__gte=10)]
    counts = list(distinct_carers_many(busy, last, days).values())
    return {
        "median": statistics.median(counts) if counts else float("nan"),
        "p90": percentile(counts, 90), "clients": len(counts), "travel": travel,
        "unassigned": unassigned, "visits": visits, "seconds": time.perf_counter() - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--district", default="sagene")
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--time-limit", type=float, default=1.5)
    parser.add_argument("--non-preferred", type=float, default=None,
                        help="objective weight of a non-preferred visit (default: the app's)")
    parser.add_argument("--preferred-limit", type=int, default=None,
                        help="names in preferred_staff (default: the app's)")
    args = parser.parse_args()

    today, build_seconds = demo_city(args.scale, args.seed)
    from tillit.planning import instance as planning_instance

    if args.non_preferred is not None:
        planning_instance.OBJECTIVE = {**planning_instance.OBJECTIVE,
                                       "non_preferred_visit": args.non_preferred}
    if args.preferred_limit is not None:
        planning_instance.PREFERRED_LIMIT = args.preferred_limit
    print(f"non_preferred_visit {planning_instance.OBJECTIVE['non_preferred_visit']:g}, "
          f"preferred_staff at most {planning_instance.PREFERRED_LIMIT}")
    from tillit.organisation.models import Team
    from tillit.planning.demo_data import ROSTER_DAYS_BEFORE

    team = Team.objects.filter(district__slug=args.district).order_by("pk").first()
    first = today - dt.timedelta(days=ROSTER_DAYS_BEFORE)
    print(f"demo city scale {args.scale} built in {build_seconds:.1f} s; team {team}, "
          f"{args.days} days from {first}, day and evening shift, {args.time_limit:g} s each")
    results = {}
    for label, continuity in (("without continuity", False), ("with continuity", True)):
        results[label] = run(team, first, args.days, args.time_limit, continuity, args.seed)
    print(f"{'run':20} {'clients':>7} {'median':>7} {'p90':>5} {'travel min':>11} "
          f"{'unassigned':>10} {'visits':>7} {'seconds':>8}")
    for label, r in results.items():
        print(f"{label:20} {r['clients']:7d} {r['median']:7.1f} {r['p90']:5.0f} "
              f"{r['travel']:11.0f} {r['unassigned']:10d} {r['visits']:7d} {r['seconds']:8.1f}")
    base, cont = results["without continuity"], results["with continuity"]
    extra = cont["travel"] / base["travel"] - 1 if base["travel"] else 0.0
    ok_median = cont["median"] <= TARGET_MEDIAN
    ok_travel = extra <= TARGET_EXTRA_TRAVEL
    print(f"target: median distinct carers <= {TARGET_MEDIAN}: "
          f"{'met' if ok_median else 'NOT met'} ({cont['median']:.1f})")
    print(f"target: extra travel <= {TARGET_EXTRA_TRAVEL:.0%}: "
          f"{'met' if ok_travel else 'NOT met'} ({extra:+.1%})")
    return 0 if ok_median and ok_travel else 1


if __name__ == "__main__":
    sys.exit(main())
