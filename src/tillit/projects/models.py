"""The city-wide register of projects, pilots and measures run by districts
and agencies: goal, period, units, contact, status, results and documents,
and the dialogue with the employees' and users' organisations (meetings and
what was agreed). No person data."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class Kind(models.TextChoices):
    PROJECT = "project", _("project")
    PILOT = "pilot", _("pilot")
    MEASURE = "measure", _("measure")


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    STOPPED = "stopped", _("stopped")


class Project(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"))
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("district"))
    agency = models.ForeignKey("organisation.Agency", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("agency"))
    units = models.ManyToManyField("organisation.Unit", blank=True, related_name="+",
                                   verbose_name=_("units involved"))
    contact_name = models.CharField(_("contact"), max_length=150)
    contact_email = models.EmailField(_("contact's e-mail"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)
    results = models.TextField(_("results and lessons"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "title"]
        constraints = [models.CheckConstraint(
            condition=models.Q(district__isnull=False) | models.Q(agency__isnull=False),
            name="project_has_owner")]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> object:
        return self.district or self.agency

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end cannot be before the start.")
        if self.district_id is None and self.agency_id is None:
            errors["district"] = _("Choose the district or the agency that runs it.")
        if self.status == Status.COMPLETED and not self.results.strip():
            errors["results"] = _("A completed project states its results.")
        if errors:
            raise ValidationError(errors)


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-added_at"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """Dialogue with the employees' and users' organisations."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    organisations = models.CharField(
        _("organisations present"), max_length=300,
        help_text=_("E.g. Fagforbundet, NSF, the council for the elderly."))
    employees = models.BooleanField(_("employees' organisations"), default=False)
    users = models.BooleanField(_("users' organisations"), default=False)
    summary = models.TextField(_("what was discussed"), blank=True)
    agreed = models.TextField(_("what was agreed"))

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.project} {self.held_on}"

    def clean(self) -> None:
        if not (self.employees or self.users):
            raise ValidationError({"employees": _(
                "Tick the employees' or the users' organisations (or both).")})
