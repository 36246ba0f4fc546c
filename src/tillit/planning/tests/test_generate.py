"""The day's visits from the decisions: idempotent, and never touching what
was changed by hand, locked or reported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tillit.planning import services
from tillit.planning.models import ShiftKind, Visit


def _snapshot(world):
    return sorted(
        (v.pk, v.client_id, v.window_start, v.window_end, v.minutes, v.competence,
         tuple(v.skills), v.staff_count, v.after_id, v.status)
        for v in Visit.objects.filter(team=world.team, date=world.day)
    )


def test_generating_twice_gives_the_same_visits(world):
    first = services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    before = _snapshot(world)
    second = services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    assert first.created == len(before) > 0
    assert second.created == second.updated == 0
    assert second.unchanged == len(before)
    assert _snapshot(world) == before


def test_visits_carry_the_pattern(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    insulin = Visit.objects.get(client=world.clients[0], window_start=dt.time(7, 30))
    follow = Visit.objects.get(client=world.clients[0], window_start=dt.time(11, 0))
    assert insulin.skills == ["insulin"] and insulin.competence == "nurse"
    assert follow.after_id == insulin.pk
    assert (follow.after_min_minutes, follow.after_max_minutes) == (180, 300)
    double = Visit.objects.get(client=world.clients[1])
    assert double.staff_count == 2
    assert not Visit.objects.filter(team=world.team, shift=ShiftKind.EVENING).exists()


def test_weekday_and_shift_decide(world):
    dv = world.decisions[2].visits.get()
    dv.weekdays = [1]  # Tuesday only
    dv.save()
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    assert not Visit.objects.filter(client=world.clients[2], date=world.day).exists()
    services.do_generate_day(world.team, world.day, ShiftKind.EVENING)
    assert not Visit.objects.filter(team=world.team, shift=ShiftKind.EVENING).exists()


def test_manual_changes_and_locks_survive(world, fake_reports):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    moved = Visit.objects.get(client=world.clients[3], window_start=dt.time(7, 30))
    services.do_move_visit_window(moved, dt.time(9, 0), dt.time(9, 30))
    cancelled = Visit.objects.get(client=world.clients[4])
    services.do_cancel_visit(cancelled, "Pårørende er på besøk")
    locked = Visit.objects.get(client=world.clients[5])
    locked.locked_to = world.carers[2]
    locked.save()
    reported = Visit.objects.get(client=world.clients[7])
    fake_reports[reported.pk] = {world.carers[1].pk}
    # the decisions change meanwhile
    for client in (world.clients[3], world.clients[5], world.clients[7]):
        dv = client.decisions.get().visits.order_by("order").first()
        dv.minutes = 45
        dv.save()
    result = services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    assert result.kept >= 4
    moved.refresh_from_db()
    assert (moved.window_start, moved.minutes) == (dt.time(9, 0), 20)
    cancelled.refresh_from_db()
    assert cancelled.status == Visit.Status.CANCELLED
    locked.refresh_from_db()
    assert locked.minutes == 20 and locked.locked_to == world.carers[2]
    reported.refresh_from_db()
    assert reported.minutes == 20


def test_decision_changes_reach_untouched_visits(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    dv = world.decisions[7].visits.get()
    dv.minutes = 40
    dv.save()
    result = services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    assert result.updated == 1
    assert Visit.objects.get(decision_visit=dv, date=world.day).minutes == 40


def test_ended_decision_withdraws_its_visit(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    decision = world.decisions[8]
    decision.status = decision.Status.ENDED
    decision.save()
    result = services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    assert result.withdrawn == 1
    visit = Visit.objects.get(client=world.clients[8])
    assert visit.status == Visit.Status.CANCELLED


def test_client_away_covers_existing_and_later_days(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    client = world.clients[4]
    services.do_mark_client_away(client, world.day, world.day + dt.timedelta(days=3),
                                 "Innlagt på sykehus")
    assert Visit.objects.get(client=client, date=world.day).status == Visit.Status.CLIENT_AWAY
    later = world.day + dt.timedelta(days=2)
    services.do_generate_day(world.team, later, ShiftKind.DAY)
    visit = Visit.objects.get(client=client, date=later)
    assert visit.status == Visit.Status.CLIENT_AWAY
    assert visit.status_reason == "Innlagt på sykehus"
    services.do_generate_day(world.team, later, ShiftKind.DAY)
    assert Visit.objects.get(client=client, date=later).status == Visit.Status.CLIENT_AWAY


def test_one_off_changes_validate_in_norwegian(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    visit = Visit.objects.filter(team=world.team).first()
    with pytest.raises(ValidationError) as err:
        services.do_move_visit_window(visit, dt.time(10, 0), dt.time(9, 0))
    assert "Seneste start" in err.value.message_dict["window_end"][0]
    with pytest.raises(ValidationError):
        services.do_cancel_visit(visit, "  ")
    with pytest.raises(ValidationError):
        services.do_mark_client_away(world.clients[0], world.day, world.day - dt.timedelta(1), "x")


def test_added_visit_is_manual(world):
    visit = services.do_add_visit(
        world.team, world.day, ShiftKind.DAY, world.clients[2], window_start=dt.time(12, 0),
        window_end=dt.time(13, 0), minutes=20, competence="assistant", tasks="Ekstra tilsyn",
    )
    assert visit.manual and visit.source == Visit.Source.ADDED
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SCHEDULED
