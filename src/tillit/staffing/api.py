"""`GET /api/v1/staffing`: needs-based staffing for a district (or, for the
analyst, the city) on a date, in the contract's shape.

District managers and planners get their own district (the default when
`district` is left out); another district answers 404. The analyst may ask
for any district or, leaving `district` out, the city; person counts under
5 come back as null. Carers and case handlers are refused (403). The
what-if parameters may be passed as query parameters; bad values answer 422
with Norwegian field messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tillit.access.policy import policy
from tillit.api.errors import error_body
from tillit.staffing.figures import compute
from tillit.staffing.forms import StaffingQueryForm
from tillit.staffing.presenting import contract_body
from tillit.staffing.scoping import allowed_scope, home_district

router = Router(tags=["staffing"])

CompetenceName = Literal["assistant", "health_worker", "nurse"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class ParamsOut(Schema):
    direct_care_share: float
    fte_hours_per_week: float
    absence_buffer: float


class CompetenceOut(Schema):
    competence: CompetenceName
    weekly_direct_minutes: int | None = Field(..., description="null: under 5 clients (analyst)")
    needed_fte: float | None
    rostered_fte: float | None = Field(..., description="null: under 5 employees (analyst)")


class CaseloadOut(Schema):
    norm: int
    over_norm: int | None = Field(..., description="nurses over the norm; null: under 5")
    without_responsible_nurse: int | None


class StaffingOut(Schema):
    district: str | None = Field(..., description="null for the city as a whole")
    date: dt.date
    params: ParamsOut
    by_competence: list[CompetenceOut]
    nurse_caseload: CaseloadOut


class StaffingQuery(Schema):
    district: str | None = Field(None, description="District slug, e.g. sagene")
    date: str | None = Field(None, description="YYYY-MM-DD; default today (Europe/Oslo)")
    direct_care_share: str | None = Field(None, description="what-if, 0–1; default 0.53")
    absence_buffer: str | None = Field(None, description="what-if, 0–1; default 0.10")
    fte_hours_per_week: str | None = Field(None, description="what-if; default 37.5")
    caseload_norm: str | None = Field(None, description="what-if; default 25")


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/staffing", response={200: StaffingOut, **ERRORS})
@policy("staffing.view")
def get_staffing(request: HttpRequest, query: Query[StaffingQuery]):
    form = StaffingQueryForm({k: v for k, v in query.dict().items() if v not in (None, "")})
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        return Status(422, error_body(_("The request has invalid values."), errors))
    slug = form.cleaned_data.get("district") or None
    if slug is None and (home := home_district(request.user)) is not None:
        slug = home.slug
    allowed = allowed_scope(request.user, slug)
    day = form.cleaned_data.get("date") or timezone.localdate()
    figures = compute(allowed.scope, day, form.params())
    return Status(200, contract_body(figures, allowed.aggregated))
