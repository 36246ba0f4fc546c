"""Domain operations on client records. Reading a record is an operation too:
it is scoped by the access policy and written to the access log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from tillit.access.scopes import visible_client_or_404, visible_items
from tillit.audit.models import What
from tillit.audit.services import record_access
from tillit.clients.models import Client, ContactPerson, PrimaryContact


@dataclass(frozen=True)
class ClientRecord:
    client: Client
    contacts: QuerySet[ContactPerson]
    primary_contacts: QuerySet[PrimaryContact]


def read_client_record(user, client_id: int, *, interface: str, request: HttpRequest) -> ClientRecord:
    """The client's record as `user` may see it (404 otherwise), with blocked
    items left out; the read is logged."""
    client = visible_client_or_404(user, client_id)
    contacts = visible_items(user, ContactPerson.objects.filter(client=client))
    primary = visible_items(
        user, PrimaryContact.objects.filter(client=client).select_related("employee")
    )
    record_access(actor=user, clients=[client], what=What.RECORD, interface=interface,
                  request=request)
    return ClientRecord(client=client, contacts=contacts, primary_contacts=primary)
