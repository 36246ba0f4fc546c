"""City-wide routines: an agency publishes a routine in versions; every
district (and each of its health units) acknowledges the current version and
reports how far implementation has come. A new version starts the
acknowledgement over: the old version's answers stay as history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class Kind(models.TextChoices):
    MANDATORY = "mandatory", _("mandatory")
    ADVISORY = "advisory", _("advisory")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    IMPLEMENTED = "implemented", _("implemented")
    DEVIATION = "deviation", _("deviation")


class Routine(models.Model):
    title = models.CharField(_("title"), max_length=200)
    agency = models.ForeignKey(
        "organisation.Agency", on_delete=models.PROTECT, null=True, blank=True,
        related_name="routines", verbose_name=_("owning agency"),
    )
    service_types = models.ManyToManyField(
        "decisions.ServiceType", blank=True, related_name="routines",
        verbose_name=_("services it concerns"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("routine")
        verbose_name_plural = _("routines")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> RoutineVersion | None:
        return self.versions.order_by("-number").first()


class RoutineVersion(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    document_name = models.CharField(_("document"), max_length=200, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    document = models.BinaryField(blank=True, default=b"")
    effective_from = models.DateField(_("effective from"))
    respond_by = models.DateField(_("acknowledge and implement by"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("routine version")
        verbose_name_plural = _("routine versions")
        ordering = ["routine", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "number"], name="routine_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.routine.title} v{self.number}"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if not self.text.strip() and not self.document_name:
            errors["text"] = _("Write the routine or attach a document.")
        if self.effective_from and self.respond_by and self.respond_by < self.effective_from:
            errors["respond_by"] = _("The deadline cannot be before the effective date.")
        if len(self.document or b"") > MAX_DOCUMENT_BYTES:
            errors["document"] = _("The document may be at most 5 MB.")
        if errors:
            raise ValidationError(errors)


class WorkingGroupMember(models.Model):
    """Who wrote the routine: a working group with district representatives."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="working_group")
    name = models.CharField(_("name"), max_length=150)
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("district"),
    )
    agency = models.ForeignKey(
        "organisation.Agency", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("agency"),
    )
    role = models.CharField(_("role in the group"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["district__number", "name"]

    def __str__(self) -> str:
        return self.name


class AcknowledgementQuerySet(models.QuerySet):
    def current(self) -> AcknowledgementQuerySet:
        """Rows of each routine's newest version only."""
        newest = RoutineVersion.objects.filter(routine=models.OuterRef("version__routine")).order_by(
            "-number").values("pk")[:1]
        return self.filter(version_id=models.Subquery(newest))


class Acknowledgement(models.Model):
    """One district's (unit empty) or one unit's answer to one version."""

    version = models.ForeignKey(
        RoutineVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("district"),
    )
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("unit"),
    )
    status = models.CharField(
        _("implementation"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    deviation_reason = models.TextField(_("reason for the deviation"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("acknowledged by"),
    )
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["district__number", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "district", "unit"], name="acknowledgement_unique"
            ),
            models.UniqueConstraint(
                fields=["version", "district"], condition=models.Q(unit__isnull=True),
                name="acknowledgement_district_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} – {self.unit or self.district}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    def is_overdue(self, today: dt.date) -> bool:
        return self.version.respond_by < today and (
            not self.is_acknowledged or self.status not in (Status.IMPLEMENTED, Status.DEVIATION)
        )
