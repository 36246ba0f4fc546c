"""Requests between districts and agencies: contact point per agency and
topic, tracked to its answer; only the contact point answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from tillit.inquiries import services
from tillit.inquiries.models import ContactPoint, Status
from tillit.organisation.models import Agency, City


@pytest.fixture
def point(city, saksbehandler):
    agency = Agency.objects.create(city=City.objects.get(), name="Helseetaten",
                                   slug="helseetaten", kind="health")
    return ContactPoint.objects.create(agency=agency, topic="Hjelpemidler og velferdsteknologi",
                                       responsible=saksbehandler, answer_days=3)


def test_a_request_is_tracked_to_its_answer(client, point, pleier_alna_1, saksbehandler,
                                            leder_sagene):
    req = services.do_send_request(user=pleier_alna_1, contact_point=point,
                                   subject="Lagerstatus senger", text="Har dere senger?")
    assert req.due_on == req.sent_on + dt.timedelta(days=3)
    with pytest.raises(Http404):
        services.do_answer_request(user=leder_sagene, req=req, answer="Ja")
    client.force_login(saksbehandler)
    page = client.get(reverse("inquiries:requests")).content.decode()
    assert "Lagerstatus senger" in page
    response = client.post(reverse("inquiries:request", args=[req.pk]), {"answer": "Ja, to."})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.ANSWERED and req.answered_by == saksbehandler
    client.force_login(pleier_alna_1)
    data = client.get("/api/v1/requests").json()
    assert data[0]["status"] == "answered" and data[0]["answer"] == "Ja, to."
    # another employee does not see it
    client.force_login(leder_sagene)
    assert client.get(reverse("inquiries:request", args=[req.pk])).status_code == 404


def test_contact_points_are_searchable(client, point, analytiker):
    client.force_login(analytiker)
    link = f'href="?to={point.pk}#send"'
    assert link in client.get(reverse("inquiries:requests"), {"q": "velferd"}).content.decode()
    assert link not in client.get(reverse("inquiries:requests"), {"q": "skole"}).content.decode()
    response = client.post("/api/v1/requests", {"contact_point_id": point.pk, "subject": " ",
                                                "text": ""}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"subject", "text"}
