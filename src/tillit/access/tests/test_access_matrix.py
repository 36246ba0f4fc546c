"""The access matrix (issue #18, item 1): every page and every API operation,
as every role, with objects inside and outside the role's scope.

The routes come from the URL resolver and the OpenAPI document
(`matrix_routes`): `test_every_route_with_an_id_is_in_the_matrix` fails for a
route whose path parameter names no kind of object the matrix knows and is
not exempt with a reason, so a new page cannot be forgotten.

One small city is built once, and one test walks the table of cases and
collects every failure into one message (a city per case would cost minutes):

- clients in and out of each role's scope: another district, a whole-record
  block against the user, an item block (the decision, and what is reached
  through it), a client outside the planner's teams reached by an active
  break-glass grant and one whose grant has run out, and for the carer the
  clients on the own day list now, on the own list outside the margin, on
  the own list but blocked against the carer, and on a colleague's list;
- the objects reached through them: applications, attachments, assessments,
  decisions, revision proposals, reassessments, visits (reports), blocks,
  break-glass grants, inquiries, device loans and requests;
- the district's objects: plans and teams (/planlegging/, /api/v1/plans, day
  lists), absences, staff (training), trust pilot sites, workwear issues,
  the district (staffing), routine answers and requests between offices;
- objects every member of staff may see (routines and their documents,
  projects and pilots and their documents, workwear orders): only writes are
  narrower there (who may edit a project, answer for a district).

For every route with an object in its path, the answer for an object the
role may not reach must be the answer for an object that does not exist
(status, redirect and body, with the path masked): no unauthorised success
and no existence leak. Where the object is one all staff see, a write the
role may not make must be refused (403 or 404). For an object it may reach,
an allowed role gets no 403/404, and a page or operation showing a client's
data writes the access log. Every GET answer of a role, lists included, must
be free of the names and fødselsnumre of the clients it may not see.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client as HttpClient
from django.urls import get_resolver
from django.utils import timezone

from tillit.access.models import Block, BreakGlass
from tillit.access.policy import ADMIN, API_OPERATIONS, policy_of
from tillit.access.tests.matrix_routes import (
    PARAM_KINDS,
    PK_KINDS,
    PUBLIC_KINDS,
    SAMPLES,
    Route,
    fill_api,
    id_routes,
)
from tillit.access.tests.test_policy_enumeration import ROUTE_PARAM, walk
from tillit.accounts.models import Role
from tillit.api.api import api
from tillit.audit.models import AccessOperation
from tillit.conftest import home_care
from tillit.decisions import reference
from tillit.decisions import services as decisions
from tillit.decisions.models import Decision
from tillit.decisions.tests.cases import build_case
from tillit.organisation.models import District, Employee
from tillit.planning.models import Assignment, Plan, RosterEntry, Visit

MISSING = 987_654_321
TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
# Bodies that pass validation, so the object lookup decides the answer.
IN_A_MONTH = (dt.date.today() + dt.timedelta(days=30)).isoformat()
API_BODIES: dict[str, Callable[[], dict]] = {
    "/api/v1/visits/{visit_id}/report": lambda: {"report_id": str(uuid.uuid4()), "done": True,
                                                 "time_fit": "fitted"},
    "/api/v1/plans/{plan_id}/replan": lambda: {"absent": [], "time_limit": 1},
    "/api/v1/reassessments/{reassessment_id}/close": lambda: {"outcome": "unchanged"},
    "/api/v1/applications/{application_id}/notes": lambda: {"text": "Matrisenotat"},
    "/api/v1/applications/{application_id}/interim-reply": lambda: {
        "expected_on": IN_A_MONTH, "reason": "Venter på epikrise"},
    "/api/v1/decisions/{decision_id}/reassessments": lambda: {"source": "request",
                                                              "reason": "Matrise"},
    "/api/v1/clients/{client_id}/break-glass": lambda: {"reason": "Falt i hjemmet, døren låst"},
    "/api/v1/routines/{routine_id}/versions": lambda: {
        "kind": "advisory", "text": "Ny tekst", "effective_from": IN_A_MONTH,
        "respond_by": IN_A_MONTH},
    "/api/v1/routine-answers/{answer_id}": lambda: {"status": "in_progress"},
    "/api/v1/inquiries/{inquiry_id}": lambda: {"status": "in_progress"},
    "/api/v1/requests/{request_id}/answer": lambda: {"answer": "Matrisesvar"},
    "/api/v1/projects/{project_id}/meetings": lambda: {
        "held_on": dt.date.today().isoformat(), "organisations": "Bydelen",
        "agreed": "Matrisemøte"},
}


# Routes whose teams and districts the analyst reaches in every district
# (staffing aggregates, city-wide by design: `tillit.staffing.scoping`).
CITY_WIDE = "bemanning/"
# Routes that need more than a reachable object (a plan's changes exist only
# for a re-plan): no "reached" check there, the comparison with a missing
# object still runs.
NEEDS_MORE = {"planlegging/planer/<int:plan_id>/endringer/"}
BREAK_GLASS = "/api/v1/clients/{client_id}/break-glass"

# (user, route label, method) -> whether the user may act on the object
Reach = Callable[[object, str, str], bool]


@dataclass
class Thing:
    kind: str
    pk: int
    client: object | None  # the client it belongs to (None: not a client's object)
    district_id: int | None = None
    path_extra: dict[str, str] = field(default_factory=dict)
    # Who may reach it where the district rule does not say (declared here,
    # not asked of the code).
    reached_by: Reach | None = None

    @property
    def public(self) -> bool:
        """Every member of staff sees it (`PUBLIC_KINDS`, with the reason)."""
        return self.kind in PUBLIC_KINDS


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
    slugs: dict[int, str]  # district pk -> slug


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


def _clients_things(users, clients, cases, today) -> list[Thing]:
    """Inquiries, device loans and requests, attachments and revision
    proposals of clients in and out of scope (blocked ones included)."""
    from tillit.daylist.models import RevisionProposal
    from tillit.devices.models import Device, DeviceRequest, DeviceType, Loan
    from tillit.inquiries.services import do_register_inquiry

    handler = users["saksbehandler"]
    things = []
    for name in ("s_team", "s_blocked", "s_glass", "s_expired", "a_now", "a_blocked"):
        inquiry = do_register_inquiry(user=handler, client=clients[name], sender="relative",
                                      channel="phone", topic="visits",
                                      summary="Datteren spør om tidene")
        things.append(Thing("inquiry", inquiry.pk, clients[name]))
    alarm = DeviceType.objects.create(code="matrisealarm", name="Trygghetsalarm",
                                      category="safety_alarm")
    for n, name in enumerate(("s_team", "s_blocked", "a_now")):
        person = clients[name]
        device = Device.objects.create(device_type=alarm, serial=f"MX-{n}", state="lent",
                                       acquired_on=today)
        loan = Loan.objects.create(device=device, client=person, district=person.district,
                                   lent_on=today, lent_by=handler)
        request = DeviceRequest.objects.create(
            client=person, district=person.district, device_type=alarm, reason="Faller ofte",
            requested_on=today, requested_by=handler)
        things += [Thing("loan", loan.pk, person), Thing("device_request", request.pk, person)]
    for name, case in cases.items():
        attachment = decisions.do_attach_document(
            case["application"], kind="gp_statement", title="Fastlegeuttalelse",
            filename="f.pdf", data=b"%PDF-1.4\n%%EOF\n", actor=handler)
        proposal = RevisionProposal.objects.create(decision=case["decision"],
                                                   direction="increase", source="team")
        things += [Thing("attachment", attachment.pk, clients[name]),
                   Thing("proposal", proposal.pk, clients[name])]
    return things


def _item_blocks(users, clients, things: list[Thing]) -> set[tuple[str, str, int]]:
    """Item blocks on the kinds reached through a client: the inquiries of
    s_team against the district's case handler, its device loans against the
    central office (the only role that handles loans), and a_now's case
    attachments (reached through the application) against the central
    office. Returns what each hides from whom."""
    from tillit.decisions.models import CaseAttachment
    from tillit.devices.models import Loan
    from tillit.inquiries.models import Inquiry

    hidden = set()
    for username, name, model, kind in (
        ("saksbehandler.sagene", "s_team", Inquiry, "inquiry"),
        ("saksbehandler", "s_team", Loan, "loan"),
        ("saksbehandler", "a_now", CaseAttachment, "attachment"),
    ):
        Block.objects.create(client=clients[name], user=users[username],
                             created_by=users["leder.sagene"],
                             item_type=ContentType.objects.get_for_model(model))
        hidden |= {(username, kind, t.pk) for t in things
                   if t.kind == kind and t.client.pk == clients[name].pk}
    assert len(hidden) == 3, hidden
    return hidden


def _staff_things(users, today) -> list[Thing]:
    """The districts' own objects: staff, absences, pilot sites, workwear,
    routine answers, requests between offices, and the districts."""
    from tillit.inquiries.models import ContactPoint
    from tillit.inquiries.services import do_send_request
    from tillit.insight.models import PilotSite
    from tillit.planning.models import Absence
    from tillit.routines.models import Acknowledgement

    things = []
    employees = Employee.objects.filter(user__username__in=[
        "planlegger.sagene", "pleier.sagene.1", "pleier.alna.1"])
    for employee in employees:
        things.append(Thing("employee", employee.pk, None, employee.district_id))
        absence = Absence.objects.create(employee=employee, kind="course",
                                         first_day=today + dt.timedelta(days=3),
                                         last_day=today + dt.timedelta(days=3))
        things.append(Thing("absence", absence.pk, None, employee.district_id,
                            {"team_id": str(employee.team_id)}))
    from tillit.workwear.models import GarmentType, Issue, Order

    garment = GarmentType.objects.create(code="matrisetunika", name="Tunika")
    for district in District.objects.filter(slug__in=["sagene", "alna"]):
        team = home_care(district)[1]
        site = PilotSite.objects.create(district=district, team=team,
                                        starts_on=today - dt.timedelta(days=30))
        things.append(Thing("pilot_site", site.pk, None, district.pk))
        things.append(Thing("district", district.pk, None, district.pk))
        employee = Employee.objects.filter(district=district).first()
        issue = Issue.objects.create(employee=employee, garment=garment, size="M", quantity=1,
                                     issued_on=today, issued_by=users["admin"])
        things.append(Thing("issue", issue.pk, None, district.pk))
        order = Order.objects.create(district=district, garment=garment, size="M", quantity=2,
                                     ordered_on=today, ordered_by=users["admin"])
        things.append(Thing("order", order.pk, None, district.pk))
    # Routine answers: every district's answer is on the routine's page for
    # all staff; who may give one is narrower (`routines.services.may_answer`).
    routine, version = _routine(users["admin"], today)
    things += [Thing("routine", routine.pk, None),
               Thing("routine_version", version.pk, None)]
    for district in District.objects.filter(slug__in=["sagene", "alna"]):
        unit = home_care(district)[0]
        for ack_unit in (None, unit):
            ack = Acknowledgement.objects.create(version=version, district=district,
                                                 unit=ack_unit)

            def answers(user, _route, _method, district=district, ack_unit=ack_unit) -> bool:
                return user.district_id == district.pk and (
                    user.role == Role.DISTRICT_MANAGER
                    or (user.role == Role.PLANNER and ack_unit is not None))

            things.append(Thing("acknowledgement", ack.pk, None, district.pk,
                                reached_by=answers))
    # Requests between offices: the sender, the contact point's responsible
    # and the manager of its district see them; nobody else.
    sagene_point = ContactPoint.objects.create(
        district=District.objects.get(slug="sagene"), topic="Matrisetema",
        responsible=users["leder.sagene"])
    alna_point = ContactPoint.objects.create(
        district=District.objects.get(slug="alna"), topic="Matrisetema",
        responsible=users["pleier.alna.2"])
    for sender, point, who in (
        ("planlegger.sagene", sagene_point, {"planlegger.sagene", "leder.sagene"}),
        ("saksbehandler", alna_point, {"saksbehandler", "pleier.alna.2"}),
    ):
        request = do_send_request(user=users[sender], contact_point=point,
                                  subject="Matrisespørsmål", text="Hvem har vakt?")

        def between(user, _route, _method, who=frozenset(who)) -> bool:
            return user.username in who

        things.append(Thing("request", request.pk, None, point.district_id,
                            reached_by=between))
    things += _project_things(users, today)
    return things


def _routine(author, today):
    from tillit.routines.models import Routine, RoutineVersion

    routine = Routine.objects.create(title="Matriserutine")
    version = RoutineVersion.objects.create(
        routine=routine, number=1, kind="mandatory", text="Gjør slik.",
        document_name="rutine.pdf", document_type="application/pdf",
        document=b"%PDF-1.4\n%%EOF\n", effective_from=today,
        respond_by=today + dt.timedelta(days=30), published_by=author)
    return routine, version


def _project_things(users, today) -> list[Thing]:
    """Projects and pilots are open to all staff; who may change one is
    narrower (`projects.services.may_edit`): the one who registered it and
    the manager of its district."""
    from tillit.projects.models import Document, Project

    writes = {"prosjekter/<int:pk>/endre/", "/api/v1/projects/{project_id}/meetings"}
    things = []
    for registrar, slug in (("planlegger.sagene", "sagene"), ("analytiker", "alna")):
        district = District.objects.get(slug=slug)
        project = Project.objects.create(
            kind="pilot", title=f"Matrisepilot {slug}", goal="Mer tid hos brukerne",
            district=district, contact_name="Kari", starts_on=today, status="running",
            registered_by=users[registrar])

        def edits(user, route, method, registrar=registrar, district=district) -> bool:
            if route not in writes and not (route == "prosjekter/<int:pk>/" and method != "GET"):
                return True  # reading: all staff
            return user.username == registrar or (
                user.role == Role.DISTRICT_MANAGER and user.district_id == district.pk)

        document = Document.objects.create(project=project, title="Sluttrapport",
                                           file_name="rapport.pdf",
                                           content_type="application/pdf",
                                           content=b"%PDF-1.4\n%%EOF\n")
        things += [Thing("project", project.pk, None, district.pk,
                         reached_by=edits),
                   Thing("project_document", document.pk, None, district.pk)]
    return things


@pytest.fixture
def world(personas, make_client, make_user, settings) -> World:
    # A margin of 30 hours: today's day shift is "now" at any hour of the
    # test run, and a list five days ahead is always outside it.
    settings.TILLIT_CARER_ACCESS_MARGIN_HOURS = 30
    reference.ensure()
    users = dict(personas)
    colleague = make_user("pleier.alna.2", Role.CARER, "alna")
    users["pleier.alna.2"] = colleague
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
    things += _clients_things(users, clients, cases, today)
    item_hidden = _item_blocks(users, clients, things)
    things += _staff_things(users, today)

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
    item_hidden |= {("leder.sagene", "decision", decision.pk),
                   ("leder.sagene", "reassessment", cases["s_team"]["reassessment"].pk)}
    item_hidden |= {("leder.sagene", "visit", v.pk)
                    for v in Visit.objects.filter(decision=decision)}
    item_hidden |= {("leder.sagene", "proposal", t.pk) for t in things
                    if t.kind == "proposal" and t.client.pk == clients["s_team"].pk}
    slugs = dict(District.objects.values_list("pk", "slug"))
    return World(users=users, clients=clients, things=things, sees=sees,
                 item_hidden=item_hidden, today=today, slugs=slugs)


def reaches(world: World, username: str, thing: Thing, route: str = "",
            method: str = "GET") -> bool:
    """Whether `username` may reach `thing`, from the table above."""
    user = world.users[username]
    if (username, thing.kind, thing.pk) in world.item_hidden:
        return False
    if thing.reached_by is not None:
        return thing.reached_by(user, route, method)
    if thing.public:
        return True
    if route == BREAK_GLASS and thing.kind == "client":
        # Emergency access is for clients out of the role's scope, in its own
        # district; on a blocked client it is logged and lifts no block
        # (test_break_glass_does_not_lift_a_block).
        return user.role in {Role.CARER, Role.PLANNER} and (
            user.district_id == thing.client.district_id)
    if thing.client is None and route.startswith(CITY_WIDE) and user.role == Role.ANALYST:
        return True  # staffing figures, no person data
    if thing.client is None:  # the district's objects: the user's own district
        return user.role in {Role.PLANNER, Role.DISTRICT_MANAGER} and (
            user.district_id == thing.district_id)
    names = {name for name, c in world.clients.items() if c.pk == thing.client.pk}
    return bool(names & world.sees.get(username, set()))


def shows_a_client(world: World, response) -> bool:
    """Whether the answer names one of the world's clients (a board or a
    plan shows the clients of a team)."""
    body = content_of(response)
    return any(c.family_name.encode() in body or c.national_id.encode() in body
               for c in world.clients.values())


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


def path_values(world: World, route: Route, thing: Thing, pk: int) -> dict[str, str]:
    values = {"day": world.today.isoformat(), "slug": "sagene", **SAMPLES}
    if thing.client is not None:
        values["client_id"] = str(thing.client.pk)
        values["slug"] = thing.client.district.slug
    values.update(thing.path_extra)
    for name, kind in PARAM_KINDS.items():
        if kind == thing.kind:
            values[name] = str(pk)
    if thing.kind == "district":
        values["slug"] = world.slugs.get(pk, f"bydel-{pk}")
    if PK_KINDS.get(route.name) == thing.kind:
        values["pk"] = str(pk)
    return values


def make_path(world: World, route: Route, thing: Thing, pk: int) -> str:
    values = path_values(world, route, thing, pk)
    if route.is_api:
        return fill_api(route.label, values)
    return "/" + ROUTE_PARAM.sub(lambda m: values.get(m["name"], "1"), route.label)


def test_every_route_with_an_id_is_in_the_matrix() -> None:
    """Fast and not slow: every page and API operation with a parameter in
    its path names a kind of object the matrix builds, or a parameter that
    names no object (`NOT_OBJECTS`), or is exempt with its reason."""
    walked, exempt = id_routes()
    problems = [f"{r.label} ({r.name}): parameter {p!r} is in neither the matrix "
                "(PARAM_KINDS, PK_KINDS) nor NOT_OBJECTS"
                for r in walked for p in r.unknown_params()]
    problems += [f"{r.label}: no access policy declared" for r in walked if r.policy is None]
    known = {r.name for r in walked}
    problems += [f"PK_KINDS names {name!r}, which no route has" for name in PK_KINDS
                 if name not in known]
    assert not problems, "\n".join(problems)
    assert any(r.is_api for r in walked) and sum(not r.is_api for r in walked) > 40
    assert all(why for _r, why in exempt)
    assert set(PUBLIC_KINDS) <= set(PARAM_KINDS.values()) | set(PK_KINDS.values())


def test_a_route_with_an_unknown_id_is_named() -> None:
    """The coverage test's own check: a parameter the matrix does not know,
    or a page's `pk` of an unknown page, is named."""
    new_page = Route("gadgets/<int:gadget_id>/", "gadgets:detail", ("gadget_id",),
                     ("GET",), None, False)
    new_pk = Route("gadgets/<int:pk>/", "gadgets:detail", ("pk",), ("GET",), None, False)
    known = Route("brukere/<int:client_id>/<str:day>/", "clients:x", ("client_id", "day"),
                  ("GET",), None, False)
    assert new_page.unknown_params() == ["gadget_id"] and new_page.kind() is None
    assert new_pk.unknown_params() == ["pk"]
    assert known.unknown_params() == [] and known.kind() == "client"


@pytest.mark.django_db
@pytest.mark.slow  # one test walks the whole table (about a minute of CPU on SQLite)
def test_access_matrix(world: World) -> None:
    browsers = {}
    for username, user in world.users.items():
        browser = HttpClient()
        browser.force_login(user)
        browsers[username] = browser
    problems: list[str] = []
    compared: Counter[str] = Counter()
    reached: Counter[str] = Counter()
    write_only: set[str] = set()
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

    def check(username: str, method: str, route: Route, thing: Thing, allowed: bool) -> None:
        label = route.label
        # A role the policy refuses reaches nothing: it must answer as for a
        # missing object.
        reachable = allowed and reaches(world, username, thing, label, method)
        if not allowed:
            # The policy refuses the role before any lookup: one object of
            # each route is enough to see it answer as for a missing one.
            if (username, method, label) in refused_once:
                return
            if not reachable:
                refused_once.add((username, method, label))
        path = make_path(world, route, thing, thing.pk)
        missing_path = make_path(world, route, thing, MISSING)
        body_of = API_BODIES.get(label, dict) if route.is_api else (lambda: None)
        if reachable:
            if method != "GET" or label in NEEDS_MORE:
                return  # writes are tried on unreachable objects only
            logged = AccessOperation.objects.count()
            response = request(username, method, path, None, route.is_api)
            status = response.status_code
            if status == 405:
                write_only.add(label)  # nothing to reach with GET
                return
            reached[label] += 1
            if status in {403, 404}:
                problems.append(f"{method} {label} as {username}: {status} for a "
                                f"{thing.kind} in scope ({thing.pk})")
            elif status == 200 and AccessOperation.objects.count() == logged and (
                    thing.client is not None or shows_a_client(world, response)):
                problems.append(f"{method} {label} as {username}: shows the {thing.kind} "
                                f"{thing.pk} or a client without an access-log row")
            return
        outside = request(username, method, path, body_of(), route.is_api)
        compared[label] += 1
        if thing.public and allowed:
            # Every member of staff sees it: the write must only be refused.
            if outside.status_code not in {403, 404, 405}:
                problems.append(f"{method} {label} as {username}: {outside.status_code} for "
                                f"the {thing.kind} {thing.pk} it may not change")
            return
        a = normalised(outside, [path])
        key = (username, method, missing_path)
        if key not in missing_answers:  # the same for every object of the route
            missing = request(username, method, missing_path, body_of(), route.is_api)
            missing_answers[key] = normalised(missing, [missing_path])
        b = missing_answers[key]
        if a != b:
            problems.append(
                f"{method} {label} as {username}: the {thing.kind} {thing.pk} out of "
                f"scope answers {a[0]} {a[1]!r}, a missing one {b[0]} {b[1]!r}"
                + ("" if a[:2] != b[:2] else " (bodies or notices differ)"))

    routes, _exempt = id_routes()
    with_objects = [r for r in routes if r.kind()]
    kinds_built = {t.kind for t in world.things}
    problems += [f"{r.label}: the matrix builds no {r.kind()}" for r in with_objects
                 if r.kind() not in kinds_built]
    for username, user in world.users.items():
        for route in with_objects:
            allowed = bool(route.policy and route.policy.allows(user))
            for thing in world.things:
                if thing.kind != route.kind():
                    continue
                for method in route.methods:
                    check(username, method, route, thing, allowed)

    # Every route was tried with an object out of some role's scope, and
    # every route that shows its object was reached by a role allowed to.
    for route in with_objects:
        only_public = all(t.public for t in world.things if t.kind == route.kind())
        if not compared[route.label] and not only_public:
            problems.append(f"{route.label}: never tried with an object out of scope")
        shows = "GET" in route.methods and route.label not in NEEDS_MORE
        if shows and any(route.policy and route.policy.allows(u) for u in world.users.values()) \
                and not reached[route.label] and route.label not in write_only:
            problems.append(f"{route.label}: never reached with an object in scope")

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
    plain += [make_path(world, r, Thing("", 0, None), 0)
              for r in routes if not r.kind() and not r.is_api]  # e.g. the worklist export
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
    assert sum(compared.values()) > 500 and sum(reached.values()) > 50, (compared, reached)

