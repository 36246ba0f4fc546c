from django.contrib import admin

from tillit.clients import models


class PrimaryContactInline(admin.TabularInline):
    model = models.PrimaryContact
    raw_id_fields = ["employee"]
    extra = 0


class ContactPersonInline(admin.TabularInline):
    model = models.ContactPerson
    extra = 0


@admin.register(models.Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "masked_national_id", "district", "provider"]
    list_filter = ["district", "provider__kind"]
    search_fields = ["family_name", "given_name"]
    raw_id_fields = ["team", "provider"]
    readonly_fields = ["district", "birth_date"]
    inlines = [PrimaryContactInline, ContactPersonInline]
