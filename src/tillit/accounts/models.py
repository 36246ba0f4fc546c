"""User accounts: one role and one scope (a district, or the whole city)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    CASE_HANDLER = "case_handler", _("case handler")
    DISTRICT_MANAGER = "district_manager", _("district manager")
    PLANNER = "planner", _("planner / team leader")
    CARER = "carer", _("home care worker")
    ANALYST = "analyst", _("city analyst")


# Roles whose scope is always one district.
DISTRICT_ROLES = {Role.DISTRICT_MANAGER, Role.PLANNER, Role.CARER}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    district = models.ForeignKey(
        "organisation.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("district"),
        help_text=_("Empty for city-wide roles (central purchaser office, analyst)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.role in DISTRICT_ROLES and self.district_id is None:
            raise ValidationError({"district": _("This role works in one district.")})
        if self.role in {Role.ANALYST, Role.SYSTEM_ADMIN} and self.district_id is not None:
            raise ValidationError({"district": _("This role is city-wide.")})

    @property
    def is_city_wide(self) -> bool:
        return self.district_id is None


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """An API bearer token. Only its SHA-256 is stored; the prefix (the first
    characters of the token) names it in lists and in `tillit token --revoke`."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AccessChange(models.Model):
    """A change of who may see what: a user's role, district or staff status
    (asked for by one administrator, carried out only when a second one
    approves), or a password reset done outside the admin. The rows are the
    log of these changes."""

    class Kind(models.TextChoices):
        ROLE = "role", _("role and district")
        PASSWORD = "password", _("password reset")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for a second person")
        APPROVED = "approved", _("approved and carried out")
        REJECTED = "rejected", _("rejected")
        DONE = "done", _("carried out")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROLE)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="access_changes", verbose_name=_("user")
    )
    role = models.CharField(_("new role"), max_length=20, choices=Role.choices, blank=True)
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("new district"),
    )
    is_staff = models.BooleanField(_("admin site access"), default=False)
    note = models.TextField(_("reason"), blank=True)
    previous = models.JSONField(_("before"), default=dict, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, editable=False
    )
    # Empty for a password reset on the server (the operator is in `note`).
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("asked for by"), editable=False,
    )
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"), editable=False,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("access change")
        verbose_name_plural = _("access changes")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_kind_display()} ({self.get_state_display()})"

    def clean(self) -> None:
        super().clean()
        # The role and district must fit together as on the user itself.
        User(role=self.role, district_id=self.district_id).clean()
