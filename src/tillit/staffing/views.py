"""Pages of needs-based staffing: the city (analyst), a district and a team
(district managers and planners of the district; the analyst as
aggregates), each with charts, tables, the what-if panel, trends and an
Excel export; and a client's care situation and responsible nurse.

Every page declares its policy; scopes come from `scoping.allowed_scope`
(other districts answer 404); the list of clients without a responsible
nurse and the client page are person-level and logged as reads.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tillit.access.policy import policy
from tillit.access.scopes import visible_client_or_404, visible_clients
from tillit.audit.models import Interface, What
from tillit.audit.services import record_access
from tillit.clients.models import Client
from tillit.core import staffing as core
from tillit.organisation.models import District, Team
from tillit.staffing import exporting, history, services
from tillit.staffing.charts import Series, bar_chart
from tillit.staffing.defaults import SOURCES
from tillit.staffing.figures import Figures, Scope, compute
from tillit.staffing.forms import CareSituationForm, ResponsibleForm, WhatIfForm
from tillit.staffing.models import CareSituation, ResponsibleNurse, Situation
from tillit.staffing.presenting import competence_rows, count, needs_shown
from tillit.staffing.scoping import Allowed, allowed_scope, home_district, is_city_wide

VIEW = "staffing.view"
SET = "staffing.set_situation"
LISTED_CLIENTS = 200


def _labels() -> dict[str, str]:
    return {"assistant": _("Assistants"), "health_worker": _("Health workers"),
            "nurse": _("Nurses")}


@policy(VIEW)
def home(request: HttpRequest) -> HttpResponse:
    if is_city_wide(request.user):
        return redirect("staffing:city")
    district = home_district(request.user)
    if district is None:
        raise Http404("Not found.")
    return redirect("staffing:district", slug=district.slug)


def _whatif(request: HttpRequest) -> WhatIfForm:
    keys = {"date", "share", "buffer", "hours", "norm"}
    if keys & set(request.GET):
        # A field left out (e.g. a link with only ?date=) keeps its default.
        data = {k: str(v) for k, v in WhatIfForm.initial_values().items()}
        data.update({k: request.GET[k] for k in keys if k in request.GET})
        return WhatIfForm(data)
    return WhatIfForm(initial=WhatIfForm.initial_values())


def _charts(figures: Figures, aggregated: bool) -> dict[str, Any]:
    labels = _labels()
    rows = competence_rows(figures, aggregated)
    categories = [labels[r["competence"]] for r in rows]
    fte_chart = bar_chart(
        _("Needed and rostered FTE by competence"), categories,
        [Series(_("Needed"), [r["needed_fte"] for r in rows]),
         Series(_("Rostered"), [r["rostered_fte"] for r in rows])],
    )
    bands = figures.caseload.distribution(width=5)
    band_rows = [(f"{lo}–{hi}", count(n, aggregated), lo > figures.params.caseload_norm)
                 for lo, hi, n in bands]
    caseload_chart = bar_chart(
        _("Nurses by number of clients they are responsible for"),
        [label for label, _n, _over in band_rows],
        [Series(_("Nurses"), [n for _l, n, _o in band_rows])],
    ) if band_rows else None
    return {"fte_chart": fte_chart, "caseload_chart": caseload_chart, "band_rows": band_rows}


def _context(request: HttpRequest, allowed: Allowed) -> dict[str, Any]:
    form = _whatif(request)
    params, day = form.params(), form.day()
    figures = compute(allowed.scope, day, params)
    agg = allowed.aggregated
    rows = competence_rows(figures, agg)
    labels = _labels()
    for row in rows:
        row["label"] = labels[str(row["competence"])]
    context: dict[str, Any] = {
        "figures": figures, "rows": rows, "aggregated": agg, "form": form, "params": params,
        "defaults": core.DEFAULTS, "day": day, "scope": allowed.scope,
        "changed": params != core.DEFAULTS,
        "show_needs": needs_shown(figures, agg),
        "clients": count(figures.clients, agg),
        "over_norm": count(figures.caseload.over_norm, agg),
        "nurses": count(figures.caseload.nurses, agg),
        "without_responsible": count(figures.caseload.without_responsible, agg),
        "non_nurse_responsible": count(figures.non_nurse_responsible, agg),
        "leaders": count(figures.leaders_rostered, agg),
        "leaders_fte": figures.leaders_fte if count(figures.leaders_rostered, agg) is not None
        else None,
        "situations": [
            (Situation(s).label if s else _("not set"), count(n, agg),
             core.FOLLOW_UP_MINUTES.get(s))
            for s, n in figures.situations.items()
        ],
        "caseload_mean": figures.caseload.mean if count(figures.caseload.nurses, agg) else None,
        "sources": SOURCES,
        "export_query": request.GET.urlencode(),
        **_charts(figures, agg),
    }
    if params != core.DEFAULTS:
        base = compute(allowed.scope, day, core.DEFAULTS)
        context["base_needed"] = base.needed_total
        context["base_over_norm"] = count(base.caseload.over_norm, agg)
    if not agg and allowed.scope.level != "city":
        shown = list(
            visible_clients(request.user).filter(pk__in=figures.lacking_ids)
            .select_related("team").order_by("family_name", "given_name")[:LISTED_CLIENTS]
        )
        if shown:
            record_access(actor=request.user, clients=shown, what=What.LIST,
                          interface=Interface.PAGE, request=request)
        context["lacking"] = shown
    return context


def _export_or_render(request: HttpRequest, allowed: Allowed, template: str,
                      extra: dict[str, Any]) -> HttpResponse:
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "csv"}:
        form = _whatif(request)
        figures = compute(allowed.scope, form.day(), form.params())
        return exporting.response(figures, allowed.aggregated, fmt)
    context = _context(request, allowed) | extra
    return render(request, template, context)


@policy("staffing.view_city")
def city(request: HttpRequest) -> HttpResponse:
    allowed = allowed_scope(request.user)
    form = _whatif(request)
    params, day = form.params(), form.day()
    districts = []
    for district in District.objects.valid_on(day).order_by("number"):
        f = compute(Scope(district=district), day, params)
        districts.append({
            "district": district,
            "needed": f.needed_total if needs_shown(f, True) else None,
            "rostered": f.rostered_total,
            "gap": f.rostered_total - f.needed_total if needs_shown(f, True) else None,
            "clients": count(f.clients, True),
            "over_norm": count(f.caseload.over_norm, True),
            "without_responsible": count(f.caseload.without_responsible, True),
        })
    return _export_or_render(request, allowed, "staffing/city.html", {
        "districts": districts, "trend": history.trend(None),
    })


@policy(VIEW)
def district(request: HttpRequest, slug: str) -> HttpResponse:
    allowed = allowed_scope(request.user, slug)
    return _export_or_render(request, allowed, "staffing/district.html", {
        "trend": history.trend(allowed.scope.district),
        "team_rows": _team_rows(request, allowed),
    })


def _team_rows(request: HttpRequest, allowed: Allowed) -> list[dict[str, Any]]:
    form = _whatif(request)
    rows = []
    teams = Team.objects.valid_on(form.day()).filter(district=allowed.scope.district)
    for team in teams.order_by("name"):
        f = compute(Scope(district=allowed.scope.district, team=team), form.day(), form.params())
        shown = needs_shown(f, allowed.aggregated)
        rows.append({
            "team": team, "needed": f.needed_total if shown else None,
            "rostered": f.rostered_total,
            "gap": f.rostered_total - f.needed_total if shown else None,
            "over_norm": count(f.caseload.over_norm, allowed.aggregated),
            "without_responsible": count(f.caseload.without_responsible, allowed.aggregated),
        })
    return rows


@policy(VIEW)
def team(request: HttpRequest, slug: str, team_id: int) -> HttpResponse:
    allowed = allowed_scope(request.user, slug, team_id)
    return _export_or_render(request, allowed, "staffing/team.html", {})


@policy(SET, object_rule="access.view_client")
def client_situation(request: HttpRequest, client_id: int) -> HttpResponse:
    client: Client = visible_client_or_404(request.user, client_id)
    employees = services.eligible_responsibles(client)
    situation_form = CareSituationForm(prefix="s")
    responsible_form = ResponsibleForm(prefix="r", employees=employees)
    if request.method == "POST":
        try:
            if "s-situation" in request.POST:
                situation_form = CareSituationForm(request.POST, prefix="s")
                if situation_form.is_valid():
                    services.do_set_care_situation(
                        client=client, by=request.user, **situation_form.cleaned_data)
                    messages.success(request, _("The care situation is saved."))
                    return redirect("staffing:client", client_id=client.pk)
            else:
                responsible_form = ResponsibleForm(request.POST, prefix="r", employees=employees)
                if responsible_form.is_valid():
                    services.do_assign_responsible(
                        client=client, employee=responsible_form.cleaned_data["employee"],
                        by=request.user)
                    messages.success(request, _("The responsible nurse is saved."))
                    return redirect("staffing:client", client_id=client.pk)
        except ValidationError as error:
            target = situation_form if "s-situation" in request.POST else responsible_form
            for field, errors in error.message_dict.items():
                for message in errors:
                    target.add_error(field if field in target.fields else None, message)
    record_access(actor=request.user, clients=[client], what=What.RECORD,
                  interface=Interface.PAGE, request=request)
    situations = list(CareSituation.objects.filter(client=client).order_by("-set_at", "-pk"))
    responsibles = list(ResponsibleNurse.objects.filter(client=client)
                        .select_related("employee").order_by("-assigned_at", "-pk"))
    current = situations[0] if situations else None
    back = reverse("staffing:district", args=[client.district.slug]) \
        if request.user.district_id == client.district_id else None
    return render(request, "staffing/client.html", {
        "client": client, "situations": situations, "responsibles": responsibles,
        "current": current, "situation_form": situation_form,
        "responsible_form": responsible_form, "back": back,
        "requires_nurse": current is None or current.requires_nurse,
        "follow_up": core.FOLLOW_UP_MINUTES.get(current.situation) if current else None,
    })
