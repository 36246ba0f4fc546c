"""Two people change the same thing at the same moment (issue #18).

`race(decision_id, actor_id, trials)`: in each of `trials` rounds two threads,
each with its own database connection, make a new version of the currently
active decision at once. `race_plan(plan_id, trials)`: two planners save the
same plan, both having loaded the same version. Every round must end in one
success and one clear conflict, never two winners and never a database error.

Used by `decisions/tests/test_concurrent_edits.py` and
`planning/tests/test_concurrent_plan_saves.py`, in-process on PostgreSQL and in
a child process on a file SQLite database
(`python -m tillit.ops.races decision|plan ID [ACTOR] TRIALS`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import threading

from django.core.exceptions import ValidationError
from django.db import connection


@dataclasses.dataclass
class RaceResult:
    rounds: int = 0
    clean_rounds: int = 0
    outcomes: list[list[str]] = dataclasses.field(default_factory=list)


def _change(decision_id: int, actor_id: int, barrier: threading.Barrier, minutes: int,
            outcome: list[str]) -> None:
    from tillit.accounts.models import User
    from tillit.decisions import services
    from tillit.decisions.models import Decision

    try:
        actor = User.objects.get(pk=actor_id)
        previous = Decision.objects.select_related("client", "service_type", "provider").get(
            pk=decision_id)
        visits = [{"slot": "morning", "weekdays": [0, 1, 2, 3, 4, 5, 6], "minutes": minutes,
                   "competence": "health_worker", "skills": [], "tasks": f"Stell {minutes}"}]
        barrier.wait(timeout=30)
        services.do_decide(
            client=previous.client, service_type=previous.service_type,
            care_block=previous.care_block, provider=previous.provider,
            valid_from=previous.valid_from + dt.timedelta(days=1), visits=visits,
            actor=actor, previous=previous, change="increased",
            justification="Samtidig endring",
        )
        outcome.append("ok")
    except ValidationError as error:
        fields = sorted(getattr(error, "message_dict", {}) or {})
        outcome.append("conflict:" + ",".join(fields))
    except Exception as error:  # noqa: BLE001 (the test reports any other failure)
        outcome.append(f"error:{type(error).__name__}:{error}")
    finally:
        connection.close()


def race(decision_id: int, actor_id: int, trials: int) -> RaceResult:
    from tillit.decisions.models import Decision

    result = RaceResult()
    current = decision_id
    for n in range(trials):
        barrier = threading.Barrier(2)
        outcome: list[str] = []
        threads = [threading.Thread(target=_change, args=(current, actor_id, barrier,
                                                          20 + 5 * side + n % 3, outcome))
                   for side in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result.rounds += 1
        result.outcomes.append(sorted(outcome))
        if sorted(outcome) == ["conflict:previous", "ok"]:
            result.clean_rounds += 1
        series = Decision.objects.get(pk=current).series
        active = Decision.objects.filter(series=series, status="active")
        if active.count() != 1:
            result.outcomes.append([f"active versions: {active.count()}"])
            break
        current = active.get().pk
    connection.close()
    return result


def _save_plan(plan_id: int, seen: int, barrier: threading.Barrier, outcome: list[str]) -> None:
    import copy

    from tillit.planning import services
    from tillit.planning.errors import PlanConflict
    from tillit.planning.models import Plan

    try:
        mine = Plan.objects.get(pk=plan_id)  # both planners loaded the same version
        barrier.wait(timeout=30)
        services.do_store_plan_change(mine, copy.deepcopy(mine.plan), seen)
        outcome.append("ok")
    except PlanConflict:
        outcome.append("conflict")
    except Exception as error:  # noqa: BLE001 (the test reports any other failure)
        outcome.append(f"error:{type(error).__name__}:{error}")
    finally:
        connection.close()


def race_plan(plan_id: int, trials: int) -> RaceResult:
    from tillit.planning.models import Plan

    result = RaceResult()
    for _n in range(trials):
        seen = Plan.objects.get(pk=plan_id).version
        barrier = threading.Barrier(2)
        outcome: list[str] = []
        threads = [threading.Thread(target=_save_plan, args=(plan_id, seen, barrier, outcome))
                   for _side in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result.rounds += 1
        result.outcomes.append(sorted(outcome))
        now = Plan.objects.get(pk=plan_id).version
        if sorted(outcome) == ["conflict", "ok"] and now == seen + 1:
            result.clean_rounds += 1
    connection.close()
    return result


def main(argv: list[str] | None = None) -> int:
    import django

    args = sys.argv[1:] if argv is None else argv
    django.setup()
    if args[0] == "plan":
        outcome = race_plan(int(args[1]), int(args[2]))
    else:
        outcome = race(int(args[1]), int(args[2]), int(args[3]))
    print(json.dumps(dataclasses.asdict(outcome)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
