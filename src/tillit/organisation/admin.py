from django.contrib import admin

from tillit.organisation import models


class UnitVersionInline(admin.TabularInline):
    model = models.UnitVersion
    extra = 0


class TeamVersionInline(admin.TabularInline):
    model = models.TeamVersion
    extra = 0


@admin.register(models.City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(models.District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "slug", "population", "valid_from", "valid_to"]
    search_fields = ["name", "slug"]


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "agency", "sector", "is_purchaser_office", "valid_to"]
    list_filter = ["district", "sector", "is_purchaser_office"]
    search_fields = ["name"]
    raw_id_fields = ["leader", "parent"]
    inlines = [UnitVersionInline]


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "unit", "leader", "phone", "valid_from", "valid_to"]
    list_filter = ["district"]
    search_fields = ["name"]
    raw_id_fields = ["leader"]
    inlines = [TeamVersionInline]


@admin.register(models.Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation_number"]
    list_filter = ["kind", "districts"]
    search_fields = ["name", "organisation_number"]
    filter_horizontal = ["districts"]


@admin.register(models.Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = [
        "family_name",
        "given_name",
        "title",
        "competence",
        "district",
        "team",
        "fte_percent",
    ]
    list_filter = ["district", "sector", "competence", "contract_type", "is_leader"]
    search_fields = ["given_name", "family_name", "employee_number"]
    raw_id_fields = ["reports_to", "team", "unit", "user", "provider"]
