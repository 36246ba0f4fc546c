"""`/api/v1/training…`: the course catalogue, one employee's courses (own
district only; others 404), recording a completion, coverage per district."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from tillit.access.policy import policy
from tillit.training import services
from tillit.training.models import Course

router = Router(tags=["training"])

StateLiteral = Literal["valid", "expiring", "expired", "missing", "overdue"]
TopicLiteral = Literal["onboarding", "systems", "clinical", "safety"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class CourseOut(Schema):
    code: str
    name: str
    topic: TopicLiteral
    qualification: str
    valid_months: int | None


class CourseStatusOut(Schema):
    course: str
    state: StateLiteral
    required: bool
    completed_on: dt.date | None
    expires_on: dt.date | None


class EmployeeTrainingOut(Schema):
    id: int
    name: str
    qualifications: list[str]
    courses: list[CourseStatusOut]


class CompletionIn(Schema):
    employee: int
    course: str
    completed_on: dt.date


class CoverageOut(Schema):
    district: str
    carers: int
    required: int
    valid: int
    expired: int
    missing: int
    share: int


def _employee(person) -> dict:
    rows = services.status_for([person])[person.pk]
    return {"id": person.pk, "name": str(person), "qualifications": person.qualifications,
            "courses": [{"course": s.course.code, "state": s.state, "required": s.required,
                         "completed_on": s.completed_on, "expires_on": s.expires_on}
                        for s in rows]}


@router.get("/training/courses", response={200: list[CourseOut], **ERRORS})
@policy("training.read")
def list_courses(request: HttpRequest):
    return list(Course.objects.filter(is_active=True))


@router.get("/training/employees/{employee_id}", response={200: EmployeeTrainingOut, **ERRORS})
@policy("training.staff")
def employee_training(request: HttpRequest, employee_id: int):
    return _employee(services.visible_employee_or_404(request.user, employee_id))


@router.post("/training/completions", response={201: EmployeeTrainingOut, **ERRORS})
@policy("training.staff")
def record_completion(request: HttpRequest, payload: CompletionIn):
    person = services.visible_employee_or_404(request.user, payload.employee)
    course = get_object_or_404(Course, code=payload.course)
    services.do_record_completion(user=request.user, employee=person, course=course,
                                  completed_on=payload.completed_on)
    person.refresh_from_db()
    return Status(201, _employee(person))


@router.get("/training/coverage", response={200: list[CoverageOut], **ERRORS})
@policy("training.coverage")
def coverage(request: HttpRequest):
    return [{"district": d.slug, "carers": c.people, "required": c.required, "valid": c.valid,
             "expired": c.expired, "missing": c.missing, "share": c.share}
            for d, c in services.coverage_by_district()]
