"""Blocking (sperring) and emergency access (break-glass).

A `Block` keeps a client's data away from named people: one employee (user),
a team, or a role (optionally in one district). It covers the whole record
(no item type), every item of a kind, including items written later (item
type without item id), or one item (type and id), from `valid_from` until
`valid_to` or until it is lifted.

A `BreakGlass` is self-authorised emergency access to one client, with a
reason, for a limited time; it is logged and waits on the district manager's
follow-up list until someone has followed it up.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import Role


class BlockQuerySet(models.QuerySet):
    def active(self, at: dt.datetime | None = None) -> BlockQuerySet:
        at = at or timezone.now()
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=at),
            valid_from__lte=at,
            lifted_at__isnull=True,
        )

    def applying_to(self, user) -> BlockQuerySet:
        """Blocks that name this user, their team, or their role."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        condition = Q(user_id=user.pk)
        employee = getattr(user, "employee", None) if _has_employee(user) else None
        if employee is not None and employee.team_id:
            condition |= Q(team_id=employee.team_id)
        if user.role:
            condition |= Q(role=user.role, district__isnull=True)
            if user.district_id:
                condition |= Q(role=user.role, district_id=user.district_id)
        return self.filter(condition)


def _has_employee(user) -> bool:
    try:
        return user.employee is not None
    except Exception:  # RelatedObjectDoesNotExist: the user is no employee
        return False


class Block(models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="blocks",
        verbose_name=_("client"),
    )
    item_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("kind of item"),
        help_text=_("Empty: the whole record. Without an item id: every item of this kind."),
    )
    item_id = models.PositiveBigIntegerField(_("item id"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="blocks_against", verbose_name=_("employee"),
    )
    team = models.ForeignKey(
        "organisation.Team", on_delete=models.CASCADE, null=True, blank=True,
        related_name="blocks_against", verbose_name=_("team"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    district = models.ForeignKey(
        "organisation.District", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("district"),
    )
    reason = models.TextField(_("reason"), blank=True)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("lifted by"),
    )

    objects = BlockQuerySet.as_manager()

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["client", "lifted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, team__isnull=True, role="", district__isnull=True)
                    | Q(user__isnull=True, team__isnull=False, role="", district__isnull=True)
                    | (Q(user__isnull=True, team__isnull=True) & ~Q(role=""))
                ),
                name="block_names_one_target",
            ),
            models.CheckConstraint(
                condition=Q(item_id__isnull=True) | Q(item_type__isnull=False),
                name="block_item_needs_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        if self.team_id:
            return str(self.team)
        label = str(Role(self.role).label)
        return f"{label} ({self.district})" if self.district_id else label

    @property
    def scope_label(self) -> str:
        if self.item_type_id is None:
            return str(_("the whole record"))
        kind = str(self.item_type.model_class()._meta.verbose_name_plural)
        return kind if self.item_id is None else f"{kind} #{self.item_id}"

    def clean(self) -> None:
        super().clean()
        targets = sum([self.user_id is not None, self.team_id is not None, bool(self.role)])
        if targets != 1:
            raise ValidationError({"user": _("Name exactly one: an employee, a team or a role.")})
        if self.district_id and not self.role:
            raise ValidationError({"district": _("A district narrows a role only.")})
        if self.item_id is not None and self.item_type_id is None:
            raise ValidationError({"item_id": _("Choose the kind of item.")})
        if self.valid_to and self.valid_from and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("The end must come after the start.")})


class BreakGlassQuerySet(models.QuerySet):
    def active(self, at: dt.datetime | None = None) -> BreakGlassQuerySet:
        at = at or timezone.now()
        return self.filter(started_at__lte=at, expires_at__gt=at)

    def awaiting_follow_up(self) -> BreakGlassQuerySet:
        return self.filter(followed_up_at__isnull=True)


class BreakGlass(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass",
        verbose_name=_("employee"),
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="break_glass",
        verbose_name=_("client"),
    )
    district = models.ForeignKey(
        "organisation.District", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("district"),
    )
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("started"))
    expires_at = models.DateTimeField(_("expires"))
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("followed up by"),
    )
    follow_up_note = models.TextField(_("follow-up note"), blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["district", "followed_up_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.client_id} ({self.started_at:%Y-%m-%d %H:%M})"
