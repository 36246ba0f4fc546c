"""Blocking and emergency access: the writes."""

from __future__ import annotations

import datetime as dt
import logging

import rules
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.access.models import Block, BreakGlass
from tillit.accounts.models import User
from tillit.audit.models import Interface, What
from tillit.audit.services import record_access
from tillit.clients.models import Client

logger = logging.getLogger("tillit.security")


def now() -> dt.datetime:
    return timezone.now()


def break_glass_duration() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "TILLIT_BREAK_GLASS_MINUTES", 60)))


@transaction.atomic
def do_block(
    *,
    by: User,
    client: Client,
    user: User | None = None,
    team=None,
    role: str = "",
    district=None,
    item: models.Model | None = None,
    item_model: type[models.Model] | None = None,
    reason: str = "",
    valid_from: dt.datetime | None = None,
    valid_to: dt.datetime | None = None,
) -> Block:
    """Block the client's whole record (no item), one item, or every item of
    a kind (`item_model`, also those written later) against one employee,
    a team or a role (optionally in one district)."""
    if not rules.test_rule("access.manage_client_blocks", by, client):
        raise PermissionDenied
    item_type = None
    item_id = None
    if item is not None:
        item_type = ContentType.objects.get_for_model(item)
        item_id = item.pk
    elif item_model is not None:
        item_type = ContentType.objects.get_for_model(item_model)
    block = Block(
        client=client, user=user, team=team, role=role, district=district,
        item_type=item_type, item_id=item_id, reason=reason,
        valid_from=valid_from or now(), valid_to=valid_to, created_by=by,
    )
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def do_lift_block(*, by: User, block: Block) -> Block:
    """Lift a block: only someone the policy lets manage the client's blocks
    and whom the block does not name (`access.lift_block`). Who lifted it and
    when stay on the block, and the lifting is written to the security log."""
    if not rules.test_rule("access.lift_block", by, block):
        raise PermissionDenied
    if block.lifted_at is None:
        block.lifted_at = now()
        block.lifted_by = by
        block.save(update_fields=["lifted_at", "lifted_by"])
        logger.warning(
            "block %s on client %s lifted by %s (%s)",
            block.pk, block.client_id, by.get_username(), by.role,
        )
    return block


def blocks_shown_to(user: User, client: Client) -> models.QuerySet:
    """The client's blocks as `user` may see them: never the ones that name
    the user (by name, team or role)."""
    named = Block.objects.filter(client=client).applying_to(user).values("pk")
    return (
        Block.objects.filter(client=client).exclude(pk__in=named)
        .select_related("user", "team", "district", "item_type", "created_by", "lifted_by")
    )


def read_blocks(
    user: User, client_id: object, *, request: HttpRequest | None = None
) -> tuple[Client, list[Block]]:
    """The blocks page's read: the client (404 unless visible) and the blocks
    the user may see; the read is written to the access log."""
    from tillit.access.scopes import visible_client_or_404

    client = visible_client_or_404(user, client_id)
    if not rules.test_rule("access.manage_client_blocks", user, client):
        raise PermissionDenied
    shown = list(blocks_shown_to(user, client))
    record_access(actor=user, clients=[client], what=What.RECORD, interface=Interface.PAGE,
                  request=request)
    return client, shown


@transaction.atomic
def do_break_glass(
    *, user: User, client: Client, reason: str, interface: str = Interface.PAGE,
    request: HttpRequest | None = None,
) -> BreakGlass:
    """Self-authorised emergency access: time-limited, logged, and put on
    the district manager's follow-up list."""
    if not rules.test_rule("access.break_glass_client", user, client):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Describe the emergency (at least 10 characters).")})
    started = now()
    grant = BreakGlass.objects.create(
        user=user, client=client, district_id=client.district_id, reason=reason,
        started_at=started, expires_at=started + break_glass_duration(),
    )
    record_access(
        actor=user, clients=[client], what=What.BREAK_GLASS, interface=interface, request=request
    )
    return grant


def read_follow_up_list(
    user: User, *, request: HttpRequest | None = None
) -> list[tuple[BreakGlass, bool]]:
    """The district manager's follow-up list: (grant, whether the client may
    be named). A client whose whole record is blocked for the manager (or
    otherwise out of sight) is not named; the clients named are written to
    the access log."""
    from tillit.access.scopes import visible_clients

    if not rules.test_rule("access.follow_up_break_glass", user):
        raise PermissionDenied
    grants = list(
        BreakGlass.objects.filter(district_id=user.district_id)
        .awaiting_follow_up()
        .select_related("user", "client")
    )
    visible = set(
        visible_clients(user).filter(pk__in=[g.client_id for g in grants])
        .values_list("pk", flat=True)
    )
    if visible:
        record_access(actor=user, clients=visible, what=What.LIST, interface=Interface.PAGE,
                      request=request)
    return [(grant, grant.client_id in visible) for grant in grants]


@transaction.atomic
def do_follow_up_break_glass(*, by: User, grant: BreakGlass, note: str = "") -> BreakGlass:
    if not (rules.test_rule("access.follow_up_break_glass", by) and by.district_id == grant.district_id):
        raise PermissionDenied
    if grant.followed_up_at is None:
        grant.followed_up_at = now()
        grant.followed_up_by = by
        grant.follow_up_note = note.strip()
        grant.save(update_fields=["followed_up_at", "followed_up_by", "follow_up_note"])
    return grant
