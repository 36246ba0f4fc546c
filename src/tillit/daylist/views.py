"""Pages: the carer's day list (`/dagliste/`, with its service worker), the
team leader's view of the shift, care plans, changes within the frame and
the case handlers' revision proposals.

Every page declares its policy; person data comes through the access scope
and each read is logged (`reads.py`, `_log`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tillit.access.policy import policy
from tillit.access.scopes import carer_margin, get_visible_or_404, visible_client_or_404
from tillit.audit.models import Interface, What
from tillit.audit.services import device_time_from, record_access
from tillit.daylist import forms, services
from tillit.daylist.models import CarePlan, FrameChange, RevisionProposal
from tillit.daylist.reads import read_day_list, read_team_progress
from tillit.decisions.models import Decision
from tillit.planning.models import Visit

CHOICES = {
    "fitted": {"done": True, "time_fit": "fitted"},
    "more": {"done": True, "time_fit": "more"},
    "less": {"done": True, "time_fit": "less"},
    "not_home": {"done": False, "reason": "not_home"},
    "declined": {"done": False, "reason": "declined"},
    "hospital": {"done": False, "reason": "hospital"},
    "other": {"done": False, "reason": "other"},
}


def _log(request: HttpRequest, clients: Any, what: str = What.RECORD) -> None:
    record_access(actor=request.user, clients=clients, what=what, interface=Interface.PAGE,
                  request=request)


# -- the carer's day list ----------------------------------------------------------


@never_cache
@policy("daylist.own")
def day_list_page(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    day_list = read_day_list(request.user, day, interface=Interface.PAGE, request=request)
    # The phone keeps the list and its reports until the shift's end plus the access margin.
    keep_until = (day_list.shift.end + carer_margin() if day_list.shift
                  else timezone.now() + dt.timedelta(hours=12))
    return render(request, "daylist/day_list.html", {
        "day_list": day_list, "shift": day_list.shift_contract(),
        "keep_until": keep_until.isoformat(),
    })


@require_POST
@policy("daylist.own")
def report_form(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The same report without JavaScript: the form posts here."""
    choice = CHOICES.get(request.POST.get("choice", ""))
    try:
        report_id = uuid.UUID(request.POST.get("report_id", ""))
    except ValueError:
        report_id = None
    if choice is None or report_id is None:
        messages.error(request, _("The report could not be read. Try again."))
        return redirect("daylist:page")
    try:
        services.do_report_visit(request.user, visit_id, report_id=report_id,
                                 note=request.POST.get("note", ""),
                                 device_time=device_time_from(request), **choice)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    except services.Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The report is stored."))
    return redirect("daylist:page")


@policy("access.public")
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "daylist/sw.js", content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/dagliste/"
    response["Cache-Control"] = "no-cache"
    return response


# -- the team leader's view ------------------------------------------------------------


@never_cache
@policy("daylist.team")
def team_page(request: HttpRequest) -> HttpResponse:
    context = _team_context(request)
    return render(request, "daylist/team.html", context)


@never_cache
@policy("daylist.team")
def team_progress(request: HttpRequest) -> HttpResponse:
    return render(request, "daylist/_team_progress.html", _team_context(request))


def _team_context(request: HttpRequest) -> dict[str, Any]:
    day = timezone.localdate()
    carers, unreported = read_team_progress(request.user, day, interface=Interface.PAGE,
                                            request=request)
    totals = {"done": 0, "not_done": 0, "open": 0}
    for carer in carers:
        for key, value in carer.counts.items():
            totals[key] += value
    return {"day": day, "carers": carers, "unreported": unreported, "totals": totals,
            "now": timezone.localtime()}


# -- care plans ---------------------------------------------------------------------------


@policy("daylist.care_plan", object_rule="access.view_client")
def care_plan_page(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    plans = list(CarePlan.objects.visible_to(request.user).filter(client=client))
    may_write = request.user.role in {"carer", "planner", "district_manager"}
    form = forms.CarePlanForm(initial={"text": plans[0].text if plans else ""})
    if request.method == "POST":
        if not may_write:
            return HttpResponse(status=403)
        form = forms.CarePlanForm(request.POST)
        if form.is_valid():
            try:
                services.do_write_care_plan(request.user, client, text=form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_error("text", exc.message_dict.get("text", exc.messages))
            else:
                messages.success(request, _("The care plan is saved as a new version."))
                return redirect("daylist:care_plan", client_id=client.pk)
    _log(request, [client])
    return render(request, "daylist/care_plan.html", {
        "client": client, "plans": plans, "form": form, "may_write": may_write,
    })


# -- changes within the frame ----------------------------------------------------------------


@policy("daylist.frame", object_rule="access.view_client")
def frame_page(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    today = timezone.localdate()
    visits = Visit.objects.visible_to(request.user).filter(
        client=client, date__gte=today, decision__isnull=False, status=Visit.Status.SCHEDULED,
    ).select_related("decision").order_by("date", "window_start")[:40]
    decisions = Decision.objects.visible_to(request.user).filter(client=client).active_on(today)
    form = forms.FrameChangeForm(visits=visits)
    proposal_form = forms.TeamProposalForm(decisions=decisions)
    if request.method == "POST" and request.POST.get("form") == "proposal":
        proposal_form = forms.TeamProposalForm(request.POST, decisions=decisions)
        if proposal_form.is_valid():
            data = proposal_form.cleaned_data
            services.do_raise_team_proposal(request.user, data["decision"],
                                            direction=data["direction"], reason=data["reason"])
            messages.success(request, _("The revision proposal is sent to the purchaser office."))
            return redirect("daylist:frame", client_id=client.pk)
    elif request.method == "POST":
        form = forms.FrameChangeForm(request.POST, visits=visits)
        if form.is_valid():
            data = form.cleaned_data
            window = (data["window_start"], data["window_end"]) if data.get("window_start") and \
                data.get("window_end") else None
            try:
                services.do_change_within_frame(
                    request.user, data["visit"], kind=data["kind"], minutes=data.get("minutes"),
                    window=window, reason=data["reason"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The change is recorded and goes into the next plans."))
                return redirect("daylist:frame", client_id=client.pk)
    changes = FrameChange.objects.visible_to(request.user).filter(client=client).select_related(
        "visit", "recorded_by")[:20]
    _log(request, [client])
    return render(request, "daylist/frame.html", {
        "client": client, "visits": visits, "decisions": decisions, "form": form,
        "proposal_form": proposal_form, "changes": changes,
    })


# -- revision proposals (case handlers) -------------------------------------------------------


@policy("daylist.proposals")
def proposals_page(request: HttpRequest) -> HttpResponse:
    visible = RevisionProposal.objects.visible_to(request.user).select_related(
        "decision__client", "decision__service_type", "reassessment")
    open_ones = list(visible.filter(status=RevisionProposal.Status.OPEN))
    decided = list(visible.exclude(status=RevisionProposal.Status.OPEN)[:30])
    outcomes = {
        (row["direction"], row["status"]): row["n"]
        for row in RevisionProposal.objects.values("direction", "status").annotate(n=Count("pk"))
    }
    table = [
        {"direction": label, **{
            status: _suppressed(outcomes.get((value, status), 0))
            for status in ("open", "accepted", "dismissed")
        }}
        for value, label in RevisionProposal.Direction.choices
    ]
    shown = {p.decision.client_id for p in open_ones + decided}
    if shown:
        _log(request, sorted(shown), What.LIST)
    return render(request, "daylist/proposals.html", {
        "open": open_ones, "decided": decided, "outcomes": table,
    })


def _suppressed(count: int) -> str:
    """City-wide counts of proposals are counts of clients: 1–4 are not shown."""
    return "<5" if 0 < count < 5 else str(count)


@require_POST
@policy("daylist.proposals", object_rule="access.view_client")
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_visible_or_404(request.user, RevisionProposal.objects.all(), pk=pk)
    try:
        services.do_accept_proposal(request.user, proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        return redirect("daylist:proposals")
    messages.success(request, _("A reassessment is opened."))
    return redirect("decisions:reassessment", pk=proposal.reassessment_id)


@require_POST
@policy("daylist.proposals", object_rule="access.view_client")
def proposal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_visible_or_404(request.user, RevisionProposal.objects.all(), pk=pk)
    try:
        services.do_dismiss_proposal(request.user, proposal, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("The proposal is dismissed."))
    return redirect("daylist:proposals")
