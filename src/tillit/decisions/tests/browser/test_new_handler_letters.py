"""Issue 14's acceptance: a new case handler whose browser asks for English
registers a person, an application, an assessment, a refusal and a grant for
the same person, and downloads both letters: both are wholly in bokmål."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tillit.clients.models import Client
from tillit.conftest import home_care
from tillit.core import fnr
from tillit.decisions import letters
from tillit.decisions.models import Decision, IplosDefinition
from tillit.organisation.models import District

pytestmark = pytest.mark.browser

# Words an English rendering of the letter would contain (UI msgids, weekday,
# month and slot names, the change texts).
ENGLISH = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|morning|midday|"
    r"evening|night|Decision|decision|granted|refused|Valid|minutes|week|appeal|Download)\b"
)
BOKMAL = ("Du kan klage", "Begrunnelse", "Med vennlig hilsen", "Vår referanse")


def _letter(page: Page, decision: Decision) -> bytes:
    """Open the letter from the decision page, check its text, download the PDF."""
    page.get_by_role("link", name="Decision letter").click()
    text = page.locator("body").inner_text()
    assert not ENGLISH.search(text), ENGLISH.search(text)
    for phrase in BOKMAL:
        assert phrase in text, phrase
    assert letters.appeal_body() in text and letters.office_phone() in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned som PDF").click()
    path = download.value.path()
    assert path is not None
    content = open(path, "rb").read()  # noqa: SIM115 - read once
    # The same decision always gives the same letter: the download is exactly
    # the server's bokmål rendering, made here without any request.
    expected = letters.pdf_bytes(letters.render_letter(
        "decisions/letter_decision.html", letters.decision_context(decision), for_pdf=True))
    assert content == expected
    return content


def test_new_case_handler_english_browser_gets_bokmal_letters(page_as, url, city,
                                                              console_errors) -> None:
    sagene = District.objects.get(slug="sagene")
    home_care(sagene)
    number = next(n for s in range(700, 800)
                  if (n := fnr.synthetic_number(dt.date(1941, 4, 9), s)))
    page = page_as("saksbehandler.sagene", locale="en-US")
    assert page.locator("html").get_attribute("lang") == "en"

    # A person who is not yet in the register.
    page.goto(url("clients:list"))
    page.get_by_role("link", name="Register a person").click()
    page.get_by_label("Family name").fill("Lund")
    page.get_by_label("Given name").fill("Sigrid")
    page.get_by_label("National identity number").fill(number)
    page.locator("#id_address").fill("Sandakerveien 20")
    page.get_by_label("Postal code").fill("0473")
    page.get_by_label("Provider").select_option(label="Hjemmetjenesten Sagene")
    page.get_by_label("Contact person").fill("Erik Lund")
    page.get_by_label("Relation").fill("sønn")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("body")).to_contain_text("Sigrid Lund is registered")
    person = Client.objects.get(national_id=number)
    assert person.district == sagene

    def register_application(service: str) -> None:
        page.goto(url("decisions:worklist"))
        page.get_by_role("link", name="Register application").first.click()
        page.get_by_label("Client's national identity number").fill(number)
        page.get_by_label("Requested service").select_option(label=service)
        page.get_by_label("Applied by").select_option("client")
        page.get_by_role("button", name="Register", exact=True).click()
        expect(page.locator("h1")).to_contain_text(service)

    # Home nursing: assessed and granted.
    register_application("Hjemmesykepleie")
    page.get_by_role("link", name="Assess needs (IPLOS)").click()
    for code in IplosDefinition.current().definition.codes():
        score = {"personlig_hygiene": 3, "toalett": 4, "spise": 4}.get(code, 1)
        page.locator(f"#id_score_{code}_{[1, 2, 3, 4, 5, 9].index(score)}").check()
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator("h1")).to_contain_text("Assessment")
    page.goto(url("decisions:client", person.pk))
    page.get_by_role("link", name=re.compile("Hjemmesykepleie")).first.click()
    page.get_by_role("link", name="Make decision").click()
    page.locator("#id_outcome_0").check()  # granted
    for day in range(7):
        page.locator(f"#id_visits-0-weekdays_{day}").check()
    page.locator("#id_visits-0-minutes").fill("30")
    page.locator("#id_visits-0-tasks").fill("Morgenstell og medisiner")
    page.locator("#id_justification").fill(
        "Kartleggingen viser at du trenger hjelp til personlig hygiene og toalett hver morgen.")
    page.get_by_role("button", name="Make the decision").click()
    expect(page.locator("h1")).to_contain_text("Sigrid Lund")
    grant = Decision.objects.get(client=person, outcome="granted")
    _letter(page, grant)

    # Practical assistance: refused.
    register_application("Praktisk bistand")
    page.get_by_role("link", name="Make decision").click()
    page.locator("#id_outcome_2").check()  # refused
    page.locator("#id_justification").fill(
        "Du klarer innkjøp og rengjøring selv, og sønnen din hjelper deg med tunge løft.")
    page.get_by_role("button", name="Make the decision").click()
    expect(page.locator("h1")).to_contain_text("Sigrid Lund")
    refusal = Decision.objects.get(client=person, outcome="refused")
    assert refusal.status == "refused" and not refusal.visits.exists()
    _letter(page, refusal)
    expect(page.locator("body")).to_contain_text("Avslag på søknad om praktisk bistand")

    assert console_errors == []
