"""One routine in a real browser: the system administrator publishes it on
behalf of an agency, every district manager acknowledges it (the last one on
a phone, 360 px), and the compliance overview shows all 15 districts."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tillit.organisation.models import District
from tillit.routines.models import Acknowledgement, Routine
from tillit.routines.services import today

pytestmark = pytest.mark.browser


def test_a_routine_from_publication_to_every_districts_acknowledgement(
    page_as, url, city, axe_check, console_errors
) -> None:
    admin = page_as("admin")
    admin.get_by_role("link", name="Rutiner").first.click()
    expect(admin.locator("h1")).to_have_text("Byomfattende rutiner")
    admin.get_by_role("link", name="Publiser en rutine").click()
    admin.get_by_label("Tittel").fill("Legemiddelhåndtering")
    admin.get_by_label("Obligatorisk").check()
    admin.get_by_label("Rutinen").fill("Dobbeltkontroll ved risikolegemidler.")
    admin.get_by_label("Gjelder fra").fill(today().isoformat())
    admin.get_by_label("Bekreftes og innføres innen").fill(
        (today() + dt.timedelta(days=5)).isoformat())
    admin.get_by_label("Arbeidsgruppe").fill("Kari Nordmann; Sagene; leder")
    axe_check(admin)
    admin.get_by_role("button", name="Publiser").click()
    expect(admin.locator("h1")).to_have_text("Legemiddelhåndtering")
    expect(admin.locator(".tillit-messages")).to_contain_text("Rutinen er publisert")
    expect(admin.locator("body")).to_contain_text("0 av 15")
    axe_check(admin)
    routine = Routine.objects.get()

    districts = list(District.objects.order_by("number"))
    for n, district in enumerate(districts):
        last = n == len(districts) - 1
        manager = page_as(f"leder.{district.slug}", viewport=(360, 740) if last else None)
        if last:
            # the start page lists nothing due; the routine list does
            manager.goto(url("routines:list"))
            expect(manager.locator("#due-heading")).to_be_visible()
            manager.get_by_role("link", name="Legemiddelhåndtering").first.click()
        else:
            manager.goto(url("routines:detail", routine.pk))
        ack = Acknowledgement.objects.get(version__routine=routine, district=district)
        row = manager.locator(f"#answer-{ack.pk}")
        row.get_by_label("Innføring").select_option("in_progress")
        row.get_by_role("button", name="Bekreft").click()
        expect(manager.locator(".tillit-messages")).to_contain_text("Svaret ditt")
        expect(manager.locator(f"#answer-{ack.pk}")).to_contain_text("Under arbeid")
        if last:
            assert manager.evaluate("document.documentElement.scrollWidth") <= 360
            axe_check(manager)
        manager.context.close()

    admin.reload()
    expect(admin.locator("body")).to_contain_text("15 av 15")
    admin.get_by_role("link", name="Alle rutiner").click()
    admin.get_by_role("link", name="Etterlevelse per bydel").click()
    table = admin.locator("#compliance tbody tr")
    expect(table).to_have_count(15)
    for i in range(15):
        expect(table.nth(i).locator("td").nth(1)).to_have_text("1")
    axe_check(admin)
    assert Acknowledgement.objects.filter(acknowledged_at__isnull=False).count() == 15
    assert not console_errors
