"""The routines API: publish, new version, answer; enums and errors."""

from __future__ import annotations

import datetime as dt

from tillit.routines.models import Acknowledgement
from tillit.routines.services import today


def _login(client, user):
    client.force_login(user)
    return client


def _body(days: int = 10, **extra):
    return {"title": "Insulin", "kind": "mandatory", "text": "Dobbeltkontroll.",
            "effective_from": today().isoformat(),
            "respond_by": (today() + dt.timedelta(days=days)).isoformat(), **extra}


def test_publish_version_and_answer(client, units, admin_user, leder_sagene):
    _login(client, admin_user)
    response = client.post("/api/v1/routines", _body(working_group=[
        {"name": "Kari", "district": "sagene", "role": "leder"}]), content_type="application/json")
    assert response.status_code == 201, response.content
    routine = response.json()
    assert len(routine["answers"]) == 30
    response = client.post(f"/api/v1/routines/{routine['id']}/versions", {
        "kind": "advisory", "text": "Endret.", "effective_from": today().isoformat(),
        "respond_by": today().isoformat(), "change_note": "Mildere"},
        content_type="application/json")
    assert response.status_code == 201
    assert response.json()["current"]["number"] == 2
    ack = Acknowledgement.objects.current().get(district__slug="sagene", unit__isnull=True)
    client.logout()
    _login(client, leder_sagene)
    response = client.post(f"/api/v1/routine-answers/{ack.pk}", {"status": "deviation"},
                           content_type="application/json")
    assert response.status_code == 422
    assert "deviation_reason" in response.json()["errors"]
    response = client.post(f"/api/v1/routine-answers/{ack.pk}",
                           {"status": "deviation", "deviation_reason": "Ingen nattevakt."},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["acknowledged"]
    other = Acknowledgement.objects.current().get(district__slug="alna", unit__isnull=True)
    response = client.post(f"/api/v1/routine-answers/{other.pk}", {"status": "implemented"},
                           content_type="application/json")
    assert response.status_code == 403
    compliance = client.get("/api/v1/routines/compliance?kind=advisory").json()
    assert next(r for r in compliance if r["district"] == "sagene")["deviations"] == 1


def test_bad_input_and_roles(client, units, admin_user, leder_sagene):
    _login(client, leder_sagene)
    assert client.post("/api/v1/routines", _body(),
                       content_type="application/json").status_code == 403
    client.logout()
    _login(client, admin_user)
    response = client.post("/api/v1/routines", _body(kind="sometimes"),
                           content_type="application/json")
    assert response.status_code == 422 and "kind" in response.json()["errors"]
    response = client.post("/api/v1/routines", _body(days=-3), content_type="application/json")
    assert response.status_code == 422 and "respond_by" in response.json()["errors"]
    response = client.post("/api/v1/routines", _body(services=["nope"]),
                           content_type="application/json")
    assert response.status_code == 422 and "services" in response.json()["errors"]
    assert client.get("/api/v1/routines/999").status_code == 404


def test_openapi_states_the_enums(client, admin_user):
    _login(client, admin_user)
    schema = client.get("/api/v1/openapi.json").json()
    answer = schema["components"]["schemas"]["AnswerIn"]["properties"]["status"]
    assert set(answer["enum"]) == {"not_started", "in_progress", "implemented", "deviation"}
