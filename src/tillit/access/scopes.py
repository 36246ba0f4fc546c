"""Who may see which person-level rows: the one place that answers it.

`visible_clients(user)` is the queryset of clients a user may see right now:
the role's scope, plus the user's active emergency accesses, minus every
client whose whole record is blocked against the user. Everything
person-level filters on it: `visible_items(user, queryset)` keeps the rows
whose client is visible and drops items blocked against the user (one item,
or every item of that kind, including items written later).

Scopes by role (design.md, api-contract.md):

- case handler: the district's clients (district purchaser office), or every
  client (the central office: no district);
- district manager: every client of the district;
- planner / team leader: the clients of the district's teams;
- home care worker: the clients on the worker's own day lists within the
  shift ± `TILLIT_CARER_ACCESS_MARGIN_HOURS`. Day lists come with planning;
  the query is pluggable (`set_carer_clients`) and until planning registers
  its own, carers see no client except through emergency access;
- system administrator and analyst: no client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

if TYPE_CHECKING:
    from tillit.clients.models import Client

from tillit.accounts.models import Role, User

MAX_ID = 2**63 - 1
CarerClients = Callable[[User, dt.datetime, dt.datetime], QuerySet]


def no_day_lists(user: User, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """Carer scope before planning exists: no day lists, so no clients."""
    from tillit.clients.models import Client

    return Client.objects.none()


_carer_clients: CarerClients = no_day_lists


def set_carer_clients(query: CarerClients) -> CarerClients:
    """Planning registers "the clients on this carer's day lists with a visit
    between start and end" here (in its AppConfig.ready). Returns the
    previous query, so tests can restore it."""
    global _carer_clients
    previous, _carer_clients = _carer_clients, query
    return previous


def carer_margin() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "TILLIT_CARER_ACCESS_MARGIN_HOURS", 2)))


def _scope(user: User, at: dt.datetime) -> Q | None:
    """The role's scope as a filter on Client; None when it sees no client."""
    role = user.role
    if role == Role.CASE_HANDLER:
        return Q(pk__isnull=False) if user.district_id is None else Q(district_id=user.district_id)
    if role == Role.DISTRICT_MANAGER and user.district_id:
        return Q(district_id=user.district_id)
    if role == Role.PLANNER and user.district_id:
        return Q(team__district_id=user.district_id)
    if role == Role.CARER and user.district_id:
        margin = carer_margin()
        ids = _carer_clients(user, at - margin, at + margin).values("pk")
        return Q(pk__in=ids)
    return None


def has_person_scope(user: User) -> bool:
    """Whether the role reads person-level data at all (the analyst and the
    system administrator never do)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in {Role.CASE_HANDLER, Role.DISTRICT_MANAGER, Role.PLANNER, Role.CARER}
    )


def visible_clients(user: User, at: dt.datetime | None = None) -> QuerySet:
    """The clients this user may see at `at` (default now)."""
    from tillit.access.models import Block, BreakGlass
    from tillit.clients.models import Client

    if not has_person_scope(user):
        return Client.objects.none()
    at = at or timezone.now()
    scope = _scope(user, at)
    granted = BreakGlass.objects.active(at).filter(user_id=user.pk).values("client_id")
    condition = Q(pk__in=granted) if scope is None else scope | Q(pk__in=granted)
    blocked = (
        Block.objects.active(at).applying_to(user).filter(item_type__isnull=True)
        .values("client_id")
    )
    return Client.objects.filter(condition).exclude(pk__in=blocked)


def visible_items(
    user: User, queryset: QuerySet, *, client_field: str = "client", at: dt.datetime | None = None
) -> QuerySet:
    """Rows of a person-level model (one with a path to Client in
    `client_field`) that the user may see.

    An object reached through another obeys that object's blocks too: a
    reassessment (`decision__client`) is hidden when its decision is
    blocked, a visit when its decision is, an application event when its
    application is."""
    from tillit.access.models import Block

    at = at or timezone.now()
    queryset = queryset.filter(**{f"{client_field}__in": visible_clients(user, at).values("pk")})
    blocks = Block.objects.active(at).applying_to(user)
    for id_path, model in [("pk", queryset.model), *parent_hops(queryset.model, client_field)]:
        item_type = ContentType.objects.get_for_model(model)
        of_kind = blocks.filter(item_type=item_type)
        queryset = queryset.exclude(
            **{f"{client_field}__in": of_kind.filter(item_id__isnull=True).values("client_id")}
        ).exclude(**{f"{id_path}__in": of_kind.filter(item_id__isnull=False).values("item_id")})
    return queryset


def parent_hops(model: type[Model], client_field: str) -> list[tuple[str, type[Model]]]:
    """(path, model) of every object between `model` and its client along
    `client_field`: for a reassessment (`decision__client`), its decision."""
    hops: list[tuple[str, type[Model]]] = []
    current = model
    parts = client_field.split("__")[:-1]
    for depth, name in enumerate(parts, start=1):
        current = current._meta.get_field(name).related_model
        hops.append(("__".join(parts[:depth]), current))
    return hops


def get_visible_or_404(user: User, queryset: QuerySet, **lookup: object) -> Model:
    """One object by the same logic as lists: "not there" and "not yours"
    are the same 404."""
    from tillit.clients.models import Client

    if any(isinstance(v, int) and not 0 <= v <= MAX_ID for v in lookup.values()):
        raise Http404("Not found.")  # beyond any database id: not there
    if queryset.model is Client:
        visible = queryset.filter(pk__in=visible_clients(user).values("pk"))
    else:
        client_field = getattr(queryset, "client_field", "client")
        visible = visible_items(user, queryset, client_field=client_field)
    obj = visible.filter(**lookup).first()
    if obj is None:
        raise Http404("Not found.")
    return obj


def visible_client_or_404(user: User, client_id: object) -> Client:
    from tillit.clients.models import Client

    try:
        pk = int(client_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    return get_visible_or_404(user, Client.objects.all(), pk=pk)
