"""The access matrix (issue #18, item 1): every page and every API operation,
as every role, with objects inside and outside the role's scope.

One small city is built once, and one test walks the table of cases and
collects every failure into one message (a city per case would cost minutes):

- clients in and out of each role's scope: another district, a whole-record
  block against the user, an item block (the decision, and what is reached
  through it), a client outside the planner's teams reached by an active
  break-glass grant and one whose grant has run out, and for the carer the
  clients on the own day list now, on the own list outside the margin, on
  the own list but blocked against the carer, and on a colleague's list;
- the objects reached through them: applications, assessments, decisions,
  reassessments, visits (reports), blocks, break-glass grants, and the
  district's plans and teams (/planlegging/, /api/v1/plans, day lists).

For every route with an object in its path, the answer for an object the
role may not reach must be the answer for an object that does not exist
(status, redirect and body, with the path masked): no unauthorised success
and no existence leak. For an object it may reach, an allowed role gets no
403/404. Every GET answer of a role, lists included, must be free of the
names and fødselsnumre of the clients it may not see.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client as HttpClient
from django.urls import get_resolver
from django.utils import timezone

from tillit.access.models import Block, BreakGlass
from tillit.access.policy import ADMIN, API_OPERATIONS, policy_of
from tillit.access.tests.test_policy_enumeration import ROUTE_PARAM, walk
from tillit.accounts.models import Role
from tillit.api.api import api
from tillit.conftest import home_care
from tillit.decisions import reference
from tillit.decisions.models import Decision
from tillit.decisions.tests.cases import build_case
from tillit.organisation.models import District
from tillit.planning.models import Assignment, Plan, RosterEntry, Visit

# One test walks the whole table (about a minute of CPU on SQLite here),
# in place of hundreds of tests that would each build the city.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MISSING = 987_654_321
TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
# Which case object a `pk` in a case handler's page names (by URL name).
DECISION_PAGES = {
    "application": "application", "interim_reply": "application",
    "interim_letter": "application", "withdraw": "application",
    "assessment_new": "application", "decision_new": "application",
    "assessment": "assessment", "decision": "decision", "letter": "decision",
    "reassessment_open": "decision", "reassessment": "reassessment",
}
API_PARAMS = {"client_id": "client", "application_id": "application",
              "assessment_id": "assessment", "decision_id": "decision",
              "reassessment_id": "reassessment", "visit_id": "visit", "plan_id": "plan"}
PAGE_PARAMS = {"client_id": "client", "visit_id": "visit", "plan_id": "plan", "team_id": "team",
               "block_id": "block", "grant_id": "grant"}
# Bodies that pass validation, so the object lookup decides the answer.
API_BODIES = {
    "/visits/{visit_id}/report": lambda: {"report_id": str(uuid.uuid4()), "done": True,
                                          "time_fit": "fitted"},
    "/plans/{plan_id}/replan": lambda: {"absent": [], "time_limit": 1},
    "/reassessments/{reassessment_id}/close": lambda: {"outcome": "unchanged"},
}


# Routes whose teams the analyst reaches in every district (staffing
# aggregates, city-wide by design: `tillit.staffing.scoping`).
CITY_WIDE = "bemanning/"
# Routes that need more than a reachable object (a plan's changes exist only
# for a re-plan): no "reached" check there, the comparison with a missing
# object still runs.
NEEDS_MORE = {"planlegging/planer/<int:plan_id>/endringer/"}


@dataclass
class Thing:
    kind: str
    pk: int
    client: object | None  # the client it belongs to (None: a district's object)
    district_id: int | None = None
    path_extra: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    users: dict
    clients: dict
    things: list[Thing]
    # Who may reach which client (declared here, not asked of the code).
    sees: dict[str, set[str]]
    # Items hidden from a user by an item block: (username, kind, pk).
    item_hidden: set[tuple[str, str, int]]
    today: dt.date


def _client(make_client, district: str, tag: str, **fields):
    # Markers that cannot be a part of one another: "Mx<tag>Q".
    return make_client(district, family_name=f"Mx{tag}Q", **fields)


def _day_list(employee, clients, day: dt.date) -> list[Visit]:
    team = employee.team
    RosterEntry.objects.get_or_create(employee=employee, date=day, shift="day",
                                      defaults={"team": team, "start": dt.time(7),
                                                "end": dt.time(15)})
    plan = Plan.objects.filter(team=team, date=day, shift="day", is_current=True).first()
    if plan is None:
        plan = Plan.objects.create(team=team, date=day, shift="day", status="done",
                                   is_current=True)
    visits = []
    for n, person in enumerate(clients):
        visit = Visit.objects.create(team=team, date=day, shift="day", client=person,
                                     window_start=dt.time(8 + n), window_end=dt.time(8 + n, 45),
                                     minutes=30, competence="assistant", tasks="Matrisestell")
        Assignment.objects.create(plan=plan, visit=visit, employee=employee, order=n)
        visits.append(visit)
    return visits


@pytest.fixture
def world(personas, make_client, make_user, settings) -> World:
    # A margin of 30 hours: today's day shift is "now" at any hour of the
    # test run, and a list five days ahead is always outside it.
    settings.TILLIT_CARER_ACCESS_MARGIN_HOURS = 30
    reference.ensure()
    users = dict(personas)
    colleague = make_user("pleier.alna.2", Role.CARER, "alna")
    handler, manager = users["saksbehandler"], users["leder.sagene"]
    planner, carer = users["planlegger.sagene"], users["pleier.alna.1"]
    clients = {
        "s_team": _client(make_client, "sagene", "steam"),
        "s_blocked": _client(make_client, "sagene", "sblocked"),
        "s_glass": _client(make_client, "sagene", "sglass", team=None),
        "s_expired": _client(make_client, "sagene", "sexpired", team=None),
        "a_now": _client(make_client, "alna", "anow"),
        "a_later": _client(make_client, "alna", "alater"),
        "a_colleague": _client(make_client, "alna", "acolleague"),
        "a_blocked": _client(make_client, "alna", "ablocked"),
    }
    things: list[Thing] = [Thing("client", c.pk, c) for c in clients.values()]
    cases = {}
    for name in ("s_team", "s_blocked", "a_now", "a_colleague"):
        cases[name] = build_case(clients[name], handler)
        for kind, obj in cases[name].items():
            things.append(Thing(kind, obj.pk, clients[name]))
    now = timezone.now()
    blocks = [
        Block.objects.create(client=clients["s_blocked"], user=users["saksbehandler.sagene"],
                             created_by=manager),
        Block.objects.create(client=clients["s_blocked"], user=planner, created_by=manager),
        Block.objects.create(client=clients["a_now"], user=colleague, created_by=handler),
        # on the carer's own list today, blocked against the carer
        Block.objects.create(client=clients["a_blocked"], user=carer, created_by=handler),
        # An item block: the decisions of s_team (and what hangs on them)
        # are hidden from the district manager, the rest of the record not.
        Block.objects.create(client=clients["s_team"], user=manager, created_by=handler,
                             item_type=ContentType.objects.get_for_model(Decision)),
    ]
    for block in blocks:
        things.append(Thing("block", block.pk, block.client))
    glass = BreakGlass.objects.create(
        user=planner, client=clients["s_glass"], district=clients["s_glass"].district,
        reason="Falt i hjemmet", started_at=now - dt.timedelta(minutes=5),
        expires_at=now + dt.timedelta(hours=1))
    expired = BreakGlass.objects.create(
        user=planner, client=clients["s_expired"], district=clients["s_expired"].district,
        reason="Falt i hjemmet", started_at=now - dt.timedelta(days=2),
        expires_at=now - dt.timedelta(days=1))
    things += [Thing("grant", g.pk, g.client) for g in (glass, expired)]

    today = timezone.localdate()
    visits = [*_day_list(carer.employee, [clients["a_now"], clients["a_blocked"]], today),
              *_day_list(carer.employee, [clients["a_later"]], today + dt.timedelta(days=5)),
              *_day_list(colleague.employee, [clients["a_colleague"]], today)]
    sagene_team = home_care(District.objects.get(slug="sagene"))[1]
    sagene_carer = make_user("pleier.sagene.1", Role.CARER, "sagene")
    visits += _day_list(sagene_carer.employee, [clients["s_team"]], today)
    things += [Thing("visit", v.pk, v.client) for v in visits]
    for plan in Plan.objects.all():
        things.append(Thing("plan", plan.pk, None, plan.team.district_id))
    for team in (sagene_team, carer.employee.team):
        things.append(Thing("team", team.pk, None, team.district_id,
                            {"slug": team.district.slug}))

    sagene = {"s_team", "s_blocked", "s_glass", "s_expired"}
    sees = {
        "saksbehandler": set(clients),  # the central office: every client
        "saksbehandler.sagene": sagene - {"s_blocked"},
        "leder.sagene": set(sagene),
        "planlegger.sagene": {"s_team", "s_glass"},
        "pleier.alna.1": {"a_now"},
        "analytiker": set(),
        "admin": set(),
        "pleier.alna.2": {"a_colleague"},
    }
    decision = cases["s_team"]["decision"]
    item_hidden = {("leder.sagene", "decision", decision.pk),
                   ("leder.sagene", "reassessment", cases["s_team"]["reassessment"].pk)}
    item_hidden |= {("leder.sagene", "visit", v.pk)
                    for v in Visit.objects.filter(decision=decision)}
    users["pleier.alna.2"] = colleague
    return World(users=users, clients=clients, things=things, sees=sees,
                 item_hidden=item_hidden, today=today)


def reaches(world: World, username: str, thing: Thing, route: str = "") -> bool:
    """Whether `username` may reach `thing`, from the table above."""
    user = world.users[username]
    if (username, thing.kind, thing.pk) in world.item_hidden:
        return False
    if thing.client is None and route.startswith(CITY_WIDE) and user.role == Role.ANALYST:
        return True  # staffing figures, no person data
    if thing.client is None:  # plans and teams: the user's own district
        return user.role in {Role.PLANNER, Role.DISTRICT_MANAGER} and (
            user.district_id == thing.district_id)
    names = {name for name, c in world.clients.items() if c.pk == thing.client.pk}
    return bool(names & world.sees.get(username, set()))


def content_of(response) -> bytes:
    if getattr(response, "streaming", False):
        response._body = b"".join(response.streaming_content)
        response.streaming = False
    return getattr(response, "_body", None) or response.content


def queued_messages(response) -> list[str]:
    """Messages the request left for the next page (a redirect's notice)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return [str(m) for m in getattr(storage, "_queued_messages", [])]


def normalised(response, paths: list[str]) -> tuple[int, str, bytes, list[str]]:
    body = content_of(response)
    for path in paths:
        body = body.replace(path.encode(), b"PATH")
    body = TOKEN.sub(b"TOKEN", body)
    body = re.sub(rb'"(received_at|time|at)": "[^"]*"', b'"TIME"', body)
    location = response.get("Location", "")
    for path in paths:
        location = location.replace(path, "PATH")
    return response.status_code, location, body, queued_messages(response)


def fill(route: str, values: dict[str, str]) -> str:
    path = ROUTE_PARAM.sub(lambda m: values.get(m["name"], "1"), route)
    return "/" + path


def page_cases(world: World) -> list[tuple[str, str, str, Thing]]:
    """(route, method, kind, thing) for every page with an object in its path."""
    cases = []
    for route, pattern, _namespace, app_name in walk(get_resolver().url_patterns):
        if app_name == "admin" or route.startswith("api/v1"):
            continue
        names = [m["name"] for m in ROUTE_PARAM.finditer(route)]
        kind = None
        if app_name == "decisions" and "pk" in names:
            kind = DECISION_PAGES.get(pattern.name or "")
        kinds = [PAGE_PARAMS[n] for n in names if n in PAGE_PARAMS]
        if kind is None and kinds:
            kind = kinds[-1]  # the innermost object (a block within its client)
        if kind is None:
            continue
        for thing in world.things:
            if thing.kind == kind:
                cases.append((route, pattern.name or "", kind, thing))
    return cases


def path_values(world: World, thing: Thing, pk: int) -> dict[str, str]:
    values = {"day": world.today.isoformat(), "shift": "day", "slug": "sagene", "fmt": "csv"}
    if thing.client is not None:
        values["client_id"] = str(thing.client.pk)
        values["slug"] = thing.client.district.slug
    values.update(thing.path_extra)
    for name, kind in {**PAGE_PARAMS, **API_PARAMS}.items():
        if kind == thing.kind:
            values[name] = str(pk)
    values["pk"] = str(pk)
    return values


def test_access_matrix(world: World) -> None:
    browsers = {}
    for username, user in world.users.items():
        browser = HttpClient()
        browser.force_login(user)
        browsers[username] = browser
    problems: list[str] = []
    reached = 0
    compared = 0
    seen_bodies: dict[str, list[tuple[str, bytes]]] = {u: [] for u in world.users}

    def request(username: str, method: str, path: str, body: dict | None, api_call: bool):
        browser = browsers[username]
        if api_call:
            data = json.dumps(body if body is not None else {})
            response = browser.generic(method, path, data=data, content_type="application/json")
        elif method == "GET":
            response = browser.get(path)
        else:
            response = browser.post(path, {})
        # Each answer is judged on its own: notices it leaves are compared
        # (queued_messages), never shown on the next request's page.
        browser.cookies.pop("messages", None)
        if response.status_code >= 500:
            problems.append(f"{method} {path} as {username}: {response.status_code}")
        if method == "GET":
            seen_bodies[username].append((path, content_of(response)))
        return response

    refused_once: set[tuple[str, str, str]] = set()
    missing_answers: dict[tuple[str, str, str], tuple] = {}

    def check(username, method, route_label, thing, make_path, body_of, api_call, allowed):
        nonlocal reached, compared
        if not allowed:
            # The policy refuses the role before any lookup: one object of
            # each route is enough to see it answer as for a missing one.
            if (username, method, route_label) in refused_once:
                return
            if not reaches(world, username, thing, route_label.lstrip("/")):
                refused_once.add((username, method, route_label))
        path = make_path(thing.pk)
        missing_path = make_path(MISSING)
        if reaches(world, username, thing, route_label.lstrip("/")):
            if method != "GET" or not allowed or route_label in NEEDS_MORE:
                return  # writes are tried on unreachable objects only
            status = request(username, method, path, None, api_call).status_code
            reached += 1
            if status in {403, 404}:
                problems.append(f"{method} {route_label} as {username}: {status} for a "
                                f"{thing.kind} in scope ({thing.pk})")
            return
        outside = request(username, method, path, body_of(), api_call)
        a = normalised(outside, [path])
        key = (username, method, missing_path)
        if key not in missing_answers:  # the same for every object of the route
            missing = request(username, method, missing_path, body_of(), api_call)
            missing_answers[key] = normalised(missing, [missing_path])
        b = missing_answers[key]
        compared += 1
        if a != b:
            problems.append(
                f"{method} {route_label} as {username}: the {thing.kind} {thing.pk} out of "
                f"scope answers {a[0]} {a[1]!r}, a missing one {b[0]} {b[1]!r}"
                + ("" if a[:2] != b[:2] else " (bodies or notices differ)"))


    policies = {route: policy_of(pattern.callback)
                for route, pattern, _ns, _app in walk(get_resolver().url_patterns)}
    pages = page_cases(world)
    for username in world.users:
        user = world.users[username]
        for route, _name, _kind, thing in pages:
            declared = policies[route]
            allowed = bool(declared and declared.allows(user))

            def make_path(pk, route=route, thing=thing):
                return fill(route, path_values(world, thing, pk))

            for method in ("GET", "POST"):
                check(username, method, route, thing, make_path, lambda: None, False, allowed)

        for api_path, operation in api.operations():
            names = re.findall(r"\{(\w+)\}", api_path)
            kinds = [API_PARAMS[n] for n in names if n in API_PARAMS]
            if not kinds:
                continue
            declared = policy_of(operation.view_func)
            allowed = bool(declared and declared.allows(user))
            route = "/api/v1" + api_path
            body_of = API_BODIES.get(api_path, dict)
            for thing in world.things:
                if thing.kind != kinds[-1]:
                    continue

                def make_path(pk, route=route, thing=thing):
                    values = path_values(world, thing, pk)
                    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], "1"), route)

                for method in operation.methods:
                    check(username, method, route, thing, make_path, body_of, True, allowed)

    # Lists and pages without an object in the path, and lists filtered by
    # an object, as every role: no name of a client out of scope anywhere.
    plain = []
    for route, pattern, _namespace, app_name in walk(get_resolver().url_patterns):
        if app_name == "admin" or ROUTE_PARAM.search(route):
            continue
        declared = policy_of(pattern.callback)
        if declared is None or declared in (API_OPERATIONS, ADMIN):
            continue
        plain.append("/" + route)
    for api_path, operation in api.operations():
        if "GET" in operation.methods and "{" not in api_path:
            plain.append("/api/v1" + api_path)
    later = (world.today + dt.timedelta(days=5)).isoformat()
    for person in world.clients.values():
        plain += [f"/api/v1/decisions?client={person.pk}",
                  f"/api/v1/applications?client={person.pk}",
                  f"/brukere/?q={person.family_name}"]
    plain += [f"/api/v1/daylist?date={later}", f"/api/v1/daylist?date={world.today}",
              f"/api/v1/plans?district=alna&date={world.today}",
              f"/api/v1/plans?district=sagene&date={world.today}"]
    for username in world.users:
        for path in plain:
            request(username, "GET", path, None, True)
        hidden = [c for name, c in world.clients.items()
                  if name not in world.sees.get(username, set())]
        for path, content in seen_bodies[username]:
            for person in hidden:
                for marker in (person.family_name, person.national_id):
                    # a search shows what was searched for in its fields, and
                    # the list's sort and page links carry the query on: an
                    # echo of the user's own words, not the client's data
                    shown = content
                    if f"q={marker}" in path:
                        for echo in (f'q={marker}', f'value="{marker}"'):
                            shown = shown.replace(echo.encode(), b"")
                    if marker.encode() in shown:
                        problems.append(f"GET {path} as {username} shows {marker} "
                                        "(a client out of scope)")

    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems)))
    # The matrix compares hundreds of cases and reaches objects in scope too.
    assert compared > 500 and reached > 50, (compared, reached)
