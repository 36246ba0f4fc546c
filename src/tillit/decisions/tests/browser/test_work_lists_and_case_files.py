"""In a real browser, without JavaScript doing the work: a case handler
takes a case from the work list (sorted by name), assigns it to herself,
finds it under Mine saker, writes a note and uploads a discharge summary;
the case page passes the accessibility check."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tillit.decisions import services
from tillit.decisions.models import CaseAttachment, ServiceType

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_assign_note_and_attach_from_the_work_list(page_as, make_client, axe_check) -> None:
    nursing = ServiceType.objects.get(code="home-nursing")
    for family in ("Aasen", "Wold"):
        services.do_register_application(
            client=make_client("sagene", given_name="Eva", family_name=family),
            service_type=nursing, source="client",
            received_at=services.now() - dt.timedelta(days=2))

    page = page_as("saksbehandler.sagene")
    page.get_by_role("link", name="Saksbehandling").first.click()
    page.get_by_role("link", name="Bruker", exact=True).first.click()  # sort by name
    rows = page.locator("table.dec-table tbody tr")
    expect(rows.first).to_contain_text("Aasen, Eva")  # (the work list's axe check: test_case_flow)

    page.get_by_role("link", name="Wold, Eva").click()
    page.locator("#id_handler").select_option(label="Saksbehandler Sagene")
    page.get_by_role("button", name="Tildel").click()
    expect(page.locator("body")).to_contain_text("Saken er tildelt Saksbehandler Sagene.")
    page.get_by_label("Nytt notat").fill("Datteren ringte om tider.")
    page.get_by_role("button", name="Lagre notatet").click()
    expect(page.locator("#notater + ul")).to_contain_text("Datteren ringte om tider.")
    page.get_by_label("Type dokument").select_option("discharge_summary")
    page.get_by_label("Tittel").fill("Epikrise fra Lovisenberg")
    page.get_by_label("Fil").set_input_files(
        files=[{"name": "epikrise.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Last opp vedlegg").click()
    expect(page.get_by_role("link", name="Epikrise fra Lovisenberg")).to_be_visible()
    expect(page.locator("nav.tillit-breadcrumbs")).to_contain_text("Wold, Eva")
    axe_check(page)
    assert CaseAttachment.objects.get().content_type == "application/pdf"

    page.get_by_role("link", name="Mine saker").first.click()
    expect(page.locator("table.dec-table").first).to_contain_text("Wold, Eva")
    expect(page.locator("table.dec-table").first).not_to_contain_text("Aasen, Eva")
    expect(page.get_by_role("link", name="Mine saker").first).to_have_attribute(
        "aria-current", "page")
