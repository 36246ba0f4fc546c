"""Demo data for insight: population by age per district (synthetic, see
`population.py`), two pilot districts from four weeks ago with eight weeks
of visit history (`demo_history`), anonymous satisfaction surveys, and the
aggregates for today, the first day of each of the last 12 months and
every day of the pilot's history.
Deterministic for a seed; every survey row is marked synthetic."""

from __future__ import annotations

import datetime as dt
import random

from tillit.insight import aggregates, demo_history, pilot_aggregates, population
from tillit.insight.models import DistrictPopulation, PilotSite, SurveyResponse
from tillit.organisation.models import District, Team

PILOT_DISTRICTS = ("sagene", "ostensjo")


def build(*, seed: int, today: dt.date, scale: float = 0.05) -> int:
    rng = random.Random(f"insight-{seed}")
    districts = list(District.objects.order_by("number"))
    rows = [DistrictPopulation(district=d, year=2020, age_band=band, persons=n,
                               source=population.SOURCE)
            for d in districts for band, n in population.demo_bands(d.slug).items()]
    DistrictPopulation.objects.bulk_create(rows)
    start = today - dt.timedelta(days=demo_history.PILOT_DAYS)
    sites = [PilotSite(district=d, starts_on=start, note="Syntetiske demodata.")
             for d in districts if d.slug in PILOT_DISTRICTS]
    PilotSite.objects.bulk_create(sites)
    teams: dict[int, list[int]] = {}
    for pk, district in Team.objects.values_list("pk", "district_id"):
        teams.setdefault(district, []).append(pk)
    answers = []
    per_district = max(8, round(600 * scale))
    for d in districts:
        lift = 0.6 if d.slug in PILOT_DISTRICTS else 0.0
        for _ in range(per_district):
            answered = today - dt.timedelta(days=rng.randrange(0, demo_history.HISTORY_DAYS))
            bonus = lift if answered >= start else 0.0

            def score(base: float, bonus: float = bonus) -> int:
                return max(1, min(5, round(rng.gauss(base + bonus, 0.9))))

            answers.append(SurveyResponse(
                district=d, team_id=rng.choice(teams[d.pk]) if teams.get(d.pk) else None,
                answered_on=answered, same_carers=score(2.8), enough_time=score(3.1),
                say_in_help=score(3.0), overall=score(3.6), synthetic=True))
    SurveyResponse.objects.bulk_create(answers, batch_size=2000)
    history = demo_history.build(seed=seed, today=today,
                                 pilot_districts={s.district_id for s in sites})
    days = aggregates.refresh_history(today, 12)
    days += pilot_aggregates.refresh_pilot_range(
        today - dt.timedelta(days=demo_history.HISTORY_DAYS), today)
    return len(rows) + len(sites) + len(answers) + history + days
