"""In a real browser, the planner's board (issue 11's "Done when"): a planner
plans the shift, locks a visit, marks a carer ill and re-plans, sees the
moved visits and the locked one unchanged, and moves one visit by hand; the
stored plan passes `tillit check-plan`. The plan task runs at once
(django-tasks' ImmediateBackend) inside the live server."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tillit.core.planner.cli import check_command
from tillit.decisions import reference
from tillit.organisation.models import Employee
from tillit.planning import services
from tillit.planning.board import evaluate_move
from tillit.planning.models import Plan, Visit
from tillit.planning.tests.conftest import build_world

pytestmark = pytest.mark.browser

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FROM = "09:30"
PHONE = (360, 740)


@pytest.fixture
def world(city, make_client, settings, monkeypatch):
    reference.ensure()
    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(services, "DEFAULT_TIME_LIMIT", 2.0)
    return build_world("sagene", make_client)


def _routes(plan: Plan) -> dict[str, list[dict]]:
    return {r["staff"]: [s for s in r["stops"] if "visit" in s] for r in plan.plan["routes"]}


def _current(world) -> Plan:
    plan = services.current_plan(world.team, world.day, "day")
    assert plan is not None
    return plan


def test_planner_marks_ill_replans_and_moves_a_visit_by_hand(
    page_as, url, world, axe_check, console_errors, tmp_path
) -> None:
    page = page_as("planlegger.sagene")
    board = url("planning:board", world.team.pk, world.day.isoformat(), "day")
    page.goto(board)
    expect(page.locator("h1")).to_contain_text("dagvakt")
    with page.expect_navigation():
        page.get_by_role("button", name="Start planlegging").click()
    old = _current(world)
    expect(page.locator(".plan-column")).to_have_count(len(world.carers))
    axe_check(page)

    # lock a later visit of a carer who stays, then mark the busiest carer ill
    routes = _routes(old)
    later = {staff: [s for s in stops if s["start"] >= FROM] for staff, stops in routes.items()}
    ill = max(later, key=lambda s: len(later[s]))
    keeper, kept = next((s, stops[0]["visit"]) for s, stops in later.items()
                        if s != ill and stops
                        and Visit.objects.get(pk=int(stops[0]["visit"])).staff_count == 1)
    kept_item = page.locator(f'section[data-staff="{keeper}"] li[data-visit="{kept}"]')
    with page.expect_navigation():
        kept_item.get_by_role("button", name="Lås her").click()
    expect(kept_item).to_contain_text("Låst til denne pleieren")

    page.get_by_label("Pleier", exact=True).select_option(ill)
    page.get_by_label("Syk fra").fill(FROM)
    with page.expect_navigation():
        page.get_by_role("button", name="Meld syk og planlegg på nytt").click()
    new = _current(world)
    assert new.pk != old.pk and new.replaces_id == old.pk
    expect(page.locator(".tillit-messages")).to_contain_text("er registrert syk fra 09:30")

    # the locked visit is unchanged; the ill carer has nothing from 09:30
    expect(page.locator(f'section[data-staff="{keeper}"] li[data-visit="{kept}"]')
           ).to_contain_text("Låst til denne pleieren")
    new_routes = _routes(new)
    assert all(s["start"] < FROM for s in new_routes.get(ill, []))
    moved = [s["visit"] for s in later[ill]]
    assert moved

    # what changed: the ill carer's later visits are listed with their new carer
    with page.expect_navigation():
        page.get_by_role("link", name="Hva siste omplanlegging endret").click()
    for vid in moved:
        expect(page.locator(f'tr[data-visit="{vid}"]')).to_be_visible()
    axe_check(page)

    # move one visit by hand: a move the checker accepts
    page.goto(board)
    ill_employee = Employee.objects.get(pk=int(ill))
    carers = [e for e in Employee.objects.filter(pk__in=[int(s) for s in new_routes])
              if e != ill_employee]
    visit, to = next(
        (v, e) for v in Visit.objects.filter(pk__in=[int(s["visit"]) for stops in
                                                     new_routes.values() for s in stops],
                                             staff_count=1, locked_to__isnull=True)
        for e in carers if len(evaluate_move(new, v, e).feasible_places) > 1)
    item = page.locator(f'li[data-visit="{visit.pk}"]')
    item.get_by_label("Flytt til").select_option(str(to.pk))
    with page.expect_navigation():
        item.get_by_role("button", name="Sjekk flytting").click()
    expect(page.locator(".pkt-alert--success")).to_contain_text("holder alle reglene")
    expect(page.locator(".plan-facts")).to_contain_text("Endring i kostnad")
    axe_check(page)
    # ...at a place on the new route the planner chooses, not the cheapest
    place = evaluate_move(new, visit, to).feasible_places[-1]
    page.get_by_label(f"Sted på ruta til {to}").select_option(place)
    with page.expect_navigation():
        page.get_by_role("button", name="Sjekk dette stedet").click()
    expect(page.locator(".pkt-alert--success")).to_contain_text("holder alle reglene")
    expect(page.locator(".plan-facts")).to_contain_text("Sted på ruta")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre flyttingen").click()
    expect(page.locator(f'section[data-staff="{to.pk}"] li[data-visit="{visit.pk}"]')
           ).to_be_visible()

    saved = _current(world)
    assert saved.pk == new.pk and saved.version == new.version + 1
    assert saved.stats["hand_moves"][-1]["place"] == place
    (tmp_path / "instance.json").write_text(json.dumps(saved.instance), "utf-8")
    (tmp_path / "plan.json").write_text(json.dumps(saved.plan), "utf-8")
    assert check_command([str(tmp_path / "instance.json"), str(tmp_path / "plan.json")]) == 0
    assert not console_errors

    # the same board on a phone: one column under the other, no sideways scrolling
    phone = page_as("planlegger.sagene", viewport=PHONE)
    phone.goto(board)
    expect(phone.locator(".plan-column").first).to_be_visible()
    assert not phone.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth")
    axe_check(phone)


def test_the_board_shows_live_progress_then_reloads(page_as, url, world, axe_check,
                                                     console_errors) -> None:
    running = Plan.objects.create(team=world.team, date=world.day, shift="day",
                                  status=Plan.Status.RUNNING,
                                  progress={"best_cost": 812.5, "unassigned": 3, "elapsed": 2.0})
    page = page_as("planlegger.sagene")
    page.goto(url("planning:board", world.team.pk, world.day.isoformat(), "day"))
    status = page.locator("#plan-status")
    expect(status).to_contain_text("Beste kostnad hittil: 812,5")
    axe_check(page)
    Plan.objects.filter(pk=running.pk).update(progress={"best_cost": 640.5, "unassigned": 1,
                                                        "elapsed": 4.0})
    expect(status).to_contain_text("Beste kostnad hittil: 640,5")  # polled, no reload
    Plan.objects.filter(pk=running.pk).update(status=Plan.Status.FAILED,
                                              error="Ingen ansatte er satt opp på denne vakten.")
    expect(page.locator(".pkt-alert--error")).to_contain_text("Siste planlegging feilet")
    expect(page.locator("#plan-status")).to_have_count(0)
    assert not console_errors
