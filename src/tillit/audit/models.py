"""The read audit: who read which client's data, when, how and in which role.

Append-only. One `AccessOperation` per read (a page, an API call, an
export) and one `AccessRecord` per client it showed. Operations form a hash
chain: each stores the hash of the one before it and an HMAC over its own
content (including its client rows), keyed with a key kept outside the
database (`TILLIT_AUDIT_KEYS`, named per row by `key_id`), so an edited or
deleted row is found by `tillit.audit.services.verify_chain()`, and a copy of
the database cannot recompute the chain without the key. Rows hold no secrets: no tokens,
passwords, session ids or query strings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """The access log is append-only."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("The access log is append-only: rows cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only: rows cannot be deleted.")

    def bulk_update(self, *args: object, **kwargs: object) -> int:
        raise AppendOnlyError("The access log is append-only: rows cannot be updated.")

    def select_for_update(self, *args: object, **kwargs: object) -> AppendOnlyQuerySet:
        raise AppendOnlyError("The access log is append-only: rows are never locked for update.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only: rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The access log is append-only: rows cannot be deleted.")


class What(models.TextChoices):
    RECORD = "record", _("client record")
    DECISION = "decision", _("decision")
    DAYLIST = "daylist", _("day list")
    LIST = "list", _("list")
    EXPORT = "export", _("export")
    ACCESS_LOG = "access_log", _("access log")
    BREAK_GLASS = "break_glass", _("emergency access")


class Interface(models.TextChoices):
    PAGE = "page", _("page")
    API = "api", _("API")
    EXPORT = "export", _("export")


class AccessOperation(AppendOnlyModel):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_username = models.CharField(_("username"), max_length=150)
    actor_name = models.CharField(_("name"), max_length=300, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    actor_district = models.SlugField(_("district"), blank=True)
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    interface = models.CharField(_("interface"), max_length=10, choices=Interface.choices)
    path = models.CharField(_("address"), max_length=300, blank=True)
    server_time = models.DateTimeField(_("server time"), db_index=True)
    device_time = models.DateTimeField(_("device time"), null=True, blank=True)
    client_count = models.PositiveIntegerField(_("clients"))
    previous_hash = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64, unique=True)
    # Which key (TILLIT_AUDIT_KEYS) the row's HMAC was made with.
    key_id = models.CharField(max_length=40, default="", blank=True)

    class Meta:
        verbose_name = _("access operation")
        verbose_name_plural = _("access operations")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.server_time:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.what}"


class AccessRecord(AppendOnlyModel):
    operation = models.ForeignKey(
        AccessOperation, on_delete=models.DO_NOTHING, related_name="records"
    )
    # No database constraint: the log outlives any client row it names.
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    server_time = models.DateTimeField(_("server time"))

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["id"]
        indexes = [models.Index(fields=["client", "server_time"])]

    def __str__(self) -> str:
        return f"{self.operation_id}: {self.client_id}"


class ChainHead(models.Model):
    """The newest operation's hash; one row, locked while appending so the
    chain never forks."""

    last_hash = models.CharField(max_length=64)
    length = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.length}: {self.last_hash}"
