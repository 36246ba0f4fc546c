"""The purchaser office's API: the flow, bad input as 422 with Norwegian
field messages and nothing saved, 404 for other districts, reads logged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tillit.audit.models import AccessOperation
from tillit.decisions import services
from tillit.decisions.models import (
    Application,
    Assessment,
    Decision,
    DecisionVisit,
    IplosDefinition,
    ServiceType,
)
from tillit.decisions.tests.conftest import NOW, visit

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, url: str, body: dict) -> object:
    return client.post(API + url, json.dumps(body, default=str), content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE="nb")


VISIT = {"slot": "morning", "weekdays": [0, 1, 2, 3, 4, 5, 6], "minutes": 30,
         "competence": "health_worker", "tasks": "Morgenstell"}


def test_flow_through_api(client, clock, make_client, saksbehandler) -> None:
    person = make_client("sagene")
    client.force_login(saksbehandler)
    r = post(client, "/applications", {"client": person.pk, "service_type": "home-nursing",
                                       "source": "gp", "applicant_name": "Fastlege Berg",
                                       "received_at": "2026-03-01T10:00:00+01:00"})
    assert r.status_code == 201, r.content
    app = r.json()
    assert app["status"] == "received" and app["case_time"]["interim"]["due"] == "2026-04-01"
    scores = {c: 1 for c in IplosDefinition.current().definition.codes()} | {
        "spise": 5, "toalett": 5, "personlig_hygiene": 5}
    r = post(client, "/assessments", {"client": person.pk, "application": app["id"],
                                      "assessed_on": "2026-03-02", "scores": scores})
    assert r.status_code == 201 and r.json()["block"] == "extensive"
    assert r.json()["rule_result"]["total"] == 3
    r = post(client, "/decisions", {
        "client": person.pk, "service_type": "home-nursing", "application": app["id"],
        "assessment": r.json()["id"], "care_block": "extensive", "valid_from": "2026-03-03",
        "justification": "Stort behov etter sykehusopphold.",
        "visits": [VISIT, {**VISIT, "slot": "midday", "minutes": 15, "after": 0,
                           "after_min_minutes": 180, "after_max_minutes": 300,
                           "skills": ["insulin"], "competence": "nurse"},
                   {**VISIT, "slot": "evening", "staff_count": 2,
                    "two_person_reason": "Personløfter"}],
    })
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["weekly_minutes"] == 7 * 75 and d["version"] == 1
    midday = d["visits"][1]
    assert midday["after"] == {"visit": d["visits"][0]["id"], "min_minutes": 180,
                               "max_minutes": 300}
    assert midday["window"] == ["11:00", "14:00"] and d["visits"][2]["staff_count"] == 2
    r = client.get(f"{API}/applications/{app['id']}")
    assert r.json()["status"] == "decided" and len(r.json()["history"]) == 3
    r = client.get(f"{API}/decisions/{d['id']}/letter.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = client.get(f"{API}/decisions/{d['id']}/equal-help")
    assert r.status_code == 200 and r.json()["city"]["suppressed"] is True

    r = post(client, f"/decisions/{d['id']}/reassessments", {"source": "visit_reports",
                                                            "evidence": {"proposal": 3}})
    assert r.status_code == 201
    r = post(client, f"/reassessments/{r.json()['id']}/close", {
        "outcome": "reduced", "valid_from": "2026-04-01",
        "changes": {"visits": [{**VISIT, "minutes": 20}]}})
    assert r.status_code == 200, r.content
    new = client.get(f"{API}/decisions/{r.json()['new_decision']}").json()
    assert new["change"] == "reduced" and new["weekly_minutes"] == 140
    assert [h["version"] for h in new["history"]] == [2, 1]
    assert client.get(f"{API}/decisions", {"client": person.pk, "status": "active"}
                      ).json()["items"][0]["id"] == new["id"]


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"valid_to": "2026-03-01"}, "valid_to", "slutte før"),
    ({"visits": []}, "visits", "ingen besøk"),
    ({"visits": [{**VISIT, "minutes": 0}]}, "visits.0.minutes", "minst 1"),
    ({"visits": [{**VISIT, "minutes": 481}]}, "visits.0.minutes", "høyst 480"),
    ({"visits": [{**VISIT, "staff_count": 2}]}, "visits.0.two_person_reason", "to pleiere"),
    ({"visits": [{**VISIT, "weekdays": []}]}, "visits.0.weekdays", "ukedag"),
    ({"care_block": "huge"}, "care_block", "Velg"),
])
def test_bad_decisions_refused(client, clock, make_client, saksbehandler, body, field,
                               words) -> None:
    person = make_client("sagene")
    client.force_login(saksbehandler)
    data = {"client": person.pk, "service_type": "home-nursing", "care_block": "medium",
            "valid_from": "2026-03-03", "visits": [VISIT],
            "justification": "Individuell begrunnelse."} | body
    r = post(client, "/decisions", data)
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert field in errors and words in " ".join(errors[field]), errors
    assert r.json()["detail"]
    assert Decision.objects.count() == 0 and DecisionVisit.objects.count() == 0


def test_overlap_refused(client, clock, make_client, saksbehandler) -> None:
    person = make_client("sagene")
    client.force_login(saksbehandler)
    data = {"client": person.pk, "service_type": "home-nursing", "care_block": "medium",
            "valid_from": "2026-03-03", "visits": [VISIT], "justification": "Begrunnelse."}
    assert post(client, "/decisions", data).status_code == 201
    r = post(client, "/decisions", data | {"valid_from": "2026-05-01"})
    assert r.status_code == 422 and "aktivt vedtak" in r.json()["errors"]["valid_from"][0]
    assert Decision.objects.count() == 1


def test_scores_outside_scale(client, clock, make_client, saksbehandler) -> None:
    person = make_client("sagene")
    client.force_login(saksbehandler)
    scores = {c: 1 for c in IplosDefinition.current().definition.codes()} | {"syn": 6}
    r = post(client, "/assessments", {"client": person.pk, "assessed_on": "2026-03-02",
                                      "scores": scores})
    assert r.status_code == 422
    assert "utenfor skalaen" in r.json()["errors"]["score_syn"][0]
    assert Assessment.objects.count() == 0


def test_other_district_404_and_logged_reads(client, clock, make_client, saksbehandler,
                                             saksbehandler_sagene) -> None:
    alna = make_client("alna")
    d = services.do_decide(justification="Individuell begrunnelse.", client=alna, service_type=ServiceType.objects.get(code="bpa"),
                           care_block="light", provider=alna.provider,
                           valid_from=dt.date(2026, 3, 3), visits=[visit()],
                           actor=saksbehandler)
    client.force_login(saksbehandler_sagene)
    assert client.get(f"{API}/decisions/{d.pk}").status_code == 404
    assert client.get(f"{API}/decisions", {"client": alna.pk}).json()["items"] == []
    r = post(client, "/applications", {"client": alna.pk, "service_type": "home-nursing",
                                       "source": "client", "received_at": "2026-03-01T10:00"})
    assert r.status_code == 404 and Application.objects.count() == 0
    client.force_login(saksbehandler)
    assert client.get(f"{API}/decisions/{d.pk}").status_code == 200
    op = AccessOperation.objects.filter(actor_username="saksbehandler").latest("server_time")
    assert op.what == "decision" and op.interface == "api"


def test_overdue_filter_on_test_clock(client, clock, make_client, saksbehandler) -> None:
    person = make_client("sagene")
    services.do_register_application(client=person, service_type=ServiceType.objects.get(
        code="bpa"), source="client", received_at=NOW - dt.timedelta(days=35))
    services.do_register_application(client=person, service_type=ServiceType.objects.get(
        code="bpa"), source="client", received_at=NOW - dt.timedelta(days=3))
    client.force_login(saksbehandler)
    items = client.get(f"{API}/applications", {"overdue": "true"}).json()["items"]
    assert len(items) == 1 and items[0]["case_time"]["interim"]["state"] == "overdue"


def test_analyst_refused(client, clock, analytiker) -> None:
    client.force_login(analytiker)
    assert client.get(f"{API}/decisions").status_code == 403
    assert client.get(f"{API}/applications").status_code == 403


def test_reference_data(client, clock, saksbehandler) -> None:
    client.force_login(saksbehandler)
    codes = [s["code"] for s in client.get(f"{API}/service-types").json()]
    assert {"home-nursing", "practical-assistance", "bpa", "safety-alarm"} <= set(codes)
    iplos = client.get(f"{API}/iplos").json()
    assert len(iplos["variables"]) == 17 and iplos["variables"][0]["levels"]["9"]


def test_openapi_documents_every_operation_with_its_policy(client, db) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    mine = {p: ops for p, ops in paths.items()
            if any(k in p for k in ("applications", "assessments", "decisions", "reassessments",
                                    "service-types", "iplos"))}
    assert len(mine) == 16  # with the case file and its notes (issue #14, item 7)
    for ops in mine.values():
        for spec in ops.values():
            assert spec["x-tillit-policy"]["rule"].startswith("decisions.")
