"""Reads of plans. Plans name clients (the visits' client ids), so plans
come through `visible_plans(user)` (the user's own district, planner or
district manager) and every read of a plan's content is logged."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from tillit.accounts.models import Role
from tillit.audit.models import What
from tillit.audit.services import record_access
from tillit.organisation.models import Team
from tillit.planning.models import Plan

PLANNING_ROLES = {Role.PLANNER, Role.DISTRICT_MANAGER}


def visible_plans(user) -> QuerySet[Plan]:
    """The plans `user` may see: their district's teams' plans."""
    if not (getattr(user, "is_authenticated", False) and user.is_active
            and user.role in PLANNING_ROLES and user.district_id):
        return Plan.objects.none()
    return Plan.objects.filter(team__district_id=user.district_id).select_related(
        "team__district"
    )


def list_plans(user, *, district: str | None = None, day: dt.date | None = None,
               team_id: int | None = None) -> QuerySet[Plan]:
    """Plans by district slug and date (no client data: not a person-level read)."""
    plans = visible_plans(user)
    if district:
        plans = plans.filter(team__district__slug=district)
    if day:
        plans = plans.filter(date=day)
    if team_id:
        plans = plans.filter(team_id=team_id)
    return plans.order_by("date", "team__name", "shift", "-created_at")


def plan_client_ids(plan: Plan) -> list[int]:
    visits = (plan.instance or {}).get("visits", [])
    return sorted({int(v["client"]) for v in visits})


def read_plan(user, plan_id: int, *, interface: str, request: HttpRequest | None = None) -> Plan:
    """One plan with its instance and routes (404 outside the user's
    district); the read is logged for every client in it."""
    plan = visible_plans(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("Not found.")
    clients = plan_client_ids(plan)
    if clients:
        record_access(actor=user, clients=clients, what=What.DAYLIST, interface=interface,
                      request=request)
    return plan


def read_team_clients(user, team: Team, *, interface: str,
                      request: HttpRequest | None = None) -> QuerySet:
    """The team's clients the user may see, to choose from (the form for a
    visit added mid-shift names them all); the read is logged for every
    client offered."""
    from tillit.clients.models import Client

    clients = Client.objects.visible_to(user).filter(team=team).order_by(
        "given_name", "family_name")
    ids = list(clients.values_list("pk", flat=True))
    if ids:
        record_access(actor=user, clients=ids, what=What.LIST, interface=interface,
                      request=request)
    return clients
