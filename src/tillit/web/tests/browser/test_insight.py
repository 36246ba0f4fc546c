"""The insight dashboards in a real browser as `analytiker`: every page
opens, shows its charts and tables, has no person-level data (no client
names, no fødselsnummer, no addresses), passes axe, and works on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tillit.clients.models import Client

pytestmark = pytest.mark.browser

PAGES = ["/innsikt/", "/innsikt/saksbehandlingstid/", "/innsikt/leverandorer/",
         "/innsikt/lederspenn/", "/innsikt/tillitspilot/"]


@pytest.fixture
def small_demo_city(transactional_db):
    from tillit.demo.builder import build_demo_city

    return build_demo_city(scale=0.02, seed=4, today=dt.date.today())


def test_analyst_dashboards_show_no_person_data(small_demo_city, page_as, url, axe_check,
                                                console_errors):
    people = list(Client.objects.values_list("national_id", "given_name", "family_name",
                                             "address"))
    page = page_as("analytiker")
    page.get_by_role("link", name="Én by, lik hjelp").first.click()
    expect(page.locator("h1")).to_have_text("Én by, lik hjelp")
    for path in PAGES:
        page.goto(url(path))
        expect(page.locator("svg.insight-chart").first).to_be_visible()
        expect(page.locator("table.insight-table").first).to_be_visible()
        text = page.locator("body").inner_text()
        html = page.content()
        for national_id, given, family, address in people:
            assert national_id not in html, path
            assert f"{given} {family}" not in text, path
            assert address not in text, path
        axe_check(page)
    assert console_errors == []


def test_map_and_filters_on_a_phone(small_demo_city, page_as, url):
    page = page_as("analytiker", viewport=(360, 740))
    page.goto(url("/innsikt/"))
    page.get_by_label("Tjeneste").select_option("home-nursing")
    page.get_by_label("Kartet viser").select_option("per_1000_80")
    page.get_by_role("button", name="Vis").first.click()
    expect(page.locator("#map-title")).to_have_text("Brukere 80+ per 1 000 innbyggere 80+")
    assert "tjeneste=home-nursing" in page.url
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not overflow
