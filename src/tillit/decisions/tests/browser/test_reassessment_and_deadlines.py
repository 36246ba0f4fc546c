"""In a real browser: the overdue list on a test clock with the interim
reply letter, and a reassessment that reduces a decision."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tillit.decisions import services
from tillit.decisions.models import Decision, ServiceType
from tillit.decisions.tests.conftest import NOW, visit

pytestmark = pytest.mark.browser


def test_overdue_case_gets_an_interim_reply(page_as, clock, make_client, axe_check,
                                            console_errors) -> None:
    person = make_client("sagene", given_name="Per", family_name="Hansen")
    bpa = ServiceType.objects.get(code="bpa")
    application = services.do_register_application(
        client=person, service_type=bpa, source="relative", applicant_name="Datter",
        received_at=NOW - dt.timedelta(days=33))
    page = page_as("saksbehandler")
    page.get_by_role("link", name="Frister").first.click()
    row = page.locator("tr", has_text="Hansen, Per")
    expect(row).to_contain_text("over fristen")
    expect(row).to_contain_text("33")
    axe_check(page)
    row.get_by_role("link", name="Hansen, Per").click()
    page.get_by_label("Vedtak ventes innen").fill("2026-03-20")
    page.get_by_label("Hvorfor saken tar lengre tid").fill("Vi venter på uttalelse fra fastlegen.")
    page.get_by_role("button", name="Registrer foreløpig svar").click()
    expect(page.locator("h1")).to_have_text("Foreløpig svar på søknaden din om "
                                            "brukerstyrt personlig assistanse (bpa)")
    expect(page.locator("body")).to_contain_text("Vi venter på uttalelse fra fastlegen.")
    axe_check(page)
    application.refresh_from_db()
    assert application.interim_sent_on == dt.date(2026, 3, 2)
    assert console_errors == []


def test_reassessment_reduces_a_decision(page_as, clock, make_client, axe_check,
                                         console_errors) -> None:
    person = make_client("sagene", given_name="Eva", family_name="Lie")
    decision = services.do_decide(
        justification="Individuell begrunnelse.", client=person, service_type=ServiceType.objects.get(code="home-nursing"),
        care_block="medium", provider=person.provider, valid_from=dt.date(2026, 1, 5),
        date_reason="Registrert i etterkant.",
        visits=[visit(minutes=40), visit(slot="evening", minutes=20)])
    page = page_as("saksbehandler")
    page.goto(f"/saksbehandling/vedtak/{decision.pk}/")
    page.get_by_label("Grunn til revurdering").select_option("request")
    page.get_by_label("Detaljer").fill("Hjemmetjenesten melder at hun klarer mer selv.")
    page.get_by_role("button", name="Åpne revurdering").click()
    expect(page.locator("h1")).to_contain_text("Revurdering")
    axe_check(page)
    page.get_by_label("redusert").check()
    page.get_by_label("Endres fra").fill("2026-03-09")
    page.locator("#id_visits-0-minutes").fill("30")
    page.locator("#id_visits-1-DELETE").check()
    page.get_by_role("button", name="Registrer utfallet").click()
    expect(page.locator("h1")).to_contain_text("Vedtak: Hjemmesykepleie for Eva Lie")
    expect(page.locator("dl.dec-facts")).to_contain_text("redusert")
    new = Decision.objects.get(version=2)
    assert new.weekly_minutes == 210 and new.previous.weekly_minutes == 420
    page.get_by_role("link", name="Vedtaksbrev").click()
    expect(page.locator("body")).to_contain_text("hjelpen blir redusert")
    expect(page.locator("body")).to_contain_text("Før var det 7,0 timer i uken")
    assert console_errors == []
