"""Rosters, absences, the day's visits and stored plans.

- `RosterEntry`: who works which shift in which team on which day.
- `Absence`: sick, holiday, course; `from_time` set when someone falls ill
  during a shift.
- `Visit`: one visit on one date and shift, generated from an active
  decision's `DecisionVisit` (or added by hand). Its pk is the visit id in
  the plan's instance, the day list and the report endpoint. Generating a
  day again never touches a visit changed by hand (`manual`), a lock
  (`locked_to`) or a visit that has reports.
- `Plan`: one planning run for a team's shift. It keeps its instance and
  plan exactly in `planning-format.md`, with the engine's cost. At most one
  plan per team, date and shift is current; a re-plan makes a new plan that
  `replaces` the old, which stays readable.
- `Assignment`: a visit on one carer's route in a plan, in order, with the
  planned times (the day list shows windows, never these minutes).
- `ShiftSetting`: a district's shift times and break window (defaults in
  `tillit.planning.shifts` when a district has none).
- `TeamBase`: where a team's carers start and end their routes (without one,
  the centroid of the team's clients).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.access.querysets import PersonScopedQuerySet
from tillit.organisation.models import Competence, Employee

MAX_VISIT_MINUTES = 480


class ShiftKind(models.TextChoices):
    DAY = "day", _("day shift")
    EVENING = "evening", _("evening shift")
    NIGHT = "night", _("night shift")


class StartPlace(models.TextChoices):
    BASE = "base", _("the team's base")
    HOME = "home", _("home")


class RosterEntry(models.Model):
    employee = models.ForeignKey(
        "organisation.Employee", on_delete=models.CASCADE, related_name="roster_entries",
        verbose_name=_("employee"),
    )
    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="roster_entries",
        verbose_name=_("team"),
    )
    date = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=10, choices=ShiftKind.choices)
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    start_place = models.CharField(
        _("starts from"), max_length=10, choices=StartPlace.choices, default=StartPlace.BASE
    )
    travel_mode = models.CharField(
        _("travel mode"), max_length=10, choices=Employee.TravelMode.choices,
        default=Employee.TravelMode.WALK,
    )

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["date", "team", "shift", "employee"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date", "shift"], name="roster_employee_date_shift"
            )
        ]
        indexes = [models.Index(fields=["team", "date", "shift"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.shift}"


class Absence(models.Model):
    class Kind(models.TextChoices):
        SICK = "sick", _("sick")
        HOLIDAY = "holiday", _("holiday")
        COURSE = "course", _("course")
        OTHER = "other", _("other")

    employee = models.ForeignKey(
        "organisation.Employee", on_delete=models.CASCADE, related_name="absences",
        verbose_name=_("employee"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    from_time = models.TimeField(
        _("from"), null=True, blank=True,
        help_text=_("Set when someone leaves during the first day's shift."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-first_day"]
        indexes = [models.Index(fields=["employee", "first_day", "last_day"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.kind} {self.first_day}–{self.last_day}"

    def clean(self) -> None:
        super().clean()
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot be before the first day.")})

    def covers(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


class VisitQuerySet(PersonScopedQuerySet):
    client_field = "client"


class Visit(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")
        CLIENT_AWAY = "client_away", _("client away (e.g. in hospital)")

    class Source(models.TextChoices):
        DECISION = "decision", _("from the decision")
        ADDED = "added", _("added by the team")

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="visits",
        verbose_name=_("team"),
    )
    date = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=10, choices=ShiftKind.choices)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="planned_visits",
        verbose_name=_("client"),
    )
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True,
        related_name="planned_visits",
    )
    decision_visit = models.ForeignKey(
        "decisions.DecisionVisit", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="planned_visits",
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.DECISION
    )
    window_start = models.TimeField(_("earliest start"))
    window_end = models.TimeField(_("latest start"))
    minutes = models.PositiveSmallIntegerField(
        _("guiding minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_VISIT_MINUTES)]
    )
    competence = models.CharField(_("competence"), max_length=20, choices=Competence.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    staff_count = models.PositiveSmallIntegerField(
        _("carers"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    tasks = models.TextField(_("what the visit is for"), blank=True)
    after = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="followed_by",
        verbose_name=_("after visit"),
    )
    after_min_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    after_max_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    manual = models.BooleanField(
        _("changed by hand"), default=False,
        help_text=_("Generating the day again leaves this visit as it is."),
    )
    locked_to = models.ForeignKey(
        "organisation.Employee", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="locked_visits", verbose_name=_("locked to"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["date", "shift", "window_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision_visit", "date"], condition=Q(decision_visit__isnull=False),
                name="visit_once_per_decision_visit_and_date",
            )
        ]
        indexes = [
            models.Index(fields=["team", "date", "shift"]),
            models.Index(fields=["client", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.date} {self.window_start:%H:%M}–{self.window_end:%H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.SCHEDULED


class PlanQuerySet(models.QuerySet):
    def current(self) -> PlanQuerySet:
        return self.filter(is_current=True)


class Plan(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="plans", verbose_name=_("team")
    )
    date = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=10, choices=ShiftKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    is_current = models.BooleanField(_("current"), default=False)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised on every saved change; a stale save is a conflict.")
    )
    base_version = models.PositiveIntegerField(
        null=True, blank=True,
        help_text=_("The version of the replaced plan this run started from."),
    )
    instance = models.JSONField(_("instance"), null=True, blank=True)
    plan = models.JSONField(_("plan"), null=True, blank=True)
    cost = models.FloatField(_("cost"), null=True, blank=True)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    absent = models.JSONField(_("absent staff ids"), default=list, blank=True)
    replan_from = models.TimeField(_("re-planned from"), null=True, blank=True)
    time_limit = models.FloatField(_("time limit (s)"), default=10.0)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-date", "team", "shift", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "date", "shift"], condition=Q(is_current=True),
                name="one_current_plan_per_team_shift",
            )
        ]
        indexes = [models.Index(fields=["team", "date", "shift"])]

    def __str__(self) -> str:
        return f"{self.team} {self.date} {self.shift} ({self.status})"


class Assignment(models.Model):
    """A visit on one carer's route in a plan (two rows for a two-person visit)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="assignments")
    employee = models.ForeignKey(
        "organisation.Employee", on_delete=models.PROTECT, related_name="assignments"
    )
    order = models.PositiveSmallIntegerField()
    arrive = models.TimeField(null=True, blank=True)
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "employee", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "visit", "employee"], name="assignment_once_per_plan"
            )
        ]
        indexes = [models.Index(fields=["employee", "plan"])]

    def __str__(self) -> str:
        return f"{self.employee} → {self.visit_id} #{self.order}"


class ShiftSetting(models.Model):
    """A district's times for one shift; `tillit.planning.shifts` falls back
    to the city's defaults for a district without a row."""

    district = models.ForeignKey(
        "organisation.District", on_delete=models.CASCADE, related_name="shift_settings",
        verbose_name=_("district"),
    )
    shift = models.CharField(_("shift"), max_length=10, choices=ShiftKind.choices)
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    break_start = models.TimeField(_("break window opens"), null=True, blank=True)
    break_end = models.TimeField(_("break window closes"), null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(_("break minutes"), default=0)

    class Meta:
        verbose_name = _("shift setting")
        verbose_name_plural = _("shift settings")
        ordering = ["district", "shift"]
        constraints = [
            models.UniqueConstraint(fields=["district", "shift"], name="shift_setting_once")
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.shift} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The shift must end after it starts.")
        if self.break_minutes and (self.break_start is None or self.break_end is None):
            errors["break_start"] = _("A break needs a window.")
        if self.break_start and self.break_end and self.break_end < self.break_start:
            errors["break_end"] = _("The break window cannot close before it opens.")
        if errors:
            raise ValidationError(errors)


class TeamBase(models.Model):
    """The team's base (where routes start and end)."""

    team = models.OneToOneField(
        "organisation.Team", on_delete=models.CASCADE, related_name="base",
        verbose_name=_("team"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(59.7), MaxValueValidator(60.2)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(10.4), MaxValueValidator(11.0)]
    )

    class Meta:
        verbose_name = _("team base")
        verbose_name_plural = _("team bases")

    def __str__(self) -> str:
        return self.name or str(self.team)


class ClientAwayQuerySet(PersonScopedQuerySet):
    client_field = "client"


class ClientAway(models.Model):
    """A client away for some days (in hospital, travelling): generating
    those days marks the client's visits away instead of scheduling them."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="away_periods",
        verbose_name=_("client"),
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=300)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = ClientAwayQuerySet.as_manager()

    class Meta:
        verbose_name = _("client away")
        verbose_name_plural = _("clients away")
        ordering = ["-first_day"]
        indexes = [models.Index(fields=["client", "first_day", "last_day"])]

    def __str__(self) -> str:
        return f"{self.client} {self.first_day}–{self.last_day}"

    def clean(self) -> None:
        super().clean()
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot be before the first day.")})
