"""Domain operations on the organisation. Every change that should leave
history goes through here, closing the current version and opening the next."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.organisation.models import District, Employee, Team, TeamVersion, Unit, UnitVersion


@transaction.atomic
def do_create_team(
    *,
    district: District,
    unit: Unit,
    name: str,
    leader: Employee | None = None,
    valid_from: dt.date | None = None,
) -> Team:
    start = valid_from or timezone.localdate()
    team = Team(district=district, unit=unit, name=name, leader=leader, valid_from=start)
    team.full_clean()
    team.save()
    TeamVersion.objects.create(team=team, name=name, valid_from=start)
    return team


def _open_new_version(entity: Team | Unit, version_model, new_name: str, day: dt.date) -> None:
    """Close the version valid on `day` and open one named `new_name` from it."""
    new_name = new_name.strip()
    if not new_name:
        raise ValidationError({"name": _("The name cannot be empty.")})
    current = entity.versions.valid_on(day).first()
    if current is not None and current.valid_from >= day:
        raise ValidationError({"valid_from": _("A change must start after the current version.")})
    if current is not None:
        current.valid_to = day - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    field = "team" if isinstance(entity, Team) else "unit"
    version_model.objects.create(**{field: entity}, name=new_name, valid_from=day)
    entity.name = new_name
    entity.save(update_fields=["name"])


@transaction.atomic
def do_rename_team(team: Team, new_name: str, *, effective: dt.date | None = None) -> Team:
    """Rename a team from `effective` on; earlier days keep the old name."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    _open_new_version(team, TeamVersion, new_name, effective or timezone.localdate())
    return team


@transaction.atomic
def do_set_team_contact(team: Team, *, phone: str, email: str = "") -> Team:
    """Set how carers reach the team. The phone is validated as a Norwegian
    number (field errors in bokmål) and stored as written."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.phone = phone.strip()
    team.email = email.strip()
    team.full_clean()
    team.save(update_fields=["phone", "email"])
    return team


@transaction.atomic
def do_close_team(team: Team, *, last_day: dt.date) -> Team:
    team.valid_to = last_day
    team.full_clean()
    team.save(update_fields=["valid_to"])
    team.versions.filter(valid_to__isnull=True).update(valid_to=last_day)
    return team


@transaction.atomic
def do_create_unit(*, name: str, valid_from: dt.date | None = None, **fields: object) -> Unit:
    start = valid_from or timezone.localdate()
    unit = Unit(name=name, valid_from=start, **fields)
    unit.full_clean()
    unit.save()
    UnitVersion.objects.create(unit=unit, name=name, valid_from=start)
    return unit


@transaction.atomic
def do_rename_unit(unit: Unit, new_name: str, *, effective: dt.date | None = None) -> Unit:
    """Rename a unit from `effective` on; earlier days keep the old name."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _open_new_version(unit, UnitVersion, new_name, effective or timezone.localdate())
    return unit
