"""Care situations and responsible nurses: set by nurses and district
managers, kept as history, with the nurse rule of the situation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from tillit.accounts.models import Role
from tillit.audit.models import AccessOperation
from tillit.staffing import services
from tillit.staffing.figures import responsibles_on, situations_on
from tillit.staffing.models import CareSituation, ResponsibleNurse
from tillit.staffing.tests.conftest import BEFORE

pytestmark = pytest.mark.django_db


def http(user) -> HttpClient:
    c = HttpClient()
    c.force_login(user)
    return c


def url(client) -> str:
    return f"/bemanning/brukere/{client.pk}/"


def test_a_nurse_planner_sets_the_situation_and_history_is_kept(world, make_user) -> None:
    planner = make_user("planlegger.sagene", Role.PLANNER, "sagene")  # a nurse
    c = http(planner)
    client = world.stable_client
    response = c.post(url(client), {"s-situation": "last_days", "s-note": "Palliativ fase"})
    assert response.status_code == 302
    rows = list(CareSituation.objects.filter(client=client).order_by("set_at", "pk"))
    assert [r.situation for r in rows] == ["stable", "last_days"]
    assert rows[-1].set_by == planner and rows[-1].note == "Palliativ fase"
    page = c.get(url(client))
    assert "livets siste dager" in page.content.decode()
    assert AccessOperation.objects.filter(actor=planner, what="record").exists()


def test_the_situation_decides_whether_a_nurse_must_be_responsible(world, leder_sagene) -> None:
    c = http(leder_sagene)
    response = c.post(url(world.complex_client), {"r-employee": world.health_worker.pk})
    assert response.status_code == 200
    assert "må den tjenesteansvarlige være sykepleier" in response.content.decode()
    assert ResponsibleNurse.objects.current().get(client=world.complex_client).employee == \
        world.nurse
    response = c.post(url(world.complex_client), {"r-employee": world.nurse2.pk})
    assert response.status_code == 302
    history = ResponsibleNurse.objects.filter(client=world.complex_client).order_by("assigned_at")
    assert [r.employee for r in history] == [world.nurse, world.nurse2]
    assert history[0].ended_at is not None and history[1].ended_at is None


def test_a_client_without_a_situation_needs_a_nurse(world) -> None:
    with pytest.raises(ValidationError) as error:
        services.do_assign_responsible(client=world.unassigned_client,
                                       employee=world.health_worker)
    assert "employee" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.do_assign_responsible(client=world.unassigned_client, employee=world.assistant)
    services.do_set_care_situation(client=world.unassigned_client, situation="stable")
    services.do_assign_responsible(client=world.unassigned_client, employee=world.health_worker)


def test_an_unknown_situation_is_refused_with_a_field_error(world, leder_sagene) -> None:
    response = http(leder_sagene).post(url(world.stable_client), {"s-situation": "bad"})
    assert response.status_code == 200
    assert response.context["situation_form"].errors["situation"]
    with pytest.raises(ValidationError):
        services.do_set_care_situation(client=world.stable_client, situation="bad")


def test_who_may_set_situations(world, make_user, saksbehandler, analytiker) -> None:
    leder_alna = make_user("leder.alna", Role.DISTRICT_MANAGER, "alna")
    assert http(leder_alna).get(url(world.stable_client)).status_code == 404
    assert http(saksbehandler).get(url(world.stable_client)).status_code == 403
    assert http(analytiker).get(url(world.stable_client)).status_code == 403
    carer = make_user("pleier.sagene.9", Role.CARER, "sagene")
    carer.employee.competence = "health_worker"
    carer.employee.save()
    assert http(carer).get(url(world.stable_client)).status_code == 403


def test_figures_read_situations_and_responsibles_as_of_a_day(world) -> None:
    later = BEFORE + dt.timedelta(days=30)
    services.do_set_care_situation(client=world.stable_client, situation="complex", at=later)
    services.do_assign_responsible(client=world.stable_client, employee=world.nurse2, at=later)
    ids = [world.stable_client.pk]
    before, after = BEFORE.date(), later.date()
    assert situations_on(ids, before) == {world.stable_client.pk: "stable"}
    assert situations_on(ids, after) == {world.stable_client.pk: "complex"}
    assert responsibles_on(ids, before) == {world.stable_client.pk: (world.health_worker.pk,
                                                                     "health_worker")}
    assert responsibles_on(ids, after) == {world.stable_client.pk: (world.nurse2.pk, "nurse")}
