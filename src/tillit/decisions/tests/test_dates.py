"""Dates that make sense: a late registration and a decision starting in the
past need a reason; an assessment before its application and a review date
already passed are refused; all in Norwegian, in forms and API alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tillit.decisions import services
from tillit.decisions.models import Application, Decision, IplosDefinition, ServiceType
from tillit.decisions.tests.conftest import NOW, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def nursing():
    return ServiceType.objects.get(code="home-nursing")


def test_late_registration_needs_a_reason(clock, make_client, saksbehandler, nursing) -> None:
    person = make_client("sagene")
    old = NOW - dt.timedelta(days=400)
    with pytest.raises(ValidationError) as exc:
        services.do_register_application(client=person, service_type=nursing, source="client",
                                         received_at=old, actor=saksbehandler)
    assert set(exc.value.message_dict) == {"received_at", "date_reason"}
    application = services.do_register_application(
        client=person, service_type=nursing, source="client", received_at=old,
        actor=saksbehandler, date_reason="Søknaden lå i feil bydel.")
    assert application.date_reason == "Søknaden lå i feil bydel."


def test_assessment_before_its_application_is_refused(clock, make_client, saksbehandler,
                                                      nursing) -> None:
    person = make_client("sagene")
    application = services.do_register_application(
        client=person, service_type=nursing, source="client", received_at=NOW,
        actor=saksbehandler)
    codes = IplosDefinition.current().definition.codes()
    with pytest.raises(ValidationError) as exc:
        services.do_record_assessment(client=person, application=application,
                                      scores={c: 1 for c in codes},
                                      assessed_on=NOW.date() - dt.timedelta(days=2))
    assert "assessed_on" in exc.value.message_dict


def test_decision_in_the_past_needs_a_reason_and_review_passed_is_refused(
        clock, make_client, saksbehandler, nursing) -> None:
    person = make_client("sagene")
    base = dict(client=person, service_type=nursing, care_block="light",
                provider=person.provider, visits=[visit()], actor=saksbehandler,
                justification="Begrunnelse.")
    yesterday = NOW.date() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.do_decide(valid_from=yesterday, **base)
    assert set(exc.value.message_dict) == {"valid_from", "date_reason"}
    with pytest.raises(ValidationError) as exc:
        services.do_decide(valid_from=NOW.date(), review_on=yesterday, **base)
    assert set(exc.value.message_dict) == {"review_on"}
    decision = services.do_decide(valid_from=yesterday, date_reason="Akutt hjelp fra i går.",
                                  **base)
    assert decision.date_reason == "Akutt hjelp fra i går."
    assert Decision.objects.count() == 1


def test_form_and_api_say_it_in_norwegian(client, clock, make_client, saksbehandler,
                                          nursing) -> None:
    person = make_client("sagene")
    client.force_login(saksbehandler)
    html = client.post(reverse("decisions:application_new"), {
        "national_id": person.national_id, "service_type": nursing.pk, "source": "client",
        "urgency": "normal", "received_at": "2024-12-01T09:00",
    }).content.decode()
    assert "mer enn ett år siden" in html and "begrunnelsen for datoen" in html
    assert Application.objects.count() == 0
    response = client.post(reverse("decisions:application_new"), {
        "national_id": person.national_id, "service_type": nursing.pk, "source": "client",
        "urgency": "normal", "received_at": "2024-12-01T09:00",
        "date_reason": "Funnet i arkivet.",
    })
    assert response.status_code == 302
    r = client.post("/api/v1/decisions", {
        "client": person.pk, "service_type": "home-nursing", "care_block": "light",
        "valid_from": "2026-02-01", "justification": "Begrunnelse.",
        "visits": [visit()]}, content_type="application/json")
    assert r.status_code == 422 and "i fortiden" in r.json()["errors"]["valid_from"][0]


def test_application_for_a_service_the_person_has_offers_a_change(
        client, clock, make_client, saksbehandler, nursing) -> None:
    person = make_client("sagene")
    decision = services.do_decide(
        client=person, service_type=nursing, care_block="light", provider=person.provider,
        valid_from=NOW.date(), visits=[visit()], actor=saksbehandler,
        justification="Begrunnelse.")
    client.force_login(saksbehandler)
    post = {"national_id": person.national_id, "service_type": nursing.pk,
            "source": "client", "urgency": "normal", "received_at": "2026-03-01T09:00",
            "description": "Trenger mer hjelp om kvelden"}
    html = client.post(reverse("decisions:application_new"), post).content.decode()
    assert "har allerede denne tjenesten" in html
    assert reverse("decisions:reassessment_open", args=[decision.pk]) in html
    assert "Trenger mer hjelp om kvelden" in html and Application.objects.count() == 0
    response = client.post(reverse("decisions:reassessment_open", args=[decision.pk]),
                           {"source": "request", "reason": "Trenger mer hjelp om kvelden"})
    assert response.status_code == 302 and decision.reassessments.filter(
        closed_at__isnull=True).exists()
    # Registering anyway stays possible, and the API says 409 unless asked to.
    assert client.post(reverse("decisions:application_new"),
                       {**post, "register_anyway": "1"}).status_code == 302
    r = client.post("/api/v1/applications", {
        "client": person.pk, "service_type": "home-nursing", "source": "client",
        "received_at": "2026-03-01T09:00:00"}, content_type="application/json")
    assert r.status_code == 409 and str(decision.pk) in r.json()["detail"]


def test_bulk_reassessment_shows_the_list_first(client, clock, make_client, saksbehandler,
                                                nursing) -> None:
    person = make_client("sagene")
    decision = services.do_decide(
        client=person, service_type=nursing, care_block="light", provider=person.provider,
        valid_from=NOW.date(), review_on=NOW.date() + dt.timedelta(days=10), visits=[visit()],
        actor=saksbehandler, justification="Begrunnelse.")
    clock.advance(days=11)
    client.force_login(saksbehandler)
    html = client.get(reverse("decisions:open_reviews")).content.decode()
    assert str(person) in html and decision.reassessments.count() == 0
    response = client.post(reverse("decisions:open_reviews"), {"decision": [decision.pk]})
    assert response.status_code == 302 and decision.reassessments.count() == 1
