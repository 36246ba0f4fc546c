"""`/api/v1/daylist` and `/api/v1/visits/{id}/report` (api-contract.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from tillit.access.policy import policy
from tillit.audit.models import Interface
from tillit.audit.services import device_time_from
from tillit.daylist import services
from tillit.daylist.reads import read_day_list

router = Router(tags=["day lists"])

TimeFitIn = Literal["fitted", "more", "less"]
ReasonIn = Literal["not_home", "declined", "hospital", "other"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class ReportOut(Schema):
    done: bool
    time_fit: TimeFitIn | None
    reason: ReasonIn | None
    note: str


class ShiftOut(Schema):
    kind: Literal["day", "evening", "night"]
    start: str
    end: str
    team: str | None
    ends_at: dt.datetime


class DayVisitOut(Schema):
    id: str
    client: str
    window: list[str] = Field(..., description='["HH:MM", "HH:MM"]: the start window, never a slot')
    report: ReportOut | None
    status: Literal["scheduled", "cancelled", "client_away"]
    address: str
    map_url: str
    geo_url: str
    key_information: str
    practical_notes: str
    tasks: str
    care_plan: str | None
    partner: str | None
    guiding_minutes: int


class DayListOut(Schema):
    date: dt.date
    shift: ShiftOut | None
    team_contacts: list[str]
    team_phone: str | None = Field(None, description="the team's phone as a tel: URI (tel:+47 and the eight digits)")
    team_email: str | None = None
    visits: list[DayVisitOut]


class DayListQuery(Schema):
    date: dt.date | None = Field(None, description="YYYY-MM-DD; today when left out")


class ReportIn(Schema):
    report_id: uuid.UUID
    done: bool
    reason: ReasonIn | None = None
    time_fit: TimeFitIn | None = None
    note: str = Field("", max_length=1000)


class ReportStored(Schema):
    report_id: uuid.UUID
    visit: str
    done: bool
    time_fit: TimeFitIn | None
    reason: ReasonIn | None
    note: str
    device_time: dt.datetime | None
    received_at: dt.datetime


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/daylist", response={200: DayListOut, **ERRORS})
@policy("daylist.own")
def get_daylist(request: HttpRequest, query: Query[DayListQuery]):
    day = query.date or timezone.localdate()
    day_list = read_day_list(request.user, day, interface=Interface.API, request=request)
    return Status(200, {
        "date": day_list.date,
        "shift": day_list.shift_contract(),
        "team_contacts": day_list.contacts,
        "team_phone": (day_list.team.phone_uri or None) if day_list.team else None,
        "team_email": (day_list.team.email or None) if day_list.team else None,
        "visits": [v.as_contract() for v in day_list.visits],
    })


@router.post("/visits/{visit_id}/report", response={200: ReportStored, **ERRORS})
@policy("daylist.own")
def report_visit(request: HttpRequest, visit_id: str, body: ReportIn):
    report, _created = services.do_report_visit(
        request.user, visit_id, report_id=body.report_id, done=body.done,
        time_fit=body.time_fit, reason=body.reason, note=body.note,
        device_time=device_time_from(request),
    )
    return Status(200, {
        "report_id": report.report_id, "visit": str(report.visit_id), "done": report.done,
        "time_fit": report.time_fit or None, "reason": report.reason or None,
        "note": report.note, "device_time": report.device_time,
        "received_at": report.received_at,
    })
