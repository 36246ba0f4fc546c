"""`GET /api/v1/staffing` in the contract's shape, with its access rules."""

import pytest
from django.test import Client as HttpClient

from tillit.accounts.models import Role
from tillit.staffing.tests.conftest import DAY

pytestmark = pytest.mark.django_db
URL = "/api/v1/staffing"


def http(user) -> HttpClient:
    c = HttpClient()
    c.force_login(user)
    return c


def fte(minutes: float, share: float = 0.53, hours: float = 37.5, buffer: float = 0.1) -> float:
    return minutes / 60 / (share * hours) * (1 + buffer)


def test_the_contract_shape_and_values(world, leder_sagene) -> None:
    response = http(leder_sagene).get(URL, {"district": "sagene", "date": DAY.isoformat()})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"district", "date", "params", "by_competence", "nurse_caseload"}
    assert body["district"] == "sagene" and body["date"] == "2026-11-18"
    assert body["params"] == {"direct_care_share": 0.53, "fte_hours_per_week": 37.5,
                              "absence_buffer": 0.1}
    lines = {line["competence"]: line for line in body["by_competence"]}
    assert lines["nurse"] == {"competence": "nurse", "weekly_direct_minutes": 240,
                              "needed_fte": fte(240), "rostered_fte": 1.4}
    assert lines["health_worker"]["weekly_direct_minutes"] == 370
    assert lines["assistant"]["needed_fte"] == fte(60)
    assert body["nurse_caseload"] == {"norm": 25, "over_norm": 0, "without_responsible_nurse": 1}


def test_what_if_parameters_through_the_query(world, leder_sagene) -> None:
    body = http(leder_sagene).get(URL, {
        "district": "sagene", "date": DAY.isoformat(), "direct_care_share": "0.6",
        "absence_buffer": "0", "caseload_norm": "20",
    }).json()
    nurse = next(x for x in body["by_competence"] if x["competence"] == "nurse")
    assert nurse["needed_fte"] == fte(240, share=0.6, buffer=0)
    assert body["nurse_caseload"]["norm"] == 20


def test_own_district_is_the_default_and_others_are_404(world, leder_sagene) -> None:
    c = http(leder_sagene)
    assert c.get(URL, {"date": DAY.isoformat()}).json()["district"] == "sagene"
    for slug in ("alna", "no-such-district"):
        response = c.get(URL, {"district": slug})
        assert response.status_code == 404
        assert response.json() == {"detail": "Finnes ikke, eller du har ikke tilgang.", "errors": {}}


def test_analyst_gets_suppressed_aggregates_for_districts_and_the_city(world, analytiker
                                                                       ) -> None:
    c = http(analytiker)
    body = c.get(URL, {"district": "sagene", "date": DAY.isoformat()}).json()
    # three clients and a handful of staff: every figure from under 5 persons is null
    assert body["nurse_caseload"]["over_norm"] is None
    assert body["nurse_caseload"]["without_responsible_nurse"] is None
    assert all(x["needed_fte"] is None and x["rostered_fte"] is None
               for x in body["by_competence"])
    city = c.get(URL, {"date": DAY.isoformat()}).json()
    assert city["district"] is None


def test_carers_and_case_handlers_are_refused(world, pleier_alna_1, saksbehandler) -> None:
    for user in (pleier_alna_1, saksbehandler):
        response = http(user).get(URL, {"district": "sagene"})
        assert response.status_code == 403
        assert set(response.json()) == {"detail", "errors"}


def test_bad_input_is_a_422_with_norwegian_field_errors(world, leder_sagene) -> None:
    response = http(leder_sagene).get(URL, {"date": "18.11.2026", "direct_care_share": "2"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "Oppgi en gyldig dato." in errors["date"]
    assert any("mindre enn eller lik 1" in m for m in errors["direct_care_share"])


def test_openapi_states_the_competence_enum() -> None:
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/staffing" in schema["paths"]
    out = schema["components"]["schemas"]["CompetenceOut"]["properties"]["competence"]
    assert out["enum"] == ["assistant", "health_worker", "nurse"]


def test_planner_of_the_district_may_call(world, make_user) -> None:
    planner = make_user("planlegger.sagene", Role.PLANNER, "sagene")
    assert http(planner).get(URL, {"district": "sagene"}).status_code == 200
