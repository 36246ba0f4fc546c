"""Writing and checking the read audit.

Call `record_access` after every successful read of person-level data,
in the view or API operation that showed it:

    record_access(actor=request.user, clients=[client], what=What.RECORD,
                  interface=Interface.PAGE, request=request)

`clients` may be Client objects or ids; a list view passes every client it
showed (the rows are bulk-inserted). Device time is the time the caller's
device stated (e.g. a phone that synchronises later): pass it, or let the
request's `X-Device-Time` header (ISO 8601 with offset) give it; server time
is ours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from tillit.accounts.models import User
    from tillit.clients.models import Client

from tillit.audit.models import AccessOperation, AccessRecord, ChainHead, Interface, What
from tillit.core import dates

GENESIS = "0" * 64
HEAD_ID = 1


def now() -> dt.datetime:
    return timezone.now()


def _client_ids(clients: Iterable[object]) -> list[int]:
    ids = {int(getattr(c, "pk", c)) for c in clients}  # type: ignore[arg-type]
    return sorted(ids)


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


class UnknownKey(LookupError):
    """A row names a key that is not configured (TILLIT_AUDIT_KEYS)."""


def current_key_id() -> str:
    return str(settings.TILLIT_AUDIT_KEY_ID)


def _key(key_id: str) -> bytes:
    keys: dict[str, str] = getattr(settings, "TILLIT_AUDIT_KEYS", {})
    if not key_id or key_id not in keys:
        raise UnknownKey(key_id)
    return keys[key_id].encode()


def content_hash(operation: AccessOperation, client_ids: list[int]) -> str:
    """HMAC-SHA256, with the key the row names (`key_id`), over the previous
    hash, the key id and the operation's own content: recomputing the chain
    needs the key, which is kept outside the database."""
    content = {
        "actor": operation.actor_id,
        "username": operation.actor_username,
        "name": operation.actor_name,
        "role": operation.actor_role,
        "district": operation.actor_district,
        "what": operation.what,
        "interface": operation.interface,
        "path": operation.path,
        "server_time": _iso(operation.server_time),
        "device_time": _iso(operation.device_time),
        "count": operation.client_count,
        "clients": client_ids,
    }
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    message = (operation.previous_hash + operation.key_id + payload).encode()
    return hmac.new(_key(operation.key_id), message, hashlib.sha256).hexdigest()


DEVICE_TIME_HEADER = "X-Device-Time"


def device_time_from(request: HttpRequest | None) -> dt.datetime | None:
    """The time the caller's device states in `X-Device-Time` (ISO 8601),
    e.g. a phone sending reads it made offline; None when absent or unreadable."""
    if request is None:
        return None
    try:
        return parse_device_time(request.headers.get(DEVICE_TIME_HEADER, ""))
    except ValueError:
        return None


def parse_device_time(value: str) -> dt.datetime | None:
    """`X-Device-Time` as a time with its offset, None when absent.
    ValueError when it is no ISO 8601 time with an offset, or lies outside
    the years 2000-2099 (year 1 with an offset overflows in UTC)."""
    value = value.strip()
    if not value:
        return None
    if len(value) > 40:
        raise ValueError("too long")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("no offset")
    try:
        in_utc = parsed.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("out of range") from None
    if not dates.is_sensible(in_utc):
        raise ValueError("out of range")
    return parsed


def record_access(
    *,
    actor: User,
    clients: Iterable[object],
    what: str,
    interface: str,
    request: HttpRequest | None = None,
    device_time: dt.datetime | None = None,
) -> AccessOperation:
    """Append one operation and one record per client to the access log."""
    if what not in What.values:
        raise ValueError(f"unknown kind of read: {what!r}")
    if interface not in Interface.values:
        raise ValueError(f"unknown interface: {interface!r}")
    ids = _client_ids(clients)
    if device_time is None:
        device_time = device_time_from(request)
    if device_time is not None and timezone.is_naive(device_time):
        device_time = timezone.make_aware(device_time, dt.UTC)
    district = getattr(actor, "district", None)
    with transaction.atomic():
        # Take the write lock first (an UPDATE locks on PostgreSQL and SQLite
        # alike), then read the head: two writers can never chain onto the
        # same predecessor.
        if not ChainHead.objects.filter(pk=HEAD_ID).update(length=F("length") + 1):
            ChainHead.objects.create(pk=HEAD_ID, last_hash=GENESIS, length=1)  # the first read
        head = ChainHead.objects.get(pk=HEAD_ID)
        stamp = now()
        operation = AccessOperation(
            actor=actor,
            actor_username=actor.get_username(),
            actor_name=actor.get_full_name(),
            actor_role=getattr(actor, "role", "") or "",
            actor_district=district.slug if district is not None else "",
            what=what,
            interface=interface,
            path=(request.path[:300] if request is not None else ""),
            server_time=stamp,
            device_time=device_time,
            client_count=len(ids),
            previous_hash=head.last_hash,
            key_id=current_key_id(),
        )
        operation.content_hash = content_hash(operation, ids)
        operation.save()
        AccessRecord.objects.bulk_create(
            [AccessRecord(operation=operation, client_id=i, server_time=stamp) for i in ids],
            batch_size=1000,
        )
        ChainHead.objects.filter(pk=HEAD_ID).update(last_hash=operation.content_hash)
    return operation


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


def verify_chain(*, chunk_size: int = 2000) -> ChainVerification:
    """Recompute every operation's HMAC in order, each with the key its row
    names; the first mismatch, a broken link, a key not configured or a
    missing tail names the tampered operation."""
    previous = GENESIS
    checked = 0
    last_id = 0
    while True:
        batch = list(AccessOperation.objects.filter(id__gt=last_id).order_by("id")[:chunk_size])
        if not batch:
            break
        records: dict[int, list[int]] = {}
        for op_id, client_id in (
            AccessRecord.objects.filter(operation_id__in=[op.id for op in batch])
            .order_by()
            .values_list("operation_id", "client_id")
        ):
            records.setdefault(op_id, []).append(client_id)
        for op in batch:
            ids = sorted(records.get(op.id, []))
            if op.previous_hash != previous:
                return ChainVerification(False, checked, op.id, "broken link")
            try:
                expected = content_hash(op, ids)
            except UnknownKey:
                return ChainVerification(False, checked, op.id, f"unknown key {op.key_id!r}")
            if len(ids) != op.client_count or not hmac.compare_digest(expected, op.content_hash):
                return ChainVerification(False, checked, op.id, "content changed")
            previous = op.content_hash
            checked += 1
            last_id = op.id
    head = ChainHead.objects.filter(pk=HEAD_ID).first()
    if head is not None and (head.last_hash != previous or head.length != checked):
        return ChainVerification(False, checked, None, "operations missing at the end")
    if head is None and checked:
        return ChainVerification(False, checked, None, "chain head missing")
    return ChainVerification(True, checked)


def access_log_for(client: Client | int) -> list[AccessOperation]:
    """The reads of one client's data, newest first (for the right to know)."""
    return list(
        AccessOperation.objects.filter(records__client_id=getattr(client, "pk", client))
        .distinct()
        .order_by("-server_time", "-id")
    )


def read_access_log(
    user, client_id: int, *, what: str, interface: str, request: HttpRequest | None = None
) -> tuple[Client, list[AccessOperation]]:
    """A client's access log as `user` may see it (404 otherwise). Reading the
    log is itself a read of the client's data, and is logged as such."""
    from tillit.access.scopes import visible_client_or_404

    client = visible_client_or_404(user, client_id)
    operations = access_log_for(client)
    record_access(actor=user, clients=[client], what=what, interface=interface, request=request)
    return client, operations
