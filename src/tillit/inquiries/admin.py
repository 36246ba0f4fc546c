"""Contact points are maintained by the system administrator (no person
data); inquiries are person-level and stay out of the admin site."""

from django.contrib import admin

from tillit.inquiries.models import ContactPoint


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ["topic", "agency", "district", "responsible", "answer_days"]
    list_filter = ["agency", "district"]
    search_fields = ["topic"]
    autocomplete_fields = []
