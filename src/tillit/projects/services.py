"""Writes and searches of the project register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tillit.accounts.models import Role, User
from tillit.projects.models import MAX_DOCUMENT_BYTES, Document, Meeting, Project

FIELDS = ("kind", "title", "goal", "district", "agency", "contact_name", "contact_email",
          "starts_on", "ends_on", "status", "results")


def may_edit(user: User, project: Project) -> bool:
    """The one who registered it, the district manager of its district, and
    city-wide case handlers (agency staff) for agencies' projects."""
    if project.registered_by_id == user.pk:
        return True
    if user.role == Role.DISTRICT_MANAGER and project.district_id == user.district_id:
        return True
    return bool(user.role == Role.CASE_HANDLER and user.district_id is None
                and project.agency_id)


def _owner_allowed(user: User, district_id: int | None) -> None:
    if user.district_id and district_id not in (None, user.district_id):
        raise ValidationError({"district": _("You register projects for your own district.")})


@transaction.atomic
def do_register_project(*, user: User, units: Iterable[Any] = (), **fields: Any) -> Project:
    project = Project(registered_by=user, **{k: v for k, v in fields.items() if k in FIELDS})
    if user.district_id and project.district_id is None and project.agency_id is None:
        project.district_id = user.district_id
    _owner_allowed(user, project.district_id)
    project.full_clean(exclude=["registered_by"])
    project.save()
    project.units.set(list(units))
    return project


@transaction.atomic
def do_update_project(*, user: User, project: Project, units: Iterable[Any] | None = None,
                      **fields: Any) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not may_edit(user, project):
        raise PermissionDenied
    for name, value in fields.items():
        if name in FIELDS:
            setattr(project, name, value)
    _owner_allowed(user, project.district_id)
    project.full_clean(exclude=["registered_by"])
    project.save()
    if units is not None:
        project.units.set(list(units))
    return project


@transaction.atomic
def do_add_meeting(*, user: User, project: Project, **fields: Any) -> Meeting:
    if not may_edit(user, project):
        raise PermissionDenied
    meeting = Meeting(project=project, **fields)
    meeting.full_clean(exclude=["project"])
    meeting.save()
    return meeting


@transaction.atomic
def do_add_document(*, user: User, project: Project, title: str,
                    upload: UploadedFile) -> Document:
    if not may_edit(user, project):
        raise PermissionDenied
    if upload.size and upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"upload": _("The document may be at most 5 MB.")})
    return Document.objects.create(
        project=project, title=title.strip() or upload.name, file_name=upload.name[:200],
        content_type=(upload.content_type or "application/octet-stream")[:100],
        content=upload.read())


def search(*, q: str = "", kind: str = "", status: str = "", district: int | None = None,
           agency: int | None = None, active_on: dt.date | None = None) -> QuerySet[Project]:
    rows = Project.objects.select_related("district", "agency")
    for word in q.split():
        rows = rows.filter(Q(title__icontains=word) | Q(goal__icontains=word)
                           | Q(results__icontains=word) | Q(meetings__agreed__icontains=word))
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if district:
        rows = rows.filter(Q(district_id=district) | Q(units__district_id=district))
    if agency:
        rows = rows.filter(agency_id=agency)
    if active_on:
        rows = rows.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=active_on),
                           starts_on__lte=active_on)
    return rows.distinct()
