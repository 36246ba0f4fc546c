"""Care situations, responsible nurses and monthly staffing snapshots.

- `CareSituation`: a client's care situation (the IKOS categories BOB grew
  into). Never edited: every change is a new row, so the history stays; the
  newest row is the current situation.
- `ResponsibleNurse`: who is the client's responsible person
  (tjenesteansvarlig). One open row per client (`ended_at` empty); a change
  closes the old row and opens a new one.
- `StaffingSnapshot`: one district's figures for one competence in one month
  (aggregates only, no person data), for the trends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.access.querysets import PersonScopedQuerySet
from tillit.core import staffing as core
from tillit.organisation.models import Competence


class Situation(models.TextChoices):
    NEW = "new", _("new client")
    STABLE = "stable", _("stable")
    COMPLEX = "complex", _("complex")
    COMPLEX_SEVERE = "complex_severe", _("complex and severe")
    FUNCTIONAL_DECLINE = "functional_decline", _("functional decline")
    LAST_DAYS = "last_days", _("last days of life")


def requires_nurse(situation: str) -> bool:
    return situation in core.NURSE_RESPONSIBLE_SITUATIONS


class CareSituationQuerySet(PersonScopedQuerySet):
    client_field = "client"

    def current(self) -> CareSituationQuerySet:
        newer = CareSituation.objects.filter(client_id=models.OuterRef("client_id"),
                                             pk__gt=models.OuterRef("pk"))
        return self.filter(~models.Exists(newer))


class CareSituation(models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="care_situations",
        verbose_name=_("client"),
    )
    situation = models.CharField(_("care situation"), max_length=20, choices=Situation.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_at = models.DateTimeField(_("set"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    set_by_name = models.CharField(_("set by"), max_length=200, blank=True)

    objects = CareSituationQuerySet.as_manager()

    class Meta:
        verbose_name = _("care situation")
        verbose_name_plural = _("care situations")
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["client", "set_at"])]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.situation}"

    @property
    def requires_nurse(self) -> bool:
        return requires_nurse(self.situation)


class ResponsibleNurseQuerySet(PersonScopedQuerySet):
    client_field = "client"

    def current(self) -> ResponsibleNurseQuerySet:
        return self.filter(ended_at__isnull=True)


class ResponsibleNurse(models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="responsible_nurses",
        verbose_name=_("client"),
    )
    employee = models.ForeignKey(
        "organisation.Employee", on_delete=models.PROTECT, related_name="responsible_for",
        verbose_name=_("responsible"),
    )
    assigned_at = models.DateTimeField(_("assigned"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    objects = ResponsibleNurseQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsible nurse")
        verbose_name_plural = _("responsible nurses")
        ordering = ["-assigned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(ended_at__isnull=True),
                                    name="one_current_responsible_per_client"),
        ]
        indexes = [models.Index(fields=["employee", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.employee_id}"


class StaffingSnapshot(models.Model):
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    district = models.ForeignKey(
        "organisation.District", on_delete=models.CASCADE, related_name="staffing_snapshots"
    )
    competence = models.CharField(_("competence"), max_length=20, choices=Competence.choices)
    reference_date = models.DateField(_("figures as of"))
    weekly_direct_minutes = models.PositiveIntegerField(_("direct care minutes a week"))
    needed_fte = models.FloatField(_("needed FTE"))
    rostered_fte = models.FloatField(_("rostered FTE"))
    contracted_fte = models.FloatField(_("contracted FTE"))
    clients = models.PositiveIntegerField(_("clients with active decisions"))
    nurses_over_norm = models.PositiveIntegerField(_("nurses over the caseload norm"))
    without_responsible = models.PositiveIntegerField(_("clients without a responsible nurse"))
    params = models.JSONField(_("parameters"))
    taken_at = models.DateTimeField(_("taken"))

    class Meta:
        verbose_name = _("staffing snapshot")
        verbose_name_plural = _("staffing snapshots")
        ordering = ["month", "district", "competence"]
        constraints = [
            models.UniqueConstraint(fields=["month", "district", "competence"],
                                    name="snapshot_month_district_competence"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district_id} {self.competence}"
