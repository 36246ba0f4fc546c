"""`/api/v1/clients`: the caller's clients, scoped by the access policy and
logged as reads."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tillit.access.policy import policy
from tillit.access.scopes import visible_clients
from tillit.api.errors import ERRORS, error_body
from tillit.audit.models import Interface, What
from tillit.audit.services import record_access
from tillit.clients.services import read_client_record
from tillit.organisation.models import District
from tillit.web.input_errors import INVALID_VALUES

router = Router(tags=["clients"])


class ClientListItem(Schema):
    id: int
    name: str
    district: str


class ClientList(Schema):
    items: list[ClientListItem]


class ContactPersonOut(Schema):
    name: str
    relation: str
    phone: str
    is_next_of_kin: bool


class ClientOut(Schema):
    id: int
    name: str
    given_name: str
    family_name: str
    national_id_masked: str
    birth_date: dt.date
    address: str
    postal_code: str
    district: str
    team: str | None
    provider: str
    key_information: str
    pets: str
    language: str
    interpreter_needed: bool
    practical_notes: str
    primary_contacts: list[str]
    contact_persons: list[ContactPersonOut]


class ClientFilter(Schema):
    district: str | None = Field(None, max_length=50, description="District slug, e.g. sagene")
    limit: int = Field(100, ge=1, le=1000)
    q: str | None = Field(None, max_length=100, description="Part of a name")




@router.get("/clients", response={200: ClientList, **ERRORS})
@policy("access.list_clients")
def list_clients(request: HttpRequest, filters: Query[ClientFilter]):
    clients = visible_clients(request.user).select_related("district")
    if filters.district:
        if not District.objects.filter(slug=filters.district).exists():
            return Status(422, error_body(
                str(INVALID_VALUES), {"district": ["Ukjent bydel."]}
            ))
        clients = clients.filter(district__slug=filters.district)
    if filters.q:
        from tillit.clients.views import search_filter

        clients = clients.filter(search_filter(filters.q))
    shown = list(clients.order_by("family_name", "given_name", "pk")[: filters.limit])
    if shown:
        record_access(
            actor=request.user, clients=shown, what=What.LIST, interface=Interface.API,
            request=request,
        )
    return Status(200, {
        "items": [{"id": c.pk, "name": c.full_name, "district": c.district.slug} for c in shown]
    })


@router.get("/clients/{client_id}", response={200: ClientOut, **ERRORS})
@policy("access.list_clients", object_rule="access.view_client")
def get_client(request: HttpRequest, client_id: int):
    user = request.user
    record = read_client_record(user, client_id, interface=Interface.API, request=request)
    client, contacts, primary = record.client, record.contacts, record.primary_contacts
    return Status(200, {
        "id": client.pk,
        "name": client.full_name,
        "given_name": client.given_name,
        "family_name": client.family_name,
        "national_id_masked": client.masked_national_id,
        "birth_date": client.birth_date,
        "address": client.address,
        "postal_code": client.postal_code,
        "district": client.district.slug,
        "team": client.team.name if client.team_id else None,
        "provider": client.provider.name,
        "key_information": client.key_information,
        "pets": client.pets,
        "language": client.language,
        "interpreter_needed": client.interpreter_needed,
        "practical_notes": client.practical_notes,
        "primary_contacts": [link.employee.full_name for link in primary],
        "contact_persons": [
            {"name": c.name, "relation": c.relation, "phone": c.phone,
             "is_next_of_kin": c.is_next_of_kin}
            for c in contacts
        ],
    })
