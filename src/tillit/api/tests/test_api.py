"""The REST API: scoped reads, the contract's JSON errors, the OpenAPI
document with a policy on every operation, and authentication."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory
from ninja import NinjaAPI, Schema

from tillit.access.policy import policy
from tillit.accounts.tokens import do_issue_token
from tillit.api.api import api
from tillit.api.auth import BearerToken, Session

pytestmark = pytest.mark.django_db


class Body(Schema):
    count: int


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_carer_gets_404_for_a_sagene_client(pleier_alna_1, make_client) -> None:
    client = make_client("sagene")
    _row, token = do_issue_token(pleier_alna_1)
    http = HttpClient()
    missing = http.get("/api/v1/clients/999999", **bearer(token))
    other = http.get(f"/api/v1/clients/{client.pk}", **bearer(token))
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == {"detail": "Finnes ikke, eller du har ikke tilgang.", "errors": {}}


def test_client_list_is_scoped_filtered_and_limited(saksbehandler, make_client) -> None:
    sagene = [make_client("sagene") for _ in range(3)]
    make_client("alna")
    _row, token = do_issue_token(saksbehandler)
    http = HttpClient()
    everything = http.get("/api/v1/clients", **bearer(token)).json()["items"]
    assert len(everything) == 4
    only = http.get("/api/v1/clients?district=sagene&limit=2", **bearer(token)).json()
    assert len(only["items"]) == 2
    assert set(only["items"][0]) == {"id", "name", "district"}
    assert {item["district"] for item in only["items"]} == {"sagene"}
    assert {item["id"] for item in only["items"]} <= {c.pk for c in sagene}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/clients?limit=0", "limit"),
        ("/api/v1/clients?limit=abc", "limit"),
        ("/api/v1/clients?limit=100000", "limit"),
        ("/api/v1/clients?district=atlantis", "district"),
        ("/api/v1/clients/notanumber", "client_id"),
    ],
)
def test_bad_input_is_a_json_422_never_a_500(leder_sagene, url, field) -> None:
    response = browser(leder_sagene).get(url)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"] and all(isinstance(m, str) for m in body["errors"][field])


def test_refusals_are_json(analytiker, make_client) -> None:
    client = make_client("sagene")
    forbidden = browser(analytiker).get(f"/api/v1/clients/{client.pk}")
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "Du har ikke tilgang til dette.", "errors": {}}
    anonymous = HttpClient().get("/api/v1/clients")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"detail": "Logg inn eller send en gyldig tilgangsnøkkel.",
                                "errors": {}}
    bad_token = HttpClient().get("/api/v1/clients", **bearer("tillit_not-a-token"))
    assert bad_token.status_code == 401


def test_openapi_lists_every_operation_with_its_policy() -> None:
    response = HttpClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    documented = {
        (method.upper(), path)
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    }
    expected = {
        (method, "/api/v1" + path)
        for path, operation in api.operations()
        for method in operation.methods
    }
    assert documented == expected
    assert {("GET", "/api/v1/clients"), ("GET", "/api/v1/clients/{client_id}"),
            ("GET", "/api/v1/clients/{client_id}/access-log")} <= documented
    for methods in document["paths"].values():
        for spec in methods.values():
            assert spec["x-tillit-policy"]["rule"].startswith(("access.", "decisions.")) or \
                spec["x-tillit-policy"]["rule"]


def test_session_writes_need_csrf_and_bearer_writes_do_not(leder_sagene) -> None:
    writes = NinjaAPI(urls_namespace="test-writes", auth=[BearerToken(), Session()])

    @writes.post("/echo")
    @policy("access.authenticated")
    def echo(request) -> dict[str, str]:
        return {"user": request.user.username}

    view = next(p.callback for p in writes.urls[0] if str(p.pattern) == "echo")
    factory = RequestFactory()
    request = factory.post("/echo", data={}, content_type="application/json")
    request.user = leder_sagene
    request.COOKIES["sessionid"] = "present"
    assert view(request).status_code == 403  # no CSRF token
    _row, token = do_issue_token(leder_sagene)
    request = factory.post("/echo", data={}, content_type="application/json", **bearer(token))
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 200


def test_error_handlers_give_the_contract_shape(leder_sagene) -> None:
    from django.core.exceptions import ValidationError

    from tillit.api import errors

    checks = NinjaAPI(urls_namespace="test-errors", auth=[BearerToken()])
    errors.install(checks)

    @checks.post("/conflict")
    @policy("access.authenticated")
    def conflict(request, body: Body):
        if body.count > 1:
            raise ValidationError({"count": ["For mange."]})
        raise errors.Conflict("Already reported.", {"report_id": ["Used for another visit."]})

    view = next(p.callback for p in checks.urls[0] if str(p.pattern) == "conflict")
    _row, token = do_issue_token(leder_sagene)
    factory = RequestFactory()

    def post(raw: str):
        from django.contrib.auth.models import AnonymousUser

        request = factory.post("/conflict", data=raw, content_type="application/json",
                               **bearer(token))
        request.user = AnonymousUser()
        response = view(request)
        import json

        return response.status_code, json.loads(response.content)

    assert post('{"count": 1}') == (
        409, {"detail": "Already reported.", "errors": {"report_id": ["Used for another visit."]}}
    )
    status, body = post('{"count": 2}')
    assert status == 422 and body["errors"] == {"count": ["For mange."]}
    status, body = post('{"count": "many"}')
    assert status == 422 and "count" in body["errors"]
    status, body = post("{not json")
    assert status in {400, 422} and set(body) == {"detail", "errors"}
