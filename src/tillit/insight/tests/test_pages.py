"""The insight pages and API on the small demo city: who may open them, no
person-level data in them, every table exported, the API's contract."""

from __future__ import annotations

import io

import pytest
from django.test import Client as Browser
from openpyxl import load_workbook

from tillit.accounts.models import User
from tillit.clients.models import Client
from tillit.insight.models import ServiceSnapshot
from tillit.organisation.models import Employee

pytestmark = pytest.mark.django_db

PAGES = {
    "/innsikt/": ["bydeler", "omsorgsblokk", "iplos-profil"],
    "/innsikt/saksbehandlingstid/": ["saksbehandlingstid", "trend"],
    "/innsikt/leverandorer/": ["leverandorer", "revurderinger"],
    "/innsikt/lederspenn/": ["lederspenn", "kvinneandel"],
    "/innsikt/tillitspilot/": ["pilot", "sykefravaer"],
}


def signed_in(username: str) -> Browser:
    browser = Browser()
    browser.force_login(User.objects.get(username=username))
    return browser


def test_analyst_sees_every_page_without_person_data(demo_city):
    browser = signed_in("analytiker")
    assert ServiceSnapshot.objects.exists()
    people = list(Client.objects.values_list("national_id", "address"))
    staff = list(Employee.objects.values_list("employee_number", flat=True))
    for page in PAGES:
        html = browser.get(page).content.decode()
        assert "<svg" in html and "<table" in html, page
        for national_id, address in people:
            assert national_id not in html
            assert address not in html
        for number in staff[:200]:
            assert number not in html
        # family names are common words; none of the clients' full names appear
        for given, family in Client.objects.values_list("given_name", "family_name")[:200]:
            assert f"{given} {family}" not in html


def test_district_manager_sees_pages_and_carer_and_planner_do_not(demo_city):
    manager = signed_in("leder.sagene")
    carer = signed_in("pleier.sagene.1")
    planner = signed_in("planlegger.sagene")
    for page in [*PAGES, "/innsikt/tillitspilot/rapport/"]:
        assert manager.get(page).status_code == 200, page
        assert carer.get(page).status_code == 403, page
        assert planner.get(page).status_code == 403, page
    assert carer.get("/api/v1/insight/equal-help?service=home-nursing").status_code == 403
    assert Browser().get("/api/v1/insight/equal-help").status_code == 401


def test_nav_entry_for_analyst(demo_city):
    html = signed_in("analytiker").get("/").content.decode()
    assert "/innsikt/" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_exports(demo_city, fmt):
    browser = signed_in("analytiker")
    for page, slugs in PAGES.items():
        for slug in slugs:
            response = browser.get(page, {"eksport": slug, "format": fmt})
            assert response.status_code == 200, (page, slug)
            assert f"innsikt-{slug}.{fmt}" in response["Content-Disposition"]
            if fmt == "csv":
                text = response.content.decode("utf-8-sig")
                assert "<5" in text or ";" in text
            else:
                sheet = load_workbook(io.BytesIO(response.content)).active
                assert sheet.max_row >= 2
    assert browser.get("/innsikt/", {"eksport": "nothing", "format": "csv"}).status_code == 404
    assert browser.get("/innsikt/", {"eksport": "bydeler", "format": "pdf"}).status_code == 404


def test_equal_help_api_follows_the_contract(demo_city):
    browser = signed_in("analytiker")
    response = browser.get("/api/v1/insight/equal-help", {"service": "home-nursing"})
    assert response.status_code == 200
    body = response.json()
    assert body["service"] == "home-nursing"
    assert len(body["districts"]) == 15
    for row in body["districts"]:
        assert {"district", "clients", "weekly_hours_median", "suppressed"} <= set(row)
        if row["suppressed"]:
            assert row["clients"] is None and row["weekly_hours_median"] is None
        else:
            assert row["clients"] >= 5
    assert any(not r["suppressed"] for r in body["districts"])
    bad = browser.get("/api/v1/insight/equal-help", {"service": "nonsense"})
    assert bad.status_code == 422
    assert "errors" in bad.json()
    schema = browser.get("/api/v1/openapi.json").json()
    params = schema["paths"]["/api/v1/insight/equal-help"]["get"]["parameters"]
    service = next(p for p in params if p["name"] == "service")
    assert "home-nursing" in str(service["schema"])


def test_other_api_tables(demo_city):
    browser = signed_in("analytiker")
    for path in ("/api/v1/insight/processing-times", "/api/v1/insight/span-of-control"):
        response = browser.get(path)
        assert response.status_code == 200
        assert response.json()[0]["headers"]
