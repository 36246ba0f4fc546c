"""A completion gives the planner the qualification; when it expires it is a
gap and the qualification leaves planning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.http import Http404

from tillit.core.planner.model import Point, Staff, Visit, can_serve
from tillit.organisation.models import Employee
from tillit.training import services
from tillit.training.models import Completion


def _staff(employee: Employee) -> Staff:
    """The carer as the day planner sees her (skills from qualifications)."""
    return Staff(id=str(employee.pk), competence="nurse", level=2,
                 skills=frozenset(employee.qualifications), mode="walk", shift=(0, 86_399),
                 start=Point(59.9, 10.7), end=Point(59.9, 10.7))


INSULIN_VISIT = Visit(id="v1", client="c1", location=Point(59.93, 10.75), window=(28_800, 32_400),
                      seconds=900, competence="nurse", level=2, skills=frozenset({"insulin"}))


def test_a_completion_puts_the_qualification_into_planning(courses, nurse, leder_sagene):
    assert not can_serve(_staff(nurse), INSULIN_VISIT)
    services.do_record_completion(user=leder_sagene, employee=nurse, course=courses["insulin"],
                                  completed_on=services.today())
    nurse.refresh_from_db()
    assert "insulin" in nurse.qualifications
    assert can_serve(_staff(nurse), INSULIN_VISIT)
    completion = Completion.objects.get()
    assert completion.expires_on == courses["insulin"].expiry_after(services.today())
    assert Completion.objects.get().recorded_by == leder_sagene


def test_expiry_dates(courses):
    insulin = courses["insulin"]
    assert insulin.expiry_after(dt.date(2024, 2, 29)) == dt.date(2026, 2, 28)
    insulin.valid_months = 1
    assert insulin.expiry_after(dt.date(2025, 1, 31)) == dt.date(2025, 2, 28)
    assert insulin.expiry_after(dt.date(2025, 12, 15)) == dt.date(2026, 1, 15)
    assert courses["record"].expiry_after(dt.date(2025, 1, 1)) is None


def test_an_expired_course_is_a_gap_and_leaves_planning(courses, nurse, leder_sagene, capsys):
    nurse.qualifications = ["catheter"]  # given by no course: left alone
    nurse.save()
    long_ago = services.today() - dt.timedelta(days=800)
    services.do_record_completion(user=leder_sagene, employee=nurse, course=courses["insulin"],
                                  completed_on=long_ago)
    # recorded already expired: it never reaches planning
    nurse.refresh_from_db()
    assert nurse.qualifications == ["catheter"]

    # a valid completion that then expires
    Completion.objects.all().delete()
    recent = services.today() - dt.timedelta(days=700)
    services.do_record_completion(user=leder_sagene, employee=nurse, course=courses["insulin"],
                                  completed_on=recent)
    nurse.refresh_from_db()
    assert nurse.qualifications == ["catheter", "insulin"]
    later = services.today() + dt.timedelta(days=60)
    status = {s.course.code: s for s in services.status_for([nurse], later)[nurse.pk]}
    assert status["insulin"].state == "expired" and status["insulin"].is_gap
    assert (nurse, status["insulin"]) in services.gaps([nurse], later)
    changed = services.do_expire_completions(later)
    assert changed == [(nurse, {"insulin"})]
    nurse.refresh_from_db()
    assert nurse.qualifications == ["catheter"]
    assert not can_serve(_staff(nurse), INSULIN_VISIT)
    assert services.do_expire_completions(later) == []  # once


def test_the_daily_command_expires(courses, nurse, leder_sagene, capsys):
    completed = services.today() - dt.timedelta(days=400)
    services.do_record_completion(user=leder_sagene, employee=nurse, course=courses["insulin"],
                                  completed_on=completed)
    Completion.objects.update(expires_on=services.today() - dt.timedelta(days=1))
    call_command("expire_training")
    assert "1 employees lost" in capsys.readouterr().out
    nurse.refresh_from_db()
    assert "insulin" not in nurse.qualifications


def test_renewal_keeps_the_qualification(courses, nurse, leder_sagene):
    old = services.today() - dt.timedelta(days=740)
    services.do_record_completion(user=leder_sagene, employee=nurse, course=courses["insulin"],
                                  completed_on=old)
    services.do_record_completion(user=leder_sagene, employee=nurse, course=courses["insulin"],
                                  completed_on=services.today())
    services.do_expire_completions()
    nurse.refresh_from_db()
    assert "insulin" in nurse.qualifications
    status = services.status_for([nurse])[nurse.pk]
    assert next(s for s in status if s.course.code == "insulin").state == "valid"


def test_onboarding_gaps_missing_then_overdue(courses, nurse):
    nurse.valid_from = services.today() - dt.timedelta(days=10)
    nurse.save()
    states = {s.course.code: s.state for s in services.status_for([nurse])[nurse.pk]}
    assert states == {"insulin": "missing", "record": "missing"}
    later = services.today() + dt.timedelta(days=30)
    states = {s.course.code: s.state for s in services.status_for([nurse], later)[nurse.pk]}
    assert states == {"insulin": "overdue", "record": "overdue"}


def test_only_ones_own_district(courses, make_user, leder_sagene):
    other = make_user("planlegger.alna", "planner", "alna").employee
    with pytest.raises(Http404):
        services.do_record_completion(user=leder_sagene, employee=other,
                                      course=courses["insulin"], completed_on=services.today())


def test_coverage_per_team_and_district(courses, nurse, leder_sagene):
    services.do_record_completion(user=leder_sagene, employee=nurse, course=courses["record"],
                                  completed_on=services.today())
    team = services.coverage_by_team(leder_sagene.district)
    assert [(c.people, c.required, c.valid) for c in team] == [(1, 2, 1)]
    assert team[0].share == 50
    sagene = next(c for d, c in services.coverage_by_district() if d.slug == "sagene")
    assert (sagene.people, sagene.valid, sagene.missing) == (1, 1, 1)
