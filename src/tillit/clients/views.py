"""Client pages: the scoped, searchable list and the client record."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.policy import policy
from tillit.audit.models import Interface
from tillit.clients.forms import RegisterClientForm
from tillit.clients.services import (
    ContactSpec,
    do_register_client,
    read_client_list,
    read_client_record,
)
from tillit.core import fnr
from tillit.organisation.models import District

PAGE_SIZE = 50


def national_id_query(query: str) -> str | None:
    """The query as an 11-digit number, if that is what it is."""
    digits = query.replace(" ", "")
    return digits if digits.isdigit() and len(digits) == 11 else None


def search_filter(query: str) -> Q:
    """A full national identity number finds that person; "Family, Given"
    (as lists show names) matches family and given name; otherwise every
    word must match a given or family name."""
    number = national_id_query(query)
    if number is not None:
        return Q(national_id=number)
    if "," in query:
        family, given = (part.strip() for part in query.split(",", 1))
        condition = Q(family_name__icontains=family) if family else Q()
        for word in given.split()[:3]:
            condition &= Q(given_name__icontains=word)
        return condition
    condition = Q()
    for word in query.split()[:5]:
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return condition


@policy("access.list_clients")
def client_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    search_error = ""
    number = national_id_query(query)
    search = search_filter(query) if query else Q()
    if number is not None and not fnr.is_valid(number):
        search_error = _("%(number)s is not a valid national identity number: check the "
                         "digits.") % {"number": number}
        search = Q(pk__in=[])
    listed = read_client_list(request.user, request, search=search, per_page=PAGE_SIZE)
    keep = [(k, request.GET[k]) for k in ("q", "sortering") if request.GET.get(k)]
    return render(request, "clients/list.html", {
        "table": listed.table, "filter": listed.filter, "keep": keep, "q": query,
        "search_error": search_error,
        "may_register": rules.test_rule("clients.register", request.user),
    })


@policy("clients.register")
def client_new(request: HttpRequest) -> HttpResponse:
    """Register a new person: name, number, address, district (chosen or from
    the coordinates), provider and a contact person."""
    user = request.user
    districts = District.objects.order_by("number")
    if user.district_id is not None:
        districts = districts.filter(pk=user.district_id)
    form = RegisterClientForm(request.POST or None, districts=districts,
                              initial={"district": user.district_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contacts = [ContactSpec(name=data["contact_name"], relation=data["contact_relation"],
                                phone=data["contact_phone"],
                                is_next_of_kin=data["contact_next_of_kin"])
                    ] if data["contact_name"] else []
        try:
            client = do_register_client(
                actor=user, given_name=data["given_name"], family_name=data["family_name"],
                national_id=data["national_id"], address=data["address"],
                postal_code=data["postal_code"], latitude=data["latitude"],
                longitude=data["longitude"], district=data["district"],
                provider=data["provider"], contacts=contacts)
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": client})
            return redirect("clients:detail", client_id=client.pk)
    return render(request, "clients/new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


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
            "loans": record.loans,
            "inquiries": record.inquiries,
            "may_see_access_log": rules.test_rule("access.view_client_access_log", user, client),
            "may_see_cases": rules.test_rule("decisions.read", user)
            and rules.test_rule("access.view_client", user, client),
            "may_manage_blocks": rules.test_rule("access.manage_client_blocks", user, client),
        },
    )
