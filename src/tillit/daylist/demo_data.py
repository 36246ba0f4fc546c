"""Synthetic care plans (tiltaksplaner) for the demo city.

For most clients with an active decision: a care plan written from the
decision's visits (what each visit is for), with the client's own goal; about
a fifth have a second, later version (plans are versioned, never edited).
Deterministic for a seed; bulk-inserted (a few seconds at Oslo's size).
"""

from __future__ import annotations

import random

from django.db import transaction

from tillit.daylist.models import CarePlan
from tillit.decisions.models import Decision, DecisionVisit

GOALS = [
    "Bo trygt hjemme og klare mest mulig selv.",
    "Komme seg ut på tur med rullator når været tillater det.",
    "Holde et godt ernæringsnivå og drikke nok gjennom dagen.",
    "Mestre morgenstellet selv med litt veiledning.",
    "Ha faste rutiner som gir trygghet om kvelden.",
]
ADDITIONS = [
    "Brukeren ønsker å gjøre mer selv: la henne/ham prøve først.",
    "Pårørende har bedt om beskjed ved endringer i almenntilstand.",
    "Sår på venstre legg følges opp av sykepleier.",
]
WRITERS = ["Sykepleier i teamet", "Helsefagarbeider i teamet", "Primærkontakt"]


@transaction.atomic
def build_care_plans(*, seed: int) -> int:
    rng = random.Random(seed + 12)
    tasks: dict[int, list[str]] = {}
    rows = (
        DecisionVisit.objects.filter(decision__status=Decision.Status.ACTIVE)
        .values_list("decision__client_id", "tasks").order_by("decision__client_id", "pk")
    )
    for client_id, text in rows:
        seen = tasks.setdefault(client_id, [])
        if text and text not in seen:
            seen.append(text)
    plans: list[CarePlan] = []
    for client_id, texts in tasks.items():
        if rng.random() < 0.2:
            continue
        goal = rng.choice(GOALS)
        body = "Mål: " + goal + "\n\nTiltak:\n" + "\n".join(f"- {t}" for t in texts[:6])
        plans.append(CarePlan(client_id=client_id, version=1, text=body,
                              written_by_name=rng.choice(WRITERS)))
        if rng.random() < 0.2:
            plans.append(CarePlan(client_id=client_id, version=2,
                                  text=body + "\n\n" + rng.choice(ADDITIONS),
                                  written_by_name=rng.choice(WRITERS)))
    CarePlan.objects.bulk_create(plans, batch_size=2000)
    return len(plans)
