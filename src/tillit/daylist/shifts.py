"""A carer's shifts: when they start and end, in Europe/Oslo.

A shift's bounds are the roster entry's start and end when there is one;
otherwise they are taken from the visits' windows (earliest start to the
latest start plus the visit's guiding minutes). A shift that ends before it
starts runs past midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from tillit.planning.models import Assignment, RosterEntry


@dataclass(frozen=True)
class Shift:
    date: dt.date
    kind: str
    start: dt.datetime
    end: dt.datetime
    team_id: int

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start <= end and start <= self.end


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())


def bounds(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    first = _at(day, start)
    last = _at(day + dt.timedelta(days=1) if end <= start else day, end)
    return first, last


def shifts_of(employee_id: int, first_day: dt.date, last_day: dt.date) -> list[tuple[Shift, list[int]]]:
    """The employee's shifts with visits in current plans between two dates,
    each with the ids of its clients."""
    assignments = (
        Assignment.objects.filter(
            employee_id=employee_id, plan__is_current=True,
            plan__date__gte=first_day, plan__date__lte=last_day,
        )
        .values_list("plan__team_id", "plan__date", "plan__shift", "visit__client_id",
                     "visit__window_start", "visit__window_end", "visit__minutes")
    )
    groups: dict[tuple[int, dt.date, str], list[tuple]] = {}
    for team_id, day, kind, client_id, w_start, w_end, minutes in assignments:
        groups.setdefault((team_id, day, kind), []).append((client_id, w_start, w_end, minutes))
    if not groups:
        return []
    rosters = {
        (r.date, r.shift): r
        for r in RosterEntry.objects.filter(
            employee_id=employee_id, date__gte=first_day, date__lte=last_day
        )
    }
    found = []
    for (team_id, day, kind), rows in groups.items():
        roster = rosters.get((day, kind))
        if roster is not None:
            start, end = bounds(day, roster.start, roster.end)
        else:
            start = min(_at(day, r[1]) for r in rows)
            end = max(_at(day, r[2]) + dt.timedelta(minutes=r[3]) for r in rows)
        found.append((Shift(day, kind, start, end, team_id), sorted({r[0] for r in rows})))
    return sorted(found, key=lambda item: item[0].start)


def shift_for(employee_id: int, day: dt.date, kinds: Iterable[str] | None = None) -> Shift | None:
    for shift, _clients in shifts_of(employee_id, day, day):
        if kinds is None or shift.kind in kinds:
            return shift
    return None
