"""The report endpoint: one tap stores one report, repeats are harmless, and
refusals (another carer's visit, a changed body, an unknown time fit, a
cancelled visit) store nothing."""

import uuid

import pytest

from tillit.accounts.models import Role
from tillit.daylist.models import VisitReport
from tillit.planning.models import Visit


@pytest.fixture
def carer(make_user):
    return make_user("pleier.sagene.1", Role.CARER, "sagene")


@pytest.fixture
def other_carer(make_user):
    return make_user("pleier.sagene.2", Role.CARER, "sagene")


def post(client, visit_id, body):
    return client.post(f"/api/v1/visits/{visit_id}/report", body, content_type="application/json")


def body(**fields):
    return {"report_id": str(uuid.uuid4()), "done": True, "time_fit": "fitted", "reason": None,
            "note": "", **fields}


def test_report_then_repeat_then_correct(client, carer, make_client, day_list):
    (visit,) = day_list(carer, [make_client()])
    client.force_login(carer)
    first = body()
    answer = post(client, visit.pk, first)
    assert answer.status_code == 200, answer.content
    assert answer.json()["visit"] == str(visit.pk)
    again = post(client, visit.pk, first)
    assert again.status_code == 200 and again.json() == answer.json()
    assert VisitReport.objects.count() == 1
    correction = post(client, visit.pk, body(time_fit="more", note="Trengte hjelp med dusj"))
    assert correction.status_code == 200
    assert VisitReport.objects.count() == 2
    daylist = client.get("/api/v1/daylist").json()
    assert daylist["visits"][0]["id"] == str(visit.pk)
    assert daylist["visits"][0]["report"] == {
        "done": True, "time_fit": "more", "reason": None, "note": "Trengte hjelp med dusj"
    }


def test_device_time_and_server_time_are_kept(client, carer, make_client, day_list):
    (visit,) = day_list(carer, [make_client()])
    client.force_login(carer)
    answer = client.post(f"/api/v1/visits/{visit.pk}/report", body(),
                         content_type="application/json",
                         headers={"X-Device-Time": "2026-12-04T08:15:00+01:00"})
    assert answer.status_code == 200
    report = VisitReport.objects.get()
    assert report.device_time.isoformat().startswith("2026-12-04T07:15:00")
    assert report.received_at is not None


def test_another_carers_visit_is_404_and_stores_nothing(client, carer, other_carer,
                                                        make_client, day_list):
    (visit,) = day_list(other_carer, [make_client()])
    client.force_login(carer)
    answer = post(client, visit.pk, body())
    assert answer.status_code == 404
    assert post(client, "not-a-number", body()).status_code == 404
    assert VisitReport.objects.count() == 0


def test_same_id_with_another_body_is_409(client, carer, make_client, day_list):
    (visit,) = day_list(carer, [make_client()])
    client.force_login(carer)
    first = body()
    assert post(client, visit.pk, first).status_code == 200
    changed = post(client, visit.pk, {**first, "time_fit": "less"})
    assert changed.status_code == 409
    assert "report_id" in changed.json()["errors"]
    assert VisitReport.objects.get().time_fit == "fitted"


def test_unknown_time_fit_is_422_and_listed_in_openapi(client, carer, make_client, day_list):
    (visit,) = day_list(carer, [make_client()])
    client.force_login(carer)
    answer = post(client, visit.pk, body(time_fit="slow"))
    assert answer.status_code == 422
    assert "time_fit" in str(answer.json()["errors"])
    assert VisitReport.objects.count() == 0
    schema = client.get("/api/v1/openapi.json").json()
    text = str(schema["components"]["schemas"]["ReportIn"])
    assert "fitted" in text and "more" in text and "less" in text


def test_not_done_needs_a_reason_and_no_time_fit(client, carer, make_client, day_list):
    (visit,) = day_list(carer, [make_client()])
    client.force_login(carer)
    assert post(client, visit.pk, body(done=False, time_fit=None)).status_code == 422
    assert post(client, visit.pk, body(done=False, reason="hospital")).status_code == 422
    assert VisitReport.objects.count() == 0
    ok = post(client, visit.pk, body(done=False, time_fit=None, reason="not_home"))
    assert ok.status_code == 200 and ok.json()["reason"] == "not_home"


def test_cancelled_visit_is_refused(client, carer, make_client, day_list):
    (visit,) = day_list(carer, [make_client()])
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.CANCELLED)
    client.force_login(carer)
    answer = post(client, visit.pk, body())
    assert answer.status_code == 409
    assert "cancel" in answer.json()["detail"].lower() or "avlyst" in answer.json()["detail"]
    assert VisitReport.objects.count() == 0


def test_only_carers_report(client, make_user, make_client, day_list, carer):
    (visit,) = day_list(carer, [make_client()])
    client.force_login(make_user("planlegger.sagene", Role.PLANNER, "sagene"))
    assert post(client, visit.pk, body()).status_code == 403
    assert VisitReport.objects.count() == 0


def test_planning_reads_who_reported_which_visit(client, carer, make_client, day_list):
    from tillit.daylist.services import reporters_by_visit

    reported, other = day_list(carer, [make_client(), make_client()])
    client.force_login(carer)
    assert post(client, reported.pk, body()).status_code == 200
    assert reporters_by_visit([reported.pk, other.pk]) == {reported.pk: {carer.employee.pk}}
