"""Workwear under the city's central agreement: garment types and sizes per
employee, issue and return, laundry pick-up and delivery per base, orders per
district against the central stock. Staff data, no client data."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SIZES = ["XS", "S", "M", "L", "XL", "XXL", "3XL"]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class GarmentType(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    per_employee = models.PositiveSmallIntegerField(
        _("sets per employee"), default=3, validators=[MinValueValidator(1),
                                                       MaxValueValidator(10)])

    class Meta:
        verbose_name = _("garment type")
        verbose_name_plural = _("garment types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StockLine(models.Model):
    """The central stock under the agreement."""

    garment = models.ForeignKey(GarmentType, on_delete=models.CASCADE, related_name="stock")
    size = models.CharField(_("size"), max_length=4, choices=[(s, s) for s in SIZES])
    quantity = models.PositiveIntegerField(_("quantity"), default=0)

    class Meta:
        verbose_name = _("stock line")
        verbose_name_plural = _("stock lines")
        ordering = ["garment__name", "size"]
        constraints = [models.UniqueConstraint(fields=["garment", "size"], name="stock_once")]

    def __str__(self) -> str:
        return f"{self.garment} {self.size}: {self.quantity}"


class Base(models.Model):
    """A home care base (where carers change and the laundry is picked up)."""

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="workwear_bases", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=150)
    pickup_day = models.PositiveSmallIntegerField(_("pick-up day"), choices=Weekday.choices)
    delivery_day = models.PositiveSmallIntegerField(_("delivery day"), choices=Weekday.choices)
    cycle_weeks = models.PositiveSmallIntegerField(
        _("every (weeks)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)])

    class Meta:
        verbose_name = _("base")
        verbose_name_plural = _("bases")
        ordering = ["district__number", "name"]

    def __str__(self) -> str:
        return self.name


class LaundryRun(models.Model):
    class Kind(models.TextChoices):
        PICKUP = "pickup", _("pick-up")
        DELIVERY = "delivery", _("delivery")

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    bags = models.PositiveSmallIntegerField(_("bags"), validators=[MaxValueValidator(500)])
    missing_items = models.PositiveSmallIntegerField(_("items missing"), default=0)

    class Meta:
        verbose_name = _("laundry run")
        verbose_name_plural = _("laundry runs")
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.base} {self.on} {self.kind}"


class SizeProfile(models.Model):
    employee = models.ForeignKey("organisation.Employee", on_delete=models.CASCADE,
                                 related_name="garment_sizes")
    garment = models.ForeignKey(GarmentType, on_delete=models.CASCADE, related_name="+")
    size = models.CharField(_("size"), max_length=4, choices=[(s, s) for s in SIZES])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "garment"], name="size_once")]

    def __str__(self) -> str:
        return f"{self.employee} {self.garment} {self.size}"


class Issue(models.Model):
    employee = models.ForeignKey("organisation.Employee", on_delete=models.CASCADE,
                                 related_name="garment_issues")
    garment = models.ForeignKey(GarmentType, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("garment"))
    size = models.CharField(_("size"), max_length=4, choices=[(s, s) for s in SIZES])
    quantity = models.PositiveSmallIntegerField(_("quantity"), validators=[
        MinValueValidator(1), MaxValueValidator(10)])
    issued_on = models.DateField(_("issued"))
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"{self.employee}: {self.quantity} × {self.garment} {self.size}"


class Order(models.Model):
    class Status(models.TextChoices):
        ORDERED = "ordered", _("ordered")
        DELIVERED = "delivered", _("delivered")

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("district"))
    garment = models.ForeignKey(GarmentType, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("garment"))
    size = models.CharField(_("size"), max_length=4, choices=[(s, s) for s in SIZES])
    quantity = models.PositiveSmallIntegerField(_("quantity"), validators=[
        MinValueValidator(1), MaxValueValidator(500)])
    ordered_on = models.DateField(_("ordered"))
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ORDERED)
    delivered_on = models.DateField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-ordered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.district}: {self.quantity} × {self.garment} {self.size}"
