"""Synthetic history for the trust pilot in the demo city: eight weeks
(for the pilot districts and the first four others by number, to keep the
build short; the last week, which the demo's rosters cover, everywhere) of
past visits (from the decisions' visit patterns, as many as fill half the
day's rostered time, a little more in the pilot), their visit reports,
rosters (the demo's first roster week repeated backwards), sick leave and
revision proposals, with the pilot districts changing from the pilot's
start (more visits "time fitted", fewer carers per client, less sick
leave, proposals in both directions). Deterministic for a seed; every
row is demo data (reports and proposals say so in their note/evidence).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict

from django.db.models import F

from tillit.accounts.models import User
from tillit.daylist.models import RevisionProposal, TimeFit, VisitReport
from tillit.decisions.models import Decision, DecisionVisit
from tillit.insight.pilot_aggregates import shift_minutes
from tillit.organisation.models import District, Employee
from tillit.planning.models import Absence, RosterEntry, Visit
from tillit.planning.shifts import shift_of_slot

HISTORY_DAYS = 56  # the 28 days before the pilot and its first 28 days
PILOT_DAYS = 28
COMPARISON_DISTRICTS = 4  # the history is built for the pilot and this many others
DIRECT_SHARE = 0.50  # of rostered minutes planned as visits, before and elsewhere
DIRECT_SHARE_PILOT = 0.58


def _rosters(today: dt.date, first: dt.date, districts: set[int]) -> list[RosterEntry]:
    """Every day from `first` up to the demo's own rosters (which start a
    week ago) gets the roster of the same weekday in that first week."""
    own_first = today - dt.timedelta(days=7)
    week = defaultdict(list)
    for entry in RosterEntry.objects.filter(team__district_id__in=districts,
                                            date__gte=own_first,
                                            date__lt=own_first + dt.timedelta(days=7)):
        week[entry.date.weekday()].append(entry)
    out = []
    day = first
    while day < own_first:
        for e in week[day.weekday()]:
            out.append(RosterEntry(employee_id=e.employee_id, team_id=e.team_id, date=day,
                                   shift=e.shift, start=e.start, end=e.end,
                                   start_place=e.start_place, travel_mode=e.travel_mode))
        day += dt.timedelta(days=1)
    return out


def build(*, seed: int, today: dt.date, pilot_districts: set[int]) -> int:
    rng = random.Random(f"insight-history-{seed}")
    first = today - dt.timedelta(days=HISTORY_DAYS)
    start = today - dt.timedelta(days=PILOT_DAYS)
    comparison = list(District.objects.exclude(pk__in=pilot_districts).order_by("number")
                      .values_list("pk", flat=True)[:COMPARISON_DISTRICTS])
    districts = set(pilot_districts) | set(comparison)
    rosters = _rosters(today, first, districts)
    RosterEntry.objects.bulk_create(rosters, batch_size=2000, ignore_conflicts=True)
    carers: dict[int, list[int]] = defaultdict(list)
    for pk, team in (Employee.objects.filter(team__isnull=False, is_leader=False)
                     .exclude(competence="").order_by("pk").values_list("pk", "team_id")):
        carers[team].append(pk)
    reporter = {d: pk for pk, d in User.objects.filter(district__isnull=False)
                .order_by("-pk").values_list("pk", "district_id")}
    patterns = list(
        DecisionVisit.objects.filter(decision__status=Decision.Status.ACTIVE,
                                     decision__client__team__isnull=False,
                                     # the team delivers its own unit's decisions
                                     decision__provider__unit_id=F(
                                         "decision__client__team__unit_id"))
        .values_list("pk", "decision_id", "decision__client_id", "decision__client__team_id",
                     "decision__client__district_id", "slot", "weekdays", "window_start",
                     "window_end", "minutes", "competence", "staff_count", "tasks",
                     "decision__valid_from"))
    # each client's usual carers: a small pool in the pilot, a larger one elsewhere
    pools: dict[tuple[int, bool], list[int]] = {}
    visits: list[Visit] = []
    plans: list[tuple[int, int, bool, int]] = []  # client, team, in the pilot now, district
    # the teams' rostered minutes a day: the day's visits fill a share of it
    # (a larger share in the pilot), the rest of the patterns are left out
    budget: dict[tuple[int, dt.date], float] = defaultdict(float)
    for team, day, begin, end in (RosterEntry.objects.filter(date__gte=first, date__lt=today)
                                  .values_list("team_id", "date", "start", "end")):
        budget[(team, day)] += shift_minutes(begin, end)
    for n in range(HISTORY_DAYS):
        day = first + dt.timedelta(days=n)
        everyone = day >= today - dt.timedelta(days=7)  # every district has rosters
        todays = [p for p in patterns if day.weekday() in (p[6] or []) and p[13] <= day
                  and (everyone or p[4] in districts)]
        rng.shuffle(todays)
        used: dict[int, float] = defaultdict(float)
        for (pk, decision, client, team, district, slot, _weekdays, w_start, w_end, minutes,
             competence, staff, tasks, _valid_from) in todays:
            trust = district in pilot_districts and day >= start
            share = DIRECT_SHARE_PILOT if trust else DIRECT_SHARE
            if used[team] + minutes * staff > share * budget[(team, day)]:
                continue
            used[team] += minutes * staff
            visits.append(Visit(
                team_id=team, date=day, shift=shift_of_slot(slot), client_id=client,
                decision_id=decision, decision_visit_id=pk, source=Visit.Source.DECISION,
                window_start=w_start, window_end=w_end, minutes=minutes, competence=competence,
                staff_count=staff, tasks=tasks))
            plans.append((client, team, trust, district))
    Visit.objects.bulk_create(visits, batch_size=2000)
    reports = []
    for visit, (client, team, trust, district) in zip(visits, plans, strict=True):
        if not carers.get(team) or district not in reporter or rng.random() < 0.03:
            continue  # a few visits are never reported
        pool = pools.get((client, trust))
        if pool is None:
            size = 3 if trust else 8
            pool = pools[(client, trust)] = rng.sample(carers[team], min(size, len(carers[team])))
        done = rng.random() > 0.04
        fit = ""
        if done:
            fitted = 0.82 if trust else 0.64
            x = rng.random()
            fit = (TimeFit.FITTED if x < fitted else
                   TimeFit.MORE if x < fitted + (1 - fitted) * 0.6 else TimeFit.LESS)
        reports.append(VisitReport(
            report_id=uuid.UUID(int=rng.getrandbits(128)), visit=visit, client_id=client,
            decision_id=visit.decision_id, carer_id=rng.choice(pool),
            reported_by_id=reporter[district], done=done, time_fit=fit,
            reason="" if done else "not_home", note="Demodata."))
    VisitReport.objects.bulk_create(reports, batch_size=2000)
    absences = []
    rostered = sorted({(e.employee_id, e.team_id) for e in rosters})
    team_district = dict(Employee.objects.filter(team__isnull=False)
                         .values_list("team_id", "district_id"))
    for employee, team in rostered:
        day = first
        while day < today:
            trust = team_district.get(team) in pilot_districts and day >= start
            if rng.random() < (0.008 if trust else 0.012):
                length = rng.randint(1, 5)
                absences.append(Absence(employee_id=employee, kind=Absence.Kind.SICK,
                                        first_day=day,
                                        last_day=day + dt.timedelta(days=length - 1),
                                        note="Demodata."))
                day += dt.timedelta(days=length + 1)
            else:
                day += dt.timedelta(days=1)
    Absence.objects.bulk_create(absences, batch_size=2000)
    proposals = _proposals(rng, today, first, start, pilot_districts, districts)
    return len(rosters) + len(visits) + len(reports) + len(absences) + proposals


def _proposals(rng: random.Random, today: dt.date, first: dt.date, start: dt.date,
               pilot_districts: set[int], districts: set[int]) -> int:
    """Proposals on some decisions, raised on a past day and (most) decided
    a few days later; more of them in the pilot once it starts."""
    made = 0
    decisions = list(Decision.objects.filter(status=Decision.Status.ACTIVE,
                                             client__district_id__in=districts,
                                             client__team__isnull=False)
                     .values_list("pk", "client__district_id").order_by("pk"))
    for decision, district in decisions:
        day = first + dt.timedelta(days=rng.randrange(0, (today - first).days))
        rate = 0.45 if district in pilot_districts and day >= start else 0.15
        if rng.random() >= rate:
            continue
        direction = rng.choice(RevisionProposal.Direction.values)
        raised = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
        decided = raised + dt.timedelta(days=rng.randint(1, 6))
        status = (RevisionProposal.Status.OPEN if decided.date() >= today else
                  rng.choice([RevisionProposal.Status.ACCEPTED] * 3
                             + [RevisionProposal.Status.DISMISSED]))
        proposal = RevisionProposal.objects.create(
            decision_id=decision, direction=direction, source=RevisionProposal.Source.TEAM,
            status=status, evidence={"demo": True},
            dismiss_reason="Demodata." if status == RevisionProposal.Status.DISMISSED else "")
        RevisionProposal.objects.filter(pk=proposal.pk).update(
            raised_at=raised,
            decided_at=None if status == RevisionProposal.Status.OPEN else decided)
        made += 1
    return made
