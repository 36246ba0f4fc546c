"""`/api/v1/insight/...`: the city's aggregates, for analysts and district
managers (carers and the others get 403). Every count of persons is at
least 5 or null with `"suppressed": true` beside it, and so is every figure
derived from fewer than 5 persons. Filters are enums (see the OpenAPI)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from tillit.access.policy import policy
from tillit.decisions import services as decision_services
from tillit.insight import aggregates, equal_help, pilot, processing, span
from tillit.insight.filters import CareBlockFilter, ProviderKind, ServiceCode

router = Router(tags=["insight"])
VIEW = "insight.view"


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class DistrictHelpOut(Schema):
    district: str
    clients: int | None
    weekly_hours_median: float | None
    suppressed: bool
    weekly_hours_mean: float | None
    users_80_per_1000: float | None
    clients_67_per_1000: float | None
    share_over_35_5_hours: float | None
    same_need_ratio: float | None


class EqualHelpOut(Schema):
    service: ServiceCode
    day: str | None
    districts: list[DistrictHelpOut]
    coefficient_of_variation: float | None


@router.get("/insight/equal-help", response={200: EqualHelpOut, **ERRORS})
@policy(VIEW)
def insight_equal_help(request: HttpRequest, service: ServiceCode = "all",
                       provider_kind: ProviderKind = "all", care_block: CareBlockFilter = "all"):
    day = aggregates.latest_day(decision_services.today())
    result = equal_help.compute(day, service, provider_kind, care_block)
    return {
        "service": service, "day": day.isoformat() if day else None,
        "coefficient_of_variation": result.cv_median,
        "districts": [{
            "district": r.slug, "clients": r.clients, "weekly_hours_median": r.median_hours,
            "suppressed": r.suppressed, "weekly_hours_mean": r.mean_hours,
            "users_80_per_1000": r.per_1000_80, "clients_67_per_1000": r.per_1000_67,
            "share_over_35_5_hours": r.share_over, "same_need_ratio": r.ratio,
        } for r in result.rows],
    }


class TableOut(Schema):
    slug: str
    title: str
    headers: list[str]
    rows: list[list[str | int | float | None]]


def _tables(sections) -> list[dict]:
    return [{"slug": s.slug, "title": s.title, "headers": s.headers, "rows": s.rows}
            for s in sections]


@router.get("/insight/processing-times", response={200: list[TableOut], **ERRORS})
@policy(VIEW)
def insight_processing_times(request: HttpRequest, service: ServiceCode = "all"):
    """Per district and by month; null cells are hidden (fewer than 5)."""
    return _tables(processing.compute(decision_services.today(), service))


@router.get("/insight/span-of-control", response={200: list[TableOut], **ERRORS})
@policy(VIEW)
def insight_span_of_control(request: HttpRequest):
    """Employees per leader by sector and level, share of women per sector."""
    return _tables(span.compute(decision_services.today()))


@router.get("/insight/trust-pilot", response={200: list[TableOut], **ERRORS})
@policy(VIEW)
def insight_trust_pilot(request: HttpRequest, start: dt.date | None = None,
                        end: dt.date | None = None):
    """The trust pilot against the rest of the city, before and during the
    period (default: the last 28 days); null cells are hidden (fewer than 5
    persons)."""
    end = end or decision_services.today()
    start = start or end - dt.timedelta(days=27)
    errors = pilot.period_errors(start, end)
    if errors:
        return Status(422, {"detail": "Ugyldig periode.", "errors": errors})
    return _tables(pilot.compare(start, end).sections)
