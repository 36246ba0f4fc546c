"""The team leader follows the shift live, and a case handler works a
revision proposal, in a real browser (accessibility checked)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tillit.daylist import services
from tillit.daylist.models import RevisionProposal
from tillit.decisions.models import Reassessment

pytestmark = pytest.mark.browser


def test_team_view_updates_itself(page_as, demo_user, make_client, day_list, axe_check) -> None:
    carer = demo_user("pleier.sagene.1")
    first, second = make_client(given_name="Hedda"), make_client(given_name="Ivar")
    visits = day_list(carer, [first, second])
    page = page_as("planlegger.sagene", viewport=(360, 740))
    page.get_by_role("link", name="Teamet i dag").first.click()
    expect(page.locator(".tl-totals")).to_contain_text("Ikke rapportert ennå: 2")
    axe_check(page)
    services.do_report_visit(carer, visits[0].pk, report_id=uuid.uuid4(), done=True,
                             time_fit="fitted")
    page.evaluate("htmx.ajax('GET', '/dagliste/team/framdrift/', '[hx-get]')")
    expect(page.locator(".tl-totals")).to_contain_text("Utført: 1")


def test_case_handler_accepts_a_proposal(page_as, demo_user, make_client, make_decision,
                                         day_list, axe_check) -> None:
    carer = demo_user("pleier.sagene.1")
    person = make_client(given_name="Jorunn")
    decision = make_decision(person)
    for _ in range(4):
        (visit,) = day_list(carer, [person], decisions=[decision])
        services.do_report_visit(carer, visit.pk, report_id=uuid.uuid4(), done=True,
                                 time_fit="more", note="Trenger mer tid til sårstell")
    page = page_as("saksbehandler.sagene", viewport=(1280, 800))
    page.goto("/revisjonsforslag/")
    card = page.locator("section", has_text=person.full_name)
    expect(card).to_contain_text("økning")
    expect(card).to_contain_text("Trenger mer tid til sårstell")
    axe_check(page)
    card.get_by_role("button", name="Godta: åpne revurdering").click()
    expect(page.locator("h1")).to_contain_text("Revurdering")
    assert Reassessment.objects.get(decision=decision).source == "visit_reports"
    assert RevisionProposal.objects.get().status == "accepted"
