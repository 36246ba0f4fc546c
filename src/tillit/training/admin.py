"""The system administrator maintains the course catalogue and the
onboarding programmes here (no person data)."""

from django.contrib import admin

from tillit.training.models import Course, OnboardingProgramme


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "topic", "qualification", "valid_months", "is_active"]
    list_filter = ["topic", "is_active"]
    search_fields = ["name", "code", "qualification"]


@admin.register(OnboardingProgramme)
class OnboardingProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "competence", "due_days"]
    filter_horizontal = ["courses"]
