"""The staffing pages: who sees what, the what-if panel, charts with tables,
the export with the page's numbers, and the nav entry."""

import io

import pytest
from django.test import Client as HttpClient
from openpyxl import load_workbook

from tillit.accounts.models import Role
from tillit.audit.models import AccessOperation
from tillit.staffing.tests.conftest import DAY

pytestmark = pytest.mark.django_db
PAGE = "/bemanning/bydel/sagene/"


def http(user) -> HttpClient:
    c = HttpClient()
    c.force_login(user)
    return c


def test_district_manager_sees_figures_charts_tables_and_the_unassigned(world, leder_sagene
                                                                      ) -> None:
    response = http(leder_sagene).get(PAGE, {"date": DAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 2  # needed vs rostered, caseload distribution
    assert 'role="img"' in html and "<caption" in html
    assert world.unassigned_client.full_name in html
    assert world.complex_client.full_name not in html  # has a nurse
    assert "Sykepleiere" in html and "Hvor standardverdiene kommer fra" in html
    assert "1 ledere står i turnus denne uka (0,40 årsverk)" in html
    op = AccessOperation.objects.filter(actor=leder_sagene, what="list").latest("server_time")
    assert op.client_count == 1


def test_what_if_changes_the_need_without_saving(world, leder_sagene) -> None:
    c = http(leder_sagene)
    base = c.get(PAGE, {"date": DAY.isoformat()}).context["figures"].needed_total
    response = c.get(PAGE, {"date": DAY.isoformat(), "share": "60", "buffer": "0", "hours": "37.5",
                            "norm": "25"})
    changed = response.context["figures"].needed_total
    assert changed == pytest.approx(base * 0.53 / 0.60 / 1.1, abs=1e-12)
    assert "Nødvendige årsverk med disse verdiene" in response.content.decode()


def test_what_if_errors_are_norwegian_and_the_page_still_answers(world, leder_sagene) -> None:
    response = http(leder_sagene).get(PAGE, {"share": "0", "norm": "x"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "share" in form.errors and "norm" in form.errors
    assert "Oppgi et heltall." in form.errors["norm"]


def test_export_opens_with_the_pages_numbers(world, leder_sagene) -> None:
    c = http(leder_sagene)
    page = c.get(PAGE, {"date": DAY.isoformat()}).context
    response = c.get(PAGE, {"date": DAY.isoformat(), "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kompetanse", "Direkte brukertid (min/uke)", "Behov (årsverk)",
                           "Turnus (årsverk)")
    by_name = {r[0]: r for r in rows[1:4]}
    for row in page["rows"]:
        name = {"assistant": "Assistent", "health_worker": "Helsefagarbeider",
                "nurse": "Sykepleier"}[row["competence"]]
        assert by_name[name][1] == row["weekly_direct_minutes"]
        assert by_name[name][2] == round(row["needed_fte"], 2)
        assert by_name[name][3] == round(row["rostered_fte"], 2)
    assert any("uten tjenesteansvarlig sykepleier: 1" in str(r[0]) for r in rows[4:])
    csv = c.get(PAGE, {"date": DAY.isoformat(), "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "Sykepleier;240;" in csv.content.decode(
        "utf-8-sig")


def test_team_page(world, leder_sagene) -> None:
    response = http(leder_sagene).get(f"{PAGE}team/{world.team.pk}/", {"date": DAY.isoformat()})
    assert response.status_code == 200
    assert response.context["scope"].team == world.team


def test_other_districts_answer_404(world, leder_sagene, make_user) -> None:
    c = http(leder_sagene)
    assert c.get("/bemanning/bydel/alna/").status_code == 404
    assert c.get("/bemanning/bydel/no-such/").status_code == 404
    assert c.get(f"/bemanning/bydel/alna/team/{world.team.pk}/").status_code == 404
    assert c.get("/bemanning/by/").status_code == 403  # the city page is the analyst's
    planner_alna = make_user("planlegger.alna", Role.PLANNER, "alna")
    assert http(planner_alna).get(PAGE).status_code == 404


def test_analyst_sees_suppressed_aggregates_and_no_names(world, analytiker) -> None:
    c = http(analytiker)
    response = c.get(PAGE, {"date": DAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert world.unassigned_client.full_name not in html
    assert "under 5" in html
    assert response.context["without_responsible"] is None
    city = c.get("/bemanning/by/", {"date": DAY.isoformat()})
    assert city.status_code == 200 and "Sagene" in city.content.decode()
    assert c.get("/bemanning/").url == "/bemanning/by/"


def test_carers_and_case_handlers_are_refused(world, pleier_alna_1, saksbehandler) -> None:
    for user in (pleier_alna_1, saksbehandler):
        assert http(user).get(PAGE).status_code == 403


def test_nav_entry_for_district_managers(world, leder_sagene) -> None:
    response = http(leder_sagene).get("/bemanning/")
    assert response.url == PAGE
    start = http(leder_sagene).get("/")
    assert 'href="/bemanning/"' in start.content.decode()


def test_analyst_export_keeps_the_suppression(world, analytiker) -> None:
    response = http(analytiker).get("/bemanning/by/", {"date": DAY.isoformat(), "format": "xlsx"})
    assert response.status_code == 200
    assert 'filename="bemanning-oslo-2026-11-18.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert all(r[2] is None and r[3] is None for r in rows[1:4])  # three clients: not shown
    notes = " ".join(str(r[0]) for r in rows[4:])
    assert "uten tjenesteansvarlig sykepleier: under 5" in notes
    assert "Tall under 5 personer er skjult." in notes
    assert world.unassigned_client.family_name not in notes
