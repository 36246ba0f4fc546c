"""The trust pilot: the register and surveys (district managers, own
district only, Norwegian field errors; surveys also by team leaders and
carers), and the council report as HTML and PDF in bokmål. The figures
are recomputed from raw rows in `test_pilot_figures.py`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as Browser

from tillit.insight import pilot, pilot_aggregates
from tillit.insight.models import PilotSite, SurveyResponse
from tillit.organisation.models import District, Employee, Sector, Team
from tillit.planning.models import Absence, RosterEntry

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 9, 1), dt.date(2026, 9, 30)


def signed_in(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def test_manager_registers_a_pilot_site_for_own_district(leder_sagene, analytiker):
    browser = signed_in(leder_sagene)
    response = browser.post("/innsikt/tillitspilot/ny/", {
        "starts_on": "2026-09-01", "ends_on": "2026-08-01", "note": ""})
    assert response.status_code == 200
    assert "Piloten kan ikke slutte før den starter." in response.content.decode()
    response = browser.post("/innsikt/tillitspilot/ny/", {"starts_on": "2026-09-01", "note": "A"})
    assert response.status_code == 302
    site = PilotSite.objects.get()
    assert site.district.slug == "sagene" and site.team is None
    assert signed_in(analytiker).post("/innsikt/tillitspilot/ny/", {
        "starts_on": "2026-09-01"}).status_code == 403


def test_manager_cannot_end_another_districts_site(leder_sagene, city):
    alna = District.objects.get(slug="alna")
    site = PilotSite.objects.create(district=alna, starts_on=START)
    assert signed_in(leder_sagene).post(f"/innsikt/tillitspilot/{site.pk}/avslutt/"
                                        ).status_code == 404
    site.refresh_from_db()
    assert site.ends_on is None


def test_survey_is_recorded_anonymously_with_norwegian_errors(leder_sagene):
    browser = signed_in(leder_sagene)
    response = browser.post("/innsikt/tillitspilot/undersokelse/", {
        "answered_on": "2026-09-10", "same_carers": "4", "enough_time": "7",
        "say_in_help": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Feltet er påkrevet." in html
    assert "mindre enn eller lik 5" in html
    assert SurveyResponse.objects.count() == 0
    response = browser.post("/innsikt/tillitspilot/undersokelse/", {
        "answered_on": "2026-09-10", "same_carers": "4", "enough_time": "5",
        "say_in_help": "3", "overall": "4"})
    assert response.status_code == 302
    answer = SurveyResponse.objects.get()
    assert answer.district.slug == "sagene" and answer.overall == 4


def test_carers_and_team_leaders_record_surveys_for_their_own_district(
        pleier_alna_1, planlegger_sagene, analytiker):
    answer = {"answered_on": "2026-09-10", "same_carers": "4", "enough_time": "5",
              "say_in_help": "3", "overall": "5"}
    for user, slug in ((pleier_alna_1, "alna"), (planlegger_sagene, "sagene")):
        browser = signed_in(user)
        assert browser.post("/innsikt/tillitspilot/undersokelse/", answer).status_code == 302
        assert SurveyResponse.objects.filter(district__slug=slug, overall=5).count() == 1
        assert browser.get("/innsikt/tillitspilot/").status_code == 403  # no figures
    assert signed_in(analytiker).post("/innsikt/tillitspilot/undersokelse/",
                                      answer).status_code == 403
    assert SurveyResponse.objects.count() == 2


@pytest.fixture
def pilot_city(city, make_client):
    sagene = District.objects.get(slug="sagene")
    PilotSite.objects.create(district=sagene, starts_on=START)
    employees = {}
    for slug in ("sagene", "alna"):
        district = District.objects.get(slug=slug)
        make_client(slug)  # makes the district's home care unit and team
        team = Team.objects.get(district=district)
        employees[slug] = [Employee.objects.create(
            employee_number=f"{slug}{i}", given_name="A", family_name="B", title="Pleier",
            sector=Sector.HEALTH, gender="female", fte_percent=100, contract_type="permanent",
            district=district, team=team) for i in range(6)]
        for e in employees[slug]:
            RosterEntry.objects.create(employee=e, team=team, date=START, shift="day",
                                       start=dt.time(7), end=dt.time(15))
        for i in range(5):
            SurveyResponse.objects.create(district=district, answered_on=START, same_carers=3,
                                          enough_time=3, say_in_help=3,
                                          overall=4 if slug == "sagene" else 2 + i % 2)
    Absence.objects.create(employee=employees["sagene"][0], kind="sick", first_day=END,
                           last_day=END + dt.timedelta(days=5))
    Absence.objects.create(employee=employees["alna"][0], kind="sick",
                           first_day=START - dt.timedelta(days=2), last_day=START + dt.timedelta(
                               days=2))
    Absence.objects.create(employee=employees["alna"][1], kind="holiday", first_day=START,
                           last_day=END)
    pilot_aggregates.refresh_pilot_range(START - dt.timedelta(days=30), END)
    return employees


def test_council_report_html_and_pdf_in_bokmal(pilot_city, analytiker):
    browser = signed_in(analytiker)
    query = {"fra": START.isoformat(), "til": END.isoformat()}
    html = browser.get("/innsikt/tillitspilot/rapport/", query,
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="nb"' in html
    assert "Tillitspiloten: rapport til bydelsutvalget" in html
    assert "september 2026" in html  # Norwegian month names whatever the browser says
    assert "Sykefravær" in html and "<svg" in html
    response = browser.get("/innsikt/tillitspilot/rapport/", {**query, "format": "pdf"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_nothing_registered_is_not_shown_as_hidden(city, make_client):
    for i in range(6):
        Employee.objects.create(
            employee_number=f"x{i}", given_name="A", family_name="B", title="Pleier",
            sector=Sector.HEALTH, gender="female", fte_percent=100, contract_type="permanent",
            district=District.objects.get(slug="alna"))
    c = pilot.compare(START, END)
    others = c.figures[("others", "during")]
    assert others.sick_percent == pilot.NO_DATA  # no absences registered at all
    assert others.rostered_hours == pilot.NO_DATA  # no rosters
    assert "ikke registrert" in " ".join(pilot.plain_text(c))


def test_a_period_out_of_range_gets_norwegian_errors(analytiker):
    browser = signed_in(analytiker)
    api = browser.get("/api/v1/insight/trust-pilot", {"start": "0001-01-01", "end": "9999-12-31"})
    assert api.status_code == 422
    assert set(api.json()["errors"]) == {"start", "end"}
    html = browser.get("/innsikt/tillitspilot/", {"fra": "2020-01-01", "til": "2026-01-01"}
                       ).content.decode()
    assert "Perioden kan være høyst tre år." in html
