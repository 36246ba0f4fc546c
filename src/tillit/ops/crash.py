"""A worker killed mid-write (issue #18, crash safety).

The test starts this module as a child process (the server's stand-in: it
runs the same service functions a request runs), waits for a number of
acknowledged writes and kills it with SIGKILL, in the middle of the next one.
Another child then checks what the database holds:

    python -m tillit.ops.crash plan-saves PLAN_ID
        saves the plan again and again (`do_store_plan_change`), printing
        "ack VERSION" after each commit;
    python -m tillit.ops.crash check-plan PLAN_ID
        prints the plan's version and whether its assignments are exactly
        the ones its routes name (a half-saved plan would have none, or
        the old ones);
    python -m tillit.ops.crash reports USER_ID SEED VISIT_ID...
        reports visits with report ids derived from SEED and a counter
        (`do_report_visit`), every third one resending an earlier id (a
        phone retrying), printing "sent ID" before and "ack ID" after;
    python -m tillit.ops.crash resend USER_ID SEED COUNT VISIT_ID...
        prints, for the first COUNT ids of SEED, how many rows each has,
        resends them all (the phone's queue after the crash), and prints how
        many were new and the rows again.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections import Counter

NAMESPACE = uuid.UUID("0b5a1f63-6f0e-4c43-9d8e-6a1c2f1d0e18")


def report_id(seed: str, n: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{seed}-{n}")


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def save_plan(plan_id: int) -> int:
    """Save the plan's routes again at the version just read (a planner's
    save, `do_store_plan_change`); the version saved. Raises PlanConflict
    when someone saved since the read."""
    from tillit.planning import services
    from tillit.planning.models import Plan

    plan = Plan.objects.get(pk=plan_id)
    return services.do_store_plan_change(plan, plan.plan, plan.version).version


def plan_saves(plan_id: int) -> None:
    while True:
        _say(f"ack {save_plan(plan_id)}")


def check_plan(plan_id: int) -> dict[str, object]:
    from tillit.planning.models import Assignment, Plan
    from tillit.planning.services import _assignments

    plan = Plan.objects.get(pk=plan_id)
    stored = Counter(Assignment.objects.filter(plan=plan).values_list("visit_id", "employee_id"))
    named = Counter((a.visit_id, a.employee_id) for a in _assignments(plan, plan.plan))
    return {"version": plan.version, "assignments": sum(stored.values()),
            "whole": stored == named and bool(named)}


def send_report(user, visit_ids: list[int], n: int, seed: str):
    """Report number `n` of `seed` (`do_report_visit`, a visit of
    `visit_ids` in turn); (report, created)."""
    from tillit.daylist import services

    visit = visit_ids[n % len(visit_ids)]
    return services.do_report_visit(user, visit, report_id=report_id(seed, n), done=True,
                                    time_fit="fitted", note=f"Rapport {n}")


def reports(user_id: int, seed: str, visit_ids: list[int]) -> None:
    from tillit.accounts.models import User

    user = User.objects.get(pk=user_id)
    n = 0
    while True:
        if n % 3 == 2:  # a retry of an acknowledged report
            send_report(user, visit_ids, n - 2, seed)
        _say(f"sent {n}")
        send_report(user, visit_ids, n, seed)
        _say(f"ack {n}")
        n += 1


def resend(user_id: int, seed: str, count: int, visit_ids: list[int]) -> dict[str, object]:
    """What the database held after the crash, then the phone's queue sent
    again, then what it holds."""
    from tillit.accounts.models import User

    user = User.objects.get(pk=user_id)
    before = check_reports(seed, count)["rows"]
    new = sum(1 for n in range(count) if send_report(user, visit_ids, n, seed)[1])
    return {"before": before, "new": new, "after": check_reports(seed, count)["rows"]}


def check_reports(seed: str, count: int) -> dict[str, list[int]]:
    from tillit.daylist.models import VisitReport

    ids = [report_id(seed, n) for n in range(count)]
    rows = Counter(VisitReport.objects.filter(report_id__in=ids)
                   .values_list("report_id", flat=True))
    return {"rows": [rows.get(i, 0) for i in ids]}


def main(argv: list[str] | None = None) -> int:
    import django

    args = sys.argv[1:] if argv is None else argv
    django.setup()
    command, rest = args[0], args[1:]
    if command == "plan-saves":
        plan_saves(int(rest[0]))
    elif command == "check-plan":
        _say(json.dumps(check_plan(int(rest[0]))))
    elif command == "reports":
        reports(int(rest[0]), rest[1], [int(v) for v in rest[2:]])
    elif command == "resend":
        _say(json.dumps(resend(int(rest[0]), rest[1], int(rest[2]), [int(v) for v in rest[3:]])))
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
