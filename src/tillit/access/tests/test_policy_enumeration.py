"""Deny by default, checked everywhere: every URL pattern (pages, admin and
every API operation) is requested as every persona, and the answer must
match the view's declared policy: allowed where it says so, refused (403,
or the same 404 as for a missing record) everywhere else. A view without a
declared policy fails here."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
import rules
from django.contrib.contenttypes.models import ContentType
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

from tillit.access.admin_guard import person_level_models
from tillit.access.middleware import declared_policy
from tillit.access.models import Block, BreakGlass
from tillit.access.policy import ADMIN, API_OPERATIONS, Policy, policy_of
from tillit.accounts.models import Role
from tillit.api.api import api

pytestmark = pytest.mark.django_db

ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
REFUSED = {403, 404}


def walk(
    patterns: list, prefix: str = "", namespace: str = "", app_name: str = ""
) -> Iterator[tuple[str, URLPattern, str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                entry.namespace or namespace,
                entry.app_name or app_name,
            )
        else:
            yield prefix + str(entry.pattern), entry, namespace, app_name


def fill(route: str, samples: dict[str, str]) -> tuple[str, set[str]]:
    """The route with sample values; the names that had no sample."""
    unknown: set[str] = set()

    def value(name: str, converter: str | None) -> str:
        if name in samples:
            if name in LOOSE:
                unknown.add(name)
            return samples[name]
        unknown.add(name)
        return "1" if converter in {None, "int"} else "x"

    samples = {**LOOSE, **samples}
    path = ROUTE_PARAM.sub(lambda m: value(m["name"], m["converter"] or "str"), route)
    path = REGEX_GROUP.sub(lambda m: value(m["name"], None), path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path, unknown


@pytest.fixture
def world(personas, make_client):
    sagene = make_client("sagene")
    make_client("alna")
    block = Block.objects.create(
        client=sagene, user=personas["analytiker"], created_by=personas["leder.sagene"]
    )
    from django.utils import timezone

    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=personas["planlegger.sagene"], client=sagene, district=sagene.district,
        reason="Fell at home, door locked", started_at=now, expires_at=now,
    )
    samples = {
        "client_id": str(sagene.pk), "block_id": str(block.pk), "grant_id": str(grant.pk),
    }
    return sagene, samples


# Values for parameters whose object may not exist: an allowed role may get
# 404 (or a redirect) there, never 403.
LOOSE = {"app_label": "accounts", "object_id": "1", "content_type_id": "1", "url": "nothing/"}
# Answers 403 to any request without its query parameters, by design; the
# other roles are still checked against ADMIN.
MALFORMED_WITHOUT_QUERY = {"admin/autocomplete/"}


def person_level_admin(url_name: str | None) -> bool:
    labels = {f"{m._meta.app_label}_{m._meta.model_name}_" for m in person_level_models()}
    return bool(url_name) and any(url_name.startswith(label) for label in labels)


def admin_model_allows(url_name: str | None, user) -> bool:
    """A model admin may narrow the site policy (e.g. no adding login
    attempts by hand)."""
    from django.contrib import admin
    from django.test import RequestFactory

    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}_{model._meta.model_name}_"
        if url_name and url_name.startswith(label):
            action = url_name.removeprefix(label)
            request = RequestFactory().get("/")
            request.user = user
            if action == "add":
                return model_admin.has_add_permission(request)
            if action == "delete":
                return model_admin.has_delete_permission(request)
            return model_admin.has_view_or_change_permission(request)
    return True


def expected_allowed(declared: Policy, user, client, kwargs_known: set[str]) -> bool:
    if not declared.allows(user):
        return False
    if declared.object_rule and "client_id" in kwargs_known:
        return rules.test_rule(declared.object_rule, user, client)
    return True


def test_every_url_and_operation_obeys_its_declared_policy(world, personas) -> None:
    sagene, samples = world
    browsers = {}
    for username, user in personas.items():
        browser = HttpClient()
        browser.force_login(user)
        browsers[username] = browser
    anonymous = HttpClient()
    problems: list[str] = []
    checked = 0

    for route, pattern, _namespace, app_name in walk(get_resolver().url_patterns):
        path, unknown = fill(route, samples)
        known = {k for k in samples if f"<int:{k}>" in route or f"<{k}>" in route}
        callback = pattern.callback
        if app_name == "admin":
            declared: Policy | None = ADMIN
        else:
            declared = policy_of(callback)
            if declared is None:
                from django.test import RequestFactory

                request = RequestFactory().get(path)
                from django.urls import resolve

                request.resolver_match = resolve(path)
                declared = declared_policy(request, callback)
        if declared is None:
            problems.append(f"{route}: no access policy declared")
            continue
        if declared is API_OPERATIONS:
            continue  # checked operation by operation below
        for username, browser in browsers.items():
            user = personas[username]
            allowed = expected_allowed(declared, user, sagene, known)
            if app_name == "admin" and person_level_admin(pattern.name):
                allowed = False  # no clinical content in the admin by default
            elif app_name == "admin" and allowed:
                allowed = admin_model_allows(pattern.name, user)
            if allowed and route in MALFORMED_WITHOUT_QUERY:
                continue
            status = browser.get(path).status_code
            checked += 1
            if status >= 500:
                problems.append(f"{route} as {username}: {status}")
            elif allowed and status in ({403} if unknown else REFUSED):
                problems.append(f"{route} as {username}: refused ({status}) but policy allows")
            elif not allowed and status not in REFUSED:
                problems.append(f"{route} as {username}: {status} but policy refuses")
        if not declared.is_public:
            status = anonymous.get(path).status_code
            if status not in {302, 401, 403, 404} and route != "admin/login/":
                problems.append(f"{route} anonymous: {status}")

    for path, operation in api.operations():
        declared = policy_of(operation.view_func)
        if declared is None:
            problems.append(f"API {path}: no access policy declared")
            continue
        route = "/api/v1" + re.sub(r"\{(\w+)\}", r"<\1>", path)
        url, unknown = fill(route.removeprefix("/"), samples)
        known = {k for k in samples if "{" + k + "}" in path}
        for method in operation.methods:
            for username, browser in browsers.items():
                user = personas[username]
                allowed = expected_allowed(declared, user, sagene, known)
                response = browser.generic(method, url, content_type="application/json", data="{}")
                checked += 1
                status = response.status_code
                if status >= 500:
                    problems.append(f"API {method} {path} as {username}: {status}")
                elif allowed and status in ({403} if unknown else REFUSED):
                    problems.append(f"API {method} {path} as {username}: refused ({status})")
                # A role that may call the operation but not on this object
                # may get 422: input is validated before the object is looked
                # up, and an answer about the input reveals nothing about it.
                elif not allowed and status not in REFUSED and not (
                    status == 422 and declared.allows(user)
                ):
                    problems.append(f"API {method} {path} as {username}: {status}, should refuse")
                if status in REFUSED or status >= 400:
                    assert set(response.json()) >= {"detail", "errors"}, (method, path, status)
            status = anonymous.generic(method, url).status_code
            if status not in {401, 403}:
                problems.append(f"API {method} {path} anonymous: {status}")

    assert not problems, "\n".join(problems)
    assert checked > 50


def test_a_view_without_policy_is_refused(rf, personas) -> None:
    from django.http import HttpResponse

    from tillit.access.middleware import AccessPolicyMiddleware

    def undeclared(request):
        return HttpResponse("secret")

    request = rf.get("/anything/")
    request.user = personas["leder.sagene"]
    request.resolver_match = None
    middleware = AccessPolicyMiddleware(lambda r: HttpResponse())
    response = middleware.process_view(request, undeclared, (), {})
    assert response is not None and response.status_code == 403


def test_an_operation_without_policy_is_refused(personas, rf) -> None:
    from ninja import NinjaAPI

    from tillit.api import errors
    from tillit.api.api import policy_first
    from tillit.api.auth import Session

    undeclared_api = NinjaAPI(urls_namespace="test-undeclared", auth=[Session()])
    undeclared_api.add_decorator(policy_first, mode="view")
    errors.install(undeclared_api)

    @undeclared_api.get("/secret")
    def secret(request) -> dict[str, bool]:
        return {"secret": True}

    view = next(p.callback for p in undeclared_api.urls[0] if str(p.pattern) == "secret")
    request = rf.get("/secret")
    request.user = personas["leder.sagene"]
    response = view(request)
    assert response.status_code == 403
    assert b"secret\": true" not in response.content


def test_roles_in_the_enumeration_cover_every_role(personas) -> None:
    assert {u.role for u in personas.values()} == set(Role.values)


# Objects reached through others (issue #10, finding 2): where each kind of
# case object is shown, and the texts that only it carries.
CASE_PAGES = {
    "application": "decisions:application", "assessment": "decisions:assessment",
    "decision": "decisions:decision", "reassessment": "decisions:reassessment",
}
ID_PARAMS = {"pk", "application_id", "assessment_id", "decision_id", "reassessment_id"}
ID_KEYS = {"application": "application", "assessment": "assessment", "decision": "decision",
           "new_decision": "decision"}


def hidden_by(kind: type, objects: dict) -> dict[str, object]:
    """The case objects a block on `kind` must hide: objects of that kind
    and every object reached through one (e.g. a reassessment through its
    decision), found from each model's path to its client."""
    from tillit.access.scopes import parent_hops

    found = {}
    for name, obj in objects.items():
        model = type(obj)
        path = getattr(model.objects.all(), "client_field", "client")
        if model is kind or kind in {m for _p, m in parent_hops(model, path)}:
            found[name] = obj
    return found


def leaks(content: bytes, is_json: bool, hidden: dict[str, object], texts: dict) -> list[str]:
    from django.urls import reverse

    found = []
    body = content.decode(errors="replace")
    for name, obj in hidden.items():
        for text in texts.get(name, []):
            if text in body:
                found.append(f"{name} text {text!r}")
        if not is_json and reverse(CASE_PAGES[name], args=[obj.pk]) in body:
            found.append(f"link to the {name}")
    if is_json:
        import json

        def walk_json(value: object) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    kind = ID_KEYS.get(key)
                    if kind in hidden and item == hidden[kind].pk:
                        found.append(f"id of the {kind} in {key!r}")
                    walk_json(item)
            elif isinstance(value, list):
                for item in value:
                    walk_json(item)

        with contextlib.suppress(ValueError):
            walk_json(json.loads(body))
    return found


def test_objects_reached_through_others_obey_their_blocks(personas, make_client) -> None:
    """Every page and every GET operation, with the ids of a whole case
    (application, assessment, decision, reassessment), as a case handler
    with a block on one kind of item at a time: no answer shows an object
    of that kind or one reached through it (text, link or id), and the
    same requests without the block do show each of them somewhere."""
    from django.utils import timezone

    from tillit.decisions.models import Application, Assessment, Decision
    from tillit.decisions.tests.cases import build_case

    handler, manager = personas["saksbehandler"], personas["leder.sagene"]
    person = make_client("sagene")
    objects = build_case(person, handler)
    texts = {
        "application": [objects["application"].description],
        "decision": [objects["decision"].justification, "Sperretest-stell"],
        "reassessment": [objects["reassessment"].reason],
    }
    requests: list[str] = []
    for route, pattern, _namespace, app_name in walk(get_resolver().url_patterns):
        if app_name == "admin" or policy_of(pattern.callback) is None:
            continue
        names = {m["name"] for m in ROUTE_PARAM.finditer(route)}
        for pk in {obj.pk for obj in objects.values()} if names & ID_PARAMS else {None}:
            samples = {"client_id": str(person.pk), **{n: str(pk) for n in ID_PARAMS}}
            requests.append(fill(route, samples)[0])
    for path, operation in api.operations():
        if "GET" not in operation.methods:
            continue
        names = set(re.findall(r"\{(\w+)\}", path))
        for pk in {obj.pk for obj in objects.values()} if names & ID_PARAMS else {None}:
            samples = {"client_id": str(person.pk), **{n: str(pk) for n in ID_PARAMS}}
            route = "api/v1" + re.sub(r"\{(\w+)\}", r"<\1>", path)
            requests.append(fill(route, samples)[0])
    requests += [f"/api/v1/decisions?client={person.pk}",
                 f"/api/v1/applications?client={person.pk}"]

    browser = HttpClient()
    browser.force_login(handler)

    def answers() -> dict[str, tuple[int, bytes, bool]]:
        found = {}
        for url in requests:
            response = browser.get(url)
            is_json = response.get("Content-Type", "").startswith("application/json")
            found[url] = (response.status_code, response.content, is_json)
        return found

    baseline = answers()
    problems: list[str] = []
    for kind in (Application, Assessment, Decision):
        hidden = hidden_by(kind, objects)
        shown = {url for url, (status, content, is_json) in baseline.items()
                 if status == 200 and leaks(content, is_json, hidden, texts)}
        if not shown:
            problems.append(f"{kind.__name__}: no answer shows it even without a block")
        block = Block.objects.create(client=person, user=handler, created_by=manager,
                                     item_type=ContentType.objects.get_for_model(kind))
        for url, (status, content, is_json) in answers().items():
            if status >= 500:
                problems.append(f"{url} with {kind.__name__} blocked: {status}")
            for leak in leaks(content, is_json, hidden, texts):
                problems.append(f"{url} with {kind.__name__} blocked shows the {leak}")
        Block.objects.filter(pk=block.pk).update(lifted_at=timezone.now(), lifted_by=manager)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("debug", [True, False])
def test_admin_answers_existing_and_missing_ids_alike(admin_user, make_client, settings,
                                                      debug) -> None:
    """Issue #10, finding 11: the same 404 in every mode, DEBUG included."""
    from tillit.clients.models import Client

    settings.DEBUG = debug
    person = make_client("sagene")
    content_type = ContentType.objects.get_for_model(Client).pk
    http = HttpClient(raise_request_exception=False)
    http.force_login(admin_user)
    answers = []
    for pk in (person.pk, person.pk + 1000):
        path = f"/admin/r/{content_type}/{pk}/"
        response = http.get(path)
        page = response.content.replace(path.encode(), b"")
        page = re.sub(rb"[A-Za-z0-9]{64}", b"TOKEN", page)  # each page masks its CSRF token
        answers.append((response.status_code, page))
    assert answers[0] == answers[1]
    assert answers[0][0] == 404
