"""Writes of planning: the day's visits, one-off changes, plans, re-plans
and absences. Every function runs in one transaction: it happens whole or
not at all.

Planning a shift is a background task (`tillit.planning.tasks`): the
`do_queue_plan` / `do_replan` functions make a queued `Plan` and enqueue the
task when the transaction commits; `tillit.planning.runner.run_plan` does
the work and stores the result (`store_plan_result`), replacing the current
plan whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tillit.core.planner import check_plan, load_instance
from tillit.decisions.models import Decision, DecisionVisit
from tillit.organisation.models import Employee, Team
from tillit.planning.errors import PlanConflict, PlanningError
from tillit.planning.instance import parse_time
from tillit.planning.models import (
    Absence,
    Assignment,
    ClientAway,
    Plan,
    ShiftKind,
    Visit,
)
from tillit.planning.reports import reported_visit_ids
from tillit.planning.shifts import slots_of_shift

DEFAULT_TIME_LIMIT = 8.0  # seconds of search; with building and storing, a re-plan takes < 10 s
MIN_TIME_LIMIT = 1.0
MAX_TIME_LIMIT = 300.0

# The fields a regeneration copies from the decision's visit pattern.
PATTERN_FIELDS = ("client_id", "decision_id", "team_id", "shift", "window_start", "window_end",
                  "minutes", "competence", "skills", "staff_count", "tasks")


@dataclass
class GenerateResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # changed by hand, locked or reported: left as they were
    withdrawn: int = 0  # the decision no longer asks for it


def _is_protected(visit: Visit, reported: set[int]) -> bool:
    return visit.manual or visit.locked_to_id is not None or visit.pk in reported


def _away_clients(client_ids: Iterable[int], day: dt.date) -> dict[int, str]:
    rows = ClientAway.objects.filter(
        client_id__in=list(client_ids), first_day__lte=day, last_day__gte=day
    ).order_by("registered_at")
    return {row.client_id: row.reason for row in rows}


def delivered_decision_ids(team: Team, day: dt.date) -> list[int]:
    """The decisions active on `day` that the team delivers: its clients'
    decisions with its own unit as provider (a private provider plans its
    own). Read as a list of ids before their visit patterns: with the
    decisions as a subquery of the patterns' query, PostgreSQL could pick a
    plan that ran for more than 20 minutes on a freshly filled database
    (CI's demo build)."""
    return list(Decision.objects.active_on(day).filter(
        client__team=team, provider__unit_id=team.unit_id).values_list("pk", flat=True))


@transaction.atomic
def do_generate_day(team: Team, day: dt.date, shift: str) -> GenerateResult:
    """The shift's visits from the active decisions of the team's clients
    that the team's unit delivers (a private provider plans its own).

    Idempotent: running it again changes nothing unless the decisions did.
    Visits changed by hand, locked to a carer or with reports are never
    touched; visits the decisions no longer ask for are withdrawn
    (cancelled, so stored plans keep their rows)."""
    if shift not in ShiftKind.values:
        raise PlanningError("Ukjent vakt.", "shift")
    weekday = day.weekday()
    patterns = [
        dv for dv in DecisionVisit.objects.filter(
            decision_id__in=delivered_decision_ids(team, day), slot__in=slots_of_shift(shift),
        ).select_related("decision").order_by("decision__client_id", "decision_id", "order", "pk")
        if weekday in (dv.weekdays or [])
    ]
    existing = {
        v.decision_visit_id: v
        for v in Visit.objects.filter(decision_visit__in=[dv.pk for dv in patterns], date=day)
    }
    ours = list(Visit.objects.filter(team=team, date=day, shift=shift,
                                     source=Visit.Source.DECISION))
    reported = reported_visit_ids([*existing.values(), *ours])
    away = _away_clients({dv.decision.client_id for dv in patterns}, day)
    result = GenerateResult()
    by_pattern: dict[int, Visit] = {}
    fresh: list[Visit] = []
    for dv in patterns:
        wanted: dict[str, Any] = {
            "client_id": dv.decision.client_id, "decision_id": dv.decision_id,
            "team_id": team.pk, "shift": shift, "window_start": dv.window_start,
            "window_end": dv.window_end, "minutes": dv.minutes, "competence": dv.competence,
            "skills": sorted(dv.skills or []), "staff_count": dv.staff_count,
            "tasks": dv.tasks,
        }
        status = Visit.Status.CLIENT_AWAY if dv.decision.client_id in away else \
            Visit.Status.SCHEDULED
        reason = away.get(dv.decision.client_id, "")
        visit = existing.get(dv.pk)
        if visit is None:
            visit = Visit(decision_visit=dv, date=day, source=Visit.Source.DECISION,
                          status=status, status_reason=reason, **wanted)
            fresh.append(visit)
            result.created += 1
        elif _is_protected(visit, reported):
            result.kept += 1
        else:
            changed = [f for f in PATTERN_FIELDS if getattr(visit, f) != wanted[f]]
            if visit.status != status or visit.status_reason != reason:
                changed += ["status", "status_reason"]
            for name in changed:
                setattr(visit, name, wanted.get(name, status if name == "status" else reason))
            if changed:
                visit.save()
                result.updated += 1
            else:
                result.unchanged += 1
        by_pattern[dv.pk] = visit

    Visit.objects.bulk_create(fresh, batch_size=500)

    # `after` gaps point at the same day's visit of the pattern's `after`.
    for dv in patterns:
        visit = by_pattern[dv.pk]
        if _is_protected(visit, reported):
            continue
        target = by_pattern.get(dv.after_id) if dv.after_id else None
        after = (target.pk, dv.after_min_minutes, dv.after_max_minutes) if target else \
            (None, None, None)
        if (visit.after_id, visit.after_min_minutes, visit.after_max_minutes) != after:
            visit.after_id, visit.after_min_minutes, visit.after_max_minutes = after
            visit.save(update_fields=["after", "after_min_minutes", "after_max_minutes",
                                      "updated_at"])

    # Withdrawn: generated earlier for this shift, no longer in the decisions.
    live = {v.pk for v in by_pattern.values()}
    for visit in ours:
        if (visit.pk not in live and visit.status == Visit.Status.SCHEDULED
                and not _is_protected(visit, reported)):
            visit.status = Visit.Status.CANCELLED
            visit.status_reason = "Vedtaket ber ikke lenger om dette besøket."
            visit.save(update_fields=["status", "status_reason", "updated_at"])
            result.withdrawn += 1
    return result


# -- one-off changes ----------------------------------------------------------------

def _refuse_if_reported(visit: Visit) -> None:
    if reported_visit_ids([visit]):
        raise PlanningError("Besøket er allerede rapportert og kan ikke endres.", "visit")


@transaction.atomic
def do_cancel_visit(visit: Visit, reason: str, user: object | None = None) -> Visit:
    """Cancel one visit (by hand: regenerating the day leaves it cancelled)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Skriv hvorfor besøket avlyses."]})
    _refuse_if_reported(visit)
    visit.status = Visit.Status.CANCELLED
    visit.status_reason = reason.strip()[:300]
    visit.manual = True
    visit.save(update_fields=["status", "status_reason", "manual", "updated_at"])
    return visit


@transaction.atomic
def do_mark_client_away(
    client: object, first_day: dt.date, last_day: dt.date, reason: str,
    user: object | None = None,
) -> ClientAway:
    """The client is away (e.g. in hospital) from first to last day: the
    visits already generated for those days are marked away (reported ones
    stay), and days generated later are too."""
    errors: dict[str, list[str]] = {}
    if last_day < first_day:
        errors["last_day"] = ["Siste dag kan ikke være før første dag."]
    if not (reason or "").strip():
        errors["reason"] = ["Skriv hvorfor brukeren er borte (for eksempel innlagt)."]
    if errors:
        raise ValidationError(errors)
    away = ClientAway.objects.create(
        client=client, first_day=first_day, last_day=last_day, reason=reason.strip()[:300],
        registered_by=user if getattr(user, "pk", None) else None,
    )
    visits = list(Visit.objects.filter(
        client=client, date__gte=first_day, date__lte=last_day, status=Visit.Status.SCHEDULED,
    ))
    reported = reported_visit_ids(visits)
    for visit in visits:
        if visit.pk in reported:
            continue
        visit.status = Visit.Status.CLIENT_AWAY
        visit.status_reason = away.reason
        visit.save(update_fields=["status", "status_reason", "updated_at"])
    return away


@transaction.atomic
def do_move_visit_window(
    visit: Visit, window_start: dt.time, window_end: dt.time, user: object | None = None,
) -> Visit:
    """Move one visit's window (by hand: regenerating keeps the new window)."""
    if window_end < window_start:
        raise ValidationError({"window_end": ["Seneste start kan ikke være før tidligste start."]})
    _refuse_if_reported(visit)
    visit.window_start, visit.window_end = window_start, window_end
    visit.manual = True
    visit.save(update_fields=["window_start", "window_end", "manual", "updated_at"])
    return visit


@transaction.atomic
def do_add_visit(
    team: Team, day: dt.date, shift: str, client: Any, *, window_start: dt.time,
    window_end: dt.time, minutes: int, competence: str, skills: Iterable[str] = (),
    staff_count: int = 1, tasks: str = "", mandatory: bool = False,
    user: object | None = None,
) -> Visit:
    """Add a one-off visit to a team's shift."""
    if client.team_id != team.pk:
        raise ValidationError({"client": ["Brukeren hører ikke til dette teamet."]})
    visit = Visit(
        team=team, date=day, shift=shift, client=client, source=Visit.Source.ADDED,
        window_start=window_start, window_end=window_end, minutes=minutes,
        competence=competence, skills=sorted(set(skills)), staff_count=staff_count,
        tasks=tasks, mandatory=mandatory, manual=True,
    )
    errors: dict[str, list[str]] = {}
    if window_end < window_start:
        errors["window_end"] = ["Seneste start kan ikke være før tidligste start."]
    if not 1 <= minutes <= 480:
        errors["minutes"] = ["Veiledende minutter må være mellom 1 og 480."]
    if staff_count not in (1, 2):
        errors["staff_count"] = ["Et besøk har én eller to pleiere."]
    if errors:
        raise ValidationError(errors)
    visit.full_clean()
    visit.save()
    return visit


# -- absences -----------------------------------------------------------------------

@transaction.atomic
def do_mark_ill(
    employee: Employee, day: dt.date, from_time: dt.time | None = None,
    user: object | None = None, note: str = "",
) -> Absence:
    """Register that `employee` is ill on `day` (from `from_time` when they
    leave during the shift). Re-planning is a separate step (`do_replan`)."""
    existing = Absence.objects.filter(
        employee=employee, kind=Absence.Kind.SICK, first_day__lte=day, last_day__gte=day,
    ).first()
    if existing is not None:
        if existing.from_time is not None and (from_time is None
                                               or from_time < existing.from_time):
            existing.from_time = from_time
            existing.save(update_fields=["from_time"])
        return existing
    return Absence.objects.create(
        employee=employee, kind=Absence.Kind.SICK, first_day=day, last_day=day,
        from_time=from_time, note=note[:300],
        registered_by=user if getattr(user, "pk", None) else None,
    )


MAX_ABSENCE_DAYS = 366


def _day(value: dt.date) -> str:
    return f"{value.day}.{value.month}.{value.year}"


@transaction.atomic
def do_register_absence(
    employee: Employee, kind: str, first_day: dt.date, last_day: dt.date, *,
    note: str = "", user: object | None = None, today: dt.date | None = None,
) -> Absence:
    """Register a holiday, a course or a sick leave from `first_day` to
    `last_day` (whole days). Refused, with field messages, when the dates
    are the wrong way round, the absence is already over, or it overlaps
    one the carer already has. A current plan that gives the carer visits
    on those days needs re-planning from then on
    (`tillit.planning.absences.plans_hit_by`); the next plan or re-plan of
    those shifts leaves the carer out, as for `do_mark_ill`."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in Absence.Kind.values:
        errors["kind"] = ["Velg hva slags fravær det er."]
    if last_day < first_day:
        errors["last_day"] = ["Siste dag kan ikke være før første dag."]
    elif last_day < today:
        errors["last_day"] = ["Fraværet er allerede over. Registrer fravær fra i dag eller senere."]
    elif (last_day - first_day).days >= MAX_ABSENCE_DAYS:
        errors["last_day"] = [f"Et fravær kan vare høyst {MAX_ABSENCE_DAYS} dager."]
    if not errors:
        clash = Absence.objects.select_for_update().filter(
            employee=employee, first_day__lte=last_day, last_day__gte=first_day,
        ).order_by("first_day").first()
        if clash is not None:
            errors["first_day"] = [
                f"{employee} er allerede registrert med fravær ({clash.get_kind_display()}) "
                f"{_day(clash.first_day)}–{_day(clash.last_day)}, som overlapper. "
                "Avlys det først, eller velg andre dager."
            ]
    if errors:
        raise ValidationError(errors)
    return Absence.objects.create(
        employee=employee, kind=kind, first_day=first_day, last_day=last_day,
        note=(note or "").strip()[:300],
        registered_by=user if getattr(user, "pk", None) else None,
    )


@transaction.atomic
def do_cancel_absence(
    absence: Absence, user: object | None = None, today: dt.date | None = None,
) -> Absence | None:
    """Cancel an absence that is not over: one that has not begun is removed;
    one that has begun ends yesterday (the days gone stay as they were).
    Returns the shortened absence, or None when it was removed. Plans made
    without the carer stay; re-plan the shift to give them visits again."""
    today = today or timezone.localdate()
    fresh = Absence.objects.select_for_update().filter(pk=absence.pk).first()
    if fresh is None:
        raise ValidationError({"absence": ["Fraværet finnes ikke lenger."]})
    if fresh.last_day < today:
        raise ValidationError({"absence": ["Fraværet er over og kan ikke avlyses."]})
    if fresh.first_day >= today:
        fresh.delete()
        return None
    fresh.last_day = today - dt.timedelta(days=1)
    fresh.save(update_fields=["last_day"])
    return fresh


# -- plans --------------------------------------------------------------------------

def clamp_time_limit(value: float | None) -> float:
    if value is None:
        return DEFAULT_TIME_LIMIT
    if not MIN_TIME_LIMIT <= value <= MAX_TIME_LIMIT:
        raise ValidationError({"time_limit": [
            f"Tidsgrensen må være mellom {MIN_TIME_LIMIT:g} og {MAX_TIME_LIMIT:g} sekunder."
        ]})
    return float(value)


def current_plan(team: Team, day: dt.date, shift: str) -> Plan | None:
    return Plan.objects.filter(team=team, date=day, shift=shift, is_current=True).first()


def _enqueue(plan: Plan) -> None:
    from tillit.planning.tasks import plan_shift

    def send() -> None:
        result = plan_shift.enqueue(plan.pk)
        Plan.objects.filter(pk=plan.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(send)


@transaction.atomic
def do_queue_plan(
    team: Team, day: dt.date, shift: str, *, user: object | None = None,
    time_limit: float | None = None, absent: Iterable[str] = (),
    replan_from: dt.time | None = None, enqueue: bool = True,
) -> Plan:
    """Queue a plan of the team's shift; it replaces the current plan (if
    any) when it is done, unless someone saved a newer one meanwhile."""
    if shift not in ShiftKind.values:
        raise ValidationError({"shift": ["Ukjent vakt."]})
    limit = clamp_time_limit(time_limit)
    current = current_plan(team, day, shift)
    plan = Plan.objects.create(
        team=team, date=day, shift=shift, status=Plan.Status.QUEUED,
        replaces=current, base_version=current.version if current else None,
        absent=sorted({str(a) for a in absent}), replan_from=replan_from, time_limit=limit,
        created_by=user if getattr(user, "pk", None) else None,
        progress={"phase": "queued"},
    )
    if enqueue:
        _enqueue(plan)
    return plan


@transaction.atomic
def do_replan(
    plan: Plan, absent_staff_ids: Iterable[str], from_time: dt.time | None,
    time_limit: float | None = None, user: object | None = None, *, enqueue: bool = True,
) -> Plan:
    """Re-plan the rest of a shift from `from_time`: keeps what is reported
    with the carer who reported it, keeps locks to carers still present,
    gives nothing after `from_time` to an absent carer. Returns the new,
    queued plan; the old one stays current until the new one is stored."""
    absent = sorted({str(a) for a in absent_staff_ids})
    fresh = Plan.objects.filter(pk=plan.pk).first()
    if fresh is None or not fresh.is_current or fresh.status != Plan.Status.DONE:
        raise PlanConflict(
            "Denne planen er ikke lenger den gjeldende; en nyere plan finnes. "
            "Åpne den gjeldende planen og planlegg på nytt derfra."
        )
    known = {s["id"] for s in (fresh.instance or {}).get("staff", [])}
    unknown = [a for a in absent if a not in known]
    if unknown:
        raise ValidationError({"absent": [
            "Ukjent ansatt i planen: " + ", ".join(unknown) + "."
        ]})
    limit = clamp_time_limit(time_limit)
    new = Plan.objects.create(
        team=fresh.team, date=fresh.date, shift=fresh.shift, status=Plan.Status.QUEUED,
        replaces=fresh, base_version=fresh.version, absent=absent, replan_from=from_time,
        time_limit=limit, created_by=user if getattr(user, "pk", None) else None,
        progress={"phase": "queued"},
    )
    if enqueue:
        _enqueue(new)
    return new


def _assignments(plan: Plan, plan_dict: dict[str, Any]) -> list[Assignment]:
    rows: list[Assignment] = []
    for route in plan_dict.get("routes", []):
        order = 0
        for stop in route.get("stops", []):
            if "visit" not in stop:
                continue
            order += 1
            rows.append(Assignment(
                plan=plan, visit_id=int(stop["visit"]), employee_id=int(route["staff"]),
                order=order, arrive=parse_time(stop["arrive"]), start=parse_time(stop["start"]),
                end=parse_time(stop["end"]),
            ))
    return rows


def _take_over_current(plan: Plan) -> Plan | None:
    """Compare-and-set: the plan this run started from must still be the
    current one, at the version it started from. Demotes it; raises
    PlanConflict otherwise."""
    current = (Plan.objects.select_for_update()
               .filter(team_id=plan.team_id, date=plan.date, shift=plan.shift, is_current=True)
               .exclude(pk=plan.pk).first())
    if plan.replaces_id is None:
        if current is not None:
            raise PlanConflict()
        return None
    if current is None or current.pk != plan.replaces_id:
        raise PlanConflict()
    demoted = Plan.objects.filter(
        pk=current.pk, is_current=True, version=plan.base_version
    ).update(is_current=False)
    if demoted != 1:
        raise PlanConflict()
    return current


@transaction.atomic
def store_plan_result(
    plan: Plan, instance: dict[str, Any], plan_dict: dict[str, Any], stats: dict[str, Any],
) -> Plan:
    """Make a finished run the current plan: whole or not at all."""
    report = check_plan(load_instance(instance), plan_dict)
    if not report.ok:
        raise PlanningError(
            "Planen besto ikke kontrollen og er ikke lagret: " + "; ".join(report.violations[:3])
        )
    _take_over_current(plan)
    plan.refresh_from_db(fields=["progress", "task_id"])
    plan.progress = {**(plan.progress or {}), "phase": "done", "time_left": 0.0}
    plan.instance, plan.plan = instance, plan_dict
    plan.cost = float(plan_dict["cost"]["total"])
    plan.stats = stats
    plan.status = Plan.Status.DONE
    plan.is_current = True
    plan.error = ""
    plan.finished_at = timezone.now()
    plan.save()
    Assignment.objects.bulk_create(_assignments(plan, plan_dict))
    return plan


@transaction.atomic
def do_store_plan_change(
    plan: Plan, plan_dict: dict[str, Any], expected_version: int, user: object | None = None,
) -> Plan:
    """Save a changed plan (e.g. a visit moved by hand) in place of the
    current plan's routes. `expected_version` is the version the planner
    saw: if anyone saved since, this raises PlanConflict and changes
    nothing. The plan must pass the checker with its stated cost."""
    report = check_plan(load_instance(plan.instance), plan_dict)
    if not report.feasible:
        raise PlanningError("Endringen bryter planens regler: " + "; ".join(report.violations[:3]))
    if not report.cost_matches:
        raise PlanningError("Kostnaden i planen stemmer ikke med kontrollen.")
    saved = Plan.objects.filter(
        pk=plan.pk, is_current=True, version=expected_version
    ).update(version=F("version") + 1, plan=plan_dict, cost=float(plan_dict["cost"]["total"]))
    if saved != 1:
        raise PlanConflict()
    Assignment.objects.filter(plan=plan).delete()
    plan.refresh_from_db()
    Assignment.objects.bulk_create(_assignments(plan, plan_dict))
    return plan


@transaction.atomic
def mark_plan_failed(plan: Plan, message: str) -> Plan:
    """A run that failed: the message is for the planner; nothing else changes."""
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.FAILED, error=message, finished_at=timezone.now(),
        progress={**(plan.progress or {}), "phase": "failed"},
    )
    plan.refresh_from_db()
    return plan
