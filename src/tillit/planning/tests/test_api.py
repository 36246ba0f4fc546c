"""`/api/v1/plans`: the contract's shapes, 404 across districts, Norwegian
errors, logged reads, and 202 for a re-plan."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from tillit.accounts.models import Role
from tillit.audit.models import AccessOperation
from tillit.planning.models import Plan
from tillit.planning.tests.test_plans import plan_day


@pytest.fixture
def as_user():
    def login(user) -> HttpClient:
        browser = HttpClient()
        browser.force_login(user)
        return browser
    return login


@pytest.fixture
def stored(world):
    plan = plan_day(world)
    assert plan.status == Plan.Status.DONE
    return plan


def test_list_by_district_and_date(stored, planner, as_user):
    response = as_user(planner).get(
        f"/api/v1/plans?district=sagene&date={stored.date.isoformat()}")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [stored.pk]
    item = items[0]
    assert {"id", "team", "district", "date", "shift", "status", "cost"} <= set(item)
    assert item["district"] == "sagene" and item["status"] == "done"
    assert item["shift"] == "day" and item["date"] == stored.date.isoformat()


def test_one_plan_has_instance_plan_locked_reported_and_is_logged(stored, planner, as_user):
    before = AccessOperation.objects.count()
    response = as_user(planner).get(f"/api/v1/plans/{stored.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["instance"] == stored.instance and body["plan"] == stored.plan
    assert body["plan"]["instance"] == body["instance"]["name"]
    assert body["locked"] == [] and body["reported"] == []
    assert {"id", "team", "district", "date", "shift", "status", "cost"} <= set(body)
    assert AccessOperation.objects.count() == before + 1


def test_other_districts_answer_404(stored, alna_world, make_user, as_user):
    alna_planner = make_user("planlegger.alna", Role.PLANNER, "alna")
    browser = as_user(alna_planner)
    assert browser.get(f"/api/v1/plans/{stored.pk}").status_code == 404
    assert browser.get("/api/v1/plans/999999").status_code == 404
    response = browser.post(f"/api/v1/plans/{stored.pk}/replan", data="{}",
                            content_type="application/json")
    assert response.status_code == 404
    listed = browser.get(f"/api/v1/plans?district=sagene&date={stored.date}").json()
    assert listed["items"] == []


def test_district_manager_reads_carer_and_analyst_do_not(stored, make_user, as_user):
    manager = make_user("leder.sagene", Role.DISTRICT_MANAGER, "sagene")
    assert as_user(manager).get(f"/api/v1/plans/{stored.pk}").status_code == 200
    for username, role in (("pleier.sagene.9", Role.CARER), ("analytiker", Role.ANALYST),
                           ("saksbehandler.sagene", Role.CASE_HANDLER)):
        user = make_user(username, role, "sagene" if role != Role.ANALYST else None)
        assert as_user(user).get(f"/api/v1/plans/{stored.pk}").status_code == 403
        assert as_user(user).get("/api/v1/plans").status_code == 403


def test_replan_answers_202_queued(stored, planner, as_user, django_capture_on_commit_callbacks):
    absent = stored.instance["staff"][0]["id"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_user(planner).post(
            f"/api/v1/plans/{stored.pk}/replan",
            data=json.dumps({"absent": [absent], "from": "10:00", "time_limit": 3}),
            content_type="application/json",
        )
    assert response.status_code == 202
    body = response.json()
    new = Plan.objects.get(pk=body["id"])
    assert body == {"id": new.pk, "status": "queued"}
    assert new.absent == [absent] and new.replaces == stored and len(callbacks) == 1
    assert new.created_by == planner


def test_replan_errors_are_norwegian_json(stored, planner, as_user):
    browser = as_user(planner)
    url = f"/api/v1/plans/{stored.pk}/replan"
    bad_from = browser.post(url, data=json.dumps({"from": "ti"}),
                            content_type="application/json")
    assert bad_from.status_code == 422
    assert bad_from.json()["errors"]["from"] == ["Tidspunktet må skrives TT:MM."]
    unknown = browser.post(url, data=json.dumps({"absent": ["nobody"]}),
                           content_type="application/json")
    assert unknown.status_code == 422
    assert "Ukjent ansatt" in unknown.json()["errors"]["absent"][0]
    limit = browser.post(url, data=json.dumps({"time_limit": 0.01}),
                         content_type="application/json")
    assert limit.status_code == 422 and "Tidsgrensen" in limit.json()["errors"]["time_limit"][0]
    assert Plan.objects.filter(team=stored.team).count() == 1


def test_replan_of_a_replaced_plan_is_409(world, stored, planner, as_user):
    plan_day(world)
    response = as_user(planner).post(f"/api/v1/plans/{stored.pk}/replan", data="{}",
                                     content_type="application/json")
    assert response.status_code == 409
    assert "nyere plan" in response.json()["detail"]


def test_openapi_states_the_enums(planner, as_user):
    schema = as_user(planner).get("/api/v1/openapi.json").json()
    text = json.dumps(schema)
    assert '"queued", "running", "done", "failed"' in text
    assert '"day", "evening", "night"' in text
