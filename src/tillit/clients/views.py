"""Client pages: the scoped, searchable list and the client record."""

from __future__ import annotations

import rules
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tillit.access.policy import policy
from tillit.access.scopes import visible_clients
from tillit.audit.models import Interface, What
from tillit.audit.services import record_access
from tillit.clients.services import read_client_record

PAGE_SIZE = 50


def search_filter(query: str) -> Q:
    """Every word must match a given or family name."""
    condition = Q()
    for word in query.split()[:5]:
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return condition


@policy("access.list_clients")
def client_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    clients = visible_clients(request.user).select_related("district", "team")
    if query:
        clients = clients.filter(search_filter(query))
    page = Paginator(clients.order_by("family_name", "given_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    shown = list(page.object_list)
    if shown:
        record_access(
            actor=request.user, clients=shown, what=What.LIST, interface=Interface.PAGE,
            request=request,
        )
    return render(request, "clients/list.html", {"page": page, "clients": shown, "q": query})


@policy("access.list_clients", object_rule="access.view_client")
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    user = request.user
    record = read_client_record(user, client_id, interface=Interface.PAGE, request=request)
    client, contacts, primary = record.client, record.contacts, record.primary_contacts
    return render(
        request,
        "clients/detail.html",
        {
            "client": client,
            "contacts": contacts,
            "primary_contacts": primary,
            "may_see_access_log": rules.test_rule("access.view_client_access_log", user, client),
            "may_see_cases": rules.test_rule("decisions.read", user)
            and rules.test_rule("access.view_client", user, client),
            "may_manage_blocks": rules.test_rule("access.manage_client_blocks", user, client),
        },
    )
