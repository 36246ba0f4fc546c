"""Assistive devices and welfare technology, run centrally: the stock of
devices, loans and installations per client with service intervals and
returns, and requests from the district teams. A loan may replace a visit
of the client's decision (a medicine dispenser instead of a medicine visit).

Loans and requests are person-level: read through `visible_to(user)`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.access.querysets import PersonScopedQuerySet


class Category(models.TextChoices):
    BED = "bed", _("care bed")
    WALKER = "walker", _("walker")
    WHEELCHAIR = "wheelchair", _("wheelchair")
    SAFETY_ALARM = "safety_alarm", _("safety alarm")
    MEDICINE_DISPENSER = "medicine_dispenser", _("medicine dispenser")
    DOOR_SENSOR = "door_sensor", _("door sensor")
    OTHER = "other", _("other")


class DeviceType(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    welfare_technology = models.BooleanField(_("welfare technology (installed)"), default=False)
    service_months = models.PositiveSmallIntegerField(
        _("service every (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    may_replace_visit = models.BooleanField(_("may replace a visit"), default=False)

    class Meta:
        verbose_name = _("device type")
        verbose_name_plural = _("device types")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class Device(models.Model):
    class State(models.TextChoices):
        IN_STOCK = "in_stock", _("in stock")
        ON_LOAN = "on_loan", _("on loan")
        IN_REPAIR = "in_repair", _("in repair")
        RETIRED = "retired", _("retired")

    device_type = models.ForeignKey(DeviceType, on_delete=models.PROTECT,
                                    related_name="devices", verbose_name=_("device type"))
    serial = models.CharField(_("serial number"), max_length=50, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.IN_STOCK)
    in_showroom = models.BooleanField(_("in the welfare-technology showroom"), default=False)
    acquired_on = models.DateField(_("acquired"))

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["device_type", "serial"]

    def __str__(self) -> str:
        return f"{self.device_type} {self.serial}"


class LoanQuerySet(PersonScopedQuerySet):
    client_field = "client"

    def current(self) -> LoanQuerySet:
        return self.filter(returned_on__isnull=True)


class Loan(models.Model):
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="loans",
                               verbose_name=_("device"))
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="device_loans", verbose_name=_("client"))
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+")
    lent_on = models.DateField(_("lent"))
    installed_on = models.DateField(_("installed"), null=True, blank=True)
    next_service_on = models.DateField(_("next service"), null=True, blank=True)
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    replaces_visit = models.ForeignKey(
        "decisions.DecisionVisit", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("replaces the visit"))
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_on"]
        constraints = [models.UniqueConstraint(
            fields=["device"], condition=models.Q(returned_on__isnull=True),
            name="one_open_loan_per_device")]

    def __str__(self) -> str:
        return f"{self.device} → {self.client}"

    def service_due(self, day: dt.date, within_days: int = 14) -> bool:
        return bool(self.returned_on is None and self.next_service_on
                    and self.next_service_on <= day + dt.timedelta(days=within_days))


class RequestQuerySet(PersonScopedQuerySet):
    client_field = "client"


class DeviceRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        DELIVERED = "delivered", _("delivered")
        REJECTED = "rejected", _("rejected")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="device_requests", verbose_name=_("client"))
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+")
    device_type = models.ForeignKey(DeviceType, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("device type"))
    reason = models.TextField(_("why it is needed"))
    replaces_visit = models.ForeignKey(
        "decisions.DecisionVisit", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("may replace the visit"))
    requested_on = models.DateField(_("requested"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.REQUESTED)
    handled_on = models.DateField(_("handled"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    loan = models.OneToOneField(Loan, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="request")

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("device request")
        verbose_name_plural = _("device requests")
        ordering = ["requested_on", "pk"]

    def __str__(self) -> str:
        return f"{self.device_type} – {self.client}"

    def clean(self) -> None:
        if self.status == self.Status.REJECTED and not self.note.strip():
            raise ValidationError({"note": _("Say why the request is rejected.")})
