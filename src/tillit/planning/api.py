"""`/api/v1/plans`: a district's plans by date, one plan with its instance
and plan (exactly the spec's formats), and re-planning with absent staff.

Planners and district managers, in their own district (other districts'
plans answer 404). Reading a plan is logged (it names clients). Bad input
answers 422 with Norwegian field messages; a stale plan answers 409.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from tillit.access.policy import policy
from tillit.api.errors import Conflict
from tillit.audit.models import Interface
from tillit.planning import reads, services
from tillit.planning.errors import PlanConflict
from tillit.planning.instance import parse_time

router = Router(tags=["plans"])
TIME = re.compile(r"^\d{2}:\d{2}$")

ShiftName = Literal["day", "evening", "night"]
PlanStatus = Literal["queued", "running", "done", "failed"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class PlanItemOut(Schema):
    id: int
    team: int
    team_name: str
    district: str
    date: dt.date
    shift: ShiftName
    status: PlanStatus
    is_current: bool
    cost: float | None
    progress: dict[str, Any]
    error: str


class PlanListOut(Schema):
    items: list[PlanItemOut]


class PlanOut(PlanItemOut):
    version: int
    replaces: int | None
    absent: list[str]
    replan_from: str | None
    instance: dict[str, Any] | None
    plan: dict[str, Any] | None
    locked: list[str]
    reported: list[str]
    left_out: list[dict[str, str]]


class ReplanIn(Schema):
    absent: list[str] = Field(default_factory=list,
                              description="Staff ids of the plan's instance who are absent.")
    from_: str | None = Field(default=None, alias="from",
                              description="HH:MM; nothing after it goes to an absent carer.")
    time_limit: float | None = Field(default=None,
                                     description="Seconds of search, 1 to 300 (default 8).")


class QueuedOut(Schema):
    id: int
    status: Literal["queued"]


def _item(plan) -> dict[str, Any]:
    return {
        "id": plan.pk, "team": plan.team_id, "team_name": plan.team.name,
        "district": plan.team.district.slug, "date": plan.date, "shift": plan.shift,
        "status": plan.status, "is_current": plan.is_current, "cost": plan.cost,
        "progress": plan.progress or {}, "error": plan.error,
    }


@router.get("/plans", response={200: PlanListOut, **ERRORS})
@policy("planning.view_plans")
def list_plans(
    request: HttpRequest,
    district: str | None = None,
    date: dt.date | None = None,
):
    """`district`: a district slug; `date`: YYYY-MM-DD (default today in Oslo)."""
    day = date or timezone.localdate()
    plans = reads.list_plans(request.user, district=district, day=day)
    return {"items": [_item(p) for p in plans]}


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS})
@policy("planning.view_plans")
def get_plan(request: HttpRequest, plan_id: int):
    plan = reads.read_plan(request.user, plan_id, interface=Interface.API, request=request)
    stats = plan.stats or {}
    return {
        **_item(plan), "version": plan.version, "replaces": plan.replaces_id,
        "absent": list(plan.absent or []),
        "replan_from": plan.replan_from.strftime("%H:%M") if plan.replan_from else None,
        "instance": plan.instance, "plan": plan.plan,
        "locked": list(stats.get("locked", [])), "reported": list(stats.get("reported", [])),
        "left_out": list(stats.get("left_out", [])),
    }


@router.post("/plans/{plan_id}/replan", response={202: QueuedOut, **ERRORS})
@policy("planning.replan")
def replan(request: HttpRequest, plan_id: int, body: ReplanIn):
    plan = reads.visible_plans(request.user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("Not found.")
    from_time = None
    if body.from_:
        try:
            if not TIME.match(body.from_):
                raise ValueError(body.from_)
            from_time = parse_time(body.from_)
        except ValueError:
            raise ValidationError({"from": ["Tidspunktet må skrives TT:MM."]}) from None
    try:
        new = services.do_replan(plan, body.absent, from_time, body.time_limit,
                                 user=request.user)
    except PlanConflict as exc:
        raise Conflict(exc.message) from exc
    return Status(202, {"id": new.pk, "status": "queued"})
