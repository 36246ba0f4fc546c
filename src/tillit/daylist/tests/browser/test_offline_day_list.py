"""A carer on a phone: loads /dagliste/, goes offline, reloads (the list is
still there), reports three visits, comes back online, and the server holds
exactly three reports. Counting taps: "fitted" is one tap, "needed more
time" two."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tillit.daylist.models import VisitReport
from tillit.organisation.services import do_set_team_contact

pytestmark = pytest.mark.browser

PHONE = (360, 740)


def ready_offline(page: Page) -> None:
    """Wait until the service worker controls the page and keeps the list."""
    page.wait_for_function(
        "async () => { const r = await navigator.serviceWorker.ready;"
        " return !!r.active && !!(await caches.match('/dagliste/')); }"
    )


def visit_card(page: Page, client) -> object:
    return page.locator(".dl-visit", has_text=client.full_name)


def test_offline_reports_are_sent_when_back_online(
    page_as, demo_user, make_client, day_list, axe_check, console_errors
) -> None:
    carer = demo_user("pleier.sagene.1")
    clients = [make_client(given_name=name, key_information=f"Nøkkelboks {n}")
               for n, name in enumerate(["Astrid", "Bjørn", "Cecilie", "Dagny"])]
    day_list(carer, clients)
    do_set_team_contact(carer.employee.team, phone="40 00 03 01")

    page = page_as("pleier.sagene.1", viewport=PHONE)
    page.get_by_role("link", name="Dagliste").first.click()
    expect(page.locator("h1")).to_contain_text("Dagliste")
    expect(page.locator(".dl-visit")).to_have_count(4)
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    ready_offline(page)

    page.context.set_offline(True)
    page.reload()
    expect(page.locator(".dl-visit")).to_have_count(4)
    expect(page.locator("#dl-offline")).to_be_visible()
    expect(visit_card(page, clients[0])).to_contain_text("Nøkkelboks 0")
    # the team's number is in the kept list too, as a thumb-sized call button
    call = page.get_by_role("link", name="Ring teamet: 40 00 03 01")
    expect(call).to_have_attribute("href", "tel:+4740000301")
    box = call.bounding_box()
    assert box and box["height"] >= 48 and box["width"] >= 200

    for client in clients[:3]:
        visit_card(page, client).get_by_role("button", name=re.compile("^Utført")).click()
    expect(page.locator("#dl-status")).to_contain_text("Ikke sendt ennå (3)")
    expect(visit_card(page, clients[0])).to_contain_text("ikke sendt ennå")
    assert VisitReport.objects.count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#dl-status")).to_have_text("Alle rapporter er sendt.")
    assert VisitReport.objects.count() == 3
    assert {r.visit.client_id for r in VisitReport.objects.all()} == {c.pk for c in clients[:3]}
    assert all(r.done and r.time_fit == "fitted" and r.device_time for r in VisitReport.objects.all())
    # Only the expected failures while offline (the tries to send, the network-first page).
    unexpected = [e for e in console_errors if "ERR_INTERNET_DISCONNECTED" not in e]
    assert not unexpected, unexpected


def test_fitted_is_one_tap_and_more_time_two(page_as, demo_user, make_client, day_list) -> None:
    carer = demo_user("pleier.sagene.1")
    first, second = make_client(given_name="Eva"), make_client(given_name="Frida")
    visits = day_list(carer, [first, second])
    page = page_as("pleier.sagene.1", viewport=PHONE)
    page.goto("/dagliste/")

    visit_card(page, first).get_by_role("button", name=re.compile("^Utført")).click()  # tap 1
    expect(page.locator("#dl-status")).to_have_text("Alle rapporter er sendt.")
    latest = VisitReport.objects.filter(visit=visits[0]).latest("received_at")
    assert latest.done and latest.time_fit == "fitted"

    card = visit_card(page, second)
    card.get_by_role("button", name=re.compile("^Utført")).click()  # tap 1
    card.get_by_role("button", name=re.compile("^Trengte mer tid")).click()  # tap 2
    expect(card.locator("[data-role=result]")).to_contain_text("trengte mer tid")
    expect(page.locator("#dl-status")).to_have_text("Alle rapporter er sendt.")
    latest = VisitReport.objects.filter(visit=visits[1]).latest("received_at")
    assert latest.time_fit == "more"
    assert VisitReport.objects.filter(visit=visits[1]).count() == 2  # the correction keeps both

    page.reload()
    expect(visit_card(page, second).locator("[data-role=result]")).to_contain_text(
        "trengte mer tid")


def test_not_done_leads_to_the_reasons(page_as, demo_user, make_client, day_list) -> None:
    carer = demo_user("pleier.sagene.1")
    client = make_client(given_name="Gunnar")
    (visit,) = day_list(carer, [client])
    page = page_as("pleier.sagene.1", viewport=PHONE)
    page.goto("/dagliste/")
    card = visit_card(page, client)
    expect(card.get_by_role("button", name=re.compile("^På sykehus"))).to_be_hidden()
    card.get_by_role("button", name=re.compile("^Ikke utført")).click()
    card.get_by_role("button", name=re.compile("^På sykehus")).click()
    expect(card.locator("[data-role=result]")).to_contain_text("Ikke utført: På sykehus")
    expect(page.locator("#dl-status")).to_have_text("Alle rapporter er sendt.")
    report = VisitReport.objects.get(visit=visit)
    assert not report.done and report.reason == "hospital" and report.time_fit == ""
