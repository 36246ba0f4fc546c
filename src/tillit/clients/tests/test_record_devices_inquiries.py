"""The client's record lists the client's device loans and inquiries with
links, as the reader may see them: blocked items are left out, a role that
may not see devices or inquiries gets no trace of them, and the page's one
logged read covers the lot."""

from __future__ import annotations

import datetime as dt

import pytest
import rules
from django.test import Client as HttpClient
from django.urls import reverse

from tillit.access.services import do_block
from tillit.audit.models import AccessOperation, AccessRecord
from tillit.devices.models import Category, Device, DeviceType, Loan
from tillit.inquiries.models import Inquiry

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def record(make_client, leder_sagene):
    person = make_client("sagene")
    kind = DeviceType.objects.create(code="walker", name="Rullator", category=Category.WALKER)
    loans = [Loan.objects.create(
        device=Device.objects.create(device_type=kind, serial=serial, acquired_on=DAY),
        client=person, district=person.district, lent_on=DAY, lent_by=leder_sagene,
    ) for serial in ("RL-OPEN", "RL-HIDDEN")]
    inquiries = [Inquiry.objects.create(
        client=person, district=person.district, unit=person.team.unit, team=person.team,
        sender="relative", channel="phone", topic="visits", summary=summary,
        received_on=DAY, due_on=DAY + dt.timedelta(days=7), registered_by=leder_sagene,
    ) for summary in ("Besøket kom sent", "Klage på vedtaket")]
    return person, loans, inquiries


def _page(user, person) -> tuple[int, str]:
    http = HttpClient()
    http.force_login(user)
    answer = http.get(reverse("clients:detail", args=[person.pk]))
    return answer.status_code, answer.content.decode()


def test_loans_and_inquiries_with_links_blocks_obeyed_and_one_logged_read(
        record, leder_sagene, planlegger_sagene) -> None:
    person, (loan, hidden_loan), (inquiry, other) = record
    do_block(by=leder_sagene, client=person, user=planlegger_sagene, item=hidden_loan)
    do_block(by=leder_sagene, client=person, user=planlegger_sagene, item=other)
    status, html = _page(planlegger_sagene, person)
    assert status == 200
    assert "Hjelpemidler" in html and "Rullator RL-OPEN" in html
    assert reverse("devices:client", args=[person.pk]) in html
    assert "Henvendelser" in html and "Besøket kom sent" in html
    assert reverse("inquiries:detail", args=[inquiry.pk]) in html
    # the blocked loan and inquiry leave no trace
    assert "RL-HIDDEN" not in html and "Klage på vedtaket" not in html
    assert reverse("inquiries:detail", args=[other.pk]) not in html
    # one read of the record, logged for this client, covers contacts, loans and inquiries
    (operation,) = AccessOperation.objects.filter(actor=planlegger_sagene)
    assert operation.what == "record" and operation.actor == planlegger_sagene
    assert list(AccessRecord.objects.filter(operation=operation)
                .values_list("client_id", flat=True)) == [person.pk]
    # the district manager, not blocked, sees both
    _, html = _page(leder_sagene, person)
    assert "RL-HIDDEN" in html and "Klage på vedtaket" in html


@pytest.mark.parametrize("rule", ["devices.client", "inquiries.read"])
def test_a_role_that_may_not_see_the_kind_gets_no_section(record, planlegger_sagene,
                                                          monkeypatch, rule) -> None:
    person, _loans, (inquiry, _other) = record
    monkeypatch.setitem(rules.rulesets.default_rules, rule, rules.always_deny)
    status, html = _page(planlegger_sagene, person)
    assert status == 200
    devices_shown = "Rullator RL-OPEN" in html or reverse("devices:client", args=[person.pk]) in html
    inquiries_shown = ("Besøket kom sent" in html
                       or reverse("inquiries:detail", args=[inquiry.pk]) in html)
    assert devices_shown is (rule != "devices.client")
    assert inquiries_shown is (rule != "inquiries.read")


def test_roles_without_person_scope_see_nothing(record, analytiker) -> None:
    person, _loans, _inquiries = record
    status, html = _page(analytiker, person)
    assert status in (403, 404)
    assert "RL-OPEN" not in html and "Besøket kom sent" not in html
