"""Blocking (sperring): blocked data never reaches the excluded people, in
pages, the API, lists and search; it also covers items written later, and
ends when lifted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from django.utils import timezone

from tillit.access import services
from tillit.access.scopes import visible_clients
from tillit.accounts.models import Role
from tillit.clients.models import ContactPerson

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_whole_record_block_hides_the_client_everywhere(
    leder_sagene, planlegger_sagene, make_client
) -> None:
    client = make_client("sagene", given_name="Sigrid", family_name="Sperret")
    other = make_client("sagene", given_name="Olav", family_name="Open")
    services.do_block(by=leder_sagene, client=client, user=planlegger_sagene,
                      reason="The client knows the planner privately.")
    http = browser(planlegger_sagene)

    assert http.get(f"/brukere/{client.pk}/").status_code == 404
    page = http.get("/brukere/", {"q": "Sigrid"}).content.decode()
    assert "Sperret" not in page and f"/brukere/{client.pk}/" not in page
    assert "Open" in http.get("/brukere/").content.decode()
    assert http.get(f"/api/v1/clients/{client.pk}").status_code == 404
    ids = [c["id"] for c in http.get("/api/v1/clients").json()["items"]]
    assert other.pk in ids and client.pk not in ids
    # Others still see it; the same 404 as for a record that does not exist.
    assert browser(leder_sagene).get(f"/brukere/{client.pk}/").status_code == 200
    assert http.get("/brukere/999999/").status_code == 404


def test_block_against_a_team_and_a_role(leder_sagene, planlegger_sagene, saksbehandler,
                                         saksbehandler_sagene, make_client) -> None:
    client = make_client("sagene")
    team = planlegger_sagene.employee.team
    services.do_block(by=leder_sagene, client=client, team=team)
    assert client not in visible_clients(planlegger_sagene)
    services.do_block(by=leder_sagene, client=client, role=Role.CASE_HANDLER,
                      district=leder_sagene.district)
    assert client not in visible_clients(saksbehandler_sagene)
    assert client in visible_clients(saksbehandler)  # the central office is not named


def test_items_of_a_kind_blocked_including_later_ones(leder_sagene, planlegger_sagene,
                                                       make_client) -> None:
    client = make_client("sagene")
    ContactPerson.objects.create(client=client, name="Ola Før", relation="son")
    services.do_block(by=leder_sagene, client=client, user=planlegger_sagene,
                      item_model=ContactPerson)
    ContactPerson.objects.create(client=client, name="Eva Etter", relation="daughter")
    http = browser(planlegger_sagene)
    page = http.get(f"/brukere/{client.pk}/").content.decode()
    assert "Ola Før" not in page and "Eva Etter" not in page
    api = http.get(f"/api/v1/clients/{client.pk}").json()
    assert api["contact_persons"] == []
    assert ContactPerson.objects.visible_to(planlegger_sagene).count() == 0
    assert ContactPerson.objects.visible_to(leder_sagene).count() == 2


def test_single_item_block_and_lifting(leder_sagene, planlegger_sagene, make_client) -> None:
    client = make_client("sagene")
    hidden = ContactPerson.objects.create(client=client, name="Hemmelig Venn", relation="friend")
    ContactPerson.objects.create(client=client, name="Synlig Søster", relation="sister")
    block = services.do_block(by=leder_sagene, client=client, user=planlegger_sagene, item=hidden)
    http = browser(planlegger_sagene)
    page = http.get(f"/brukere/{client.pk}/").content.decode()
    assert "Hemmelig Venn" not in page and "Synlig Søster" in page
    services.do_lift_block(by=leder_sagene, block=block)
    assert "Hemmelig Venn" in http.get(f"/brukere/{client.pk}/").content.decode()


def test_block_validity_period(leder_sagene, planlegger_sagene, make_client) -> None:
    client = make_client("sagene")
    now = timezone.now()
    services.do_block(by=leder_sagene, client=client, user=planlegger_sagene,
                      valid_from=now + dt.timedelta(days=1), valid_to=now + dt.timedelta(days=2))
    assert client in visible_clients(planlegger_sagene)
    assert client not in visible_clients(planlegger_sagene, now + dt.timedelta(days=1, hours=1))
    assert client in visible_clients(planlegger_sagene, now + dt.timedelta(days=3))


def test_only_the_clients_handlers_register_blocks(planlegger_sagene, leder_sagene,
                                                   make_client) -> None:
    client = make_client("alna")
    with pytest.raises(PermissionDenied):
        services.do_block(by=planlegger_sagene, client=make_client("sagene"), role=Role.CARER)
    with pytest.raises(PermissionDenied):  # another district's client
        services.do_block(by=leder_sagene, client=client, role=Role.CARER)


def test_blocks_page(leder_sagene, planlegger_sagene, make_client) -> None:
    client = make_client("sagene")
    http = browser(leder_sagene)
    response = http.post(f"/brukere/{client.pk}/sperringer/",
                         {"user": planlegger_sagene.pk, "scope": "record", "reason": "Ønske"})
    assert response.status_code == 302
    assert client not in visible_clients(planlegger_sagene)
    block = client.blocks.get()
    http.post(f"/brukere/{client.pk}/sperringer/{block.pk}/opphev/")
    assert client in visible_clients(planlegger_sagene)
    assert browser(planlegger_sagene).get(f"/brukere/{client.pk}/sperringer/").status_code == 403


def test_the_target_of_a_block_never_sees_or_lifts_it(
    leder_sagene, saksbehandler_sagene, make_client, caplog
) -> None:
    """Finding 1 of issue #10: a block on a kind of item, aimed at a case
    handler, is invisible to that case handler and cannot be lifted by them."""
    from tillit.access.models import Block
    from tillit.audit.models import AccessOperation

    client = make_client("sagene")
    block = services.do_block(
        by=leder_sagene, client=client, user=saksbehandler_sagene, item_model=ContactPerson,
        reason="Hemmelig grunn for sperringen",
    )
    role_block = services.do_block(
        by=leder_sagene, client=client, role=Role.CASE_HANDLER, district=leder_sagene.district,
        item_model=ContactPerson, reason="Rollesperre-grunn",
    )
    http = browser(saksbehandler_sagene)
    page = http.get(f"/brukere/{client.pk}/sperringer/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Hemmelig grunn" not in text and "Rollesperre-grunn" not in text
    for target in (block, role_block):
        response = http.post(f"/brukere/{client.pk}/sperringer/{target.pk}/opphev/")
        assert response.status_code == 404
        with pytest.raises(PermissionDenied):
            services.do_lift_block(by=saksbehandler_sagene, block=target)
    assert not Block.objects.filter(lifted_at__isnull=False).exists()
    assert ContactPerson.objects.visible_to(saksbehandler_sagene).count() == 0

    # The manager sees both, the read of the page is logged, and lifting
    # is recorded on the block and in the security log.
    manager = browser(leder_sagene)
    before = AccessOperation.objects.filter(actor=leder_sagene).count()
    text = manager.get(f"/brukere/{client.pk}/sperringer/").content.decode()
    assert "Hemmelig grunn" in text and "Rollesperre-grunn" in text
    assert AccessOperation.objects.filter(actor=leder_sagene).count() == before + 1
    with caplog.at_level("WARNING", logger="tillit.security"):
        manager.post(f"/brukere/{client.pk}/sperringer/{block.pk}/opphev/")
    block.refresh_from_db()
    assert block.lifted_by == leder_sagene and block.lifted_at is not None
    assert any(f"block {block.pk}" in r.getMessage() and "leder.sagene" in r.getMessage()
               for r in caplog.records)
