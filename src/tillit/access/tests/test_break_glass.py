"""Emergency access: self-authorised with a reason, time-limited, logged,
and flagged on the district manager's follow-up list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient

from tillit.access import services
from tillit.access.models import BreakGlass
from tillit.access.scopes import visible_clients
from tillit.audit.models import AccessOperation, What

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_carer_breaks_the_glass_and_the_manager_follows_up(
    pleier_alna_1, make_user, make_client, monkeypatch
) -> None:
    leder_alna = make_user("leder.alna", "district_manager", "alna")
    client = make_client("alna", family_name="Nødsen")
    http = browser(pleier_alna_1)
    assert http.get(f"/brukere/{client.pk}/").status_code == 404

    response = http.post("/nodtilgang/", {
        "national_id": client.national_id, "reason": "Found on the floor, no day list yet",
    })
    assert response.status_code == 302
    assert http.get(f"/brukere/{client.pk}/").status_code == 200
    grant = BreakGlass.objects.get()
    assert grant.user == pleier_alna_1 and grant.followed_up_at is None
    logged = AccessOperation.objects.filter(actor=pleier_alna_1).values_list("what", flat=True)
    assert What.BREAK_GLASS in logged and What.RECORD in logged

    manager = browser(leder_alna)
    assert "Nødsen" in manager.get("/nodtilgang/oppfolging/").content.decode()
    manager.post(f"/nodtilgang/{grant.pk}/fulgt-opp/", {"note": "Talked to the carer"})
    grant.refresh_from_db()
    assert grant.followed_up_by == leder_alna
    assert "Nødsen" not in manager.get("/nodtilgang/oppfolging/").content.decode()

    # Time-limited.
    later = grant.expires_at + dt.timedelta(seconds=1)
    assert client not in visible_clients(pleier_alna_1, later)


def test_who_may_break_the_glass(pleier_alna_1, analytiker, planlegger_sagene,
                                 make_client) -> None:
    sagene = make_client("sagene")
    with pytest.raises(PermissionDenied):  # another district
        services.do_break_glass(user=pleier_alna_1, client=sagene, reason="Emergency here")
    with pytest.raises(PermissionDenied):  # analysts never
        services.do_break_glass(user=analytiker, client=sagene, reason="Emergency here")
    with pytest.raises(ValidationError):
        services.do_break_glass(user=planlegger_sagene, client=sagene, reason="x")
    assert browser(analytiker).get("/nodtilgang/").status_code == 403


def test_break_glass_does_not_lift_a_block(pleier_alna_1, make_user, make_client) -> None:
    leder_alna = make_user("leder.alna", "district_manager", "alna")
    client = make_client("alna")
    services.do_block(by=leder_alna, client=client, user=pleier_alna_1)
    services.do_break_glass(user=pleier_alna_1, client=client, reason="Emergency at the door")
    assert client not in visible_clients(pleier_alna_1)


def test_break_glass_through_the_api(pleier_alna_1, make_client) -> None:
    client = make_client("alna")
    sagene = make_client("sagene")
    http = browser(pleier_alna_1)
    url = f"/api/v1/clients/{client.pk}/break-glass"
    assert http.get(f"/api/v1/clients/{client.pk}").status_code == 404
    short = http.post(url, {"reason": "now"}, content_type="application/json")
    assert short.status_code == 422 and "reason" in short.json()["errors"]
    other = http.post(f"/api/v1/clients/{sagene.pk}/break-glass",
                      {"reason": "Emergency on the stairs"}, content_type="application/json")
    missing = http.post("/api/v1/clients/999999/break-glass",
                        {"reason": "Emergency on the stairs"}, content_type="application/json")
    assert other.status_code == missing.status_code == 404
    granted = http.post(url, {"reason": "Emergency on the stairs"},
                        content_type="application/json")
    assert granted.status_code == 201 and granted.json()["client"] == client.pk
    assert http.get(f"/api/v1/clients/{client.pk}").status_code == 200
    assert AccessOperation.objects.filter(what=What.BREAK_GLASS, interface="api").exists()


def test_follow_up_list_names_no_blocked_client_and_logs_the_read(
    pleier_alna_1, make_user, make_client
) -> None:
    """Issue #10, findings 4 and 5."""
    leder_alna = make_user("leder.alna", "district_manager", "alna")
    other_manager = make_user("leder2.alna", "district_manager", "alna")
    shown = make_client("alna", family_name="Synligsen")
    hidden = make_client("alna", family_name="Skjultsen")
    for client in (shown, hidden):
        services.do_break_glass(user=pleier_alna_1, client=client,
                                reason="Found on the floor, no day list yet")
    from tillit.access.models import Block

    Block.objects.create(client=hidden, user=leder_alna, created_by=other_manager,
                         reason="Manager is a neighbour")
    before = set(AccessOperation.objects.filter(actor=leder_alna).values_list("pk", flat=True))
    page = browser(leder_alna).get("/nodtilgang/oppfolging/").content.decode()
    assert "Synligsen" in page and "Skjultsen" not in page
    assert page.count("/fulgt-opp/") == 2  # the grant still waits for follow-up
    logged = AccessOperation.objects.filter(actor=leder_alna).exclude(pk__in=before)
    assert logged.count() == 1
    operation = logged.get()
    assert list(operation.records.values_list("client_id", flat=True)) == [shown.pk]
