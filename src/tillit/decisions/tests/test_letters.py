"""Letters are always right: bokmål and Oslo time whatever the browser asks
for, the same decision gives the same letter, no decision letter without
individual reasons, the appeal body from a setting, the office's phone, and
one reference for every letter of a case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tillit.decisions import letters, services
from tillit.decisions.models import Decision, ServiceType
from tillit.decisions.tests.conftest import NOW, visit

pytestmark = pytest.mark.django_db

ENGLISH_WORDS = ["Monday", "Tuesday", "Sunday", "morning", "evening", "March", "April",
                 "January", "Decision", "Valid from"]


@pytest.fixture
def case(clock, make_client, saksbehandler):
    person = make_client("sagene")
    nursing = ServiceType.objects.get(code="home-nursing")
    application = services.do_register_application(
        client=person, service_type=nursing, source="client",
        received_at=NOW - dt.timedelta(days=40), actor=saksbehandler)
    services.do_send_interim_reply(application, expected_on=dt.date(2026, 4, 1),
                                   reason="Venter på epikrise", actor=saksbehandler)
    decision = services.do_decide(
        client=person, service_type=nursing, care_block="medium", provider=person.provider,
        valid_from=dt.date(2026, 3, 3), review_on=dt.date(2026, 9, 1), actor=saksbehandler,
        application=application, justification="Du trenger hjelp til morgenstell.",
        visits=[visit(), visit(slot="evening", weekdays=[0, 6], minutes=20,
                               tasks="Kveldsstell")])
    return application, decision


def _english_client(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_letter_is_bokmal_with_an_english_browser(client, case, saksbehandler) -> None:
    application, decision = case
    _english_client(client, saksbehandler)
    # The UI around it really is English for this browser ...
    page = client.get(reverse("decisions:decision", args=[decision.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Monday" in page or "morning" in page.lower()
    # ... but the letters are not.
    for url in (reverse("decisions:letter", args=[decision.pk]),
                reverse("decisions:interim_letter", args=[application.pk])):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        for word in ENGLISH_WORDS:
            assert word not in html, (url, word)
    html = client.get(reverse("decisions:letter", args=[decision.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "mandag" in html and "søndag" in html and "Morgen" in html and "Kveld" in html
    assert "3. mars 2026" in html and "1. september 2026" in html


def test_letter_date_is_oslo_time(clock, make_client, saksbehandler) -> None:
    # 23:30 UTC on 2 March is already 3 March in Oslo.
    clock.set(dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC))
    person = make_client("sagene")
    decision = services.do_decide(
        client=person, service_type=ServiceType.objects.get(code="home-nursing"),
        care_block="light", provider=person.provider, valid_from=dt.date(2026, 3, 4),
        visits=[visit()], actor=saksbehandler, justification="Begrunnelse.")
    html = letters.render_letter("decisions/letter_decision.html",
                                 letters.decision_context(decision), for_pdf=False)
    assert "Dato: 3. mars 2026" in html


def test_same_decision_same_letter(client, clock, case, saksbehandler) -> None:
    _application, decision = case
    client.force_login(saksbehandler)
    url = reverse("decisions:letter", args=[decision.pk])
    first = client.get(url).content
    clock.advance(days=30)
    client.cookies["django_language"] = "en"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").content == first
    pdf_1 = client.get(url + "?format=pdf").content
    pdf_2 = client.get(url + "?format=pdf", HTTP_ACCEPT_LANGUAGE="en").content
    assert pdf_1.startswith(b"%PDF") and pdf_1 == pdf_2


def test_no_decision_without_individual_reasons(clock, make_client, saksbehandler) -> None:
    person = make_client("sagene")
    with pytest.raises(ValidationError) as exc:
        services.do_decide(
            client=person, service_type=ServiceType.objects.get(code="home-nursing"),
            care_block="light", provider=person.provider, valid_from=dt.date(2026, 3, 4),
            visits=[visit()], actor=saksbehandler, justification="   ")
    assert "forvaltningsloven § 25" in exc.value.message_dict["justification"][0]
    assert Decision.objects.count() == 0


def test_letter_without_reasons_cannot_be_sent(client, case, saksbehandler) -> None:
    _application, decision = case
    Decision.objects.filter(pk=decision.pk).update(justification="")  # an older record
    client.force_login(saksbehandler)
    response = client.get(reverse("decisions:letter", args=[decision.pk]), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0][0] == reverse("decisions:decision", args=[decision.pk])
    assert "forvaltningsloven § 25" in html
    api = client.get(f"/api/v1/decisions/{decision.pk}/letter.pdf")
    assert api.status_code == 409 and "begrunnelse" in api.json()["detail"]


def test_appeal_body_setting_and_phone(client, case, saksbehandler, settings) -> None:
    _application, decision = case
    client.force_login(saksbehandler)
    url = reverse("decisions:letter", args=[decision.pk])
    html = client.get(url).content.decode()
    assert "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus" in html
    assert f"telefon {letters.DEFAULT_OFFICE_PHONE}" in html
    settings.TILLIT_APPEAL_BODY = "Statsforvalteren i Nyfylke"
    settings.TILLIT_OFFICE_PHONE = "12 34 56 78"
    html = client.get(url).content.decode()
    assert "Statsforvalteren i Nyfylke" in html and "telefon 12 34 56 78" in html


def test_one_reference_for_every_letter_of_the_case(client, case, saksbehandler) -> None:
    application, decision = case
    reference = f"2026/{application.pk:05d}"
    assert letters.case_reference(application) == reference
    assert letters.case_reference(decision) == reference
    new = services.do_decide(
        client=decision.client, service_type=decision.service_type, care_block="medium",
        provider=decision.provider, valid_from=dt.date(2026, 4, 1), previous=decision,
        change=Decision.Change.REDUCED, visits=[visit(minutes=20)], actor=saksbehandler,
        justification="Mindre behov etter opptrening.")
    assert letters.case_reference(new) == reference
    client.force_login(saksbehandler)
    for url in (reverse("decisions:letter", args=[decision.pk]),
                reverse("decisions:letter", args=[new.pk]),
                reverse("decisions:interim_letter", args=[application.pk])):
        assert f"Vår referanse: {reference}" in client.get(url).content.decode()


def test_reference_of_a_series_without_application(clock, make_client, saksbehandler) -> None:
    person = make_client("sagene")
    decision = services.do_decide(
        client=person, service_type=ServiceType.objects.get(code="home-nursing"),
        care_block="light", provider=person.provider, valid_from=dt.date(2026, 3, 4),
        visits=[visit()], actor=saksbehandler, justification="Begrunnelse.")
    assert letters.case_reference(decision) == f"2026/V{decision.pk:05d}"


# -- refusal and partial grant --------------------------------------------------

def test_refusal_and_partial_grant_letters_with_appeal_rights(client, clock, make_client,
                                                              saksbehandler) -> None:
    person = make_client("sagene")
    nursing = ServiceType.objects.get(code="home-nursing")
    practical = ServiceType.objects.exclude(pk=nursing.pk).filter(has_visits=True).first()
    first = services.do_register_application(client=person, service_type=nursing,
                                             source="client", received_at=NOW,
                                             actor=saksbehandler)
    refusal = services.do_decide(
        client=person, service_type=nursing, care_block="", provider=person.provider,
        valid_from=dt.date(2026, 3, 3), visits=[], actor=saksbehandler, application=first,
        outcome=Decision.Outcome.REFUSED,
        justification="Du klarer stell og medisiner selv, viser kartleggingen.")
    assert refusal.status == Decision.Status.REFUSED and refusal.weekly_minutes == 0
    assert refusal.valid_from == services.today()
    first.refresh_from_db()
    assert first.status == "decided"
    # A refusal is never in force: it blocks no later grant for the same service.
    assert not Decision.objects.active_on(services.today()).filter(pk=refusal.pk).exists()
    second = services.do_register_application(client=person, service_type=practical or nursing,
                                              source="client", received_at=NOW,
                                              actor=saksbehandler)
    partial = services.do_decide(
        client=person, service_type=second.service_type, care_block="light",
        provider=person.provider, valid_from=dt.date(2026, 3, 3), visits=[visit()],
        actor=saksbehandler, application=second, outcome=Decision.Outcome.PARTIAL,
        justification="Du får morgenstell, men ikke kveldsbesøk: det klarer du selv.")
    assert partial.status == Decision.Status.ACTIVE

    client.force_login(saksbehandler)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("decisions:letter", args=[refusal.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Avslag på søknad om hjemmesykepleie" in html and "Du kan klage" in html
    assert "du får ikke hjemmesykepleie" in html and "Dette får du" not in html
    assert "Du klarer stell og medisiner selv" in html
    html = client.get(reverse("decisions:letter", args=[partial.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "delvis innvilget" in html and "Du kan klage" in html and "Dette får du" in html


def test_refusal_grants_nothing(clock, make_client, saksbehandler) -> None:
    person = make_client("sagene")
    with pytest.raises(ValidationError) as exc:
        services.do_decide(
            client=person, service_type=ServiceType.objects.get(code="home-nursing"),
            care_block="", provider=person.provider, valid_from=dt.date(2026, 3, 3),
            visits=[visit()], weekly_minutes=60, actor=saksbehandler, outcome="refused",
            justification="Begrunnelse.")
    assert set(exc.value.message_dict) >= {"visits", "weekly_minutes"}
    with pytest.raises(ValidationError) as exc:
        services.do_decide(
            client=person, service_type=ServiceType.objects.get(code="home-nursing"),
            care_block="", provider=person.provider, valid_from=dt.date(2026, 3, 3),
            visits=[visit()], actor=saksbehandler, outcome="maybe", justification="B.")
    assert "outcome" in exc.value.message_dict and "care_block" in exc.value.message_dict


def test_outcomes_counted_like_grants_small_counts_hidden(client, clock, make_client,
                                                         saksbehandler) -> None:
    nursing = ServiceType.objects.get(code="home-nursing")
    for i in range(7):
        person = make_client("sagene")
        application = services.do_register_application(
            client=person, service_type=nursing, source="client", received_at=NOW,
            actor=saksbehandler)
        refused = i < 5
        services.do_decide(
            client=person, service_type=nursing, care_block="" if refused else "light",
            provider=person.provider, valid_from=dt.date(2026, 3, 3),
            visits=[] if refused else [visit()], actor=saksbehandler, application=application,
            outcome="refused" if refused else "granted", justification="Begrunnelse.")
    rows = {r.service: r for r in services.outcome_counts()}
    row = rows[nursing.name]
    assert row.counts == {"granted": None, "partial": 0, "refused": 5} and row.total == 7
    client.force_login(saksbehandler)
    html = client.get(reverse("decisions:statistics")).content.decode()
    assert "Avslått" in html or "avslått" in html
    assert "<td>5</td>" in html and "<td>7</td>" in html and "<td>–</td>" in html
