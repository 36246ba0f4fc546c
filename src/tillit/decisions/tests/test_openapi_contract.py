"""The contract in the schema: `/api/v1/openapi.json` lists every allowed
value, and a script that knows nothing but that document (and a token) can
drive a case from application to decision letter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tillit.accounts.tokens import do_issue_token
from tillit.clients.models import Client
from tillit.decisions.models import Application, CareBlock, Decision, Reassessment, Slot
from tillit.organisation.models import Competence

pytestmark = pytest.mark.django_db

API = "/api/v1"
# Properties that carry a coded value somewhere in the document: each must state its values.
CODED = {"source", "urgency", "status", "block", "computed_block", "care_block", "slot",
         "competence", "outcome", "change", "office", "provider_kind", "state", "worst"}


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:  # Optional[X]: the non-null branch
        branches = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(branches) == 1:
            return _resolve(doc, branches[0])
    return schema


def _enum(doc: dict[str, Any], schema_name: str, prop: str) -> list[Any]:
    schema = doc["components"]["schemas"][schema_name]
    return _resolve(doc, schema["properties"][prop])["enum"]


@pytest.fixture
def doc(client, saksbehandler) -> dict[str, Any]:
    client.force_login(saksbehandler)
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_coded_value_lists_its_allowed_values(doc) -> None:
    missing = []
    for name, schema in doc["components"]["schemas"].items():
        for prop, spec in schema.get("properties", {}).items():
            resolved = _resolve(doc, spec)
            if prop in CODED and "enum" not in resolved and "const" not in resolved:
                missing.append(f"{name}.{prop}")
    assert not missing, missing
    assert set(_enum(doc, "ApplicationIn", "source")) == set(Application.Source.values)
    assert set(_enum(doc, "ApplicationIn", "urgency")) == set(Application.Urgency.values)
    assert set(_enum(doc, "ApplicationOut", "status")) == set(Application.Status.values)
    assert set(_enum(doc, "AssessmentIn", "block")) == set(CareBlock.values)
    assert set(_enum(doc, "DecisionIn", "outcome")) == {"granted", "partial", "refused"}
    assert set(_enum(doc, "DecisionIn", "care_block")) == {*CareBlock.values, ""}
    assert set(_enum(doc, "DecisionOut", "status")) == set(Decision.Status.values)
    assert set(_enum(doc, "VisitIn", "slot")) == set(Slot.values)
    assert set(_enum(doc, "VisitIn", "competence")) == set(Competence.values)
    assert set(_enum(doc, "ReassessmentIn", "source")) == set(Reassessment.Source.values)
    assert set(_enum(doc, "CloseIn", "outcome")) == set(Reassessment.Outcome.values)
    weekday = _resolve(doc, doc["components"]["schemas"]["VisitIn"]["properties"]["weekdays"])
    assert (weekday["items"]["minimum"], weekday["items"]["maximum"]) == (0, 6)
    # One error shape for every error answer.
    for path in doc["paths"].values():
        for operation in path.values():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorOut"), (operation["operationId"], status)


# -- the outside script: only the document, a base URL and a token --------------------

class Script:
    """Drives a case knowing only the OpenAPI document: paths, request
    schemas and their allowed values come from it, never from tillit."""

    def __init__(self, http: Any, token: str) -> None:
        self.http = http
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        self.doc = self.get("/openapi.json")

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(API + path, params, **self.headers)
        assert response.status_code == 200, (path, response.content[:500])
        return response.json() if response["Content-Type"].startswith("application/json") \
            else response.content

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(API + path, body, content_type="application/json",
                                  **self.headers)
        assert response.status_code in {200, 201}, (path, response.content[:800])
        return response.json()

    def path_taking(self, schema_name: str) -> str:
        """The path whose POST takes `schema_name` as its body."""
        for path, operations in self.doc["paths"].items():
            body = operations.get("post", {}).get("requestBody", {})
            ref = body.get("content", {}).get("application/json", {}).get("schema", {})
            if ref.get("$ref", "").endswith("/" + schema_name):
                return path.removeprefix(API)
        raise AssertionError(f"no operation takes {schema_name}")

    def path_answering(self, schema_name: str, *, params: int = 0) -> str:
        """The GET path whose 200 answer is `schema_name`."""
        for path, operations in self.doc["paths"].items():
            get = operations.get("get")
            if not get or path.count("{") != params:
                continue
            answer = get["responses"].get("200", {}).get("content", {})
            schema = answer.get("application/json", {}).get("schema", {})
            refs = [schema.get("$ref", ""), schema.get("items", {}).get("$ref", "")]
            if any(r.endswith("/" + schema_name) for r in refs):
                return path.removeprefix(API)
        raise AssertionError(f"no operation answers {schema_name}")

    def schema(self, name: str) -> dict[str, Any]:
        return self.doc["components"]["schemas"][name]

    def sample(self, spec: dict[str, Any]) -> Any:
        spec = _resolve(self.doc, spec)
        if "enum" in spec:
            return next(v for v in spec["enum"] if v != "")
        kind, fmt = spec.get("type"), spec.get("format")
        if kind == "string" and fmt == "date":
            return dt.date.today().isoformat()
        if kind == "string" and fmt == "date-time":
            return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        if kind == "string":
            return "Skrevet av et skript"
        if kind == "integer":
            low = spec.get("minimum", 1)
            return max(low, min(spec.get("maximum", 30), 30))
        if kind == "array":
            items = _resolve(self.doc, spec["items"])
            if items.get("type") == "integer" and "maximum" in items:
                return list(range(items.get("minimum", 0), items["maximum"] + 1))
            return [self.sample(items)]
        if kind == "boolean":
            return False
        raise AssertionError(f"cannot fill {spec}")

    def body(self, schema_name: str, **given: Any) -> dict[str, Any]:
        """Every required property: given, or a value the document allows."""
        schema = self.schema(schema_name)
        for name, value in given.items():
            assert name in schema["properties"], f"{schema_name} has no {name}"
            allowed = _resolve(self.doc, schema["properties"][name]).get("enum")
            assert allowed is None or value in allowed, (name, value, allowed)
        out = {name: self.sample(schema["properties"][name])
               for name in schema.get("required", []) if name not in given}
        return {**out, **given}

    def drive_case(self, client_id: int) -> dict[str, Any]:
        services = self.get(self.path_answering("ServiceTypeOut"))
        service = next(s for s in services if s["has_visits"] and s["office"] == "both")
        application = self.post(self.path_taking("ApplicationIn"), self.body(
            "ApplicationIn", client=client_id, service_type=service["code"]))
        iplos = self.get(self.path_answering("IplosOut"))
        scores = {v["code"]: iplos["scale"][2] for v in iplos["variables"]}
        assessment = self.post(self.path_taking("AssessmentIn"), self.body(
            "AssessmentIn", client=client_id, application=application["id"], scores=scores))
        visit = self.body("VisitIn", tasks="Morgenstell")
        tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        decision = self.post(self.path_taking("DecisionIn"), self.body(
            "DecisionIn", client=client_id, service_type=service["code"],
            application=application["id"], assessment=assessment["id"],
            care_block=assessment["block"], outcome="granted", valid_from=tomorrow,
            justification="Kartleggingen viser behov for hjelp til morgenstell.",
            visits=[visit]))
        letter_path = next(p for p in self.doc["paths"]
                           if p.startswith(API + "/decisions/{") and p.endswith("letter.pdf"))
        param = letter_path[letter_path.index("{") + 1:letter_path.index("}")]
        letter = self.get(letter_path.removeprefix(API).replace("{" + param + "}",
                                                                 str(decision["id"])))
        return {"application": application, "assessment": assessment, "decision": decision,
                "letter": letter}


def test_a_script_drives_a_case_with_only_the_document(client, make_client,
                                                       saksbehandler_sagene) -> None:
    person: Client = make_client("sagene")
    _row, token = do_issue_token(saksbehandler_sagene)
    client.logout()
    script = Script(client, token)
    done = script.drive_case(person.pk)
    assert done["letter"].startswith(b"%PDF")
    decision = Decision.objects.get(pk=done["decision"]["id"])
    assert decision.client == person and decision.outcome == "granted"
    assert decision.visits.count() == 1 and decision.application.status == "decided"
    assert done["decision"]["status"] in _enum(script.doc, "DecisionOut", "status")
