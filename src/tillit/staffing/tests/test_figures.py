"""The district's figures from the database match the hand-worked world."""

import pytest

from tillit.core import staffing as core
from tillit.staffing.figures import Scope, compute
from tillit.staffing.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def fte(minutes: float) -> float:
    return minutes / 60 / (0.53 * 37.5) * 1.1


def test_district_figures_match_the_hand_computation(world) -> None:
    f = compute(Scope(district=world.district), DAY)
    by = {line.competence: line for line in f.lines}
    assert {c: by[c].weekly_direct_minutes for c in by} == {
        "assistant": 60, "health_worker": 370, "nurse": 240,
    }
    assert by["nurse"].needed_fte == fte(240)
    assert by["health_worker"].needed_fte == fte(370)
    assert by["nurse"].rostered_fte == (37.5 + 15) / 37.5
    assert by["health_worker"].rostered_fte == 22.5 / 37.5
    assert by["assistant"].rostered_fte == 9.5 / 37.5
    assert f.contracted_fte == {"nurse": 2.8, "health_worker": 1.0, "assistant": 0.5}
    assert f.clients == 3
    assert (f.leaders_rostered, f.leaders_fte) == (1, 15 / 37.5)


def test_caseload_and_care_situations(world) -> None:
    f = compute(Scope(district=world.district), DAY)
    assert f.caseload.per_nurse == {world.nurse.pk: 1}
    assert f.lacking_ids == [world.unassigned_client.pk]  # no situation yet: needs a nurse
    assert f.non_nurse_responsible == 1  # the stable client has a health worker
    assert f.situations["complex"] == 1 and f.situations["stable"] == 1 and f.situations[""] == 1
    assert f.follow_up_minutes == core.FOLLOW_UP_MINUTES["complex"] + core.FOLLOW_UP_MINUTES[
        "stable"]


def test_the_what_if_parameters_change_the_need(world) -> None:
    params = core.StaffingParams(direct_care_share=0.6, absence_buffer=0.0, caseload_norm=1)
    f = compute(Scope(district=world.district), DAY, params)
    nurse = next(line for line in f.lines if line.competence == "nurse")
    assert nurse.needed_fte == 240 / 60 / (0.6 * 37.5) * 1.0
    assert f.caseload.over_norm == 0  # one client is not over a norm of one


def test_a_team_scope_counts_only_the_teams_clients(world, make_client) -> None:
    from tillit.organisation.models import Team

    other = Team.objects.create(district=world.district, unit=world.team.unit, name="Sone 2")
    world.stable_client.team = other
    world.stable_client.save()
    f = compute(Scope(district=world.district, team=world.team), DAY)
    by = {line.competence: line.weekly_direct_minutes for line in f.lines}
    assert by == {"assistant": 0, "health_worker": 270, "nurse": 240}


def test_nurse_visits_planned_for_others_and_leaders(world) -> None:
    import datetime as dt

    from tillit.planning.models import Assignment, Plan, Visit

    plan = Plan.objects.create(team=world.team, date=DAY, shift="day", status="done",
                               is_current=True)
    old = Plan.objects.create(team=world.team, date=DAY, shift="evening", status="done")
    visits = [
        Visit.objects.create(team=world.team, date=DAY, shift="day", client=world.complex_client,
                             window_start=dt.time(8), window_end=dt.time(9), minutes=m,
                             competence=c)
        for m, c in ((30, "nurse"), (20, "nurse"), (45, "health_worker"))
    ]
    Assignment.objects.create(plan=plan, visit=visits[0], employee=world.health_worker, order=1)
    Assignment.objects.create(plan=plan, visit=visits[1], employee=world.nurse, order=1)
    Assignment.objects.create(plan=plan, visit=visits[2], employee=world.assistant, order=1)
    Assignment.objects.create(plan=old, visit=visits[1], employee=world.assistant, order=1)
    f = compute(Scope(district=world.district), DAY)
    assert (f.plans, f.nurse_visits, f.nurse_visits_by_others, f.nurse_minutes_by_others) == (
        1, 2, 1, 30)
