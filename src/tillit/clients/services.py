"""Domain operations on client records. Reading a record is an operation too:
it is scoped by the access policy and written to the access log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.access.scopes import visible_client_or_404, visible_items
from tillit.audit.models import What
from tillit.audit.services import record_access
from tillit.clients.models import Client, ContactPerson, PrimaryContact
from tillit.core import districts
from tillit.organisation.models import District, Provider

# How many of the client's device loans and inquiries the record lists; the
# devices page and the inquiry list hold the rest.
RELATED_SHOWN = 10


@dataclass(frozen=True)
class ClientRecord:
    client: Client
    contacts: QuerySet[ContactPerson]
    primary_contacts: QuerySet[PrimaryContact]
    # None: the user may not see that kind of data at all (no section shown).
    loans: list[Any] | None = None
    inquiries: list[Any] | None = None


def _loans(user, client: Client) -> list[Any] | None:
    from tillit.devices.models import Loan

    if not rules.test_rule("devices.client", user):
        return None
    return list(Loan.objects.visible_to(user).filter(client=client)
                .select_related("device__device_type")
                .order_by(F("returned_on").desc(nulls_first=True), "-lent_on", "-pk")
                [:RELATED_SHOWN])


def _inquiries(user, client: Client) -> list[Any] | None:
    from tillit.inquiries.models import Inquiry

    if not rules.test_rule("inquiries.read", user):
        return None
    rows = list(Inquiry.objects.visible_to(user).filter(client=client)
                .order_by("-received_on", "-pk")[:RELATED_SHOWN])
    today = timezone.localdate()
    for inquiry in rows:
        inquiry.overdue_now = inquiry.is_overdue(today)  # type: ignore[attr-defined]
    return rows


def read_client_record(user, client_id: int, *, interface: str, request: HttpRequest) -> ClientRecord:
    """The client's record as `user` may see it (404 otherwise), with blocked
    items left out: contacts, primary contacts, and the client's device loans
    and inquiries when the user's role may see those. One logged read covers
    all of it."""
    client = visible_client_or_404(user, client_id)
    contacts = visible_items(user, ContactPerson.objects.filter(client=client))
    primary = visible_items(
        user, PrimaryContact.objects.filter(client=client).select_related("employee")
    )
    loans, inquiries = _loans(user, client), _inquiries(user, client)
    record_access(actor=user, clients=[client], what=What.RECORD, interface=interface,
                  request=request)
    return ClientRecord(client=client, contacts=contacts, primary_contacts=primary,
                        loans=loans, inquiries=inquiries)


@dataclass(frozen=True)
class ClientList:
    filter: Any
    table: Any


def read_client_list(user, request: HttpRequest, *, search: Any, per_page: int = 50,
                     interface: str = "page") -> ClientList:
    """One page of the clients `user` may see, narrowed by `search` (a Q)
    and the list's filters, sorted as asked; the clients on the page shown
    are logged."""
    import django_tables2 as tables

    from tillit.access.scopes import visible_clients
    from tillit.clients.lists import ClientFilter, ClientTable

    rows = visible_clients(user).select_related("district", "team").filter(search)
    found = ClientFilter(request.GET, queryset=rows, request=request)
    table = ClientTable(found.qs.order_by("family_name", "given_name", "pk"))
    tables.RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    shown = [row.record for row in table.page.object_list]
    if shown:
        record_access(actor=user, clients=shown, what=What.LIST, interface=interface,
                      request=request)
    return ClientList(filter=found, table=table)


@dataclass(frozen=True)
class ContactSpec:
    name: str
    relation: str
    phone: str = ""
    is_next_of_kin: bool = False


@transaction.atomic
def do_register_client(
    *, actor: Any, given_name: str, family_name: str, national_id: str, address: str,
    provider: Provider, postal_code: str = "", latitude: float | None = None,
    longitude: float | None = None, district: District | None = None,
    contacts: list[ContactSpec] | None = None,
) -> Client:
    """Register a new person. The district follows from the coordinates; when
    they are not known, the chosen district places the person inside it. A
    district case handler registers people in their own district only."""
    errors: dict[str, list[str]] = {}
    if latitude is None or longitude is None:
        if district is None:
            raise ValidationError({"district": [_(
                "Choose the district, or give the coordinates.")]})
        latitude, longitude = districts.inside_point(district.slug)
    else:
        slug = districts.district_at(latitude, longitude)
        if district is not None and slug is not None and slug != district.slug:
            errors["district"] = [_(
                "The coordinates lie in another district than the one chosen.")]
    client = Client(given_name=given_name.strip(), family_name=family_name.strip(),
                    national_id=national_id, address=address.strip(),
                    postal_code=postal_code.strip(), latitude=latitude, longitude=longitude,
                    provider=provider)
    try:
        client.full_clean(exclude=["birth_date"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if client.district_id and getattr(actor, "district_id", None) not in {
        None, client.district_id
    }:
        errors.setdefault("district", []).append(_(
            "You register people in your own district only."))
    if client.district_id and not provider.districts.filter(pk=client.district_id).exists():
        errors.setdefault("provider", []).append(_(
            "This provider does not serve the client's district."))
    if errors:
        raise ValidationError(errors)
    client.save()
    for spec in contacts or []:
        contact = ContactPerson(client=client, name=spec.name.strip(),
                                relation=spec.relation.strip(), phone=spec.phone.strip(),
                                is_next_of_kin=spec.is_next_of_kin)
        try:
            contact.full_clean()
        except ValidationError as exc:
            raise ValidationError({f"contact_{f}": m for f, m in exc.message_dict.items()
                                   }) from exc
        contact.save()
    return client
