"""`/api/v1/projects…`: the city-wide register of projects, pilots and
measures, searchable and filterable; registering and recording dialogue
meetings. No person data."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from tillit.access.policy import policy
from tillit.api.fields import BodyId, SensibleDate
from tillit.organisation.models import Agency, District, Unit
from tillit.projects import services
from tillit.projects.models import Project

router = Router(tags=["projects"])

KindLiteral = Literal["project", "pilot", "measure"]
StatusLiteral = Literal["planned", "running", "completed", "stopped"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class MeetingOut(Schema):
    held_on: dt.date
    organisations: str
    employees: bool
    users: bool
    summary: str
    agreed: str


class ProjectOut(Schema):
    id: int
    kind: KindLiteral
    title: str
    goal: str
    district: str | None
    agency: str | None
    units: list[str]
    contact_name: str
    contact_email: str
    starts_on: dt.date
    ends_on: dt.date | None
    status: StatusLiteral
    results: str
    meetings: list[MeetingOut]
    documents: list[str]


class ProjectIn(Schema):
    kind: KindLiteral
    title: str = Field(..., max_length=200)
    goal: str = Field(..., max_length=10_000)
    district: str | None = Field(None, max_length=50)
    agency: str | None = Field(None, max_length=50)
    unit_ids: list[BodyId] = Field([], max_length=200)
    contact_name: str = Field(..., max_length=150)
    contact_email: str = Field("", max_length=254)
    starts_on: SensibleDate
    ends_on: SensibleDate | None = None
    status: StatusLiteral = "planned"
    results: str = ""


class MeetingIn(Schema):
    held_on: SensibleDate
    organisations: str
    employees: bool = False
    users: bool = False
    summary: str = ""
    agreed: str


class Filters(Schema):
    q: str = ""
    kind: KindLiteral | None = None
    status: StatusLiteral | None = None
    district: str | None = None
    agency: str | None = None
    active_on: SensibleDate | None = None


def _out(p: Project) -> dict:
    return {"id": p.pk, "kind": p.kind, "title": p.title, "goal": p.goal,
            "district": p.district.slug if p.district else None,
            "agency": p.agency.slug if p.agency else None,
            "units": [u.name for u in p.units.all()], "contact_name": p.contact_name,
            "contact_email": p.contact_email, "starts_on": p.starts_on, "ends_on": p.ends_on,
            "status": p.status, "results": p.results,
            "meetings": list(p.meetings.values("held_on", "organisations", "employees", "users",
                                               "summary", "agreed")),
            "documents": [d.title for d in p.documents.all()]}


@router.get("/projects", response={200: list[ProjectOut], **ERRORS})
@policy("projects.read")
def list_projects(request: HttpRequest, filters: Query[Filters]):
    district = District.objects.filter(slug=filters.district).first() if filters.district else None
    agency = Agency.objects.filter(slug=filters.agency).first() if filters.agency else None
    if (filters.district and district is None) or (filters.agency and agency is None):
        return []
    rows = services.search(q=filters.q, kind=filters.kind or "", status=filters.status or "",
                           district=district.pk if district else None,
                           agency=agency.pk if agency else None, active_on=filters.active_on)
    return [_out(p) for p in rows.prefetch_related("units", "meetings", "documents")[:500]]


@router.get("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
@policy("projects.read")
def get_project(request: HttpRequest, project_id: int):
    return _out(get_object_or_404(Project, pk=project_id))


@router.post("/projects", response={201: ProjectOut, **ERRORS})
@policy("projects.register")
def register_project(request: HttpRequest, payload: ProjectIn):
    data = payload.dict()
    district, agency = data.pop("district"), data.pop("agency")
    unit_ids = data.pop("unit_ids")
    if district:
        data["district"] = District.objects.filter(slug=district).first()
        if data["district"] is None:
            raise ValidationError({"district": ["Ukjent bydel."]})
    if agency:
        data["agency"] = Agency.objects.filter(slug=agency).first()
        if data["agency"] is None:
            raise ValidationError({"agency": ["Ukjent etat."]})
    units = list(Unit.objects.filter(pk__in=unit_ids))
    if len(units) != len(set(unit_ids)):
        raise ValidationError({"unit_ids": ["Ukjent enhet."]})
    project = services.do_register_project(user=request.user, units=units, **data)
    return Status(201, _out(project))


@router.post("/projects/{project_id}/meetings", response={201: ProjectOut, **ERRORS})
@policy("projects.register")
def add_meeting(request: HttpRequest, project_id: int, payload: MeetingIn):
    project = get_object_or_404(Project, pk=project_id)
    if not services.may_edit(request.user, project):
        raise PermissionDenied
    services.do_add_meeting(user=request.user, project=project, **payload.dict())
    return Status(201, _out(project))
