"""Continuity of care: which carers served a client, and how many.

Counts come from the assignments of current, finished plans (what the team
actually planned), over a window of days ending on a date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count

from tillit.planning.models import Assignment, Plan

CONTINUITY_DAYS = 28


def _served(client_ids: Iterable[int], first: dt.date, last: dt.date):
    return Assignment.objects.filter(
        visit__client_id__in=list(client_ids),
        plan__is_current=True, plan__status=Plan.Status.DONE,
        plan__date__gte=first, plan__date__lte=last,
    )


def distinct_carers_many(
    client_ids: Iterable[int], day: dt.date, days: int = CONTINUITY_DAYS
) -> dict[int, int]:
    """Client pk -> number of distinct carers on its planned visits in the
    `days` days ending on `day` (clients with none are left out)."""
    first = day - dt.timedelta(days=days - 1)
    rows = (
        _served(client_ids, first, day).values("visit__client_id")
        .annotate(n=Count("employee_id", distinct=True))
    )
    return {r["visit__client_id"]: r["n"] for r in rows}


def distinct_carers(client: object, day: dt.date, days: int = CONTINUITY_DAYS) -> int:
    """How many different carers a client had in the `days` days ending on `day`."""
    pk = int(getattr(client, "pk", client))  # type: ignore[call-overload]
    return distinct_carers_many([pk], day, days).get(pk, 0)


def recent_carers(
    client_ids: Iterable[int], day: dt.date, days: int = CONTINUITY_DAYS
) -> dict[int, list[int]]:
    """Client pk -> employee pks who served it in the `days` days before
    `day`, most visits first (ties by pk)."""
    first, last = day - dt.timedelta(days=days), day - dt.timedelta(days=1)
    counts: dict[int, Counter[int]] = {}
    rows = _served(client_ids, first, last).values_list("visit__client_id", "employee_id")
    for client_id, employee_id in rows:
        counts.setdefault(client_id, Counter())[employee_id] += 1
    return {
        cid: [e for e, _n in sorted(c.items(), key=lambda item: (-item[1], item[0]))]
        for cid, c in counts.items()
    }
