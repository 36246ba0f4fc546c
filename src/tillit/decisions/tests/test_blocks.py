"""Blocking holds through objects reached through others (issue #10,
findings 2 and 3): a reassessment obeys its decision's block, an
application page lists no blocked assessment or decision, and the API
names no blocked application, assessment or version."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from tillit.access import services as access
from tillit.decisions.models import Assessment, Decision, Reassessment
from tillit.decisions.tests.cases import build_case

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def case(make_client, saksbehandler, leder_sagene):
    person = make_client("sagene")
    return person, build_case(person, saksbehandler)


def test_a_decision_block_holds_through_the_reassessment(case, saksbehandler,
                                                         saksbehandler_sagene,
                                                         leder_sagene) -> None:
    person, objects = case
    reassessment, decision = objects["reassessment"], objects["decision"]
    access.do_block(by=leder_sagene, client=person, user=saksbehandler, item_model=Decision)
    http = browser(saksbehandler)

    assert http.get(f"/saksbehandling/revurderinger/{reassessment.pk}/").status_code == 404
    worklist = http.get("/saksbehandling/").content.decode()
    assert f"/saksbehandling/revurderinger/{reassessment.pk}/" not in worklist
    assert not Reassessment.objects.visible_to(saksbehandler).exists()
    response = http.post(
        f"/api/v1/reassessments/{reassessment.pk}/close",
        json.dumps({"outcome": "unchanged", "changes": {"review_on": "2030-01-01"}}),
        content_type="application/json",
    )
    assert response.status_code == 404
    reassessment.refresh_from_db()
    decision.refresh_from_db()
    assert reassessment.is_open and str(decision.review_on) != "2030-01-01"
    # Others still reach it.
    assert browser(saksbehandler_sagene).get(
        f"/saksbehandling/revurderinger/{reassessment.pk}/").status_code == 200


def test_a_single_decision_block_hides_its_reassessment(case, saksbehandler,
                                                        leder_sagene) -> None:
    person, objects = case
    access.do_block(by=leder_sagene, client=person, user=saksbehandler,
                    item=objects["decision"])
    http = browser(saksbehandler)
    assert http.get(
        f"/saksbehandling/revurderinger/{objects['reassessment'].pk}/").status_code == 404


def test_the_application_page_lists_no_blocked_items(case, saksbehandler,
                                                     leder_sagene) -> None:
    person, objects = case
    application = objects["application"]
    http = browser(saksbehandler)
    page = http.get(f"/saksbehandling/soknader/{application.pk}/").content.decode()
    assert f"/saksbehandling/kartlegginger/{objects['assessment'].pk}/" in page
    assert f"/saksbehandling/vedtak/{objects['decision'].pk}/" in page

    access.do_block(by=leder_sagene, client=person, user=saksbehandler, item_model=Assessment)
    access.do_block(by=leder_sagene, client=person, user=saksbehandler,
                    item=objects["decision"])
    page = http.get(f"/saksbehandling/soknader/{application.pk}/").content.decode()
    assert f"/saksbehandling/kartlegginger/{objects['assessment'].pk}/" not in page
    assert f"/saksbehandling/vedtak/{objects['decision'].pk}/" not in page


def test_the_decision_api_names_no_blocked_application_or_assessment(
    case, saksbehandler, leder_sagene
) -> None:
    from tillit.decisions.models import Application

    person, objects = case
    decision = objects["decision"]
    http = browser(saksbehandler)
    answer = http.get(f"/api/v1/decisions/{decision.pk}").json()
    assert answer["application"] == objects["application"].pk
    assert answer["assessment"] == objects["assessment"].pk

    access.do_block(by=leder_sagene, client=person, user=saksbehandler, item_model=Assessment)
    access.do_block(by=leder_sagene, client=person, user=saksbehandler, item_model=Application)
    answer = http.get(f"/api/v1/decisions/{decision.pk}").json()
    assert answer["application"] is None and answer["assessment"] is None
    listed = http.get("/api/v1/decisions", {"client": person.pk}).json()["items"]
    assert [(i["application"], i["assessment"]) for i in listed] == [(None, None)]


def test_the_prefilled_application_form_logs_the_read(make_client, saksbehandler) -> None:
    """Issue #10, finding 5: the form shows the full national id."""
    from tillit.audit.models import AccessRecord

    person = make_client("sagene")
    page = browser(saksbehandler).get("/saksbehandling/soknader/ny/", {"client": person.pk})
    assert person.national_id in page.content.decode()
    assert AccessRecord.objects.filter(client_id=person.pk,
                                       operation__actor=saksbehandler).count() == 1
