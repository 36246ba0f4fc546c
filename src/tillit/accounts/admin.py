"""Users in the admin: everything but who may see what. Role, district and
admin-site access change only through an access change that a second
administrator approves (`tillit.accounts.services`); passwords are reset on
the server (`tillit manage reset_password`), not here."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tillit.accounts import services
from tillit.accounts.models import AccessChange, User

# Fields that decide what a user may see: never edited directly here.
ACCESS_FIELDS = ["role", "district", "is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "district", "is_active"]
    list_filter = ["role", "district", "is_active", "is_staff"]
    fieldsets = [*BaseUserAdmin.fieldsets, (_("Role and scope"), {"fields": ["role", "district"]})]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), *ACCESS_FIELDS]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        messages.error(request, gettext(
            "Passwords are reset on the server (tillit manage reset_password), not in the "
            "admin."))
        return HttpResponseRedirect(reverse("admin:accounts_user_changelist"))


@admin.register(AccessChange)
class AccessChangeAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "role", "district", "is_staff", "state", "requested_by",
                    "requested_at", "decided_by"]
    list_filter = ["state", "kind"]
    fields = ["user", "role", "district", "is_staff", "note"]
    actions = ["approve", "reject"]

    def has_change_permission(self, request: HttpRequest, obj: AccessChange | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessChange | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return services.may_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: AccessChange | None = None) -> bool:
        return services.may_administer(request.user)

    def save_model(self, request: HttpRequest, obj: AccessChange, form, change: bool) -> None:
        created = services.do_request_access_change(
            by=request.user, user=obj.user, role=obj.role, district=obj.district,
            is_staff=obj.is_staff, note=obj.note)
        obj.pk = created.pk

    def _decide(self, request: HttpRequest, queryset, decide) -> None:
        for change in queryset:
            try:
                decide(by=request.user, change=change)
            except (PermissionDenied, ValidationError) as error:
                text = "; ".join(getattr(error, "messages", [])) or str(error) or gettext(
                    "Not allowed.")
                messages.error(request, f"{change}: {text}")
            else:
                messages.success(request, str(change))

    @admin.action(description=_("Approve (as the second person)"))
    def approve(self, request: HttpRequest, queryset) -> None:
        self._decide(request, queryset, services.do_approve_access_change)

    @admin.action(description=_("Reject"))
    def reject(self, request: HttpRequest, queryset) -> None:
        self._decide(request, queryset, services.do_reject_access_change)
