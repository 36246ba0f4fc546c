"""Who sees which client: roles, districts, 404 for "not yours"."""

from __future__ import annotations

import pytest

from tillit.access.scopes import set_carer_clients, visible_clients
from tillit.clients.models import Client

pytestmark = pytest.mark.django_db


def test_scopes_by_role(personas, make_client) -> None:
    sagene = make_client("sagene")
    alna = make_client("alna")
    no_team = make_client("sagene", team=None)

    def seen(username: str) -> set[int]:
        return set(visible_clients(personas[username]).values_list("pk", flat=True))

    assert seen("saksbehandler") == {sagene.pk, alna.pk, no_team.pk}
    assert seen("saksbehandler.sagene") == {sagene.pk, no_team.pk}
    assert seen("leder.sagene") == {sagene.pk, no_team.pk}
    assert seen("planlegger.sagene") == {sagene.pk}  # the district's teams' clients
    assert seen("pleier.alna.1") == set()  # no day lists before planning
    assert seen("analytiker") == set()
    assert seen("admin") == set()
    # The queryset method is the same logic.
    assert set(Client.objects.visible_to(personas["leder.sagene"]).values_list("pk", flat=True)) \
        == {sagene.pk, no_team.pk}


def test_carer_scope_is_pluggable(personas, make_client, settings) -> None:
    alna = make_client("alna")
    make_client("alna")
    calls = []

    def on_day_lists(user, start, end):
        calls.append((user.username, end - start))
        return Client.objects.filter(pk=alna.pk)

    settings.TILLIT_CARER_ACCESS_MARGIN_HOURS = 3
    previous = set_carer_clients(on_day_lists)
    try:
        assert list(visible_clients(personas["pleier.alna.1"])) == [alna]
    finally:
        set_carer_clients(previous)
    assert calls[0][0] == "pleier.alna.1"
    assert calls[0][1].total_seconds() == 6 * 3600


def test_lists_and_single_objects_agree(personas, make_client) -> None:
    """For every persona and client: the record opens exactly when the
    client is in the persona's list, in pages and in the API."""
    from django.test import Client as HttpClient

    from tillit.access import services

    clients = [make_client(slug) for slug in ("sagene", "sagene", "alna", "frogner")]
    clients.append(make_client("sagene", team=None))
    services.do_block(by=personas["leder.sagene"], client=clients[1],
                      user=personas["planlegger.sagene"])
    for username, user in personas.items():
        http = HttpClient()
        http.force_login(user)
        listed = http.get("/api/v1/clients?limit=1000")
        ids = {c["id"] for c in listed.json()["items"]} if listed.status_code == 200 else set()
        for client in clients:
            page = http.get(f"/brukere/{client.pk}/").status_code
            api = http.get(f"/api/v1/clients/{client.pk}").status_code
            if client.pk in ids:
                assert page == api == 200, (username, client.pk)
            else:
                assert page in {403, 404} and api in {403, 404}, (username, client.pk)
