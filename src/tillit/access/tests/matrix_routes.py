"""The access matrix's table of routes: every page (from the URL resolver)
and every API operation (from the OpenAPI document) with a parameter in its
path, and which kind of object that parameter names.

`test_access_matrix.py` requests each of them as every role with objects of
that kind inside and outside the role's scope; its fast coverage test fails
for any route whose parameter is neither here nor in `NOT_OBJECTS` (with the
reason), so a new page or operation cannot be left out of the matrix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import get_resolver

from tillit.access.policy import Policy, policy_of
from tillit.access.tests.test_policy_enumeration import ROUTE_PARAM, walk

API_PREFIX = "/api/v1"

# Path parameters that name an object, by name (pages and API alike).
PARAM_KINDS = {
    "client_id": "client", "application_id": "application", "assessment_id": "assessment",
    "decision_id": "decision", "reassessment_id": "reassessment", "visit_id": "visit",
    "plan_id": "plan", "team_id": "team", "block_id": "block", "grant_id": "grant",
    "absence_id": "absence", "inquiry_id": "inquiry", "request_id": "request",
    "loan_id": "loan", "routine_id": "routine", "answer_id": "acknowledgement",
    "project_id": "project", "employee_id": "employee", "slug": "district",
}
# Pages that name their object `pk`: which kind, by "namespace:url name".
PK_KINDS = {
    "decisions:application": "application", "decisions:interim_reply": "application",
    "decisions:interim_letter": "application", "decisions:withdraw": "application",
    "decisions:application_assign": "application", "decisions:note_add": "application",
    "decisions:attachment_add": "application", "decisions:assessment_new": "application",
    "decisions:decision_new": "application", "decisions:attachment": "attachment",
    "decisions:assessment": "assessment", "decisions:decision": "decision",
    "decisions:letter": "decision", "decisions:reassessment_open": "decision",
    "decisions:reassessment": "reassessment", "decisions:reassessment_assign": "reassessment",
    "insight:pilot_end": "pilot_site",
    "routines:detail": "routine", "routines:version_new": "routine",
    "routines:answer": "acknowledgement", "routines:document": "routine_version",
    "training:employee": "employee",
    "inquiries:detail": "inquiry", "inquiries:request": "request",
    "projects:detail": "project", "projects:edit": "project",
    "projects:document": "project_document",
    "devices:return": "loan", "devices:service": "loan", "devices:reject": "device_request",
    "workwear:deliver": "order", "workwear:return": "issue",
    "daylist:proposal_accept": "proposal", "daylist:proposal_dismiss": "proposal",
}
# Path parameters that name no object, and why each is left to the pages'
# own tests: the matrix fills them with a valid value.
NOT_OBJECTS = {
    "day": "a date (a day list's or a board's day), not a record: the team or plan "
           "beside it is the object the matrix varies",
    "shift": "day, evening or night: a choice from a fixed list, not a record",
    "fmt": "the worklist export's file format (csv or xlsx): the export is the "
           "role's own worklist, checked for names out of scope like every list",
}
# Routes left out of the matrix as a whole, and why.
EXEMPT_PREFIXES = {
    "admin/": "the admin site (system administrators' configuration); person-level "
              "models are kept out of it and its ids are checked by "
              "test_policy_enumeration (every persona) and "
              "test_admin_answers_existing_and_missing_ids_alike (existing = missing)",
}
# Kinds of object every member of staff may see (lists and pages open to all
# staff show them, with their ids), and why: a refusal to change one need
# not look like a missing id, it must only be a refusal (403 or 404).
PUBLIC_KINDS = {
    "routine": "city-wide routines are published to every district and unit; "
               "routines.read is every signed-in user",
    "routine_version": "a routine's versions and documents, as the routine",
    "acknowledgement": "every district's and unit's answer, with its id, is on the "
                       "routine's page and in GET /routines/{id} for all staff; who may "
                       "give one is narrower (routines.services.may_answer)",
    "project": "the register of projects and pilots is open to all staff "
               "(projects.read); who may change one is narrower (projects.services.may_edit)",
    "project_document": "a project's documents, as the project",
    "order": "workwear orders name a district, a garment and a size, no person; only "
             "the system administrator (central stock) delivers them",
}
# A valid value for each parameter that names no object.
SAMPLES = {"shift": "day", "fmt": "csv"}


@dataclass(frozen=True)
class Route:
    label: str  # "brukere/<int:client_id>/" or "/api/v1/clients/{client_id}"
    name: str  # "clients:detail", or the API's operation id
    params: tuple[str, ...]
    methods: tuple[str, ...]
    policy: Policy | None
    is_api: bool

    def kind(self) -> str | None:
        """The kind of the innermost object in the path (a block within its
        client); None when no parameter names an object."""
        kinds = [PK_KINDS.get(self.name) if p == "pk" else PARAM_KINDS.get(p)
                 for p in self.params if p not in NOT_OBJECTS]
        kinds = [k for k in kinds if k]
        return kinds[-1] if kinds else None

    def unknown_params(self) -> list[str]:
        return [p for p in self.params if p not in NOT_OBJECTS and not (
            PK_KINDS.get(self.name) if p == "pk" else PARAM_KINDS.get(p))]


def page_routes() -> list[Route]:
    found = []
    for route, pattern, namespace, app_name in walk(get_resolver().url_patterns):
        if route.startswith(API_PREFIX.lstrip("/")):
            continue  # the API, from its OpenAPI document below
        params = tuple(m["name"] for m in ROUTE_PARAM.finditer(route))
        if not params:
            continue
        name = f"{namespace or app_name}:{pattern.name or ''}"
        found.append(Route(route, name, params, ("GET", "POST"), policy_of(pattern.callback),
                           False))
    return found


def api_routes() -> list[Route]:
    from tillit.api.api import api

    found = []
    for path, spec_by_method in api.get_openapi_schema()["paths"].items():
        for method, spec in spec_by_method.items():
            params = tuple(p["name"] for p in spec.get("parameters", []) if p["in"] == "path")
            if not params:
                continue
            declared = spec.get("x-tillit-policy")
            found.append(Route(path, spec.get("operationId", ""), params, (method.upper(),),
                               Policy(**declared) if declared else None, True))
    return found


def id_routes() -> tuple[list[Route], list[tuple[Route, str]]]:
    """(the routes the matrix walks, the exempt ones with the reason)."""
    walked, exempt = [], []
    for route in page_routes() + api_routes():
        reason = next((why for prefix, why in EXEMPT_PREFIXES.items()
                       if route.label.startswith(prefix)), None)
        if reason:
            exempt.append((route, reason))
        else:
            walked.append(route)
    return walked, exempt


def fill_api(label: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], "1"), label)
