"""Writes and reads of city-wide routines.

- `do_publish_routine` / `do_publish_version`: a new version asks every
  active district and each of its health units for a fresh acknowledgement
  (the previous version's answers stay as history).
- `do_report_implementation`: a district or unit acknowledges the current
  version and reports not started / in progress / implemented / deviation
  (a deviation needs its reason).
- `compliance_by_district`, `due_reminders`, `do_send_reminders`: the
  overview and the reminders before deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillit.accounts.models import Role, User
from tillit.organisation.models import Agency, District, Sector, Unit
from tillit.routines.models import (
    MAX_DOCUMENT_BYTES,
    Acknowledgement,
    Kind,
    Routine,
    RoutineVersion,
    Status,
    WorkingGroupMember,
)

REMINDER_DAYS = 7


@dataclass(frozen=True)
class Member:
    name: str
    district: District | None = None
    agency: Agency | None = None
    role: str = ""


def today() -> dt.date:
    return timezone.localdate()


def targets(day: dt.date) -> list[tuple[District, Unit | None]]:
    """Who answers a routine: every active district, and each of its active
    health units (home care and the like)."""
    rows: list[tuple[District, Unit | None]] = []
    units: dict[int, list[Unit]] = {}
    for unit in Unit.objects.valid_on(day).filter(
        district__isnull=False, sector=Sector.HEALTH
    ).order_by("name"):
        units.setdefault(unit.district_id, []).append(unit)
    for district in District.objects.valid_on(day).order_by("number"):
        rows.append((district, None))
        rows.extend((district, unit) for unit in units.get(district.pk, []))
    return rows


def _attach(version: RoutineVersion, document: UploadedFile | None) -> None:
    if document is None:
        return
    if document.size and document.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": _("The document may be at most 5 MB.")})
    version.document_name = (document.name or "dokument")[:200]
    version.document_type = (document.content_type or "application/octet-stream")[:100]
    version.document = document.read()


def _new_version(
    *, user: User, routine: Routine, number: int, kind: str, text: str,
    effective_from: dt.date, respond_by: dt.date, document: UploadedFile | None,
    change_note: str,
) -> RoutineVersion:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose mandatory or advisory.")})
    version = RoutineVersion(
        routine=routine, number=number, kind=kind, text=text.strip(),
        effective_from=effective_from, respond_by=respond_by, change_note=change_note.strip(),
        published_by=user,
    )
    _attach(version, document)
    version.full_clean(exclude=["routine", "published_by"])
    version.save()
    Acknowledgement.objects.bulk_create([
        Acknowledgement(version=version, district=district, unit=unit)
        for district, unit in targets(today())
    ])
    return version


@transaction.atomic
def do_publish_routine(
    *, user: User, title: str, kind: str, text: str, effective_from: dt.date,
    respond_by: dt.date, agency: Agency | None = None, service_types: Iterable[object] = (),
    working_group: Sequence[Member] = (), document: UploadedFile | None = None,
) -> Routine:
    if not title.strip():
        raise ValidationError({"title": _("Give the routine a title.")})
    routine = Routine.objects.create(title=title.strip()[:200], agency=agency)
    routine.service_types.set(list(service_types))
    WorkingGroupMember.objects.bulk_create([
        WorkingGroupMember(routine=routine, name=m.name.strip()[:150], district=m.district,
                           agency=m.agency, role=m.role.strip()[:100])
        for m in working_group if m.name.strip()
    ])
    _new_version(user=user, routine=routine, number=1, kind=kind, text=text,
                 effective_from=effective_from, respond_by=respond_by, document=document,
                 change_note="")
    return routine


@transaction.atomic
def do_publish_version(
    *, user: User, routine: Routine, kind: str, text: str, effective_from: dt.date,
    respond_by: dt.date, change_note: str = "", document: UploadedFile | None = None,
) -> RoutineVersion:
    """A new version: every district and unit acknowledges again."""
    routine = Routine.objects.select_for_update().get(pk=routine.pk)
    current = routine.current
    number = (current.number if current else 0) + 1
    if document is None and current is not None and not text.strip() and current.document_name:
        raise ValidationError({"document": _("Attach the new version's document.")})
    return _new_version(user=user, routine=routine, number=number, kind=kind, text=text,
                        effective_from=effective_from, respond_by=respond_by,
                        document=document, change_note=change_note)


def may_answer(user: User, acknowledgement: Acknowledgement) -> bool:
    """District managers answer for their district and its units; planners
    (team leaders) for the units of their district."""
    if not user.is_authenticated or user.district_id != acknowledgement.district_id:
        return False
    if user.role == Role.DISTRICT_MANAGER:
        return True
    return user.role == Role.PLANNER and acknowledgement.unit_id is not None


@transaction.atomic
def do_report_implementation(
    *, user: User, acknowledgement: Acknowledgement, status: str, reason: str = ""
) -> Acknowledgement:
    ack = Acknowledgement.objects.select_for_update().select_related("version").get(
        pk=acknowledgement.pk)
    if not may_answer(user, ack):
        raise PermissionDenied
    if ack.version.routine.current != ack.version:
        raise ValidationError({"__all__": [_("A newer version has been published: answer that one.")]})
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    reason = reason.strip()
    if status == Status.DEVIATION and not reason:
        raise ValidationError({"deviation_reason": _("Give the reason for the deviation.")})
    now = timezone.now()
    if ack.acknowledged_at is None:
        ack.acknowledged_at, ack.acknowledged_by = now, user
    ack.status = status
    ack.deviation_reason = reason if status == Status.DEVIATION else ""
    ack.updated_at = now
    ack.save()
    return ack


# -- reads ------------------------------------------------------------------------


def current_acknowledgements() -> QuerySet[Acknowledgement]:
    return Acknowledgement.objects.current().select_related(
        "version", "version__routine", "district", "unit")


@dataclass
class DistrictCompliance:
    district: District
    total: int = 0
    acknowledged: int = 0
    implemented: int = 0
    in_progress: int = 0
    deviations: int = 0
    overdue: int = 0
    overdue_titles: list[str] = field(default_factory=list)

    @property
    def share_implemented(self) -> int:
        return round(100 * self.implemented / self.total) if self.total else 0


def compliance_by_district(
    day: dt.date | None = None, *, kind: str | None = Kind.MANDATORY
) -> list[DistrictCompliance]:
    """Current versions' answers per district (district rows and unit rows)."""
    day = day or today()
    rows = {d.pk: DistrictCompliance(d) for d in District.objects.valid_on(day).order_by("number")}
    acks = current_acknowledgements()
    if kind:
        acks = acks.filter(version__kind=kind)
    for ack in acks:
        row = rows.get(ack.district_id)
        if row is None:
            continue
        row.total += 1
        row.acknowledged += ack.is_acknowledged
        row.implemented += ack.status == Status.IMPLEMENTED
        row.in_progress += ack.status == Status.IN_PROGRESS
        row.deviations += ack.status == Status.DEVIATION
        if ack.is_overdue(day):
            row.overdue += 1
            if ack.version.routine.title not in row.overdue_titles:
                row.overdue_titles.append(ack.version.routine.title)
    return list(rows.values())


def due_reminders(
    day: dt.date | None = None, *, within_days: int = REMINDER_DAYS,
    district: District | None = None,
) -> list[Acknowledgement]:
    """Current answers still open (not acknowledged, or neither implemented
    nor reported as a deviation) whose deadline is past or within
    `within_days`."""
    day = day or today()
    acks = current_acknowledgements().filter(
        version__respond_by__lte=day + dt.timedelta(days=within_days)
    ).exclude(status__in=[Status.IMPLEMENTED, Status.DEVIATION], acknowledged_at__isnull=False)
    if district is not None:
        acks = acks.filter(district=district)
    return sorted(acks, key=lambda a: (a.version.respond_by, a.district.number,
                                       a.unit.name if a.unit else ""))


@transaction.atomic
def do_send_reminders(day: dt.date | None = None, *, within_days: int = REMINDER_DAYS) -> int:
    """E-mail each district manager the district's due answers, once a day.
    Returns the number of e-mails sent."""
    day = day or today()
    due = [a for a in due_reminders(day, within_days=within_days) if a.reminded_on != day]
    by_district: dict[int, list[Acknowledgement]] = {}
    for ack in due:
        by_district.setdefault(ack.district_id, []).append(ack)
    sent = 0
    for district_id, acks in by_district.items():
        recipients = list(User.objects.filter(
            role=Role.DISTRICT_MANAGER, district_id=district_id, is_active=True
        ).exclude(email="").values_list("email", flat=True))
        if recipients:
            with translation.override("nb"):
                _mail(recipients, acks)
            sent += 1
        Acknowledgement.objects.filter(pk__in=[a.pk for a in acks]).update(reminded_on=day)
    return sent


def _mail(recipients: list[str], acks: list[Acknowledgement]) -> None:
    lines = [
        f"- {a.version.routine.title} v{a.version.number}"
        f" ({a.unit.name if a.unit else a.district.name}):"
        f" {Status(a.status).label}, frist {a.version.respond_by:%d.%m.%Y}"
        for a in acks
    ]
    send_mail(
        _("Routines awaiting your district's answer"),
        "\n".join([_("These city-wide routines need an acknowledgement or an "
                     "implementation report:"), "", *lines]),
        None, recipients,
    )
