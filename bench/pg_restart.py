"""Benchmark: restart PostgreSQL under load (issue #18, reliability).

Starts a throw-away PostgreSQL cluster (`bench.common.ThrowAwayCluster`; never
the one the tests share), migrates it and builds a light day shift on it
(`bench/shift_start_data.py`: a few carers with today's visits, one current
plan per team of ten). Then worker processes write for `--seconds`:

- report workers, one per carer: visit reports one after another
  (`tillit.ops.crash.send_report`, i.e. `do_report_visit`), every third one
  resending an earlier, acknowledged id (a phone retrying);
- plan workers: save the plan again and again at the version they just read
  (`tillit.ops.crash.save_plan`, i.e. `do_store_plan_change`); two or more on
  one plan also conflict with each other, as two planners would.

Each write runs as a request does (Django's request_started and
request_finished signals around it, so persistent connections are checked and
closed as the server would); a write that fails with a database error is sent
again after a short pause, with the same report id, as the phone's offline
queue keeps a report the server failed and sends it again (the phone waits
30 s; here 0.2 s). Meanwhile PostgreSQL is restarted (`pg_ctl restart -m
fast`, and `-m immediate`: no checkpoint, crash recovery from the WAL on
start) at even intervals.

Afterwards it checks: every acknowledged report stored exactly once, no
report id twice, no stray report; every plan's assignments exactly those its
routes name; no plan version acknowledged twice; each plan's version moved by
the acknowledged saves plus at most the saves whose answer was lost to a
dropped connection. It prints the requests, the errors seen by kind around
each restart, how long until every worker wrote again, and acked / lost /
duplicated, and exits non-zero if an invariant breaks, a write was given up,
or a worker failed otherwise.

    .venv/bin/python bench/pg_restart.py              # 60 s, 4 restarts
    .venv/bin/python bench/pg_restart.py --seconds 15 --restarts fast,immediate \
        --schema-from postgres://tillit@127.0.0.1:54329/tillit_migrated     # .ci/run
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.common import ThrowAwayCluster  # noqa: E402

RETRY_PAUSE = 0.2  # seconds before a failed write is sent again
GIVE_UP_AFTER = 60.0  # seconds past the end of the load a write may still be retried
STALE = ("terminated by the shutdown", "connection closed by the server",
         "connection already closed", "connection lost")
MAX_WRITES = 100_000  # a bound on each worker's loop besides the time


@dataclass
class WorkerResult:
    kind: str  # "reports" or "plan"
    name: str
    attempts: int = 0
    acks: list[tuple[float, int]] = field(default_factory=list)  # (time, report n / version)
    resends: int = 0  # acknowledged reports sent again on purpose (answered, not stored)
    errors: list[tuple[float, str]] = field(default_factory=list)  # (write began, kind)
    conflicts: int = 0  # plan saves refused: another worker saved since the read
    sent: int = 0  # report numbers 0..sent-1 were sent
    given_up: list[int] = field(default_factory=list)
    failure: str = ""  # an error that is not the database's


def error_kind(error: BaseException) -> str:
    """A short name for a database error's cause."""
    text = str(error).lower()
    for needle, kind in (
        ("terminating connection due to administrator command", "terminated by the shutdown"),
        ("the database system is shutting down", "server shutting down"),
        ("the database system is starting up", "server starting up"),
        ("the database system is not yet accepting", "server recovering"),
        ("the database system is in recovery mode", "server recovering"),
        ("connection refused", "connection refused"),
        ("no such file or directory", "connection refused"),
        ("server closed the connection unexpectedly", "connection closed by the server"),
        ("consuming input failed", "connection closed by the server"),
        ("connection already closed", "connection already closed"),
        ("the connection is closed", "connection already closed"),
        ("connection is lost", "connection lost"),
        ("ssl syscall", "connection lost"),
    ):
        if needle in text:
            return f"{type(error).__name__}: {kind}"
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first[:70]}"


def as_request(write):  # noqa: ANN001, ANN201 (any write, any answer)
    """Run `write()` between the signals Django sends around a request: its
    connection handling (CONN_MAX_AGE, CONN_HEALTH_CHECKS, closing a
    connection that failed) is the server's."""
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        return write()
    finally:
        request_finished.send(sender=None)


def run_worker(result: WorkerResult, until: float, think: float, write,  # noqa: ANN001
               queue) -> None:  # noqa: ANN001
    """The worker's loop: `write(n)` returns what to acknowledge, or None
    for a conflict; database errors are retried with the same n. Between
    writes it waits a random 0 to 2 × `think` seconds (a carer between two
    visits): a worker may sit idle through a whole restart, holding a
    connection the server has closed."""
    import psycopg
    from django.db import DatabaseError, InterfaceError

    # psycopg's own errors too, should one get past Django's wrapping: to the
    # phone any of them is a failed request to send again.
    retried = (DatabaseError, InterfaceError, psycopg.Error)
    rng = random.Random(result.name)
    try:
        n = 0
        while time.monotonic() < until and n < MAX_WRITES:
            if n:
                time.sleep(rng.uniform(0, 2 * think))
            result.sent = n + 1
            while True:
                result.attempts += 1
                began = time.monotonic()
                try:
                    answer = as_request(lambda n=n: write(n))
                except retried as error:
                    result.errors.append((began, error_kind(error)))
                    if time.monotonic() > until + GIVE_UP_AFTER:
                        result.given_up.append(n)
                        break
                    time.sleep(RETRY_PAUSE)
                    continue
                if answer is None:
                    result.conflicts += 1
                else:
                    result.acks.append((time.monotonic(), answer))
                break
            n += 1
    except Exception as error:  # noqa: BLE001 (reported: the run fails)
        result.failure = f"{type(error).__name__}: {error}"
    queue.put(result)


def report_worker(name: str, user_id: int, visit_ids: list[int], until: float,
                  think: float, queue) -> None:  # noqa: ANN001
    from tillit.accounts.models import User
    from tillit.ops import crash

    result = WorkerResult("reports", name)
    user = as_request(lambda: User.objects.get(pk=user_id))

    def write(n: int) -> int:
        if n % 3 == 2:  # an acknowledged report sent again: answered, not stored
            crash.send_report(user, visit_ids, n - 2, name)
            result.resends += 1
        crash.send_report(user, visit_ids, n, name)
        return n

    run_worker(result, until, think, write, queue)


def plan_worker(name: str, plan_id: int, until: float, think: float,
                queue) -> None:  # noqa: ANN001
    from tillit.ops import crash
    from tillit.planning.errors import PlanConflict

    def write(_n: int) -> int | None:
        try:
            return crash.save_plan(plan_id)
        except PlanConflict:
            return None

    run_worker(WorkerResult("plan", name), until, think, write, queue)


# The checks -------------------------------------------------------------------

def check_invariants(results: list[WorkerResult], plans: dict[int, int],
                     plan_of: dict[str, int]) -> tuple[list[str], dict[str, int]]:
    """(broken invariants, figures). `plans`: plan id -> version before the
    load; `plan_of`: plan worker name -> its plan id."""
    from tillit.daylist.models import VisitReport
    from tillit.ops import crash
    from tillit.planning.models import Plan

    broken: list[str] = []
    acked = lost = duplicated = in_doubt = saves = moved_in_all = 0
    all_ids = []
    for r in results:
        if r.kind != "reports":
            continue
        rows = crash.check_reports(r.name, r.sent)["rows"]
        all_ids += [crash.report_id(r.name, n) for n in range(r.sent)]
        numbers = {n for _t, n in r.acks}
        acked += len(numbers)
        lost_here = [n for n in numbers if rows[n] == 0]
        lost += len(lost_here)
        duplicated += sum(1 for count in rows if count > 1)
        in_doubt += len(r.given_up)
        if lost_here:
            broken.append(f"{r.name}: acknowledged reports lost: {lost_here[:10]}")
        if any(count > 1 for count in rows):
            broken.append(f"{r.name}: report ids stored twice")
        not_acked = [n for n in range(r.sent) if n not in numbers and n not in r.given_up]
        if any(rows[n] for n in not_acked):
            broken.append(f"{r.name}: reports stored that were never sent to the end")
    stray = VisitReport.objects.exclude(report_id__in=all_ids).count()
    if stray:
        broken.append(f"{stray} reports stored under ids no worker sent")
    for plan_id, before in plans.items():
        state = crash.check_plan(plan_id)
        if not state["whole"]:
            broken.append(f"plan {plan_id}: its assignments are not those its routes name")
        workers = [r for r in results if r.kind == "plan" and plan_of[r.name] == plan_id]
        versions = [v for r in workers for _t, v in r.acks]
        if len(versions) != len(set(versions)):
            broken.append(f"plan {plan_id}: a version acknowledged twice")
        errors = sum(len(r.errors) for r in workers)
        moved = int(state["version"]) - before
        saves += len(versions)
        moved_in_all += moved
        if not len(versions) <= moved <= len(versions) + errors:
            broken.append(f"plan {plan_id}: version moved {moved} for {len(versions)} "
                          f"acknowledged saves and {errors} failed ones")
        if versions and int(state["version"]) < max(versions):
            broken.append(f"plan {plan_id}: version {state['version']} below an "
                          f"acknowledged {max(versions)}")
        team = Plan.objects.get(pk=plan_id).team_id
        if Plan.objects.filter(team_id=team, date=Plan.objects.get(pk=plan_id).date,
                               shift="day", is_current=True).count() != 1:
            broken.append(f"plan {plan_id}: not the team's one current plan")
    figures = {"acked": acked, "lost": lost, "duplicated": duplicated, "given up": in_doubt,
               "stray": stray, "plan saves acked": saves, "plan versions moved": moved_in_all}
    return broken, figures


# The run ------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load")
    parser.add_argument("--restarts", default="fast,immediate,fast,immediate",
                        help="restart modes in order, at even intervals")
    parser.add_argument("--carers", type=int, default=4,
                        help="carers (one report worker each), in one team up to ten")
    parser.add_argument("--plan-workers", type=int, default=2,
                        help="workers saving the plans (shared out over them)")
    parser.add_argument("--conn-max-age", type=int, default=60,
                        help="TILLIT_DB_CONN_MAX_AGE of the workers (0: a connection a "
                             "request)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a report worker waits between two reports "
                             "(plan workers a quarter of it)")
    parser.add_argument("--schema-from", default=None, metavar="URL",
                        help="a migrated, empty PostgreSQL database to copy into the "
                             "throw-away cluster instead of migrating it (saves the "
                             "migrations' half minute; .ci/run)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.restarts.split(",") if m.strip()]
    if any(m not in {"smart", "fast", "immediate"} for m in modes):
        parser.error("--restarts takes fast, immediate (or smart), comma-separated")

    begun = time.monotonic()
    var = Path(tempfile.mkdtemp(prefix="tillit-bench-var."))
    cluster = ThrowAwayCluster(max_connections=100)
    workers: list[multiprocessing.process.BaseProcess] = []
    try:
        database_url = cluster.start()
        os.environ.update({
            "TILLIT_PROFILE": "production", "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
            "TILLIT_AUDIT_KEY": secrets.token_urlsafe(48), "TILLIT_VAR_DIR": str(var),
            "DJANGO_SETTINGS_MODULE": "tillit.settings",
            "TILLIT_DB_CONN_MAX_AGE": str(args.conn_max_age)})
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth.hashers import make_password
        from django.core.management import call_command
        from django.db import connection

        from bench.shift_start_data import build_light
        from tillit.planning.models import Assignment, Plan

        # The setup need not survive a crash of the machine; the load does.
        with connection.cursor() as cursor:
            cursor.execute("ALTER SYSTEM SET fsync = off")
            cursor.execute("SELECT pg_reload_conf()")
        if args.schema_from:
            cluster.copy_from(args.schema_from)
        call_command("migrate", verbosity=0)
        shift = build_light(args.carers, make_password(secrets.token_urlsafe(16)),
                            seed=args.seed)
        with connection.cursor() as cursor:
            cursor.execute("ALTER SYSTEM RESET fsync")
            cursor.execute("SELECT pg_reload_conf()")
        plans = dict(Plan.objects.filter(pk__in=shift.plan_ids).values_list("pk", "version"))
        lists = {
            user_id: list(Assignment.objects.filter(
                plan_id__in=shift.plan_ids, employee__user_id=user_id)
                .order_by("order").values_list("visit_id", flat=True))
            for user_id in shift.user_ids}
        health = settings.DATABASES["default"].get("CONN_HEALTH_CHECKS", False)
        print(f"cluster, migrations and a light day shift in {time.monotonic() - begun:.0f} s: "
              f"{len(shift.user_ids)} carers, {shift.assigned} visits on their lists, "
              f"{len(plans)} plan(s); CONN_MAX_AGE {args.conn_max_age}, "
              f"CONN_HEALTH_CHECKS {health}", flush=True)
        connection.close()

        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        start = time.monotonic() + 1.0
        until = start + args.seconds
        plan_of: dict[str, int] = {}
        for n, (user_id, visits) in enumerate(lists.items()):
            if visits:
                workers.append(ctx.Process(target=report_worker,
                                           args=(f"carer-{n + 1}", user_id, visits, until,
                                                 args.think, queue)))
        plan_ids = sorted(plans)
        for n in range(args.plan_workers):
            name = f"planner-{n + 1}"
            plan_of[name] = plan_ids[n % len(plan_ids)]
            workers.append(ctx.Process(target=plan_worker,
                                       args=(name, plan_of[name], until, args.think / 4,
                                             queue)))
        for worker in workers:
            worker.start()

        restarts: list[tuple[str, float, float]] = []  # (mode, began, server up again)
        gap = args.seconds / (len(modes) + 1)
        for k, mode in enumerate(modes):
            time.sleep(max(0.0, start + gap * (k + 1) - time.monotonic()))
            began = time.monotonic()
            cluster.restart(mode)
            restarts.append((mode, began, time.monotonic()))
            print(f"restart {k + 1} (-m {mode}): the server was back after "
                  f"{time.monotonic() - began:.2f} s", flush=True)

        results: list[WorkerResult] = []
        for _worker in workers:
            results.append(queue.get(timeout=args.seconds + GIVE_UP_AFTER + 120))
        for worker in workers:
            worker.join(timeout=30)
        results.sort(key=lambda r: (r.kind, r.name))

        broken, figures = check_invariants(results, plans, plan_of)
        return report(results, restarts, until, broken, figures, args)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
        cluster.stop()
        shutil.rmtree(var, ignore_errors=True)


def report(results: list[WorkerResult], restarts: list[tuple[str, float, float]],
           until: float, broken: list[str], figures: dict[str, int],
           args: argparse.Namespace) -> int:
    attempts = sum(r.attempts for r in results)
    errors = [e for r in results for e in r.errors]
    print(f"\n{len(results)} workers for {args.seconds:.0f} s: {attempts} writes sent "
          f"(with retries), {sum(len(r.acks) for r in results)} acknowledged, "
          f"{sum(r.resends for r in results)} acknowledged reports resent on purpose, "
          f"{sum(r.conflicts for r in results)} plan-save conflicts, {len(errors)} database "
          f"errors")
    print(f"{'restart':<20}{'pg_ctl s':>9}{'errors':>8}{'after up':>9}{'first ok s':>11}"
          f"{'all ok s':>9}")
    bounds = [b for _m, b, _u in restarts[1:]] + [until + GIVE_UP_AFTER]
    for k, ((mode, began, up), end) in enumerate(zip(restarts, bounds, strict=True)):
        window = [(t, kind) for t, kind in errors if began <= t < end]
        after_up = sum(1 for t, _kind in window if t >= up)
        firsts = []
        for r in results:
            later = [t for t, _v in r.acks if t >= up]
            firsts.append(min(later) - began if later else float("nan"))
        known = [f for f in firsts if f == f]  # nan: a worker wrote nothing after it
        first = f"{min(known):.2f}" if known else "-"
        every = f"{max(known):.2f}" if known and len(known) == len(firsts) else "-"
        print(f"{f'{k + 1}: -m {mode}':<20}{up - began:>9.2f}{len(window):>8}{after_up:>9}"
              f"{first:>11}{every:>9}")
        for kind, count in Counter(kind for _t, kind in window).most_common():
            print(f"    {count:>5}  {kind}")
    stale = sum(1 for _t, kind in errors if kind.endswith(STALE))
    print(f"errors on a connection the server had closed (a connection kept from before a "
          f"restart, or a write in flight): {stale}")
    outside = [kind for t, kind in errors if not restarts or t < restarts[0][1]]
    if outside:
        print(f"errors before the first restart: {Counter(outside).most_common()}")
    print("reports: " + ", ".join(f"{k} {v}" for k, v in list(figures.items())[:5]))
    print(f"plans: {figures['plan saves acked']} saves acknowledged, the versions moved "
          f"{figures['plan versions moved']}")
    failures = [f"{r.name}: {r.failure}" for r in results if r.failure]
    for line in broken + failures:
        print(f"BROKEN: {line}")
    ok = not broken and not failures and not figures["given up"] and len(results) > 0
    print(f"invariants {'hold' if ok else 'BROKEN'}: every acknowledged report stored once, "
          f"no duplicate, every plan whole and its versions consistent")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
