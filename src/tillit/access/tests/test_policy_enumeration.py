"""Deny by default, checked everywhere: every URL pattern (pages, admin and
every API operation) is requested as every persona, and the answer must
match the view's declared policy: allowed where it says so, refused (403,
or the same 404 as for a missing record) everywhere else. A view without a
declared policy fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import rules
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
