"""Garment types, the central stock and the bases are maintained by the
system administrator."""

from django.contrib import admin

from tillit.workwear.models import Base, GarmentType, StockLine


@admin.register(GarmentType)
class GarmentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "per_employee"]


@admin.register(StockLine)
class StockLineAdmin(admin.ModelAdmin):
    list_display = ["garment", "size", "quantity"]
    list_filter = ["garment"]


@admin.register(Base)
class BaseAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "pickup_day", "delivery_day", "cycle_weeks"]
    list_filter = ["district"]
