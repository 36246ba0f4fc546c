"""Writes of needs-based staffing: care situations, responsible nurses and
monthly snapshots. Each is one transaction; the caller has checked access
(`staffing.set_situation` and the client through `visible_clients`)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.clients.models import Client
from tillit.core import staffing as core
from tillit.organisation.models import District, Employee
from tillit.staffing.figures import Scope, compute
from tillit.staffing.models import (
    CareSituation,
    ResponsibleNurse,
    Situation,
    StaffingSnapshot,
    requires_nurse,
)


def current_situation(client: Client) -> CareSituation | None:
    return CareSituation.objects.filter(client=client).order_by("-set_at", "-pk").first()


def current_responsible(client: Client) -> ResponsibleNurse | None:
    return ResponsibleNurse.objects.current().filter(client=client).select_related(
        "employee").first()


def eligible_responsibles(client: Client):
    """Who may be responsible: employees of the client's district with a care
    competence, in home care teams, employed today."""
    return Employee.objects.valid_on(timezone.localdate()).filter(
        district_id=client.district_id, team__isnull=False,
        competence__in=["nurse", "health_worker"],
    ).order_by("family_name", "given_name")


@transaction.atomic
def do_set_care_situation(*, client: Client, situation: str, note: str = "", by=None,
                          at: dt.datetime | None = None) -> CareSituation:
    """Record a new care situation (the old rows stay as history)."""
    if situation not in Situation.values:
        raise ValidationError({"situation": [_("Choose a care situation from the list.")]})
    row = CareSituation.objects.create(
        client=client, situation=situation, note=note.strip()[:300], set_at=at or timezone.now(),
        set_by=by if getattr(by, "pk", None) else None,
        set_by_name=(by.get_full_name() or by.username) if getattr(by, "pk", None) else "",
    )
    return row


@transaction.atomic
def do_assign_responsible(*, client: Client, employee: Employee, by=None,
                          at: dt.datetime | None = None) -> ResponsibleNurse:
    """Make `employee` the client's responsible nurse (tjenesteansvarlig);
    the previous assignment is closed, not deleted."""
    errors: list[str] = []
    if employee.district_id != client.district_id or employee.team_id is None:
        errors.append(_("The responsible must work in a home care team in the client's district."))
    situation = current_situation(client)
    needs_nurse = situation is None or requires_nurse(situation.situation)
    if employee.competence != core.NURSE and needs_nurse:
        errors.append(_("In this care situation the responsible must be a nurse."))
    elif employee.competence not in {core.NURSE, "health_worker"}:
        errors.append(_("The responsible must be a nurse or a health worker."))
    if errors:
        raise ValidationError({"employee": errors})
    at = at or timezone.now()
    current = ResponsibleNurse.objects.select_for_update().current().filter(client=client).first()
    if current is not None:
        if current.employee_id == employee.pk:
            return current
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    return ResponsibleNurse.objects.create(
        client=client, employee=employee, assigned_at=at,
        assigned_by=by if getattr(by, "pk", None) else None,
    )


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def snapshot_date(month: dt.date, today: dt.date | None = None) -> dt.date:
    """The day a month's figures are taken on: its last day, or today for the
    running month."""
    today = today or timezone.localdate()
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return min(last, today)


@transaction.atomic
def do_take_snapshot(month: dt.date, *, params: core.StaffingParams = core.DEFAULTS,
                     today: dt.date | None = None) -> int:
    """Store every district's figures for `month` (replacing an earlier
    snapshot of the same month). Returns the number of rows written."""
    month = month_start(month)
    today = today or timezone.localdate()
    if month > today:
        raise ValidationError({"month": [_("A snapshot cannot be taken of a future month.")]})
    day = snapshot_date(month, today)
    taken_at = timezone.now()
    rows: list[StaffingSnapshot] = []
    for district in District.objects.valid_on(day).order_by("number"):
        figures = compute(Scope(district=district), day, params)
        for line in figures.lines:
            rows.append(StaffingSnapshot(
                month=month, district=district, competence=line.competence, reference_date=day,
                weekly_direct_minutes=line.weekly_direct_minutes, needed_fte=line.needed_fte,
                rostered_fte=line.rostered_fte,
                contracted_fte=figures.contracted_fte[line.competence],
                clients=figures.clients, nurses_over_norm=figures.caseload.over_norm,
                without_responsible=figures.caseload.without_responsible,
                params={"direct_care_share": params.direct_care_share,
                        "fte_hours_per_week": params.fte_hours_per_week,
                        "absence_buffer": params.absence_buffer,
                        "caseload_norm": params.caseload_norm},
                taken_at=taken_at,
            ))
    StaffingSnapshot.objects.filter(month=month).delete()
    StaffingSnapshot.objects.bulk_create(rows)
    return len(rows)
