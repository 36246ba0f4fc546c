"""The staffing figures of a team, a district or the city on a day, read
from decisions, rosters, employees, plans, care situations and responsible
nurses, and computed with `tillit.core.staffing`.

Scope and population:

- needs: every decision active on the day for a client of the scope (the
  district's clients, or the team's), as the API contract counts them;
- rostered: the roster entries of the scope's teams in the ISO week
  (Monday–Sunday) holding the day; absences are not subtracted, since the
  absence buffer on the needs side covers them;
- contracted: the FTE percentages of the employees in the scope's teams who
  are employed on the day;
- leaders: employees marked as leaders who have roster entries that week,
  counted in the rostered FTE while they lead;
- nurse visits covered by others: assignments in the current plans of the
  week whose visit needs a nurse and whose carer is not one;
- caseload: the clients with an active decision, per responsible nurse. A
  client lacks a responsible nurse when nobody is responsible, or when the
  care situation (or none set yet) requires a nurse and the responsible is
  not one.

Aggregates only leave this module through `Figures`; the ids of clients
without a responsible nurse are there for the person-level list, which the
view shows only to roles with person scope and logs as a read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from tillit.core import staffing as core
from tillit.decisions.models import Decision, DecisionVisit
from tillit.organisation.models import District, Employee, Team
from tillit.planning.models import Assignment, RosterEntry
from tillit.staffing.models import CareSituation, ResponsibleNurse, requires_nurse


@dataclass(frozen=True)
class Scope:
    """The city (both None), one district, or one team."""

    district: District | None = None
    team: Team | None = None

    @property
    def level(self) -> str:
        return "team" if self.team else "district" if self.district else "city"

    def clients(self, prefix: str = "client__") -> Q:
        if self.team is not None:
            return Q(**{f"{prefix}team": self.team})
        if self.district is not None:
            return Q(**{f"{prefix}district": self.district})
        return Q()

    def teams(self, prefix: str = "team__") -> Q:
        if self.team is not None:
            return Q(**{prefix.removesuffix("__"): self.team})
        if self.district is not None:
            return Q(**{f"{prefix}district": self.district})
        return Q()


@dataclass
class Figures:
    scope: Scope
    day: dt.date
    week: tuple[dt.date, dt.date]
    params: core.StaffingParams
    lines: list[core.CompetenceLine]
    contracted_fte: dict[str, float]
    rostered_people: dict[str, int]
    contracted_people: dict[str, int]
    clients: int
    situations: dict[str, int]
    follow_up_minutes: int
    caseload: core.Caseload
    lacking_ids: list[int]
    non_nurse_responsible: int
    leaders_rostered: int
    leaders_fte: float
    nurse_visits: int
    nurse_visits_by_others: int
    nurse_minutes_by_others: int
    plans: int
    teams: list[Team] = field(default_factory=list)

    @property
    def follow_up_fte(self) -> float:
        return core.fte_for_minutes(self.follow_up_minutes, self.params)

    @property
    def needed_total(self) -> float:
        return sum(line.needed_fte for line in self.lines)

    @property
    def rostered_total(self) -> float:
        return sum(line.rostered_fte for line in self.lines)

    @property
    def nurse_needed_with_follow_up(self) -> float:
        nurse = next(line for line in self.lines if line.competence == core.NURSE)
        return nurse.needed_fte + self.follow_up_fte


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def active_decisions(scope: Scope, day: dt.date):
    return Decision.objects.active_on(day).filter(scope.clients())


# Up to this many ids go into queries as a list (one scan of the decisions
# instead of one per query); larger scopes (the city) use subqueries.
ID_LIST_LIMIT = 5000


def direct_minutes(scope: Scope, day: dt.date, decisions: object = None) -> dict[str, int]:
    if decisions is None:
        decisions = active_decisions(scope, day).values("pk")
    rows = DecisionVisit.objects.filter(decision__in=decisions).order_by().values_list(
        "minutes", "weekdays", "competence", "staff_count")
    return core.weekly_direct_minutes(
        core.VisitNeed(minutes=m, weekdays=len(w or []), competence=c, staff_count=s)
        for m, w, c, s in rows
    )


def _competence(value: str) -> str | None:
    return value if value in core.COMPETENCES else None


def compute(scope: Scope, day: dt.date, params: core.StaffingParams = core.DEFAULTS) -> Figures:
    monday, sunday = week_of(day)
    active = list(active_decisions(scope, day).order_by().values_list("pk", "client_id"))
    client_ids = {client for _pk, client in active}
    small = len(active) <= ID_LIST_LIMIT
    minutes = direct_minutes(
        scope, day, [pk for pk, _c in active] if small else None)

    # Rostered hours and leaders in the week.
    roster = RosterEntry.objects.filter(scope.teams(), date__range=(monday, sunday)).values_list(
        "employee_id", "employee__competence", "employee__is_leader", "start", "end")
    shifts: list[core.Shift] = []
    people: dict[str, set[int]] = {c: set() for c in core.COMPETENCES}
    leaders: set[int] = set()
    leader_hours = 0.0
    for employee_id, competence, is_leader, start, end in roster:
        if is_leader:
            leaders.add(employee_id)
            leader_hours += core.shift_hours(start, end)
        if _competence(competence):
            shifts.append(core.Shift(competence, start, end))
            people[competence].add(employee_id)
    rostered = core.rostered_fte(shifts, params)

    contracted = dict.fromkeys(core.COMPETENCES, 0.0)
    contracted_people = dict.fromkeys(core.COMPETENCES, 0)
    for competence, fte in Employee.objects.valid_on(day).filter(
        scope.teams(), team__isnull=False
    ).values_list("competence", "fte_percent"):
        if _competence(competence):
            contracted[competence] += float(fte) / 100
            contracted_people[competence] += 1

    # Clients in service, their care situations and responsible nurses.
    in_service = client_ids if small else active_decisions(scope, day).values("client_id")
    situation_of = situations_on(in_service, day)
    responsible_of = responsibles_on(in_service, day)
    nurse_of: dict[int, int | None] = {}
    lacking: list[int] = []
    non_nurse = 0
    for client in sorted(client_ids):
        situation = situation_of.get(client)
        needs_nurse = situation is None or requires_nurse(situation)
        holder = responsible_of.get(client)
        if holder is not None and holder[1] == core.NURSE:
            nurse_of[client] = holder[0]
        elif holder is not None and not needs_nurse:
            non_nurse += 1  # a health worker holds the role in a stable situation
        else:
            nurse_of[client] = None
            lacking.append(client)
    load = core.caseload(nurse_of, params.caseload_norm)
    situations = Counter(situation_of.values())

    # Visits needing a nurse, and those a non-nurse was planned for.
    planned = Assignment.objects.filter(
        plan__is_current=True, plan__date__range=(monday, sunday),
        **_plan_team_filter(scope),
        visit__competence=core.NURSE,
    ).values_list("visit_id", "visit__minutes", "employee__competence", "plan_id")
    nurse_visits: set[int] = set()
    by_others: dict[int, int] = {}
    plans: set[int] = set()
    for visit_id, visit_minutes, competence, plan_id in planned:
        nurse_visits.add(visit_id)
        plans.add(plan_id)
        if competence != core.NURSE:
            by_others[visit_id] = visit_minutes

    teams = list(Team.objects.valid_on(day).filter(scope.teams(prefix="")).order_by("name")) \
        if scope.team is None else [scope.team]
    return Figures(
        scope=scope, day=day, week=(monday, sunday), params=params,
        lines=core.compare(minutes, rostered, params),
        contracted_fte=contracted,
        rostered_people={c: len(ids) for c, ids in people.items()},
        contracted_people=contracted_people,
        clients=len(client_ids),
        situations={s: situations.get(s, 0) for s in core.SITUATIONS}
        | {"": len(client_ids) - len(situation_of)},
        follow_up_minutes=core.follow_up_minutes(situation_of.values()),
        caseload=load, lacking_ids=lacking, non_nurse_responsible=non_nurse,
        leaders_rostered=len(leaders), leaders_fte=leader_hours / params.fte_hours_per_week,
        nurse_visits=len(nurse_visits), nurse_visits_by_others=len(by_others),
        nurse_minutes_by_others=sum(by_others.values()), plans=len(plans), teams=teams,
    )


def _plan_team_filter(scope: Scope) -> dict[str, object]:
    if scope.team is not None:
        return {"plan__team": scope.team}
    if scope.district is not None:
        return {"plan__team__district": scope.district}
    return {}


def end_of(day: dt.date) -> dt.datetime:
    """Midnight after `day` in the municipality's time zone (Europe/Oslo)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def situations_on(client_ids: Iterable[int] | QuerySet, day: dt.date) -> dict[int, str]:
    """Each client's care situation as it stood at the end of `day`."""
    rows = CareSituation.objects.filter(client_id__in=client_ids, set_at__lt=end_of(day)
                                        ).order_by("set_at", "pk")
    return dict(rows.values_list("client_id", "situation"))  # the latest row wins


def responsibles_on(client_ids: Iterable[int] | QuerySet, day: dt.date
                    ) -> dict[int, tuple[int, str]]:
    """{client: (employee, competence)} of the responsible at the end of `day`."""
    rows = ResponsibleNurse.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=end_of(day)),
        client_id__in=client_ids, assigned_at__lt=end_of(day),
    ).order_by("assigned_at", "pk").values_list("client_id", "employee_id", "employee__competence")
    return {client: (employee, competence) for client, employee, competence in rows}
