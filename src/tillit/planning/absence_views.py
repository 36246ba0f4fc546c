"""The team's absences: register a holiday, a course or a sick leave for a
carer of the team, see the upcoming ones and cancel them, and browse the
absences of a period. The writes are `services.do_register_absence` and
`services.do_cancel_absence`. A carer outside the planner's team, or an
absence of one, answers 404 like a missing one."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.policy import policy
from tillit.organisation.models import Employee, Team
from tillit.planning import services
from tillit.planning.absences import plans_hit_by
from tillit.planning.forms import AbsenceForm
from tillit.planning.models import Absence, RosterEntry
from tillit.planning.views import BOARD, team_or_404

ROSTER_REACH = dt.timedelta(days=56)  # carers rostered in the team this near count as its own


def team_employees(team: Team, today: dt.date | None = None) -> QuerySet[Employee]:
    """The carers a team's planner may register absences for: the team's own
    and those rostered in the team in the eight weeks either side of today."""
    today = today or timezone.localdate()
    rostered = RosterEntry.objects.filter(
        team=team, date__range=(today - ROSTER_REACH, today + ROSTER_REACH)
    ).values("employee_id")
    return Employee.objects.filter(
        Q(team=team) | Q(pk__in=rostered), district_id=team.district_id
    ).distinct().order_by("given_name", "family_name")


def _week_start(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("fra", ""))
    except ValueError:
        return timezone.localdate()


def _absences_url(team: Team) -> str:
    return reverse("planning:absences", args=[team.pk])


@policy(BOARD)
def absences(request: HttpRequest, team_id: int) -> HttpResponse:
    """GET: the form, the upcoming absences and a period's absences;
    POST: register an absence (field errors in Norwegian, 400)."""
    team = team_or_404(request.user, team_id)
    employees = team_employees(team)
    today = timezone.localdate()
    form = AbsenceForm(request.POST if request.method == "POST" else None,
                       employees=employees, initial={"first_day": today, "last_day": today})
    status = 200
    if request.method == "POST":
        posted = request.POST.get("employee", "")
        if posted.isdigit() and not employees.filter(pk=int(posted)).exists():
            raise Http404("Not found.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                absence = services.do_register_absence(
                    data["employee"], data["kind"], data["first_day"], data["last_day"],
                    note=data["note"], user=request.user, today=today)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                status = 400
            else:
                messages.success(request, _(
                    "%(name)s's absence (%(kind)s) is registered.") % {
                    "name": absence.employee, "kind": absence.get_kind_display()})
                for plan in plans_hit_by(absence):
                    if plan.team_id == team.pk:
                        messages.warning(request, _(
                            "The plan for %(shift)s %(day)s gives %(name)s visits: re-plan "
                            "the shift.") % {"shift": plan.get_shift_display(),
                                             "day": plan.date.strftime("%d.%m.%Y"),
                                             "name": absence.employee})
                return redirect(_absences_url(team))
        else:
            status = 400
    start = _week_start(request)
    first, last = start - dt.timedelta(days=14), start + dt.timedelta(days=28)
    ids = list(employees.values_list("pk", flat=True))
    rows = Absence.objects.filter(
        employee_id__in=ids, first_day__lte=last,
        last_day__gte=first).select_related("employee").order_by("first_day", "employee")
    upcoming = Absence.objects.filter(employee_id__in=ids, last_day__gte=today).select_related(
        "employee").order_by("first_day", "employee")
    return render(request, "planning/absences.html", {
        "team": team, "form": form, "rows": rows, "upcoming": upcoming, "today": today,
        "first": first, "last": last,
        "prev": start - dt.timedelta(days=28), "next": start + dt.timedelta(days=28),
    }, status=status)


@require_POST
@policy(BOARD)
def cancel_absence(request: HttpRequest, team_id: int, absence_id: int) -> HttpResponse:
    team = team_or_404(request.user, team_id)
    absence = Absence.objects.filter(
        pk=absence_id, employee__in=team_employees(team)).select_related("employee").first()
    if absence is None:
        raise Http404("Not found.")
    try:
        kept = services.do_cancel_absence(absence, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        if kept is None:
            messages.success(request, _("%(name)s's absence is cancelled.") % {
                "name": absence.employee})
        else:
            messages.success(request, _(
                "%(name)s's absence now ends %(day)s; the days gone stay registered.") % {
                "name": absence.employee, "day": kept.last_day.strftime("%d.%m.%Y")})
    return redirect(_absences_url(team))

