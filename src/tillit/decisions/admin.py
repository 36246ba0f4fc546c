"""Configuration of the purchaser office in the admin site: which office
decides each service type and the city's processing-time targets, and the
IPLOS definitions in use. Person-level records (applications, assessments,
decisions) are not here: the access layer keeps clinical content out of the
admin site."""

from django.contrib import admin

from tillit.decisions.models import IplosDefinition, ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "office", "target_days", "has_visits", "order")
    list_editable = ("office", "target_days", "order")
    search_fields = ("name", "code")


@admin.register(IplosDefinition)
class IplosDefinitionAdmin(admin.ModelAdmin):
    list_display = ("version", "title", "active", "loaded_at")
    list_editable = ("active",)
    readonly_fields = ("version", "title", "data", "loaded_at")
