"""Training and competence: the city's courses, each employee's completions
with their expiry, and onboarding programmes by competence level.

A course may carry a qualification (`insulin`, `wound_care`, ...): a valid
completion puts it into `Employee.qualifications`, which is what day planning
reads as the carer's skills; when the completion expires, the qualification
is taken out again (`services.sync_qualifications`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import Competence


class Topic(models.TextChoices):
    ONBOARDING = "onboarding", _("onboarding")
    SYSTEMS = "systems", _("systems (care record, quality system)")
    CLINICAL = "clinical", _("clinical procedure")
    SAFETY = "safety", _("safety and hygiene")


class Course(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    description = models.TextField(_("description"), blank=True)
    qualification = models.CharField(
        _("qualification for planning"), max_length=40, blank=True,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$",
                                   _("Use lower-case letters, digits and _ only."))],
        help_text=_("The skill the planner uses (e.g. insulin). Empty: none."),
    )
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Empty: the completion does not expire."),
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=1)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["topic", "name"]

    def __str__(self) -> str:
        return self.name

    def expiry_after(self, completed_on: dt.date) -> dt.date | None:
        if not self.valid_months:
            return None
        month = completed_on.month - 1 + self.valid_months
        year, month = completed_on.year + month // 12, month % 12 + 1
        for day in (completed_on.day, 30, 29, 28):
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
        raise AssertionError("unreachable")


class OnboardingProgramme(models.Model):
    """The courses a new employee at a competence level completes within
    `due_days` of starting."""

    competence = models.CharField(
        _("competence level"), max_length=20, choices=Competence.choices, unique=True)
    name = models.CharField(_("name"), max_length=150)
    courses = models.ManyToManyField(Course, related_name="programmes",
                                     verbose_name=_("courses"))
    due_days = models.PositiveSmallIntegerField(
        _("complete within (days of starting)"), default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)])

    class Meta:
        verbose_name = _("onboarding programme")
        verbose_name_plural = _("onboarding programmes")
        ordering = ["competence"]

    def __str__(self) -> str:
        return self.name


class CompletionQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> CompletionQuerySet:
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day),
                           completed_on__lte=day)


class Completion(models.Model):
    employee = models.ForeignKey("organisation.Employee", on_delete=models.CASCADE,
                                 related_name="completions", verbose_name=_("employee"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions",
                               verbose_name=_("course"))
    completed_on = models.DateField(_("completed"))
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        ordering = ["-completed_on"]
        constraints = [models.UniqueConstraint(fields=["employee", "course", "completed_on"],
                                               name="completion_once_a_day")]

    def __str__(self) -> str:
        return f"{self.employee} – {self.course} ({self.completed_on})"

    def clean(self) -> None:
        if self.expires_on and self.completed_on and self.expires_on < self.completed_on:
            raise ValidationError({"expires_on": _("The expiry cannot be before the completion.")})
