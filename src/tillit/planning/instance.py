"""A team's shift as a planning instance (`planning-format.md`, version 1).

Ids: a visit is `str(Visit.pk)`, a staff member `str(Employee.pk)`, a
client `str(Client.pk)`, so the plan's ids are the ids of the day list and
the report endpoint.

- Staff: the shift's `RosterEntry` rows minus absences (an absence with a
  `from_time` on the day ends that person's shift then) minus `absent`.
  Every route starts and ends at the team's base (`TeamBase`, or the
  centroid of the team's clients when the team has none); employees have no
  home address in tillit, so a roster's "start from home" also starts at the
  base. The break is the district's break window for rosters that span it.
- Visits: the shift's scheduled visits. `preferred_staff` is the client's
  primary contacts, then (continuity) the carers who served the client in
  the last 28 days, most visits first; at most `PREFERRED_LIMIT`, and only
  people on this shift.
- Locks: a visit locked to a carer on the shift gets a skill only that
  carer holds (`locked-to-<staff id>`), so the engine can give it to no one
  else; the instance stays plain version 1 and `tillit check-plan` checks
  the lock too.
- Re-planning (`previous` and `replan_from`): a visit already reported, or
  planned to start before `from`, is frozen: locked to the carer(s) who did
  it, its window narrowed to the planned start, mandatory. Every other
  visit starts at `from` or later. An absent carer (in `absent`, or with an
  absence that began by `from`) keeps only frozen visits, with the shift
  ending when the last one is done and back at base; when anyone is absent,
  every visit that is not frozen needs the skill `on-duty`, which only the
  carers present hold, so nothing else can go to the absent.
- A visit needing a skill that nobody on the shift holds cannot be planned
  and is left out of the instance, with the reason in `left_out`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tillit.clients.models import PrimaryContact
from tillit.core.planner import Point
from tillit.core.planner.travel import haversine_seconds
from tillit.organisation.models import COMPETENCE_ORDER, Employee, Team
from tillit.planning.continuity import recent_carers
from tillit.planning.models import Absence, Plan, RosterEntry, TeamBase, Visit
from tillit.planning.reports import reported_visits
from tillit.planning.shifts import shift_times

FORMAT = "tillit.planning-instance/1"
TIMEZONE = "Europe/Oslo"
TRAVEL = {"kind": "haversine", "detour_factor": 1.3,
          "speeds_kmh": {"walk": 4.5, "bike": 14.0, "car": 22.0}}
OBJECTIVE = {"travel_minute": 1, "non_preferred_visit": 10, "unassigned_visit": 1000,
             "overtime_minute": None, "late_minute": None}
PREFERRED_LIMIT = 5
OSLO_CENTRE = (59.9127, 10.7461)
LOCK_SKILL = "locked-to-{}"
ON_DUTY = "on-duty"


@dataclass
class BuiltInstance:
    data: dict[str, Any]
    locked: list[str] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)
    frozen: list[str] = field(default_factory=list)
    left_out: list[dict[str, str]] = field(default_factory=list)

    @property
    def staff_ids(self) -> list[str]:
        return [s["id"] for s in self.data["staff"]]


def hhmm(t: dt.time) -> str:
    return t.strftime("%H:%M:%S") if t.second else t.strftime("%H:%M")


def parse_time(text: str) -> dt.time:
    parts = [int(p) for p in text.split(":")]
    return dt.time(parts[0], parts[1], parts[2] if len(parts) > 2 else 0)


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _time_of(seconds: int) -> dt.time:
    seconds = max(0, min(seconds, 24 * 3600 - 1))
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def team_base(team: Team) -> tuple[float, float]:
    """(lat, lon) of the team's base, else the centroid of its clients."""
    base = TeamBase.objects.filter(team=team).first()
    if base is not None:
        return base.latitude, base.longitude
    points = list(team.clients.values_list("latitude", "longitude"))
    if not points:
        return OSLO_CENTRE
    return (round(sum(p[0] for p in points) / len(points), 6),
            round(sum(p[1] for p in points) / len(points), 6))


def _point(lat: float, lon: float) -> dict[str, float]:
    return {"lat": lat, "lon": lon}


def previous_routes(plan: Plan | None) -> tuple[dict[str, list[str]], dict[str, str]]:
    """From a stored plan: visit id -> staff ids, visit id -> planned start."""
    staff_of: dict[str, list[str]] = {}
    start_of: dict[str, str] = {}
    if plan is None or not plan.plan:
        return staff_of, start_of
    for route in plan.plan.get("routes", []):
        for stop in route.get("stops", []):
            if "visit" in stop:
                staff_of.setdefault(stop["visit"], []).append(route["staff"])
                start_of[stop["visit"]] = stop["start"]
    return staff_of, start_of


def prepare_instance(
    team: Team, day: dt.date, shift: str, *, absent: Iterable[str] = (),
    replan_from: dt.time | None = None, previous: Plan | None = None,
    continuity: bool = True,
) -> BuiltInstance:
    times = shift_times(team.district_id, shift)
    absent_ids = {str(a) for a in absent}
    base_lat, base_lon = team_base(team)
    base = _point(base_lat, base_lon)

    entries = list(
        RosterEntry.objects.filter(team=team, date=day, shift=shift)
        .select_related("employee").order_by("employee_id")
    )
    absences = {
        a.employee_id: a for a in Absence.objects.filter(
            employee_id__in=[e.employee_id for e in entries], first_day__lte=day, last_day__gte=day,
        ).order_by("from_time")
    }
    visits = list(
        Visit.objects.filter(team=team, date=day, shift=shift, status=Visit.Status.SCHEDULED)
        .select_related("client").order_by("window_start", "pk")
    )
    reports = reported_visits(v.pk for v in visits)
    prev_staff, prev_start = previous_routes(previous)

    # Frozen visits: reported, or (re-planning) planned to start before `from`.
    frozen: dict[str, tuple[list[str], str | None]] = {}
    for v in visits:
        vid = str(v.pk)
        if v.pk in reports:
            carers = sorted(str(e) for e in reports[v.pk])
            for other in prev_staff.get(vid, []):
                if len(carers) < v.staff_count and other not in carers:
                    carers.append(other)
            frozen[vid] = (carers, prev_start.get(vid))
        elif (replan_from is not None and vid in prev_start
              and parse_time(prev_start[vid]) < replan_from):
            frozen[vid] = (list(prev_staff[vid]), prev_start[vid])
    frozen_by_staff: dict[str, list[str]] = {}
    for vid, (carers, _start) in frozen.items():
        for sid in carers:
            frozen_by_staff.setdefault(sid, []).append(vid)

    by_id = {str(v.pk): v for v in visits}
    staff: list[dict[str, Any]] = []
    for entry in entries:
        emp: Employee = entry.employee
        sid = str(emp.pk)
        if not emp.competence or emp.competence not in COMPETENCE_ORDER:
            continue
        start, end = entry.start, entry.end
        absence = absences.get(emp.pk)
        gone = sid in absent_ids
        leaves: dt.time | None = None  # falls ill during the shift, still present before
        if absence is not None:
            whole = (absence.from_time is None or absence.first_day < day
                     or absence.from_time <= start)
            if whole or (replan_from is not None and absence.from_time <= replan_from):
                gone = True
            else:
                leaves = absence.from_time
        own = frozen_by_staff.get(sid, [])
        if gone and not own:
            continue
        # Frozen visits stay: the shift lasts at least until they are done.
        last_end = 0
        for vid in own:
            v = by_id[vid]
            start_at = frozen[vid][1]
            begin = _seconds(parse_time(start_at)) if start_at else _seconds(v.window_start)
            back = haversine_seconds(
                Point(v.client.latitude, v.client.longitude), Point(base_lat, base_lon),
                TRAVEL["detour_factor"], TRAVEL["speeds_kmh"][entry.travel_mode],
            )
            last_end = max(last_end, begin + v.minutes * 60 + back)
        if gone:
            # Only the frozen visits: the shift ends when they are done.
            end = _time_of(max(_seconds(replan_from) if replan_from else _seconds(start),
                               last_end))
        elif leaves is not None:
            end = _time_of(max(_seconds(min(end, leaves)), last_end))
        if end <= start:
            continue
        skills = set(emp.qualifications or [])
        row: dict[str, Any] = {
            "id": sid, "competence": emp.competence, "skills": sorted(skills),
            "mode": entry.travel_mode, "shift": [hhmm(start), hhmm(end)],
            "start": dict(base), "end": dict(base),
        }
        if (times.has_break and start <= times.break_start  # type: ignore[operator]
                and _seconds(end) >= _seconds(times.break_end) + times.break_minutes * 60):  # type: ignore[arg-type]
            row["break"] = {"window": [hhmm(times.break_start), hhmm(times.break_end)],  # type: ignore[arg-type]
                            "minutes": times.break_minutes}
        row["_gone"] = gone
        staff.append(row)

    staff_by_id = {s["id"]: s for s in staff}
    present = {s["id"] for s in staff if not s["_gone"]}
    # With someone gone, only those present may take a visit that is not
    # frozen: every such visit needs `ON_DUTY`, which only they hold.
    anyone_gone = any(s["_gone"] for s in staff)
    for s in staff:
        if anyone_gone and not s["_gone"]:
            s["skills"] = sorted({*s["skills"], ON_DUTY})
        del s["_gone"]

    # Preferred staff: primary contacts, then recent carers.
    client_ids = sorted({v.client_id for v in visits})
    contacts: dict[int, list[int]] = {}
    for link in PrimaryContact.objects.filter(client_id__in=client_ids).order_by("rank", "pk"):
        contacts.setdefault(link.client_id, []).append(link.employee_id)
    recent = recent_carers(client_ids, day) if continuity else {}

    def preferred(client_id: int) -> list[str]:
        out: list[str] = []
        for pk in [*contacts.get(client_id, []), *recent.get(client_id, [])]:
            sid = str(pk)
            if sid in present and sid not in out:
                out.append(sid)
        return out[:PREFERRED_LIMIT]

    built = BuiltInstance(data={})
    held = set().union(*(set(s["skills"]) for s in staff)) if staff else set()
    out_visits: list[dict[str, Any]] = []
    from_s = _seconds(replan_from) if replan_from is not None else None
    for v in visits:
        vid = str(v.pk)
        skills = sorted(set(v.skills or []))
        missing = [sk for sk in skills if sk not in held]
        if missing:
            built.left_out.append({"visit": vid, "reason": (
                "Ingen på vakten har " + ", ".join(missing) + "."
            )})
            continue
        if vid not in frozen:
            level = COMPETENCE_ORDER.index(v.competence)
            qualified = sum(
                1 for s in staff if s["id"] in present
                and COMPETENCE_ORDER.index(s["competence"]) >= level
                and set(skills) <= set(s["skills"])
            )
            if qualified < v.staff_count:
                built.left_out.append({"visit": vid, "reason": (
                    f"Besøket trenger {v.staff_count} pleiere med kompetansen, men bare "
                    f"{qualified} på vakten har den." if v.staff_count > 1 else
                    "Ingen på vakten har kompetansen besøket krever."
                )})
                continue
        a, b = _seconds(v.window_start), _seconds(v.window_end)
        mandatory = bool(v.mandatory)
        lock_to: list[str] = []
        if vid in frozen:
            carers, start_at = frozen[vid]
            lock_to = [c for c in carers if c in staff_by_id]
            if start_at:
                a = b = _seconds(parse_time(start_at))
            mandatory = len(lock_to) >= v.staff_count
            if v.pk in reports:
                built.reported.append(vid)
            built.frozen.append(vid)
        else:
            if v.locked_to_id is not None and str(v.locked_to_id) in present:
                lock_to = [str(v.locked_to_id)]
                if v.staff_count == 2:
                    lock_to += [s for s in prev_staff.get(vid, []) if s in present
                                and s not in lock_to][:1]
                    if len(lock_to) < 2:
                        lock_to = []
            if from_s is not None:
                a, b = max(a, from_s), max(b, from_s)
        if anyone_gone and vid not in frozen:
            skills.append(ON_DUTY)
        if lock_to:
            skill = LOCK_SKILL.format("-".join(sorted(lock_to)))
            skills.append(skill)
            for sid in lock_to:
                staff_by_id[sid]["skills"] = sorted({*staff_by_id[sid]["skills"], skill})
            if v.locked_to_id is not None and str(v.locked_to_id) in lock_to:
                built.locked.append(vid)
        row: dict[str, Any] = {
            "id": vid, "client": str(v.client_id),
            "location": _point(v.client.latitude, v.client.longitude),
            "window": [hhmm(_time_of(a)), hhmm(_time_of(b))], "minutes": v.minutes,
            "competence": v.competence,
        }
        if skills:
            row["skills"] = skills
        pref = preferred(v.client_id)
        if pref:
            row["preferred_staff"] = pref
        if v.staff_count != 1:
            row["staff_count"] = v.staff_count
        if mandatory:
            row["mandatory"] = True
        out_visits.append(row)

    # `after` only between visits that are both in the instance; a visit
    # that must follow one left out is left out too.
    kept = {row["id"] for row in out_visits}
    changed = True
    while changed:
        changed = False
        for row in out_visits:
            v = by_id[row["id"]]
            if row["id"] in kept and v.after_id is not None and str(v.after_id) in by_id \
                    and str(v.after_id) not in kept and str(v.after_id) not in frozen:
                kept.discard(row["id"])
                built.left_out.append({"visit": row["id"], "reason": (
                    "Besøket skal komme etter et besøk som ikke kan planlegges på vakten."
                )})
                changed = True
    out_visits = [row for row in out_visits if row["id"] in kept]
    for row in out_visits:
        v = by_id[row["id"]]
        if (v.after_id is not None and str(v.after_id) in kept
                and v.after_min_minutes is not None and v.after_max_minutes is not None):
            row["after"] = {"visit": str(v.after_id), "min_minutes": v.after_min_minutes,
                            "max_minutes": v.after_max_minutes}

    built.data = {
        "format": FORMAT,
        "name": f"{team.district.slug}-team{team.pk}-{day.isoformat()}-{shift}",
        "date": day.isoformat(),
        "timezone": TIMEZONE,
        "competences": list(COMPETENCE_ORDER),
        "travel": TRAVEL,
        "objective": OBJECTIVE,
        "staff": staff,
        "visits": out_visits,
    }
    return built


def build_instance(
    team: Team, day: dt.date, shift: str, *, absent: Iterable[str] = (),
    replan_from: dt.time | None = None, previous: Plan | None = None,
    continuity: bool = True,
) -> dict[str, Any]:
    """The instance dict in the spec format (see the module docstring)."""
    return prepare_instance(team, day, shift, absent=absent, replan_from=replan_from,
                            previous=previous, continuity=continuity).data
