"""Devices: a district team requests, the central device service lends from
stock (a medicine dispenser replacing a visit, shown on the client's devices
page), service intervals, returns; person-level scope and read logging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from tillit.audit.models import AccessRecord
from tillit.decisions import services as decisions
from tillit.decisions.models import ServiceType
from tillit.decisions.tests.conftest import visit
from tillit.devices import services
from tillit.devices.models import Category, Device, DeviceRequest, DeviceType


@pytest.fixture
def dispenser(db):
    kind = DeviceType.objects.create(code="dispenser", name="Medisindispenser",
                                     category=Category.MEDICINE_DISPENSER, welfare_technology=True,
                                     service_months=6, may_replace_visit=True)
    return Device.objects.create(device_type=kind, serial="MD-1", acquired_on=dt.date(2025, 1, 1))


@pytest.fixture
def walker(db):
    kind = DeviceType.objects.create(code="walker", name="Rullator", category=Category.WALKER)
    return Device.objects.create(device_type=kind, serial="RL-1", acquired_on=dt.date(2025, 1, 1))


@pytest.fixture
def client_with_visit(make_client):
    person = make_client("sagene")
    decision = decisions.do_decide(
        client=person, service_type=ServiceType.objects.get(code="home-nursing"),
        care_block="medium", provider=person.provider, valid_from=decisions.today(),
        visits=[visit(slot="midday", tasks="Medisiner")],
        justification="Trenger hjelp med medisiner midt på dagen.")
    return person, decision.visits.get()


def test_request_lend_and_the_replaced_visit(client, client_with_visit, dispenser,
                                            planlegger_sagene, saksbehandler):
    person, midday = client_with_visit
    req = services.do_request_device(user=planlegger_sagene, client=person,
                                     device_type=dispenser.device_type,
                                     reason="Klarer dispenser selv", replaces_visit=midday)
    loan = services.do_lend_device(user=saksbehandler, client=person, device=dispenser,
                                   request=req)
    req.refresh_from_db()
    dispenser.refresh_from_db()
    assert req.status == DeviceRequest.Status.DELIVERED and req.loan == loan
    assert dispenser.state == Device.State.ON_LOAN
    assert loan.replaces_visit == midday and loan.installed_on == services.today()
    assert loan.next_service_on == services.add_months(services.today(), 6)
    client.force_login(planlegger_sagene)
    before = AccessRecord.objects.filter(client_id=person.pk).count()
    page = client.get(reverse("devices:client", args=[person.pk])).content.decode()
    assert "Medisindispenser MD-1" in page and "Medisiner" in page
    assert AccessRecord.objects.filter(client_id=person.pk).count() > before
    with pytest.raises(ValidationError):  # not in stock any more
        services.do_lend_device(user=saksbehandler, client=person, device=dispenser)
    services.do_return_device(user=saksbehandler, loan=loan)
    dispenser.refresh_from_db()
    assert dispenser.state == Device.State.IN_STOCK


def test_only_some_devices_replace_visits(client_with_visit, walker, planlegger_sagene):
    person, midday = client_with_visit
    with pytest.raises(ValidationError) as exc:
        services.do_request_device(user=planlegger_sagene, client=person,
                                   device_type=walker.device_type, reason="Går ustøtt",
                                   replaces_visit=midday)
    assert "replaces_visit" in exc.value.message_dict


def test_scope_and_roles(client, make_client, walker, planlegger_sagene, saksbehandler_sagene,
                         pleier_alna_1):
    alna = make_client("alna")
    with pytest.raises(Http404):
        services.do_request_device(user=planlegger_sagene, client=alna,
                                   device_type=walker.device_type, reason="x")
    with pytest.raises(PermissionDenied):
        services.do_request_device(user=pleier_alna_1, client=alna,
                                   device_type=walker.device_type, reason="x")
    with pytest.raises(PermissionDenied):  # a district case handler is not the device service
        services.do_lend_device(user=saksbehandler_sagene, client=alna, device=walker)
    client.force_login(planlegger_sagene)
    assert client.get(reverse("devices:client", args=[alna.pk])).status_code == 404
    assert client.get(f"/api/v1/clients/{alna.pk}/devices").status_code == 404


def test_service_due_and_stock(client, make_client, dispenser, walker, saksbehandler):
    person = make_client("sagene")
    loan = services.do_lend_device(user=saksbehandler, client=person, device=dispenser)
    loan.next_service_on = services.today()
    loan.save()
    client.force_login(saksbehandler)
    page = client.get(reverse("devices:overview")).content.decode()
    assert "MD-1" in page  # service due
    client.post(reverse("devices:service", args=[loan.pk]))
    loan.refresh_from_db()
    assert loan.next_service_on > services.today()
    stock = {row["code"]: row for row in client.get("/api/v1/devices/stock").json()}
    assert stock["dispenser"]["on_loan"] == 1 and stock["walker"]["in_stock"] == 1


def test_request_through_the_page(client, make_client, walker, leder_sagene):
    person = make_client("sagene")
    client.force_login(leder_sagene)
    response = client.post(reverse("devices:client", args=[person.pk]), {
        "r-device_type": walker.device_type.pk, "r-reason": "", "r-replaces_visit": ""})
    assert "Feltet er påkrevet." in response.content.decode()
    response = client.post(reverse("devices:client", args=[person.pk]), {
        "r-device_type": walker.device_type.pk, "r-reason": "Falt to ganger",
        "r-replaces_visit": ""})
    assert response.status_code == 302
    assert DeviceRequest.objects.get().client == person


def test_ids_in_the_body_of_other_clients_answer_like_missing_ones(
        client, make_client, client_with_visit, dispenser, planlegger_sagene, saksbehandler,
        leder_sagene):
    """Issue #18: a visit or a request named by id in an API body, that
    belongs to another client (or is blocked against the caller), answers
    exactly as an id that does not exist: no oracle for other clients'
    decisions and requests."""
    from django.contrib.contenttypes.models import ContentType

    from tillit.access.models import Block

    other, other_visit = client_with_visit
    person = make_client("sagene")
    decisions.do_decide(
        client=person, service_type=ServiceType.objects.get(code="home-nursing"),
        care_block="medium", provider=person.provider, valid_from=decisions.today(),
        visits=[visit(slot="midday", tasks="Medisiner")], justification="Medisiner.")
    other_request = services.do_request_device(user=planlegger_sagene, client=other,
                                               device_type=dispenser.device_type,
                                               reason="Klarer dispenser selv")
    # the request is blocked against the device service (its kind of item)
    Block.objects.create(client=other, user=saksbehandler, created_by=leder_sagene,
                         item_type=ContentType.objects.get_for_model(DeviceRequest))

    def answers(user, path: str, body: dict, field: str, ids: list[int]) -> list:
        client.force_login(user)
        found = []
        for pk in ids:
            response = client.post(path, {**body, field: pk}, content_type="application/json")
            found.append((response.status_code, response.json()))
        return found

    requested = answers(planlegger_sagene, "/api/v1/device-requests",
                        {"client_id": person.pk, "device_type": "dispenser", "reason": "Trenger"},
                        "replaces_visit_id", [other_visit.pk, 987654321])
    assert requested[0] == requested[1] and requested[0][0] == 422
    assert "replaces_visit" in requested[0][1]["errors"]
    lent = answers(saksbehandler, "/api/v1/device-loans",
                   {"client_id": other.pk, "serial": "MD-1"}, "request_id",
                   [other_request.pk, 987654321])
    assert lent[0] == lent[1] and lent[0][0] == 422 and "request" in lent[0][1]["errors"]
    assert not DeviceRequest.objects.exclude(pk=other_request.pk).exists()
    dispenser.refresh_from_db()
    assert dispenser.state == Device.State.IN_STOCK
