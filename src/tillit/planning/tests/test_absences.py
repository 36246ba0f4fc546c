"""Absences registered by the planner: holiday, course and sick leave for a
carer of the team, refused with Norwegian field messages when the dates are
wrong or overlap, cancelled; a plan that still gives an absent carer visits
is shown as needing re-planning until it is re-planned or the absence is
cancelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse

from tillit.accounts.models import Role
from tillit.conftest import home_care
from tillit.organisation.models import District
from tillit.planning import services
from tillit.planning.absences import absent_carers, plans_hit_by
from tillit.planning.models import Absence, Assignment
from tillit.planning.tests.board_setup import PlannedShift, make_planned_shift
from tillit.planning.tests.conftest import add_carer

TODAY = dt.date(2026, 12, 7)
D = dt.timedelta(days=1)


@pytest.fixture
def planned(make_client, planlegger_sagene) -> PlannedShift:
    return make_planned_shift(make_client, seconds=0.3)


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_wrong_absences_are_refused_field_by_field(planned: PlannedShift) -> None:
    nora = planned.carers[0]
    services.do_register_absence(nora, Absence.Kind.HOLIDAY, TODAY + 5 * D, TODAY + 9 * D,
                                 today=TODAY)
    cases = [  # kind, first, last, field, words in the message
        ("holiday", TODAY + 3 * D, TODAY + 2 * D, "last_day", "kan ikke være før"),
        ("course", TODAY - 3 * D, TODAY - D, "last_day", "allerede over"),
        ("sick", TODAY + 9 * D, TODAY + 12 * D, "first_day", "overlapper"),
        ("course", TODAY, TODAY + 5 * D, "first_day", "(ferie) 12.12.2026–16.12.2026"),
        ("nap", TODAY, TODAY, "kind", "Velg hva slags fravær"),
        ("holiday", TODAY, TODAY + 400 * D, "last_day", "høyst 366 dager"),
    ]
    for kind, first, last, field, words in cases:
        with pytest.raises(ValidationError) as caught:
            services.do_register_absence(nora, kind, first, last, today=TODAY)
        assert words in " ".join(caught.value.message_dict.get(field, [])), (kind, first, last)
    assert Absence.objects.filter(employee=nora).count() == 1
    # the days right before and after are free, and another carer is not affected
    services.do_register_absence(nora, "sick", TODAY + 3 * D, TODAY + 4 * D, today=TODAY)
    services.do_register_absence(planned.carers[1], "course", TODAY + 5 * D, TODAY + 5 * D,
                                 today=TODAY)


def test_cancel_removes_a_future_absence_and_ends_a_started_one(planned: PlannedShift) -> None:
    ola = planned.carers[1]
    future = services.do_register_absence(ola, "holiday", TODAY + 2 * D, TODAY + 4 * D,
                                          today=TODAY)
    assert services.do_cancel_absence(future, today=TODAY) is None
    assert not Absence.objects.filter(pk=future.pk).exists()
    started = Absence.objects.create(employee=ola, kind="sick", first_day=TODAY - 2 * D,
                                     last_day=TODAY + 3 * D)
    kept = services.do_cancel_absence(started, today=TODAY)
    assert kept is not None and (kept.first_day, kept.last_day) == (TODAY - 2 * D, TODAY - D)
    with pytest.raises(ValidationError) as caught:
        services.do_cancel_absence(kept, today=TODAY)
    assert "er over" in caught.value.message_dict["absence"][0]


def test_an_absence_on_a_planned_day_marks_the_plan_until_cancelled(
        planned: PlannedShift) -> None:
    plan, day = planned.plan, planned.date
    busy = Assignment.objects.filter(plan=plan).values_list("employee_id", flat=True).first()
    carer = next(c for c in planned.carers if c.pk == busy)
    idle = add_carer(planned.team)
    assert absent_carers([plan]) == {}
    services.do_register_absence(idle, "course", day, day, today=day)
    assert absent_carers([plan]) == {}  # not in the plan: nothing to re-plan
    absence = services.do_register_absence(carer, "holiday", day, day + 6 * D, today=day)
    assert plans_hit_by(absence) == [plan]
    [hit] = absent_carers([plan])[plan.pk]
    assert hit.employee == carer and hit.visits == Assignment.objects.filter(
        plan=plan, employee=carer).count()
    # a re-plan from after the carer's last visit leaves nothing to move
    plan.replan_from = dt.time(23, 0)
    assert absent_carers([plan]) == {}
    plan.replan_from = None
    services.do_cancel_absence(absence, today=day)
    assert plans_hit_by(absence) == [] and absent_carers([plan]) == {}


def test_the_absence_page_registers_refuses_and_cancels(planned: PlannedShift,
                                                        planlegger_sagene, make_user) -> None:
    http = _as(planlegger_sagene)
    url = reverse("planning:absences", args=[planned.team.pk])
    day = planned.date
    busy = Assignment.objects.filter(plan=planned.plan).values_list(
        "employee_id", flat=True).first()
    wrong = http.post(url, {"employee": busy, "kind": "holiday",
                            "first_day": (day + 3 * D).isoformat(),
                            "last_day": (day + D).isoformat()})
    assert wrong.status_code == 400
    body = wrong.content.decode()
    assert "Siste dag kan ikke være før første dag." in body
    assert 'aria-describedby="id_last_day-error"' in body
    missing = http.post(url, {"employee": busy, "kind": "holiday", "first_day": "i morgen"})
    assert missing.status_code == 400 and "Skriv datoen som DD.MM.ÅÅÅÅ." in \
        missing.content.decode() and "Oppgi siste dag." in missing.content.decode()
    # another district's carer answers 404 like a missing one
    stranger = add_carer(home_care(District.objects.get(slug="alna"))[1])
    assert http.post(url, {"employee": stranger.pk, "kind": "holiday",
                           "first_day": day.isoformat(),
                           "last_day": day.isoformat()}).status_code == 404
    assert not Absence.objects.exists()

    done = http.post(url, {"employee": busy, "kind": "holiday", "first_day": day.isoformat(),
                           "last_day": (day + 2 * D).isoformat(), "note": "Juleferie"},
                     follow=True)
    assert done.status_code == 200
    text = done.content.decode()
    assert "er registrert" in text and "planlegg vakten på nytt" in text
    absence = Absence.objects.get(employee_id=busy)
    board = http.get(reverse("planning:board", args=[planned.team.pk, day.isoformat(), "day"]))
    assert "Denne planen må planlegges på nytt" in board.content.decode()
    index = http.get(reverse("planning:index")).content.decode()
    assert "må planlegges på nytt" in index

    foreign = Absence.objects.create(employee=stranger, kind="course", first_day=day,
                                     last_day=day)
    cancel = reverse("planning:cancel_absence", args=[planned.team.pk, foreign.pk])
    assert http.post(cancel).status_code == 404
    other = _as(make_user("planlegger.alna", Role.PLANNER, "alna"))
    mine = reverse("planning:cancel_absence", args=[planned.team.pk, absence.pk])
    assert other.post(mine).status_code == 404
    assert http.get(mine).status_code == 405
    assert http.post(mine).status_code == 302
    assert not Absence.objects.filter(pk=absence.pk).exists()
