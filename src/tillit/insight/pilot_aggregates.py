"""The trust pilot's daily and monthly aggregates (`PilotDay`,
`PilotMonth`), refreshed with the rest of a day's aggregates so the pilot
page and the council report never scan visit reports, visits, rosters or
absences per page view.

A day's refresh reads only that day's rows; so does its part of the
month (`pilot_clients`: distinct carers per client cannot be added up over
days, so each client's day is kept and summed per month).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from tillit.core import deadlines
from tillit.daylist.models import RevisionProposal, VisitReport
from tillit.insight import bulk_rows, pilot_clients
from tillit.insight.gc_pause import gc_paused
from tillit.insight.models import SCORE_FIELDS, PilotDay, PilotMonth, SurveyResponse
from tillit.insight.pilot_day_reads import DayCounts, read_day
from tillit.organisation.models import Team
from tillit.planning.models import Absence, Assignment, RosterEntry, Visit

Key = tuple[int, int | None]  # (district, team or None)
PROPOSAL_KEYS = tuple(f"{what}_{direction}"
                      for what in ("raised", "accepted", "dismissed")
                      for direction in RevisionProposal.Direction.values)


def shift_minutes(start: dt.time, end: dt.time) -> int:
    a, b = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return b - a if b > a else b + 24 * 60 - a


def _day_bounds(first: dt.date, after: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            dt.datetime.combine(after, dt.time.min, tzinfo=tz))


REPEAT_WINDOW = dt.timedelta(days=366)


def _proposal_rows(first: dt.date, after: dt.date):
    """(key, district, team, client, repeat) of proposals raised, accepted
    or dismissed in [first, after), by the client's district and team;
    `repeat`: the client had a proposal of the same key in the 366 days
    before this one."""
    lo, hi = _day_bounds(first, after)
    fields = ("direction", "decision__client__district_id", "decision__client__team_id",
              "decision__client_id")
    found = []
    for direction, district, team, client, at in (
            RevisionProposal.objects.filter(raised_at__gte=lo, raised_at__lt=hi)
            .values_list(*fields, "raised_at")):
        found.append((f"raised_{direction}", district, team, client, at))
    for status, direction, district, team, client, at in (
        RevisionProposal.objects.filter(decided_at__gte=lo, decided_at__lt=hi,
                                        status__in=["accepted", "dismissed"])
        .values_list("status", *fields, "decided_at")
    ):
        found.append((f"{status}_{direction}", district, team, client, at))
    # earlier proposals of the same clients (a handful a day: one small query)
    earlier: dict[tuple[str, int], list[dt.datetime]] = defaultdict(list)
    clients = {f[3] for f in found}
    for status, direction, client, raised, decided in (
            RevisionProposal.objects.filter(decision__client_id__in=clients,
                                            raised_at__gte=lo - REPEAT_WINDOW, raised_at__lt=hi)
            .values_list("status", "direction", "decision__client_id", "raised_at",
                         "decided_at")):
        earlier[(f"raised_{direction}", client)].append(raised)
        if decided is not None and status in ("accepted", "dismissed"):
            earlier[(f"{status}_{direction}", client)].append(decided)
    for key, district, team, client, at in found:
        repeat = any(at - REPEAT_WINDOW <= t < at for t in earlier[(key, client)])
        yield key, district, team, client, repeat


def _attributed(counts: Mapping[tuple[int, int | None], int]) -> dict[int, int]:
    """person → the team with most of their rows, from (person, team) → rows
    (ties: the lowest team id; rows without a team do not count)."""
    best: dict[int, tuple[int, int]] = {}
    for (person, team), n in counts.items():
        if team is None:
            continue
        now = best.get(person)
        if now is None or n > now[0] or (n == now[0] and team < now[1]):
            best[person] = (n, team)
    return {person: team for person, (_n, team) in best.items()}


def pilot_day_rows(day: dt.date, counts: DayCounts | None = None) -> list[PilotDay]:
    """The day's rows, one per team (and per district for surveys and
    proposals of clients without a team)."""
    counts = counts if counts is not None else read_day(day)
    district_of = dict(Team.objects.values_list("pk", "district_id"))
    rows: dict[Key, PilotDay] = {}

    def row(team: int | None, district: int | None = None) -> PilotDay:
        key = (district_of[team] if team is not None else district, team)
        found = rows.get(key)
        if found is None:
            found = rows[key] = PilotDay(day=day, district_id=key[0], team_id=team,
                                         proposals={}, proposal_repeats={}, score_sums={})
        return found

    # counted per team first, then a row per team
    reports: Counter[int] = Counter()
    fitted: Counter[int] = Counter()
    for (team, _client), (n, n_fitted) in counts.reports.items():
        reports[team] += n
        fitted[team] += n_fitted
    for team, n in reports.items():
        r = row(team)
        r.reports += n
        r.fitted += fitted[team]
    reported = {(client, team): n for (team, client), (n, _f) in counts.reports.items()}
    for team, n in Counter(_attributed(reported).values()).items():
        row(team).reported_clients += n
    minutes: Counter[int] = Counter()
    for (team, _client), (_n, visit_minutes) in counts.visits.items():
        minutes[team] += visit_minutes
    for team, n in minutes.items():
        row(team).planned_minutes += n
    planned = {(client, team): n for (team, client), (n, _m) in counts.visits.items()}
    for team, n in Counter(_attributed(planned).values()).items():
        row(team).clients += n
    # the roster grouped in SQL: a row per team and shift's hours, and per
    # employee and team (ids only: no times to parse per entry)
    on_roster = RosterEntry.objects.filter(date=day).order_by()
    for team, start, end, n in (on_roster.values("team_id", "start", "end")
                                .annotate(n=Count("id")).values_list("team_id", "start", "end", "n")):
        row(team).rostered_minutes += n * shift_minutes(start, end)
    rostered = dict(((employee, team), n) for employee, team, n in (
        on_roster.values("employee_id", "team_id").annotate(n=Count("id"))
        .values_list("employee_id", "team_id", "n")))
    for team, n in Counter(_attributed(rostered).values()).items():
        row(team).employees += n
    sick = set(Absence.objects.filter(kind=Absence.Kind.SICK, first_day__lte=day,
                                      last_day__gte=day, employee__team__isnull=False)
               .values_list("employee_id", "employee__team_id"))
    for _employee, team in sick:
        row(team).sick_days += 1
    for key, district, team, _client, repeat in _proposal_rows(day, day + dt.timedelta(days=1)):
        r = row(team, district)
        r.proposals[key] = r.proposals.get(key, 0) + 1
        if repeat:
            r.proposal_repeats[key] = r.proposal_repeats.get(key, 0) + 1
    for district, team, *scores in (SurveyResponse.objects.filter(answered_on=day)
                                    .values_list("district_id", "team_id", *SCORE_FIELDS)):
        r = row(team, district)
        r.answers += 1
        for name, score in zip(SCORE_FIELDS, scores, strict=True):
            r.score_sums[name] = r.score_sums.get(name, 0) + score
    return list(rows.values())


def pilot_month_rows(month: dt.date) -> list[PilotMonth]:
    """The month's rows computed from scratch from its raw visits, reports
    and assignments: the reference for `pilot_clients`, which keeps them up
    to date one day at a time."""
    start = month.replace(day=1)
    after = deadlines.add_months(start, 1)
    in_month = {"date__gte": start, "date__lt": after}
    best: dict[int, tuple[int, int]] = {}
    for client, team, n in (Visit.objects.filter(status=Visit.Status.SCHEDULED, **in_month)
                            .values("client_id", "team_id").annotate(n=Count("id")).order_by()
                            .values_list("client_id", "team_id", "n")):
        now = best.get(client)
        if now is None or n > now[0] or (n == now[0] and team < now[1]):
            best[client] = (n, team)
    # distinct carers per client counted in SQL: a row per client, not per pair
    reported = dict(VisitReport.objects.filter(done=True, visit__date__gte=start,
                                               visit__date__lt=after)
                    .values("client_id").annotate(n=Count("carer_id", distinct=True))
                    .order_by().values_list("client_id", "n"))
    planned = dict(Assignment.objects.filter(
        plan__is_current=True, plan__date__gte=start, plan__date__lt=after,
        visit__status=Visit.Status.SCHEDULED)
        .values("visit__client_id").annotate(n=Count("employee_id", distinct=True))
        .order_by().values_list("visit__client_id", "n"))
    district_of = dict(Team.objects.values_list("pk", "district_id"))
    carers: dict[int, list[int]] = defaultdict(list)
    for client, (_n, team) in best.items():
        came = reported.get(client) or planned.get(client)
        if came:
            carers[team].append(came)
    return [PilotMonth(month=start, team_id=team, district_id=district_of[team],
                       carers=sorted(counts)) for team, counts in carers.items()]


@gc_paused()
@transaction.atomic
def refresh_pilot_day(day: dt.date) -> None:
    """The day's `PilotDay` rows and its clients' part of the month's
    `PilotMonth` (`pilot_clients`), from one read of the day's visits and
    reports."""
    counts = read_day(day)
    PilotDay.objects.filter(day=day).delete()
    bulk_rows.insert(pilot_day_rows(day, counts))
    parts = pilot_clients.parts_from(counts,
                                     pilot_clients.planned_carers(day, day + dt.timedelta(days=1)))
    pilot_clients.refresh_month_days(day, [day], {day: parts})


@gc_paused()
def refresh_pilot_month(month: dt.date) -> None:
    """Every day of the month's per-client rows, and its `PilotMonth`."""
    pilot_clients.refresh_month_days(month, pilot_clients.month_days(month))


def refresh_pilot_range(first: dt.date, last: dt.date) -> int:
    """Every day from `first` to `last`, and their parts of the months they
    touch (for building history; the nightly refresh does one day)."""
    days = (last - first).days + 1
    for n in range(days):
        refresh_pilot_day(first + dt.timedelta(days=n))
    return days
