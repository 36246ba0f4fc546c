"""Re-planning from the board: plan the shift (the background task runs at
once with django-tasks' ImmediateBackend), lock a visit, mark a carer ill
and re-plan, then see what changed; failure paths leave the plan as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tillit.core.planner import check_plan, load_instance
from tillit.planning import services
from tillit.planning.models import Absence, Plan, Visit

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FROM = dt.time(9, 30)


@pytest.fixture
def immediate_tasks(settings, monkeypatch):
    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(services, "DEFAULT_TIME_LIMIT", 2.0)


@pytest.fixture
def http(planner) -> HttpClient:
    client = HttpClient()
    client.force_login(planner)
    return client


def _url(name: str, world) -> str:
    return reverse(f"planning:{name}", args=[world.team.pk, world.day.isoformat(), "day"])


def _holders(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for route in plan.plan["routes"]:
        for stop in route["stops"]:
            if "visit" in stop:
                out.setdefault(stop["visit"], []).append(route["staff"])
    return out


def _starts(plan: Plan) -> dict[str, str]:
    return {s["visit"]: s["start"] for r in plan.plan["routes"] for s in r["stops"]
            if "visit" in s}


def _plan_shift(http, world, django_capture_on_commit_callbacks) -> Plan:
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(_url("queue_plan", world))
    assert response.status_code == 302
    plan = services.current_plan(world.team, world.day, "day")
    assert plan is not None and plan.status == Plan.Status.DONE
    return plan


def test_mark_ill_replan_keeps_locks_and_shows_the_changes(
        world, http, immediate_tasks, django_capture_on_commit_callbacks) -> None:
    old = _plan_shift(http, world, django_capture_on_commit_callbacks)
    holders, starts = _holders(old), _starts(old)
    later = {v: s for v, s in holders.items() if starts[v] >= "09:30"}
    ill = max({s for ss in later.values() for s in ss},
              key=lambda s: sum(s in ss for ss in later.values()))
    keep_vid, keep_staff = next((v, ss[0]) for v, ss in later.items()
                                if len(ss) == 1 and ss[0] != ill)
    assert http.post(_url("lock", world), {"visit": keep_vid, "employee": keep_staff}
                     ).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(_url("mark_ill", world), {
            "employee": ill, "from_time": FROM.strftime("%H:%M"), "replan": "on"})
    assert response.status_code == 302
    new = services.current_plan(world.team, world.day, "day")
    assert new.pk != old.pk and new.replaces_id == old.pk, new.error
    assert Absence.objects.get(employee_id=int(ill)).from_time == FROM
    new_holders, new_starts = _holders(new), _starts(new)
    assert new_holders[keep_vid] == [keep_staff]  # the locked visit stays
    for vid, staff in new_holders.items():
        if ill in staff:
            assert new_starts[vid] < "09:30"  # nothing after 09:30 for the ill carer
    assert check_plan(load_instance(new.instance), new.plan).ok
    board = http.get(_url("board", world)).content.decode()
    assert reverse("planning:changes", args=[new.pk]) in board
    changes = http.get(reverse("planning:changes", args=[new.pk]))
    assert changes.status_code == 200
    moved = [v for v in later if ill in later[v]]
    html = changes.content.decode()
    for vid in moved:
        assert f'data-visit="{vid}"' in html


def test_mark_ill_with_a_bad_time_changes_nothing(world, http, immediate_tasks,
                                                  django_capture_on_commit_callbacks) -> None:
    old = _plan_shift(http, world, django_capture_on_commit_callbacks)
    carer = world.carers[0]
    response = http.post(_url("mark_ill", world), {"employee": carer.pk, "from_time": "25:99"},
                         follow=True)
    assert "Skriv klokkeslettet som TT:MM." in response.content.decode()
    assert not Absence.objects.exists()
    assert services.current_plan(world.team, world.day, "day").pk == old.pk


def test_replan_of_a_replaced_plan_is_a_conflict(world, http, immediate_tasks,
                                                 django_capture_on_commit_callbacks) -> None:
    old = _plan_shift(http, world, django_capture_on_commit_callbacks)
    Plan.objects.filter(pk=old.pk).update(status=Plan.Status.RUNNING)  # not a finished plan
    response = http.post(_url("replan", world), {"from_time": "10:00"}, follow=True)
    assert "ikke lenger den gjeldende" in response.content.decode()
    assert Plan.objects.filter(team=world.team).count() == 1


def test_planning_with_no_staff_fails_with_a_clear_message(
        world, http, immediate_tasks, django_capture_on_commit_callbacks) -> None:
    for carer in world.carers:
        services.do_mark_ill(carer, world.day)
    with django_capture_on_commit_callbacks(execute=True):
        http.post(_url("queue_plan", world))
    board = http.get(_url("board", world)).content.decode()
    assert "Ingen ansatte er satt opp" in board
    assert services.current_plan(world.team, world.day, "day") is None


def test_add_a_visit_mid_shift(world, http, planner) -> None:
    client = world.clients[2]
    url = _url("add_visit", world)
    from tillit.audit.models import AccessRecord

    page = http.get(url)
    assert page.status_code == 200 and client.family_name in page.content.decode()
    # the form names the team's clients: the read is logged for each one offered
    logged = set(AccessRecord.objects.filter(operation__actor=planner, operation__what="list")
                 .values_list("client_id", flat=True))
    assert client.pk in logged
    bad = http.post(url, {"client": client.pk, "window_start": "12:00", "window_end": "11:00",
                          "minutes": 20, "competence": "assistant", "staff_count": 1})
    assert bad.status_code == 400
    assert "Seneste start kan ikke være før tidligste" in bad.content.decode()
    good = http.post(url, {"client": client.pk, "window_start": "11:00", "window_end": "12:00",
                           "minutes": 20, "competence": "assistant", "staff_count": 1,
                           "tasks": "Ekstra tilsyn"})
    assert good.status_code == 302
    visit = Visit.objects.get(source=Visit.Source.ADDED)
    assert (visit.client, visit.date, visit.minutes) == (client, world.day, 20)


def test_another_district_cannot_replan(world, alna_world, make_user,
                                        django_capture_on_commit_callbacks) -> None:
    from tillit.accounts.models import Role

    other = HttpClient()
    other.force_login(make_user("planlegger.alna", Role.PLANNER, "alna"))
    for name in ("queue_plan", "mark_ill", "replan"):
        assert other.post(_url(name, world), {"from_time": "10:00"}).status_code == 404
    assert other.get(_url("add_visit", world)).status_code == 404
    assert not Plan.objects.exists()
