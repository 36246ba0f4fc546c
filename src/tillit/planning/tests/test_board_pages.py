"""The planner's pages: who may open them, what they show, that they log
the read of client data, and moves through the page (preview, save,
refusal and conflict)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tillit.accounts.models import Role
from tillit.audit.models import AccessRecord
from tillit.organisation.services import do_set_team_contact
from tillit.planning.board import evaluate_move
from tillit.planning.models import Absence, Plan
from tillit.planning.tests.board_setup import PlannedShift, make_planned_shift


@pytest.fixture
def planned(make_client, planlegger_sagene) -> PlannedShift:
    return make_planned_shift(make_client)


def _as(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _board_url(shift: PlannedShift) -> str:
    return reverse("planning:board", args=[shift.team.pk, shift.date.isoformat(), "day"])


def _pages(shift: PlannedShift) -> list[str]:
    team, day = shift.team.pk, shift.date.isoformat()
    return [
        _board_url(shift),
        reverse("planning:roster", args=[team]),
        reverse("planning:absences", args=[team]),
        reverse("planning:emergency", args=[team, day]) + "?format=html",
        reverse("planning:plan_status", args=[shift.plan.pk]),
    ]


@pytest.mark.parametrize("who", ["planlegger.sagene", "leder.sagene"])
def test_the_districts_planner_and_manager_open_every_page(planned, who, leder_sagene,
                                                           planlegger_sagene) -> None:
    user = {"planlegger.sagene": planlegger_sagene, "leder.sagene": leder_sagene}[who]
    http = _as(user)
    assert http.get(reverse("planning:index")).status_code == 200
    for url in _pages(planned):
        assert http.get(url).status_code == 200, url


def test_another_districts_planner_gets_404(planned, make_user) -> None:
    http = _as(make_user("planlegger.alna", Role.PLANNER, "alna"))
    for url in _pages(planned):
        assert http.get(url).status_code == 404, url
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize("fixture", ["pleier_alna_1", "analytiker", "saksbehandler_sagene"])
def test_carers_analysts_and_case_handlers_are_refused(planned, fixture, request) -> None:
    http = _as(request.getfixturevalue(fixture))
    for url in [reverse("planning:index"), *_pages(planned)]:
        assert http.get(url).status_code == 403, url


def test_the_board_shows_the_plan_and_logs_the_read(planned, planlegger_sagene) -> None:
    response = _as(planlegger_sagene).get(_board_url(planned))
    html = response.content.decode()
    for carer in planned.carers:
        assert str(carer) in html
    assert "08:00–09:30" in html  # windows, not minute slots
    assert "<svg" in html and "plan-map__district" in html
    assert "Kart over rutene i Sagene" in html
    assert "Ulike pleiere per bruker siste 28 dager (median)" in html
    assert "pleier på 28 dager" in html or "pleiere på 28 dager" in html
    assert "Nødliste (PDF)" in html  # today's board links the emergency list
    logged = set(AccessRecord.objects.values_list("client_id", flat=True))
    assert logged == {c.pk for c in planned.clients}


def test_the_board_without_a_plan_says_so(planned, planlegger_sagene) -> None:
    url = reverse("planning:board", args=[planned.team.pk, planned.date.isoformat(), "night"])
    response = _as(planlegger_sagene).get(url)
    assert response.status_code == 200
    assert not AccessRecord.objects.exists()


def test_a_bad_date_or_shift_is_404(planned, planlegger_sagene) -> None:
    http = _as(planlegger_sagene)
    assert http.get(f"/planlegging/team/{planned.team.pk}/2026-13-01/day/").status_code == 404
    assert http.get(f"/planlegging/team/{planned.team.pk}/2026-12-01/lunch/").status_code == 404


def test_the_status_fragment_polls_while_a_plan_runs(planned, planlegger_sagene) -> None:
    running = Plan.objects.create(team=planned.team, date=planned.date, shift="day",
                                  status=Plan.Status.RUNNING,
                                  progress={"best_cost": 1234.5, "unassigned": 2,
                                            "elapsed": 3.2})
    http = _as(planlegger_sagene)
    board = http.get(_board_url(planned)).content.decode()
    assert f'hx-get="{reverse("planning:plan_status", args=[running.pk])}"' in board
    fragment = http.get(reverse("planning:plan_status", args=[running.pk]),
                        HTTP_HX_REQUEST="true")
    assert "1234,5" in fragment.content.decode() or "1234.5" in fragment.content.decode()
    assert "HX-Refresh" not in fragment
    Plan.objects.filter(pk=running.pk).update(status=Plan.Status.DONE)
    done = http.get(reverse("planning:plan_status", args=[running.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def _move_params(shift: PlannedShift, visit, to) -> dict[str, object]:
    return {"visit": visit.pk, "to": to.pk}


def test_an_invalid_move_shows_why_and_changes_nothing(planned, planlegger_sagene) -> None:
    http = _as(planlegger_sagene)
    url = reverse("planning:move", args=[planned.team.pk, planned.date.isoformat(), "day"])
    insulin, assistant = planned.visits[0], planned.carers[2]
    preview = http.get(url, _move_params(planned, insulin, assistant))
    assert preview.status_code == 422
    assert "kan ikke gjøres" in preview.content.decode()
    saved = http.post(url, {**_move_params(planned, insulin, assistant),
                            "expected_version": planned.plan.version})
    assert saved.status_code == 422
    planned.plan.refresh_from_db()
    assert planned.plan.version == 1


def test_a_move_through_the_page_and_a_stale_second_save(planned, planlegger_sagene) -> None:
    http = _as(planlegger_sagene)
    url = reverse("planning:move", args=[planned.team.pk, planned.date.isoformat(), "day"])
    visit, target = next((v, c) for v in planned.visits for c in planned.carers
                         if v.staff_count == 1 and evaluate_move(planned.plan, v, c).ok)
    preview = http.get(url, _move_params(planned, visit, target))
    assert preview.status_code == 200, preview.content.decode()[:2000]
    body = preview.content.decode()
    assert 'name="expected_version" value="1"' in body
    post = {**_move_params(planned, visit, target), "expected_version": 1, "lock": "on"}
    first = http.post(url, post)
    assert first.status_code == 302
    planned.plan.refresh_from_db()
    visit.refresh_from_db()
    assert planned.plan.version == 2 and visit.locked_to == target
    second = http.post(url, post)  # the same form, read at version 1
    assert second.status_code == 409
    assert "ingenting er endret" in second.content.decode()
    planned.plan.refresh_from_db()
    assert planned.plan.version == 2


def test_a_move_to_a_chosen_place_that_does_not_fit_says_so(planned, planlegger_sagene
                                                            ) -> None:
    from tillit.planning.tests.test_board_moves import _place_case

    http = _as(planlegger_sagene)
    url = reverse("planning:move", args=[planned.team.pk, planned.date.isoformat(), "day"])
    visit, carer, _route, best, bad = _place_case(planned)
    preview = http.get(url, {**_move_params(planned, visit, carer), "place": bad})
    assert preview.status_code == 422
    body = preview.content.decode()
    assert "Besøket passer ikke inn der du valgte" in body
    assert "Plasser på ruta som går:" in body and 'name="place"' in body
    saved = http.post(url, {**_move_params(planned, visit, carer), "place": bad,
                            "expected_version": 1})
    assert saved.status_code == 422
    planned.plan.refresh_from_db()
    assert planned.plan.version == 1
    good = http.get(url, {**_move_params(planned, visit, carer),
                          "place": best.feasible_places[0]})
    assert good.status_code == 200
    assert f'name="place" value="{best.feasible_places[0]}"' in good.content.decode()


def test_lock_and_unlock_through_the_page(planned, planlegger_sagene) -> None:
    http = _as(planlegger_sagene)
    url = reverse("planning:lock", args=[planned.team.pk, planned.date.isoformat(), "day"])
    a = planned.plan.assignments.first()
    assert http.post(url, {"visit": a.visit_id, "employee": a.employee_id}).status_code == 302
    a.visit.refresh_from_db()
    assert a.visit.locked_to_id == a.employee_id
    assert http.post(url, {"visit": a.visit_id}).status_code == 302
    a.visit.refresh_from_db()
    assert a.visit.locked_to_id is None
    assert http.get(url).status_code == 405


def test_roster_and_absences(planned, planlegger_sagene) -> None:
    nora = planned.carers[0]
    Absence.objects.create(employee=nora, kind=Absence.Kind.HOLIDAY, first_day=planned.date,
                           last_day=planned.date + dt.timedelta(days=3))
    http = _as(planlegger_sagene)
    roster = http.get(reverse("planning:roster", args=[planned.team.pk]),
                      {"fra": planned.date.isoformat()}).content.decode()
    assert "Nora Testesen" in roster and "07:30–15:00" in roster
    absences = http.get(reverse("planning:absences", args=[planned.team.pk]),
                        {"fra": planned.date.isoformat()}).content.decode()
    assert "Nora Testesen" in absences


def test_the_emergency_list_is_a_pdf_in_bokmal_and_logs_the_read(planned,
                                                                 planlegger_sagene) -> None:
    http = _as(planlegger_sagene)
    http.cookies["django_language"] = "en"
    do_set_team_contact(planned.team, phone="+47 40000301", email="sone1@example.org")
    url = reverse("planning:emergency", args=[planned.team.pk, planned.date.isoformat()])
    html = http.get(url + "?format=html", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nødliste" in html and "Tidsvindu" in html
    assert "Teamet: telefon 40 00 03 01, e-post sone1@example.org" in html
    assert planned.clients[0].address in html
    pdf = http.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AccessRecord.objects.filter(client=planned.clients[0]).count() == 2
    later = (planned.date + dt.timedelta(days=5)).isoformat()
    assert http.get(reverse("planning:emergency", args=[planned.team.pk, later])
                    ).status_code == 404
