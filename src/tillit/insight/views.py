"""Insight pages: aggregates only, never person-level data. Each table can
be downloaded (`?eksport=<section>&format=csv|xlsx`) through the one export
helper; each chart has its table beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillit.access.policy import policy
from tillit.accounts.models import Role
from tillit.core import svgcharts
from tillit.decisions import letters
from tillit.decisions import services as decision_services
from tillit.insight import aggregates, equal_help, pilot, processing, providers, services, span
from tillit.insight.filters import (
    BLOCK_LABELS,
    CARE_BLOCKS,
    PROVIDER_KINDS,
    PROVIDER_LABELS,
    SERVICE_CODES,
    SERVICE_LABELS,
    clean,
)
from tillit.insight.forms import PeriodForm, PilotSiteForm, SurveyForm
from tillit.insight.models import PilotSite
from tillit.insight.sections import Section, find
from tillit.web.exports import FORMATS, export_response

VIEW = "insight.view"
MANAGE = "insight.manage_pilot"
RECORD_SURVEY = "insight.record_survey"


def _export(request: HttpRequest, sections: list[Section]) -> HttpResponse | None:
    slug = request.GET.get("eksport")
    if not slug:
        return None
    section = find(sections, slug)
    fmt = request.GET.get("format", "csv")
    if section is None or fmt not in FORMATS:
        raise Http404
    return export_response(section.export_table(), f"innsikt-{slug}", fmt)  # type: ignore[arg-type]


def _page(request: HttpRequest, template: str, sections: list[Section],
          context: dict[str, Any]) -> HttpResponse:
    download = _export(request, sections)
    if download is not None:
        return download
    query = request.GET.copy()
    query.pop("eksport", None)
    query.pop("format", None)
    return render(request, template, {**context, "sections": sections,
                                      "query": query.urlencode()})


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        "service": clean(request.GET.get("tjeneste"), SERVICE_CODES, "all"),
        "provider_kind": clean(request.GET.get("leverandor"), PROVIDER_KINDS, "all"),
        "care_block": clean(request.GET.get("omsorgsblokk"), CARE_BLOCKS, "all"),
    }


@policy(VIEW)
def equal_help_page(request: HttpRequest) -> HttpResponse:
    chosen = _filters(request)
    day = aggregates.latest_day(decision_services.today())
    result = equal_help.compute(day, **chosen)
    indicator = clean(request.GET.get("indikator"), equal_help.INDICATORS, "median_hours")
    label = equal_help.indicator_label(indicator)
    values = equal_help.indicator_values(result, indicator)
    return _page(request, "insight/equal_help.html", result.sections, {
        "result": result, "day": day, "chosen": chosen, "indicator": indicator,
        "indicator_label": label,
        "map": svgcharts.district_map(_("Map of the districts: %(label)s") % {"label": label},
                                      values),
        "map_rows": [(r.name, values[r.slug]) for r in result.rows],
        "services": SERVICE_LABELS.items(), "providers": PROVIDER_LABELS.items(),
        "blocks": [(k, BLOCK_LABELS[k]) for k in CARE_BLOCKS],
        "indicators": [(k, equal_help.indicator_label(k)) for k in equal_help.INDICATORS],
    })


@policy(VIEW)
def processing_page(request: HttpRequest) -> HttpResponse:
    service = clean(request.GET.get("tjeneste"), SERVICE_CODES, "all")
    sections = processing.compute(decision_services.today(), service)
    return _page(request, "insight/sections.html", sections, {
        "title": _("Processing times"), "chosen": {"service": service},
        "services": SERVICE_LABELS.items(),
    })


@policy(VIEW)
def providers_page(request: HttpRequest) -> HttpResponse:
    service = clean(request.GET.get("tjeneste"), SERVICE_CODES, "all")
    day = aggregates.latest_day(decision_services.today())
    matched, _result = providers.matched(day, service)
    sections = [matched, providers.reassessments()]
    return _page(request, "insight/sections.html", sections, {
        "title": _("Municipal and private providers"), "chosen": {"service": service},
        "services": SERVICE_LABELS.items(),
    })


@policy(VIEW)
def span_page(request: HttpRequest) -> HttpResponse:
    sections = span.compute(decision_services.today())
    return _page(request, "insight/sections.html", sections, {"title": _("Span of control")})


DEFAULT_DAYS = 28  # the last four weeks, against the four weeks before


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    today = decision_services.today()
    default = {"fra": today - dt.timedelta(days=DEFAULT_DAYS - 1), "til": today}
    form = PeriodForm(request.GET if "fra" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["fra"], form.cleaned_data["til"]
    return form, default["fra"], default["til"]


@policy(VIEW)
def pilot_page(request: HttpRequest) -> HttpResponse:
    form, start, end = _period(request)
    comparison = pilot.compare(start, end)
    return _page(request, "insight/pilot.html", comparison.sections, {
        "title": _("Trust pilot"), "form": form, "comparison": comparison,
        "all_sites": PilotSite.objects.select_related("district", "team"),
        "may_manage": request.user.role == Role.DISTRICT_MANAGER,
        "report_query": f"fra={start.isoformat()}&til={end.isoformat()}",
    })


@policy(VIEW)
def council_report(request: HttpRequest) -> HttpResponse:
    """The progress report for the district council: a document in bokmål,
    dates in Europe/Oslo, whatever the reader's browser says."""
    _form, start, end = _period(request)
    with translation.override("nb"), timezone.override("Europe/Oslo"):
        comparison = pilot.compare(start, end)
        context = {"comparison": comparison, "text": pilot.plain_text(comparison),
                   "made": timezone.localtime(decision_services.now()),
                   "hourly_cost": pilot.hourly_cost()}
        return letters.respond(request, "insight/council_report.html", context,
                               pdf=request.GET.get("format") == "pdf",
                               filename=f"tillitspilot-{start}-{end}.pdf")


@policy(MANAGE)
def pilot_new(request: HttpRequest) -> HttpResponse:
    district = request.user.district
    form = PilotSiteForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_register_pilot(district=district, actor=request.user,
                                       **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The pilot site is registered."))
            return redirect("insight:pilot")
    return render(request, "insight/form.html", {"form": form,
                                                 "title": _("Register a pilot site")})


@policy(MANAGE)
def pilot_end(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(PilotSite, pk=pk, district=request.user.district)
    if request.method == "POST":
        try:
            services.do_end_pilot(site, ends_on=decision_services.today(), actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            messages.success(request, _("The pilot site is ended today."))
    return redirect("insight:pilot")


@policy(RECORD_SURVEY)
def survey_new(request: HttpRequest) -> HttpResponse:
    district = request.user.district
    form = SurveyForm(request.POST or None, district=district,
                      initial={"answered_on": decision_services.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        team, answered_on = data.pop("team"), data.pop("answered_on")
        try:
            services.do_record_survey(district=district, team=team, answered_on=answered_on,
                                      scores=data, actor=request.user)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The survey answer is recorded."))
            return redirect("insight:survey_new")
    return render(request, "insight/form.html", {"form": form,
                                                 "title": _("Record a satisfaction survey")})
