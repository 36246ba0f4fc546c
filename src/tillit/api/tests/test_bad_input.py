"""Bad input is a 400 or 422 in the contract's JSON shape with Norwegian
messages, never a 500 (issue #10, finding 8); and values that only look
right are refused."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from tillit.decisions.models import Application, Decision
from tillit.decisions.tests.cases import build_case

pytestmark = pytest.mark.django_db
API = "/api/v1"
NORWEGIAN_WORDS = {"skriv", "må", "velg", "datoen", "ikke", "mellom", "oppgi", "feltet",
                   "verdien", "teksten", "forespørselen", "gi", "for", "stor", "dato"}


def norwegian(text: str) -> bool:
    words = {w.strip(".,:()").lower() for w in text.split()}
    return bool(words & NORWEGIAN_WORDS) or any(c in "æøåÆØÅ" for c in text)


def browser(user, **defaults: str) -> HttpClient:
    http = HttpClient(raise_request_exception=False, **defaults)
    http.force_login(user)
    return http


def post(http: HttpClient, url: str, body: object, **extra: str):
    return http.post(API + url, json.dumps(body), content_type="application/json", **extra)


def assert_refused(response, field: str | None = None) -> dict:
    assert response.status_code in {400, 422}, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"detail", "errors"}
    if field is not None:
        # a field inside a list is named by its path (visits.0.window_start)
        keys = [k for k in body["errors"] if k == field or k.endswith("." + field)]
        assert keys, body
        assert all(norwegian(m) for k in keys for m in body["errors"][k]), body
    return body


@pytest.mark.parametrize("url", [
    "/applications?client=99999999999999999999",
    "/decisions?client=99999999999999999999",
    "/clients/99999999999999999999",
    "/applications/99999999999999999999",
    "/decisions/99999999999999999999",
])
def test_huge_ids(saksbehandler, url) -> None:
    response = browser(saksbehandler).get(API + url)
    if response.status_code == 404:  # a path id: the same answer as any missing object
        assert response.json() == {"detail": "Finnes ikke, eller du har ikke tilgang.", "errors": {}}
    else:
        assert_refused(response, "client")


def test_huge_client_id_on_the_prefilled_form(saksbehandler) -> None:
    http = browser(saksbehandler)
    assert http.get("/saksbehandling/soknader/ny/?client=99999999999999999999").status_code == 404


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
                                  "1900-01-01T10:00:00+01:00"])
def test_received_at_out_of_range(saksbehandler, make_client, when) -> None:
    person = make_client("sagene")
    response = post(browser(saksbehandler), "/applications", {
        "client": person.pk, "service_type": "home-nursing", "source": "client",
        "received_at": when})
    assert_refused(response, "received_at")
    assert not Application.objects.exists()


def test_client_must_be_a_number_not_true(saksbehandler, make_client) -> None:
    make_client("sagene")  # client 1 exists
    response = post(browser(saksbehandler), "/applications", {
        "client": True, "service_type": "home-nursing", "source": "client",
        "received_at": "2026-03-01T10:00:00+01:00"})
    assert_refused(response, "client")
    assert not Application.objects.exists()


VISIT = {"slot": "morning", "weekdays": [0, 1, 2, 3, 4, 5, 6], "minutes": 30,
         "competence": "health_worker", "tasks": "Morgenstell"}


@pytest.mark.parametrize(("change", "field"), [
    ({"valid_from": "0001-01-01"}, "valid_from"),
    ({"valid_from": "9999-12-31"}, "valid_from"),
    ({"valid_to": "9999-12-31"}, "valid_to"),
    ({"visits": [{**VISIT, "window_start": "11:49:32Z", "window_end": "12:30"}]},
     "window_start"),
])
def test_decisions_with_dates_or_times_out_of_range(saksbehandler, make_client, change,
                                                    field) -> None:
    import datetime as dt

    person = make_client("sagene")
    start = dt.date.today() + dt.timedelta(days=1)
    body = {"client": person.pk, "service_type": "home-nursing", "care_block": "light",
            "valid_from": start.isoformat(), "visits": [VISIT], **change}
    assert_refused(post(browser(saksbehandler), "/decisions", body), field)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_reassessment_closed_with_a_date_out_of_range(saksbehandler, make_client, day) -> None:
    person = make_client("sagene")
    case = build_case(person, saksbehandler)
    reassessment = case["reassessment"]
    for outcome in ("ended", "reduced"):
        response = post(browser(saksbehandler), f"/reassessments/{reassessment.pk}/close", {
            "outcome": outcome, "valid_from": day,
            "changes": {"visits": [{**VISIT, "minutes": 20}]}})
        assert_refused(response, "valid_from")
    reassessment.refresh_from_db()
    assert reassessment.is_open


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_device_time_header_out_of_range(saksbehandler, make_client, value) -> None:
    person = make_client("sagene")
    http = browser(saksbehandler)
    response = http.get(f"{API}/clients/{person.pk}", HTTP_X_DEVICE_TIME=value)
    assert_refused(response, "X-Device-Time")
    # Pages ignore an unusable device time rather than fail the read.
    assert http.get(f"/brukere/{person.pk}/", HTTP_X_DEVICE_TIME=value).status_code == 200


def test_body_over_the_size_limit_is_a_json_400(saksbehandler, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(browser(saksbehandler), "/applications", {"description": "x" * 5000})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = assert_refused(response)
    assert norwegian(body["detail"]), body


@pytest.mark.parametrize("period", [{"fra": "0001-01-01", "til": "0001-12-01"},
                                    {"fra": "9999-01-01", "til": "9999-12-31"}])
def test_access_log_export_range_out_of_range(leder_sagene, period) -> None:
    http = browser(leder_sagene)
    response = http.get("/tilgangslogg/eksport.csv", period)
    assert response.status_code == 400, response.status_code


def test_ninjas_own_refusals_answer_in_bokmal(saksbehandler) -> None:
    """An unreadable body and a failed CSRF check come from django-ninja
    itself; their `detail` is bokmål like every other."""
    unreadable = browser(saksbehandler).post(API + "/applications", "{not json",
                                             content_type="application/json")
    assert unreadable.status_code == 400, unreadable.content
    assert unreadable.json() == {"detail": "Innholdet i forespørselen kan ikke leses.",
                                 "errors": {}}
    no_token = browser(saksbehandler, enforce_csrf_checks="1").post(
        API + "/applications", "{}", content_type="application/json")
    assert no_token.status_code == 403, no_token.content
    assert no_token.json()["detail"].startswith("CSRF-kontrollen feilet")
