"""In a real browser: a district's planner reads its own client; a carer and a
planner of another district are refused, and the refusal says nothing about
whether the record exists."""

from __future__ import annotations

import pytest

from tillit.audit.models import AccessRecord

pytestmark = pytest.mark.browser


@pytest.fixture
def sagene_client(make_client):
    return make_client("sagene", given_name="Ragnhild", family_name="Østby")


def test_own_district_planner_reads_the_record(page_as, url, sagene_client, axe_check) -> None:
    page = page_as("planlegger.sagene")
    page.goto(url(f"/brukere/{sagene_client.pk}/"))
    assert page.locator("h1").inner_text() == "Ragnhild Østby"
    assert sagene_client.national_id not in page.content()
    axe_check(page)
    assert AccessRecord.objects.filter(client=sagene_client).exists()


@pytest.mark.parametrize("username", ["pleier.alna.1", "planlegger.alna"])
def test_other_districts_are_refused_like_a_missing_record(
    page_as, url, sagene_client, username, axe_check
) -> None:
    page = page_as(username)
    response = page.goto(url(f"/brukere/{sagene_client.pk}/"))
    assert response is not None and response.status == 404
    refused = page.locator("main").inner_text()
    assert "Ragnhild" not in page.content()
    missing = page.goto(url("/brukere/987654321/"))
    assert missing is not None and missing.status == 404
    assert page.locator("main").inner_text() == refused
    assert "Fant ikke siden" in refused
    axe_check(page)
    assert not AccessRecord.objects.filter(client=sagene_client).exists()
