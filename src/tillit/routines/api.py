"""`/api/v1/routines…`: city-wide routines, their versions, every district's
and unit's answer, and the compliance overview. No person data. Bad input
answers 422 with field messages; other districts' answers cannot be given
(403); unknown ids 404."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from tillit.access.policy import policy
from tillit.decisions.models import ServiceType
from tillit.organisation.models import Agency, District
from tillit.routines import services
from tillit.routines.models import Acknowledgement, Routine, RoutineVersion

router = Router(tags=["routines"])

KindLiteral = Literal["mandatory", "advisory"]
StatusLiteral = Literal["not_started", "in_progress", "implemented", "deviation"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class VersionOut(Schema):
    id: int
    number: int
    kind: KindLiteral
    text: str
    document_name: str
    effective_from: dt.date
    respond_by: dt.date
    change_note: str
    published_at: dt.datetime


class AnswerOut(Schema):
    id: int
    version: int
    district: str
    unit: str | None
    status: StatusLiteral
    acknowledged: bool
    acknowledged_at: dt.datetime | None
    deviation_reason: str
    overdue: bool


class RoutineOut(Schema):
    id: int
    title: str
    agency: str | None
    services: list[str]
    current: VersionOut | None


class RoutineDetailOut(RoutineOut):
    versions: list[VersionOut]
    answers: list[AnswerOut]


class MemberIn(Schema):
    name: str
    district: str | None = None
    role: str = ""


class RoutineIn(Schema):
    title: str
    kind: KindLiteral
    text: str
    effective_from: dt.date
    respond_by: dt.date
    agency: str | None = None
    services: list[str] = []
    working_group: list[MemberIn] = []


class VersionIn(Schema):
    kind: KindLiteral
    text: str
    effective_from: dt.date
    respond_by: dt.date
    change_note: str = ""


class AnswerIn(Schema):
    status: StatusLiteral
    deviation_reason: str = ""


class ComplianceOut(Schema):
    district: str
    total: int
    acknowledged: int
    implemented: int
    in_progress: int
    deviations: int
    overdue: int


def _version(v: RoutineVersion) -> dict:
    return {"id": v.pk, "number": v.number, "kind": v.kind, "text": v.text,
            "document_name": v.document_name, "effective_from": v.effective_from,
            "respond_by": v.respond_by, "change_note": v.change_note,
            "published_at": v.published_at}


def _answer(a: Acknowledgement, today: dt.date) -> dict:
    return {"id": a.pk, "version": a.version.number, "district": a.district.slug,
            "unit": a.unit.name if a.unit else None, "status": a.status,
            "acknowledged": a.is_acknowledged, "acknowledged_at": a.acknowledged_at,
            "deviation_reason": a.deviation_reason, "overdue": a.is_overdue(today)}


def _routine(r: Routine, *, detail: bool = False) -> dict:
    current = r.current
    out = {"id": r.pk, "title": r.title, "agency": r.agency.slug if r.agency else None,
           "services": [s.code for s in r.service_types.all()],
           "current": _version(current) if current else None}
    if detail:
        today = services.today()
        out["versions"] = [_version(v) for v in r.versions.all()]
        out["answers"] = [_answer(a, today) for a in
                          services.current_acknowledgements().filter(version__routine=r)]
    return out


@router.get("/routines", response={200: list[RoutineOut], **ERRORS})
@policy("routines.read")
def list_routines(request: HttpRequest):
    routines = Routine.objects.select_related("agency").prefetch_related("service_types")
    return [_routine(r) for r in routines]


@router.get("/routines/compliance", response={200: list[ComplianceOut], **ERRORS})
@policy("routines.read")
def routine_compliance(request: HttpRequest, kind: KindLiteral | None = "mandatory"):
    return [{"district": row.district.slug, "total": row.total,
             "acknowledged": row.acknowledged, "implemented": row.implemented,
             "in_progress": row.in_progress, "deviations": row.deviations,
             "overdue": row.overdue}
            for row in services.compliance_by_district(kind=kind)]


@router.get("/routines/{routine_id}", response={200: RoutineDetailOut, **ERRORS})
@policy("routines.read")
def get_routine(request: HttpRequest, routine_id: int):
    return _routine(get_object_or_404(Routine, pk=routine_id), detail=True)


def _unknown(field: str, values: list[str]):
    from django.core.exceptions import ValidationError

    return ValidationError({field: [f"Ukjent: {', '.join(values)}."]})


@router.post("/routines", response={201: RoutineDetailOut, **ERRORS})
@policy("routines.publish")
def publish_routine(request: HttpRequest, payload: RoutineIn):
    agency = None
    if payload.agency:
        agency = Agency.objects.filter(slug=payload.agency).first()
        if agency is None:
            raise _unknown("agency", [payload.agency])
    types = list(ServiceType.objects.filter(code__in=payload.services))
    missing = sorted(set(payload.services) - {t.code for t in types})
    if missing:
        raise _unknown("services", missing)
    members = []
    for m in payload.working_group:
        district = None
        if m.district:
            district = District.objects.filter(slug=m.district).first()
            if district is None:
                raise _unknown("working_group", [m.district])
        members.append(services.Member(name=m.name, district=district, role=m.role))
    routine = services.do_publish_routine(
        user=request.user, title=payload.title, kind=payload.kind, text=payload.text,
        effective_from=payload.effective_from, respond_by=payload.respond_by, agency=agency,
        service_types=types, working_group=members)
    return Status(201, _routine(routine, detail=True))


@router.post("/routines/{routine_id}/versions", response={201: RoutineDetailOut, **ERRORS})
@policy("routines.publish")
def publish_version(request: HttpRequest, routine_id: int, payload: VersionIn):
    routine = get_object_or_404(Routine, pk=routine_id)
    services.do_publish_version(
        user=request.user, routine=routine, kind=payload.kind, text=payload.text,
        effective_from=payload.effective_from, respond_by=payload.respond_by,
        change_note=payload.change_note)
    return Status(201, _routine(routine, detail=True))


@router.post("/routine-answers/{answer_id}", response={200: AnswerOut, **ERRORS})
@policy("routines.answer")
def answer_routine(request: HttpRequest, answer_id: int, payload: AnswerIn):
    ack = get_object_or_404(Acknowledgement.objects.select_related("version__routine"),
                            pk=answer_id)
    if not services.may_answer(request.user, ack):
        raise PermissionDenied
    ack = services.do_report_implementation(
        user=request.user, acknowledgement=ack, status=payload.status,
        reason=payload.deviation_reason)
    return _answer(ack, services.today())
