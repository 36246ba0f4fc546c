"""Re-planning pages of the board: plan a shift, mark a carer ill from now,
add a visit mid-shift, re-plan the rest of the shift, and see what a
re-plan changed. The writes are `tillit.planning.services`; progress shows
on the board while the background task runs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.policy import policy
from tillit.audit.models import Interface, What
from tillit.planning import board as b
from tillit.planning import services
from tillit.planning.errors import PlanningError
from tillit.planning.forms import AddVisitForm, FromTimeForm, MarkIllForm
from tillit.planning.models import Plan, ShiftKind
from tillit.planning.reads import read_team_clients
from tillit.planning.views import (
    BOARD,
    board_url,
    log_read,
    parse_day,
    parse_shift,
    plan_for_change,
    shift_employees,
    team_or_404,
)


def _errors(form: Any) -> str:
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


@require_POST
@policy(BOARD)
def queue_plan(request: HttpRequest, team_id: int, day: str, shift: str) -> HttpResponse:
    """Generate the shift's visits from the decisions, then plan it in the background."""
    team = team_or_404(request.user, team_id)
    date, shift = parse_day(day), parse_shift(shift)
    try:
        generated = services.do_generate_day(team, date, shift)
        services.do_queue_plan(team, date, shift, user=request.user)
    except PlanningError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
    else:
        messages.success(request, _(
            "Planning started: %(created)s new visits, %(kept)s kept as changed by hand."
        ) % {"created": generated.created, "kept": generated.kept})
    return redirect(board_url(team, date, shift))


@require_POST
@policy(BOARD)
def mark_ill(request: HttpRequest, team_id: int, day: str, shift: str) -> HttpResponse:
    team, date, shift, plan = plan_for_change(request, team_id, day, shift)
    form = MarkIllForm(request.POST, employees=shift_employees(plan))
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(board_url(team, date, shift))
    employee, from_time = form.cleaned_data["employee"], form.cleaned_data["from_time"]
    try:
        services.do_mark_ill(employee, date, from_time, user=request.user)
        if form.cleaned_data["replan"]:
            services.do_replan(plan, [str(employee.pk)], from_time, user=request.user)
    except PlanningError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
    else:
        text = _("%(name)s is registered ill from %(time)s.") % {
            "name": employee, "time": from_time.strftime("%H:%M")}
        if form.cleaned_data["replan"]:
            text += " " + _("The rest of the shift is being re-planned.")
        messages.success(request, text)
    return redirect(board_url(team, date, shift))


@require_POST
@policy(BOARD)
def replan(request: HttpRequest, team_id: int, day: str, shift: str) -> HttpResponse:
    team, date, shift, plan = plan_for_change(request, team_id, day, shift)
    form = FromTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect(board_url(team, date, shift))
    try:
        services.do_replan(plan, plan.absent, form.cleaned_data["from_time"], user=request.user)
    except PlanningError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
    else:
        messages.success(request, _("The rest of the shift is being re-planned from %(time)s.")
                         % {"time": form.cleaned_data["from_time"].strftime("%H:%M")})
    return redirect(board_url(team, date, shift))


@policy(BOARD)
def add_visit(request: HttpRequest, team_id: int, day: str, shift: str) -> HttpResponse:
    team = team_or_404(request.user, team_id)
    date, shift = parse_day(day), parse_shift(shift)
    clients = read_team_clients(request.user, team, interface=Interface.PAGE, request=request)
    form = AddVisitForm(request.POST or None, clients=clients)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.do_add_visit(
                    team, date, shift, data["client"], window_start=data["window_start"],
                    window_end=data["window_end"], minutes=data["minutes"],
                    competence=data["competence"], staff_count=data["staff_count"],
                    tasks=data["tasks"], user=request.user)
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}
                                             ).items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                status = 400
            else:
                log_read(request, [visit.client_id], What.RECORD)
                messages.success(request, _(
                    "The visit is added. Re-plan the rest of the shift to give it a carer."))
                return redirect(board_url(team, date, shift))
        else:
            status = 400
    return render(request, "planning/add_visit.html", {
        "team": team, "date": date, "shift": shift, "shift_label": ShiftKind(shift).label,
        "form": form, "board_url": board_url(team, date, shift),
    }, status=status)


@policy(BOARD)
def changes(request: HttpRequest, plan_id: int) -> HttpResponse:
    """What a re-plan changed: who got which visits, old plan against new."""
    if not request.user.district_id:
        raise Http404("Not found.")
    plan = Plan.objects.filter(pk=plan_id, team__district_id=request.user.district_id,
                               status=Plan.Status.DONE).select_related("team", "replaces"
                                                                       ).first()
    if plan is None or plan.replaces is None or not plan.replaces.plan:
        raise Http404("Not found.")
    rows = b.plan_changes(plan.replaces, plan, request.user)
    log_read(request, {r.visit.client_id for r in rows if r.visit is not None})
    return render(request, "planning/changes.html", {
        "plan": plan, "old": plan.replaces, "rows": rows, "team": plan.team,
        "board_url": board_url(plan.team, plan.date, plan.shift),
        "shift_label": ShiftKind(plan.shift).label,
        "old_cost": (plan.replaces.plan or {}).get("cost", {}),
        "new_cost": (plan.plan or {}).get("cost", {}),
    })
