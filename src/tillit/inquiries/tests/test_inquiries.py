"""The intake: routed once to the responsible unit, deadline by topic,
visible to the client's team only, reads logged, overdue list per district."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from tillit.audit.models import AccessRecord
from tillit.inquiries import services
from tillit.inquiries.models import Inquiry, Status
from tillit.organisation.models import Sector, Unit


@pytest.fixture
def purchaser_sagene(city):
    from tillit.organisation.models import District

    return Unit.objects.create(district=District.objects.get(slug="sagene"),
                               name="Bestillerkontoret Sagene", sector=Sector.PURCHASER,
                               is_purchaser_office=True)


def _register(user, client, topic="visits", received_on=None, **extra):
    return services.do_register_inquiry(
        user=user, client=client, sender="relative", sender_name="Datter", channel="phone",
        topic=topic, summary="Besøket kom for sent", received_on=received_on, **extra)


def test_routing_and_deadline(make_client, saksbehandler_sagene, purchaser_sagene):
    client = make_client("sagene")
    visits = _register(saksbehandler_sagene, client)
    assert visits.unit == client.team.unit and visits.team == client.team
    assert visits.due_on == visits.received_on + dt.timedelta(days=7)
    application = _register(saksbehandler_sagene, client, topic="application")
    assert application.unit == purchaser_sagene
    assert application.due_on - application.received_on == dt.timedelta(days=14)
    complaint = _register(saksbehandler_sagene, client, topic="complaint")
    assert complaint.due_on - complaint.received_on == dt.timedelta(days=21)


def test_only_clients_one_may_see(make_client, saksbehandler_sagene, pleier_alna_1):
    alna = make_client("alna")
    with pytest.raises(Http404):
        _register(saksbehandler_sagene, alna)
    with pytest.raises(PermissionDenied):
        _register(pleier_alna_1, alna)
    assert not Inquiry.objects.exists()


def test_visible_to_the_clients_team_and_logged(client, make_client, saksbehandler_sagene,
                                                planlegger_sagene, leder_sagene, make_user):
    sagene = make_client("sagene")
    inquiry = _register(saksbehandler_sagene, sagene)
    leder_alna = make_user("leder.alna", "district_manager", "alna")
    assert list(Inquiry.objects.visible_to(planlegger_sagene)) == [inquiry]
    assert not Inquiry.objects.visible_to(leder_alna).exists()
    client.force_login(planlegger_sagene)
    before = AccessRecord.objects.count()
    assert client.get(reverse("inquiries:detail", args=[inquiry.pk])).status_code == 200
    assert AccessRecord.objects.filter(client_id=sagene.pk).count() > 0
    assert AccessRecord.objects.count() > before
    client.force_login(leder_alna)
    assert client.get(reverse("inquiries:detail", args=[inquiry.pk])).status_code == 404
    assert client.get(f"/api/v1/inquiries/{inquiry.pk}").status_code == 404


def test_overdue_list_per_district(client, make_client, saksbehandler, saksbehandler_sagene):
    sagene, alna = make_client("sagene"), make_client("alna")
    late_day = services.today() - dt.timedelta(days=10)
    late = _register(saksbehandler_sagene, sagene, received_on=late_day)
    _register(saksbehandler_sagene, sagene)  # not due yet
    answered = _register(saksbehandler_sagene, sagene, received_on=late_day)
    services.do_update_inquiry(user=saksbehandler_sagene, inquiry=answered,
                               status=Status.ANSWERED, answer="Ringt tilbake.")
    late_alna = _register(saksbehandler, alna, received_on=late_day)
    assert set(Inquiry.objects.overdue(services.today())) == {late, late_alna}
    client.force_login(saksbehandler)  # central office: every district
    page = client.get(reverse("inquiries:overdue")).content.decode()
    assert "Sagene (1)" in page and "Alna (1)" in page
    client.force_login(saksbehandler_sagene)
    page = client.get(reverse("inquiries:overdue")).content.decode()
    assert "Sagene (1)" in page and "Alna" not in page
    data = client.get("/api/v1/inquiries?overdue=true").json()
    assert [row["id"] for row in data] == [late.pk] and data[0]["overdue"]


def test_an_answer_needs_its_text(make_client, saksbehandler_sagene):
    inquiry = _register(saksbehandler_sagene, make_client("sagene"))
    with pytest.raises(ValidationError) as exc:
        services.do_update_inquiry(user=saksbehandler_sagene, inquiry=inquiry,
                                   status=Status.ANSWERED, answer=" ")
    assert "answer" in exc.value.message_dict
    inquiry.refresh_from_db()
    assert inquiry.status == Status.RECEIVED


def test_register_on_the_page(client, make_client, planlegger_sagene):
    person = make_client("sagene")
    client.force_login(planlegger_sagene)
    response = client.post(reverse("inquiries:new"), {
        "national_id": person.national_id, "sender": "client", "channel": "phone",
        "topic": "care", "summary": "Ønsker fast pleier", "received_on": "2999-01-01"})
    assert "Datoen kan ikke være fram i tid." in response.content.decode()
    response = client.post(reverse("inquiries:new"), {
        "national_id": person.national_id, "sender": "client", "channel": "phone",
        "topic": "care", "summary": "Ønsker fast pleier",
        "received_on": services.today().isoformat()})
    assert response.status_code == 302
    assert Inquiry.objects.get().client == person


def test_api_register_and_enums(client, make_client, leder_sagene, analytiker):
    person = make_client("sagene")
    client.force_login(leder_sagene)
    body = {"client_id": person.pk, "sender": "relative", "channel": "email", "topic": "devices",
            "summary": "Trenger ny rullator"}
    response = client.post("/api/v1/inquiries", body, content_type="application/json")
    assert response.status_code == 201, response.content
    inquiry_id = response.json()["id"]
    response = client.patch(f"/api/v1/inquiries/{inquiry_id}", {"status": "maybe"},
                            content_type="application/json")
    assert response.status_code == 422
    client.force_login(analytiker)
    assert client.get("/api/v1/inquiries").status_code == 403
