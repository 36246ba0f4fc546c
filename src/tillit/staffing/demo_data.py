"""Synthetic care situations, responsible nurses and a year of monthly
staffing snapshots for the demo city.

For every client with an active decision: a care situation set some time in
the past year (about 55 % stable, 20 % complex, 8 % new, 7 % complex and
severe, 7 % functional decline, 3 % last days of life; some clients moved
from stable to another situation, so the history has changes), and a
responsible from the client's team: a nurse, or in a stable situation
sometimes a health worker. Responsibility is deliberately uneven (a few
nurses carry many clients, so some are over the norm of 25 at Oslo scale)
and about 3 % of clients have nobody, so the unassigned list has rows.
Then twelve monthly snapshots up to `today`. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable

from django.utils import timezone

from tillit.decisions.models import Decision
from tillit.organisation.models import Employee
from tillit.staffing.models import CareSituation, ResponsibleNurse
from tillit.staffing.services import do_take_snapshot

Progress = Callable[[str, int, int], None]

SITUATION_WEIGHTS = (("stable", 55), ("complex", 20), ("new", 8), ("complex_severe", 7),
                     ("functional_decline", 7), ("last_days", 3))
UNASSIGNED_SHARE = 0.03
HEALTH_WORKER_SHARE_WHEN_STABLE = 0.3
MONTHS = 12


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(8 + rng.randrange(8), rng.randrange(60)))
    return timezone.make_aware(moment)


def build(*, seed: int, today: dt.date, progress: Progress | None = None) -> int:
    """Write the rows; returns how many."""
    rng = random.Random(seed * 7919 + 15)
    progress = progress or (lambda stage, done, total: None)
    first_day = today - dt.timedelta(days=365)
    clients = sorted(set(
        Decision.objects.active_on(today).filter(client__team__isnull=False)
        .values_list("client_id", "client__team_id")
    ))
    staff: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, team_id, competence in Employee.objects.valid_on(today).filter(
        team__isnull=False, is_leader=False, competence__in=["nurse", "health_worker"]
    ).order_by("pk").values_list("pk", "team_id", "competence"):
        staff[team_id][competence].append(pk)
    # Uneven load: each nurse gets a weight; a few weigh much more.
    weight = {pk: rng.choice((1, 1, 1, 2, 3)) for team in staff.values() for pk in team["nurse"]}

    situations: list[CareSituation] = []
    responsibles: list[ResponsibleNurse] = []
    values, weights = zip(*SITUATION_WEIGHTS, strict=True)
    for done, (client_id, team_id) in enumerate(clients):
        since = first_day + dt.timedelta(days=rng.randrange(300))
        situation = rng.choices(values, weights=weights)[0]
        if situation != "stable" and rng.random() < 0.4:  # was stable before it changed
            situations.append(CareSituation(client_id=client_id, situation="stable",
                                            set_at=_at(since, rng), set_by_name="Demo"))
            since = since + dt.timedelta(days=rng.randrange(1, 60))
        situations.append(CareSituation(client_id=client_id, situation=situation,
                                        set_at=_at(since, rng), set_by_name="Demo"))
        if rng.random() < UNASSIGNED_SHARE:
            continue
        nurses, workers = staff[team_id]["nurse"], staff[team_id]["health_worker"]
        if situation == "stable" and workers and rng.random() < HEALTH_WORKER_SHARE_WHEN_STABLE:
            employee = rng.choice(workers)
        elif nurses:
            employee = rng.choices(nurses, weights=[weight[n] for n in nurses])[0]
        else:
            continue
        responsibles.append(ResponsibleNurse(client_id=client_id, employee_id=employee,
                                             assigned_at=_at(since, rng)))
        if done % 2000 == 0:
            progress("care situations", done, len(clients))
    CareSituation.objects.bulk_create(situations, batch_size=2000)
    ResponsibleNurse.objects.bulk_create(responsibles, batch_size=2000)
    rows = len(situations) + len(responsibles)
    month = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    for done, month in enumerate(reversed(months)):
        progress("staffing snapshots", done, MONTHS)
        rows += do_take_snapshot(month, today=today)
    return rows
