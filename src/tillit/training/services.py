"""Writes and reads of training and competence.

- `do_record_completion`: a district manager or planner records that an
  employee of the district completed a course; the employee's
  qualifications (what planning reads as skills) follow at once.
- `do_expire_completions`: daily (command `expire_training`): completions
  past their expiry take their qualification out of planning.
- `sync_qualifications`: the one place that writes `Employee.qualifications`
  from completions. Qualifications that no course gives (e.g. delegated
  tasks recorded elsewhere) are left alone.
- `status_for`, `gaps`, `coverage_by_team`, `coverage_by_district`: what is
  missing, expired or expiring, per employee, team and district.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.accounts.models import Role, User
from tillit.organisation.models import District, Employee, Sector, Team
from tillit.training.models import Completion, Course, OnboardingProgramme

EXPIRING_DAYS = 60


def today() -> dt.date:
    return timezone.localdate()


# -- scope --------------------------------------------------------------------------


def employees_visible_to(user: User, day: dt.date | None = None) -> QuerySet[Employee]:
    """District managers and planners: the district's employees in health;
    carers: themselves; other roles: nobody (they see aggregates only)."""
    day = day or today()
    employees = Employee.objects.valid_on(day)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return employees.none()
    if user.role in (Role.DISTRICT_MANAGER, Role.PLANNER) and user.district_id:
        return employees.filter(district_id=user.district_id, sector=Sector.HEALTH)
    if user.role == Role.CARER:
        return employees.filter(user=user)
    return employees.none()


def visible_employee_or_404(user: User, employee_id: object) -> Employee:
    try:
        pk = int(employee_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    employee = employees_visible_to(user).filter(pk=pk).select_related("team").first()
    if employee is None:
        raise Http404("Not found.")
    return employee


# -- qualifications -----------------------------------------------------------------


def course_qualifications() -> set[str]:
    return set(Course.objects.exclude(qualification="").values_list("qualification", flat=True))


def valid_qualifications(employee: Employee, day: dt.date) -> set[str]:
    return set(Completion.objects.valid_on(day).filter(employee=employee)
               .exclude(course__qualification="")
               .values_list("course__qualification", flat=True))


def sync_qualifications(employee: Employee, day: dt.date | None = None) -> tuple[set, set]:
    """Make the employee's course qualifications those of valid completions.
    Returns (added, removed)."""
    day = day or today()
    managed = course_qualifications()
    held = set(employee.qualifications or [])
    wanted = (held - managed) | valid_qualifications(employee, day)
    added, removed = wanted - held, (held & managed) - wanted
    if added or removed:
        employee.qualifications = sorted(wanted)
        employee.save(update_fields=["qualifications"])
    return added, removed


@transaction.atomic
def do_record_completion(
    *, user: User, employee: Employee, course: Course, completed_on: dt.date
) -> Completion:
    if user.role not in (Role.DISTRICT_MANAGER, Role.PLANNER) or not employees_visible_to(
        user).filter(pk=employee.pk).exists():
        raise Http404("Not found.")
    if completed_on > today():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    if not course.is_active:
        raise ValidationError({"course": _("This course is no longer offered.")})
    if Completion.objects.filter(employee=employee, course=course,
                                 completed_on=completed_on).exists():
        raise ValidationError({"completed_on": _("This completion is already recorded.")})
    completion = Completion.objects.create(
        employee=employee, course=course, completed_on=completed_on,
        expires_on=course.expiry_after(completed_on), recorded_by=user)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    sync_qualifications(employee)
    return completion


@transaction.atomic
def do_expire_completions(day: dt.date | None = None) -> list[tuple[Employee, set[str]]]:
    """Take expired courses' qualifications out of planning. Returns each
    employee whose qualifications changed, with what was removed."""
    day = day or today()
    managed = course_qualifications()
    expired_ids = set(Completion.objects.filter(expires_on__lt=day)
                      .values_list("employee_id", flat=True))
    changed = []
    for employee in Employee.objects.select_for_update().filter(pk__in=expired_ids):
        if not set(employee.qualifications or []) & managed:
            continue
        _added, removed = sync_qualifications(employee, day)
        if removed:
            changed.append((employee, removed))
    return changed


# -- status, gaps and coverage ------------------------------------------------------


@dataclass(frozen=True)
class CourseStatus:
    course: Course
    state: str  # valid / expiring / expired / missing / overdue
    completed_on: dt.date | None
    expires_on: dt.date | None
    required: bool

    @property
    def is_gap(self) -> bool:
        return self.state in ("expired", "missing", "overdue")


def _programmes() -> dict[str, set[int]]:
    return {p.competence: {c.pk for c in p.courses.all()}
            for p in OnboardingProgramme.objects.prefetch_related("courses")}


def _programme_days() -> dict[str, int]:
    return dict(OnboardingProgramme.objects.values_list("competence", "due_days"))


def status_for(
    employees: Iterable[Employee], day: dt.date | None = None
) -> dict[int, list[CourseStatus]]:
    """Per employee: every course the programme of the employee's competence
    requires, and every course the employee has completed, with its state.
    A required course not yet completed is `overdue` once the programme's
    days since the employment started have passed, else `missing`."""
    day = day or today()
    employees = list(employees)
    programmes, due_days = _programmes(), _programme_days()
    courses = {c.pk: c for c in Course.objects.all()}
    latest: dict[int, dict[int, Completion]] = {}  # employee -> course -> newest
    for c in Completion.objects.filter(employee__in=[e.pk for e in employees],
                                       completed_on__lte=day).order_by("completed_on"):
        latest.setdefault(c.employee_id, {})[c.course_id] = c
    out: dict[int, list[CourseStatus]] = {}
    for employee in employees:
        required = programmes.get(employee.competence, set())
        done = latest.get(employee.pk, {})
        rows = []
        for course_id in sorted(required | set(done), key=lambda pk: courses[pk].name):
            completion = done.get(course_id)
            if completion is None:
                days = due_days.get(employee.competence, 60)
                late = employee.valid_from + dt.timedelta(days=days) < day
                state = "overdue" if late else "missing"
                rows.append(CourseStatus(courses[course_id], state, None, None, True))
                continue
            expires = completion.expires_on
            if expires is not None and expires < day:
                state = "expired"
            elif expires is not None and expires <= day + dt.timedelta(days=EXPIRING_DAYS):
                state = "expiring"
            else:
                state = "valid"
            rows.append(CourseStatus(courses[course_id], state, completion.completed_on, expires,
                                     course_id in required))
        out[employee.pk] = rows
    return out


def gaps(employees: Iterable[Employee], day: dt.date | None = None
         ) -> list[tuple[Employee, CourseStatus]]:
    employees = list(employees)
    statuses = status_for(employees, day)
    return [(e, s) for e in employees for s in statuses[e.pk] if s.is_gap or
            s.state == "expiring"]


@dataclass
class Coverage:
    name: str
    people: int = 0
    required: int = 0
    valid: int = 0
    expired: int = 0
    missing: int = 0

    @property
    def share(self) -> int:
        return round(100 * self.valid / self.required) if self.required else 100


def _cover(name: str, employees: list[Employee], day: dt.date,
           statuses: dict[int, list[CourseStatus]] | None = None) -> Coverage:
    row = Coverage(name, people=len(employees))
    statuses = statuses if statuses is not None else status_for(employees, day)
    for employee in employees:
        for s in statuses[employee.pk]:
            if not s.required:
                continue
            row.required += 1
            row.valid += s.state in ("valid", "expiring")
            row.expired += s.state == "expired"
            row.missing += s.state in ("missing", "overdue")
    return row


def _carers(day: dt.date) -> QuerySet[Employee]:
    return Employee.objects.valid_on(day).filter(sector=Sector.HEALTH, team__isnull=False)


def coverage_by_team(district: District, day: dt.date | None = None) -> list[Coverage]:
    day = day or today()
    rows = []
    for team in Team.objects.valid_on(day).filter(district=district).order_by("name"):
        rows.append(_cover(team.name, list(_carers(day).filter(team=team)), day))
    return rows


def coverage_by_district(day: dt.date | None = None) -> list[tuple[District, Coverage]]:
    day = day or today()
    carers = list(_carers(day))
    statuses = status_for(carers, day)  # once for the city, not once per district
    by_district: dict[int, list[Employee]] = {}
    for e in carers:
        by_district.setdefault(e.district_id, []).append(e)
    return [(d, _cover(d.name, by_district.get(d.pk, []), day, statuses))
            for d in District.objects.valid_on(day).order_by("number")]
