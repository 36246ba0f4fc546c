"""The demo city's planning: team bases, four weeks of rosters, today's and
tomorrow's visits, and stored plans for every team's day and evening shift.

Rosters (from a week ago to three weeks ahead) repeat one week, weekday by
weekday, so the same carers work a client's days every week; they are
staffed to the decisions' demand for each weekday and shift
(`CARE_MINUTES_PER_SHIFT` of direct care per carer): two thirds of a team's carers work days
(07:30–15:00), the rest evenings (15:00–22:30); shifts per week follow the
FTE (100 % five, 80 % four, …), with extra shifts (up to five a week) when
the team is short, the shortage spread over the week, weekends included; part-timers at 60 % or less work short
days (07:30–11:30, no break); one nurse or health worker per team covers
the night (22:00–23:59). The demo carer logins (`pleier.<district>.1`–`.3`)
work the day shift today and tomorrow (and those weekdays every week), each
with three of their day's visits locked to them, so their day lists are
never empty. Each client's primary contacts are two carers who work the
client's main shift most weeks, spread fairly over the team.

Plans are made synchronously during the build, with a short time limit
(`DEMO_TIME_LIMIT`), so `tillit demo` serves a city that has plans at once;
above `SYNC_PLANS_UP_TO` shifts (large scales) only each district's first
team is planned during the build and the other teams' plans are queued for
the worker beside `tillit serve`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable

from tillit.clients.models import PrimaryContact
from tillit.decisions.models import DecisionVisit
from tillit.organisation.models import COMPETENCE_ORDER, Employee, Team
from tillit.planning import runner, services
from tillit.planning.instance import team_base
from tillit.planning.models import Plan, RosterEntry, ShiftKind, TeamBase, Visit
from tillit.planning.shifts import shift_of_slot

# Up to this many shifts the build plans them all itself; a bigger city plans
# each district's first team (the demo logins' team) itself and queues the
# rest for the task worker that `tillit serve` starts, so it is planned
# minutes after the server is up without slowing the build.
SYNC_PLANS_UP_TO = 80
DEMO_TIME_LIMIT = 0.5  # seconds per shift (the engine's floor); 4 shifts per team
QUEUED_TIME_LIMIT = 2.0  # seconds per queued shift (the worker has the time)
ROSTER_DAYS_BEFORE = 7
ROSTER_DAYS = 28
PLANNED_SHIFTS = (ShiftKind.DAY, ShiftKind.EVENING)
DAY_TIMES = (dt.time(7, 30), dt.time(15, 0))
SHORT_DAY_TIMES = (dt.time(7, 30), dt.time(11, 30))
EVENING_TIMES = (dt.time(15, 0), dt.time(22, 30))
NIGHT_TIMES = (dt.time(22, 0), dt.time(23, 59))
LOCKED_PER_LOGIN = 3
LOCKED_MINUTES = 180  # at most this much locked care per login and day
# direct care one carer gives in a shift, for staffing the roster to the demand
CARE_MINUTES_PER_SHIFT = 240
MAX_SHIFTS_A_WEEK = 5  # with extra shifts beyond the FTE when the team is short

Progress = Callable[[str, int, int], None]


def _demand(team: Team, today: dt.date) -> dict[tuple[int, str], int]:
    """(weekday, shift) -> care minutes the team's active decisions ask for."""
    demand: dict[tuple[int, str], int] = {}
    patterns = DecisionVisit.objects.filter(
        decision_id__in=services.delivered_decision_ids(team, today),
    ).values_list("slot", "weekdays", "minutes", "staff_count")
    for slot, weekdays, minutes, staff_count in patterns:
        for wd in weekdays or []:
            key = (wd, shift_of_slot(slot))
            demand[key] = demand.get(key, 0) + minutes * staff_count
    return demand


def _entry(emp: Employee, team: Team, day: dt.date, shift: str, short: set[int]) -> RosterEntry:
    times = {ShiftKind.NIGHT: NIGHT_TIMES, ShiftKind.EVENING: EVENING_TIMES}.get(
        shift, SHORT_DAY_TIMES if emp.pk in short else DAY_TIMES)
    return RosterEntry(employee=emp, team=team, date=day, shift=shift, start=times[0],
                       end=times[1], travel_mode=emp.travel_mode)


def _rosters(team: Team, carers: list[Employee], logins: set[int], today: dt.date,
             rng: random.Random) -> list[RosterEntry]:
    """Staff each day's shifts to the decisions' demand, within each
    carer's FTE (extra shifts, up to five a week, when the team is short)."""
    rows: list[RosterEntry] = []
    demand = _demand(team, today)
    first = today - dt.timedelta(days=ROSTER_DAYS_BEFORE)
    evening_people = {c.pk for i, c in enumerate(carers) if i % 3 == 2 and c.pk not in logins}
    night_pool = sorted(
        (c for c in carers if c.competence in ("nurse", "health_worker") and c.pk not in logins),
        key=lambda c: (c.pk not in evening_people, c.pk),
    )[:3]
    per_week = {c.pk: max(2, min(5, round(float(c.fte_percent) / 20))) for c in carers}
    short = {c.pk for c in carers if float(c.fte_percent) <= 60 and c.pk not in logins
             and c.pk not in evening_people}
    worked: dict[tuple[int, int], int] = {}  # (employee, week) -> shifts
    # A short team spreads its shortage over the week instead of running dry
    # on the last days: scale every day's need to what the team can cover.
    weekly_need = sum(
        max(1, math.ceil(demand.get((wd, shift), 0) / CARE_MINUTES_PER_SHIFT))
        for wd in range(7) for shift in (ShiftKind.DAY, ShiftKind.EVENING)
    )
    capacity = MAX_SHIFTS_A_WEEK * len(carers) - (7 if night_pool else 0)
    factor = min(1.0, capacity / weekly_need) if weekly_need else 1.0
    login_days = {today.weekday(), (today + dt.timedelta(days=1)).weekday()}
    # The first week is drawn; every later week repeats it weekday by
    # weekday, so a client's carers are the same people week after week
    # (continuity of care) and the weekly caps hold in every week. The
    # nights and the logins' fixed days are drawn first, so the caps count them.
    week_days = sorted((first + dt.timedelta(days=n) for n in range(7)),
                       key=lambda d: (d.weekday() not in login_days, d))
    week_plan: dict[int, list[tuple[Employee, str]]] = {d.weekday(): [] for d in week_days}
    week = 0
    for n in range(7 if night_pool else 0):
        day = first + dt.timedelta(days=n)
        emp = night_pool[n % len(night_pool)]
        week_plan[day.weekday()].append((emp, ShiftKind.NIGHT))
        worked[emp.pk, week] = worked.get((emp.pk, week), 0) + 1
    for day in week_days:
        today_plan = week_plan[day.weekday()]
        busy = {emp.pk for emp, _shift in today_plan}
        needs = {shift: max(1, math.floor(factor * math.ceil(
                     demand.get((day.weekday(), shift), 0) / CARE_MINUTES_PER_SHIFT)))
                 for shift in (ShiftKind.DAY, ShiftKind.EVENING)}
        free = sum(1 for c in carers if c.pk not in busy
                   and worked.get((c.pk, week), 0) < MAX_SHIFTS_A_WEEK)
        if sum(needs.values()) > free:  # a short team: share what there is
            day_share = needs[ShiftKind.DAY] / sum(needs.values())
            needs[ShiftKind.DAY] = max(1, round(free * day_share))
            needs[ShiftKind.EVENING] = max(1, free - needs[ShiftKind.DAY])
        for shift in (ShiftKind.DAY, ShiftKind.EVENING):
            need = needs[shift]
            chosen: list[Employee] = []
            if shift == ShiftKind.DAY and day.weekday() in login_days:
                chosen = [c for c in carers if c.pk in logins]
            own = [c for c in carers if (c.pk in evening_people) == (shift == ShiftKind.EVENING)]
            rest = [c for c in carers if c not in own]
            for pool, cap in ((own, per_week), (own, None), (rest, None)):
                candidates = [c for c in pool if c.pk not in busy and c not in chosen
                              and worked.get((c.pk, week), 0)
                              < (cap[c.pk] if cap else MAX_SHIFTS_A_WEEK)]
                rng.shuffle(candidates)
                candidates.sort(key=lambda c: worked.get((c.pk, week), 0))
                chosen += candidates[:max(0, need - len(chosen))]
            for emp in chosen:
                today_plan.append((emp, shift))
                busy.add(emp.pk)
                worked[emp.pk, week] = worked.get((emp.pk, week), 0) + 1
    for n in range(ROSTER_DAYS):
        day = first + dt.timedelta(days=n)
        rows += [_entry(emp, team, day, shift, short) for emp, shift in week_plan[day.weekday()]]
    return rows


def _primary_contacts(team: Team, entries: list[RosterEntry], today: dt.date) -> int:
    """Give each of the team's clients a fixed primary contact pair among the
    carers who work the client's main shift most weeks (the day or evening
    shift with the client's most care minutes), spread so each carer has a
    fair share of clients. Continuity starts on the first planned day
    instead of building up from whoever happened to be free."""
    week = [e for e in entries if e.date < min(x.date for x in entries) + dt.timedelta(days=7)]
    shifts_a_week: dict[tuple[int, str], int] = {}
    for e in week:
        shifts_a_week[e.employee_id, e.shift] = shifts_a_week.get((e.employee_id, e.shift), 0) + 1
    minutes: dict[int, dict[str, int]] = {}
    for client_id, slot, weekdays, mins in DecisionVisit.objects.filter(
        decision_id__in=services.delivered_decision_ids(team, today),
    ).values_list("decision__client_id", "slot", "weekdays", "minutes"):
        shift = shift_of_slot(slot)
        if shift in PLANNED_SHIFTS:
            per = minutes.setdefault(client_id, {})
            per[shift] = per.get(shift, 0) + mins * len(weekdays or [])
    with_contacts = set(PrimaryContact.objects.filter(client_id__in=minutes).values_list(
        "client_id", flat=True))
    load: dict[int, int] = {}
    made: list[PrimaryContact] = []
    for client_id in sorted(with_contacts):
        shift = max(PLANNED_SHIFTS, key=lambda s: (minutes[client_id].get(s, 0), s == "day"))
        working = {pk: n for (pk, sh), n in shifts_a_week.items() if sh == shift}
        if not working:
            continue
        # the regulars of the shift (three or more a week) first, the least loaded first
        pair = sorted(working, key=lambda pk: (working[pk] < 3, load.get(pk, 0), pk))[:2]
        for rank, pk in enumerate(pair, 1):
            load[pk] = load.get(pk, 0) + (2 if rank == 1 else 1)
            made.append(PrimaryContact(client_id=client_id, employee_id=pk, rank=rank))
    PrimaryContact.objects.filter(client_id__in={c.client_id for c in made}).delete()
    PrimaryContact.objects.bulk_create(made)
    return len(made)


def _lock_for_logins(team: Team, day: dt.date, logins: list[Employee]) -> int:
    """Lock three suitable day visits to each demo carer login."""
    visits = list(Visit.objects.filter(
        team=team, date=day, shift=ShiftKind.DAY, status=Visit.Status.SCHEDULED,
        staff_count=1, locked_to__isnull=True, after__isnull=True,
    ).select_related("client").order_by("window_start", "pk"))
    taken: set[int] = set()
    locked = 0
    for emp in logins:
        level = COMPETENCE_ORDER.index(emp.competence) if emp.competence else -1
        skills = set(emp.qualifications or [])
        fits = [v for v in visits if v.pk not in taken
                and COMPETENCE_ORDER.index(v.competence) <= level
                and set(v.skills or []) <= skills and not v.followed_by.exists()]
        # the visits nearest each other, from the first suitable one
        if not fits:
            continue
        anchor = fits[0].client
        fits.sort(key=lambda v: (v.client.latitude - anchor.latitude) ** 2
                  + (v.client.longitude - anchor.longitude) ** 2)
        chosen: list[Visit] = []
        busy = 0
        for v in fits:
            if len(chosen) == LOCKED_PER_LOGIN:
                break
            if busy + v.minutes > LOCKED_MINUTES:
                continue
            chosen.append(v)
            busy += v.minutes
        if len(chosen) < LOCKED_PER_LOGIN:  # the shortest ones, wherever they are
            chosen = sorted(fits, key=lambda v: (v.minutes, v.pk))[:LOCKED_PER_LOGIN]
        for v in chosen:
            v.locked_to = emp
            v.save(update_fields=["locked_to", "updated_at"])
            taken.add(v.pk)
            locked += 1
    return locked


def build(*, seed: int, today: dt.date, progress: Progress | None = None,
          plan_now: bool = True) -> int:
    """Bases, rosters, visits and plans for every team; returns rows made.

    With `plan_now` false every shift's plan is queued for the task worker
    instead of being made during the build (tests of other apps' demo rows,
    which need the city but not the engine's answers)."""
    rng = random.Random(f"planning-{seed}")
    rows = 0
    teams = list(Team.objects.select_related("district").order_by("district__number", "pk"))
    # The carer logins show care work: an assistant among them becomes a
    # health worker (assistants' practical help comes only some weekdays).
    Employee.objects.filter(user__username__startswith="pleier.", competence="assistant").update(
        competence="health_worker", title="Helsefagarbeider")
    login_carers = {
        e.pk: e for e in Employee.objects.filter(user__username__startswith="pleier.")
    }
    bases = []
    for team in teams:
        lat, lon = team_base(team)
        bases.append(TeamBase(team=team, name=f"Base {team.name}", latitude=lat, longitude=lon))
    TeamBase.objects.bulk_create(bases)
    rows += len(bases)

    entries: list[RosterEntry] = []
    for team in teams:
        carers = list(Employee.objects.filter(team=team, is_leader=False)
                      .exclude(competence="").order_by("pk"))
        logins = {e.pk for e in carers if e.pk in login_carers}
        own = _rosters(team, carers, logins, today, rng)
        if own:
            rows += _primary_contacts(team, own, today)
        entries += own
    RosterEntry.objects.bulk_create(entries, batch_size=2000)
    rows += len(entries)

    days = (today, today + dt.timedelta(days=1))
    total = len(teams) * len(days) * len(PLANNED_SHIFTS)
    first_teams = {min(t.pk for t in teams if t.district_id == d)
                   for d in {t.district_id for t in teams}}
    done = 0
    for team in teams:
        logins = [e for e in login_carers.values() if e.team_id == team.pk]
        for day in days:
            for shift in ShiftKind.values:
                result = services.do_generate_day(team, day, shift)
                rows += result.created
            rows += _lock_for_logins(team, day, sorted(logins, key=lambda e: e.pk))
            for shift in PLANNED_SHIFTS:
                if plan_now and (total <= SYNC_PLANS_UP_TO or team.pk in first_teams):
                    plan = Plan.objects.create(
                        team=team, date=day, shift=shift, status=Plan.Status.QUEUED,
                        time_limit=DEMO_TIME_LIMIT, progress={"phase": "queued"},
                    )
                    runner.run_plan(plan.pk, seed=seed)
                else:  # the worker beside `tillit serve` plans it right after
                    services.do_queue_plan(team, day, shift, time_limit=QUEUED_TIME_LIMIT)
                rows += 1
                done += 1
                if progress is not None:
                    progress("plans", done, total)
    return rows
