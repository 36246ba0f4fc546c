"""The purchaser office's pages: the application → assessment → decision
flow, Norwegian field errors, the letter, deadlines on a test clock,
reassessment, and the access policy (404 for other districts, every read
logged)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessOperation, AccessRecord
from tillit.decisions import services
from tillit.decisions.models import (
    Application,
    Assessment,
    Decision,
    IplosDefinition,
    Reassessment,
    ServiceType,
)
from tillit.decisions.tests.conftest import NOW, visit

pytestmark = pytest.mark.django_db


def scores_post(value: int = 1, **over: int) -> dict[str, str]:
    data = {f"score_{c}": str(value) for c in IplosDefinition.current().definition.codes()}
    data.update({f"score_{k}": str(v) for k, v in over.items()})
    return data


def visit_post(rows: list[dict[str, object]], extra: int = 0) -> dict[str, object]:
    data: dict[str, object] = {
        "visits-TOTAL_FORMS": str(len(rows) + extra), "visits-INITIAL_FORMS": "0",
        "visits-MIN_NUM_FORMS": "0", "visits-MAX_NUM_FORMS": "9",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"visits-{i}-{key}"] = value
    return data


MORNING = {"slot": "morning", "weekdays": ["0", "1", "2", "3", "4", "5", "6"], "minutes": "30",
           "competence": "health_worker", "staff_count": "1", "tasks": "Morgenstell"}


UNTOUCHED = {"slot": "morning", "competence": "health_worker", "staff_count": "1", "minutes": "",
             "tasks": ""}


def decision_post(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "care_block": "medium", "valid_from": "2026-03-03", "review_on": "2026-09-01",
        "tolerance_percent": "15", "justification": "Behov etter sykehusopphold", "decide": "1",
    }
    if not any(key.startswith("visits-") for key in over):
        data.update(visit_post([MORNING]))
    data.update(over)
    return data


@pytest.fixture
def app_sagene(clock, make_client, saksbehandler):
    client = make_client("sagene")
    data = {"client": client, "service_type": ServiceType.objects.get(code="home-nursing"),
            "source": "hospital", "applicant_name": "Ullevål",
            "received_at": NOW - dt.timedelta(days=3), "actor": saksbehandler}
    return services.do_register_application(**data)


def test_full_flow_application_assessment_decision_letter(client, clock, make_client,
                                                          saksbehandler) -> None:
    person = make_client("sagene")
    client.force_login(saksbehandler)
    page = client.get(reverse("decisions:worklist"))
    assert page.status_code == 200 and "Saksbehandling" in page.content.decode()

    response = client.post(reverse("decisions:application_new"), {
        "national_id": person.national_id,
        "service_type": ServiceType.objects.get(code="home-nursing").pk,
        "source": "hospital", "applicant_name": "Lovisenberg", "urgency": "urgent",
        "received_at": "2026-03-01T09:30", "description": "Utskrivningsklar pasient",
    })
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:application", args=[application.pk])

    page = client.get(reverse("decisions:assessment_new", args=[application.pk]))
    html = page.content.decode()
    assert "Personlig hygiene" in html and "Ikke relevant" in html
    assert "Store problemer" in html  # the meaning of each level is shown

    response = client.post(reverse("decisions:assessment_new", args=[application.pk]), {
        **scores_post(1, spise=4, toalett=4, personlig_hygiene=3), "assessed_on": "2026-03-02",
    })
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and assessment.block == "medium"
    html = client.get(reverse("decisions:assessment", args=[assessment.pk])).content.decode()
    assert "middels støttebehov" in html and "Spise, Toalett, Personlig hygiene" in html  # inputs that drove it

    response = client.post(reverse("decisions:decision_new", args=[application.pk]),
                           decision_post(provider=person.provider_id))
    decision = Decision.objects.get()
    assert response.status_code == 302, response.content.decode()[:3000]
    assert decision.weekly_minutes == 210 and decision.assessment == assessment
    html = client.get(reverse("decisions:decision", args=[decision.pk])).content.decode()
    assert "Morgenstell" in html and "210" in html

    letter = client.get(reverse("decisions:letter", args=[decision.pk])).content.decode()
    assert "Vedtak om hjemmesykepleie" in letter
    assert "pasient- og brukerrettighetsloven § 2-1" in letter.lower()
    assert "§ 3-2 første ledd nr. 6" in letter and "Du kan klage" in letter
    pdf = client.get(reverse("decisions:letter", args=[decision.pk]) + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    application.refresh_from_db()
    assert application.status == "decided"


def test_norwegian_field_errors_and_nothing_saved(client, clock, app_sagene,
                                                  saksbehandler) -> None:
    client.force_login(saksbehandler)
    url = reverse("decisions:assessment_new", args=[app_sagene.pk])
    response = client.post(url, {**scores_post(1, spise=7), "assessed_on": "2026-03-02"})
    html = response.content.decode()
    assert response.status_code == 200 and "utenfor skalaen" in html
    assert Assessment.objects.count() == 0

    url = reverse("decisions:decision_new", args=[app_sagene.pk])
    p = app_sagene.client.provider_id
    cases = [
        (decision_post(valid_to="2026-03-01", provider=p), "Vedtaket kan ikke slutte før det starter"),
        (decision_post(**visit_post([{**MORNING, "minutes": "0"}]), provider=p), "mellom 1 og 480"),
        (decision_post(**visit_post([{**MORNING, "minutes": "500"}]), provider=p), "mellom 1 og 480"),
        (decision_post(**visit_post([{**MORNING, "staff_count": "2"}]), provider=p), "trenger to pleiere"),
        (decision_post(**visit_post([UNTOUCHED]), provider=p), "ingen besøk"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 400, message
        assert message in response.content.decode(), message
    assert Decision.objects.count() == 0


def test_application_form_errors(client, clock, make_client, saksbehandler_sagene) -> None:
    alna_person = make_client("alna")
    client.force_login(saksbehandler_sagene)
    response = client.post(reverse("decisions:application_new"), {
        "national_id": alna_person.national_id, "source": "relative",
        "service_type": ServiceType.objects.get(code="home-nursing").pk,
        "received_at": "2026-03-01T09:30", "urgency": "normal",
    })
    html = response.content.decode()
    assert "Ingen bruker med dette fødselsnummeret" in html  # Alna is not Sagene's
    assert Application.objects.count() == 0


def test_other_district_answers_404(client, clock, make_client, saksbehandler,
                                    saksbehandler_sagene, leder_sagene) -> None:
    alna = services.do_register_application(
        client=make_client("alna"), service_type=ServiceType.objects.get(code="home-nursing"),
        source="client", received_at=NOW - dt.timedelta(days=1), actor=saksbehandler)
    d = services.do_decide(justification="Individuell begrunnelse.", client=alna.client, service_type=alna.service_type,
                           care_block="light", provider=alna.client.provider,
                           valid_from=dt.date(2026, 3, 5), visits=[visit()], actor=saksbehandler)
    for user in (saksbehandler_sagene, leder_sagene):
        client.force_login(user)
        for name, pk in (("decisions:application", alna.pk), ("decisions:decision", d.pk),
                         ("decisions:letter", d.pk)):
            assert client.get(reverse(name, args=[pk])).status_code == 404
    client.force_login(saksbehandler)
    assert client.get(reverse("decisions:decision", args=[d.pk])).status_code == 200


def test_reads_are_logged(client, clock, app_sagene, saksbehandler, leder_sagene) -> None:
    client.force_login(leder_sagene)
    client.get(reverse("decisions:application", args=[app_sagene.pk]))
    op = AccessOperation.objects.get(actor_username="leder.sagene")
    assert op.what == "record" and op.interface == "page"
    assert list(AccessRecord.objects.filter(operation=op).values_list("client_id", flat=True)) \
        == [app_sagene.client_id]
    client.force_login(saksbehandler)
    client.get(reverse("decisions:worklist"))
    assert AccessOperation.objects.filter(actor_username="saksbehandler", what="list").exists()


def test_roles_without_case_work_are_refused(client, clock, analytiker, leder_sagene,
                                             app_sagene) -> None:
    client.force_login(analytiker)
    assert client.get(reverse("decisions:worklist")).status_code == 403
    assert client.get(reverse("decisions:application", args=[app_sagene.pk])).status_code == 403
    assert client.get(reverse("decisions:overrides")).status_code == 200
    client.force_login(leder_sagene)
    assert client.get(reverse("decisions:worklist")).status_code == 403
    assert client.get(reverse("decisions:application", args=[app_sagene.pk])).status_code == 200


def test_overdue_list_and_interim_letter_on_test_clock(client, clock, make_client,
                                                       saksbehandler) -> None:
    person = make_client("sagene")
    bpa = ServiceType.objects.get(code="bpa")
    old = services.do_register_application(client=person, service_type=bpa, source="client",
                                           received_at=NOW - dt.timedelta(days=26))
    client.force_login(saksbehandler)
    html = client.get(reverse("decisions:overdue")).content.decode()
    # Lists show "Family, Given" (issue #14, item 3).
    assert f"{person.family_name}, {person.given_name}" in html
    assert "snart" in html  # warned before it passes (due 30 Jan +1m)
    clock.advance(days=10)
    html = client.get(reverse("decisions:overdue")).content.decode()
    assert "over fristen" in html
    response = client.post(reverse("decisions:interim_reply", args=[old.pk]), {
        "interim_expected_on": "2026-04-01", "interim_reason": "Venter på epikrise"})
    assert response.status_code == 302
    letter = client.get(reverse("decisions:interim_letter", args=[old.pk])).content.decode()
    assert "Foreløpig svar" in letter and "forvaltningsloven § 11 a" in letter
    assert "Venter på epikrise" in letter
    pdf = client.get(reverse("decisions:interim_letter", args=[old.pk]) + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_equal_help_on_decision_page(client, clock, make_client, saksbehandler) -> None:
    nursing = ServiceType.objects.get(code="home-nursing")
    made = []
    for i in range(6):
        person = make_client("sagene")
        made.append(services.do_decide(
            justification="Individuell begrunnelse.", client=person, service_type=nursing, care_block="medium", provider=person.provider,
            valid_from=dt.date(2026, 3, 1), visits=[visit(minutes=20 + 5 * i)],
            date_reason="Vedtatt muntlig 1. mars.",
            actor=saksbehandler))
    client.force_login(saksbehandler)
    html = client.get(reverse("decisions:decision", args=[made[0].pk])).content.decode()
    # Five others: 25..45 min a day → median 35*7/60 = 4.08 h; 20 min/day is below all.
    assert "4,08" in html or "4.08" in html
    assert "Likeverdig hjelp" in html
    # Deciding: the block's distribution is shown before the hours are known.
    app = services.do_register_application(client=make_client("sagene"), service_type=nursing,
                                           source="client", received_at=NOW)
    services.do_record_assessment(client=app.client, application=app, assessed_on=NOW.date(),
                                  scores={c: 3 for c in IplosDefinition.current().definition
                                          .codes()[:4]} | {c: 1 for c in IplosDefinition
                                                           .current().definition.codes()[4:]})
    html = client.get(reverse("decisions:decision_new", args=[app.pk])).content.decode()
    assert "Fyll inn besøkene og sammenlign" in html and "<td>6</td>" in html
    html = client.get(reverse("decisions:decision", args=[made[1].pk])).content.decode()
    assert "For få vedtak til å vise" not in html.split("Hele byen")[1].split("</tr>")[0]


def test_reassessment_reduction_through_page(client, clock, make_client, saksbehandler) -> None:
    person = make_client("sagene")
    d = services.do_decide(justification="Individuell begrunnelse.", client=person, service_type=ServiceType.objects.get(
        code="home-nursing"), care_block="medium", provider=person.provider,
        valid_from=dt.date(2026, 3, 1), visits=[visit()], actor=saksbehandler,
        date_reason="Vedtatt muntlig 1. mars.")
    client.force_login(saksbehandler)
    response = client.post(reverse("decisions:reassessment_open", args=[d.pk]),
                           {"source": "request", "reason": "Bedre etter opptrening"})
    r = Reassessment.objects.get()
    assert response.status_code == 302
    data = {"outcome": "reduced", "valid_from": "2026-04-01", "care_block": "light"}
    data.update(visit_post([{**MORNING, "minutes": "15"}]))
    response = client.post(reverse("decisions:reassessment", args=[r.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Decision.objects.get(version=2)
    assert new.weekly_minutes == 105 and new.change == "reduced" and new.care_block == "light"
    html = client.get(reverse("decisions:decision", args=[new.pk])).content.decode()
    assert "redusert" in html.lower()
    letter = client.get(reverse("decisions:letter", args=[new.pk])).content.decode()
    assert "hjelpen blir redusert" in letter and "Før var det 3,5 timer" in letter


def test_navigation_for_case_handlers(client, clock, saksbehandler) -> None:
    client.force_login(saksbehandler)
    html = client.get(reverse("start")).content.decode()
    assert reverse("decisions:worklist") in html and reverse("decisions:overdue") in html


def test_now_used_for_default_received_time(client, clock, saksbehandler) -> None:
    client.force_login(saksbehandler)
    html = client.get(reverse("decisions:application_new")).content.decode()
    local = timezone.localtime(NOW).strftime("%Y-%m-%dT%H:%M")
    assert local in html


def test_overrides_page_counts_city_wide_and_suppresses_small(client, clock, make_client,
                                                              analytiker) -> None:
    codes = IplosDefinition.current().definition.codes()
    for i in range(6):
        services.do_record_assessment(client=make_client("sagene" if i % 2 else "alna"),
                                      scores={c: 1 for c in codes},
                                      assessed_on=dt.date(2026, 3, 1))
    services.do_record_assessment(client=make_client("sagene"), scores={c: 1 for c in codes},
                                  assessed_on=dt.date(2026, 3, 1), block="medium",
                                  override_reason="Forverring ventet")
    client.force_login(analytiker)
    html = client.get(reverse("decisions:overrides")).content.decode()
    assert "1 av 7 kartlegginger" in html
    assert "<td>enkle støttebehov</td><td>enkle støttebehov</td><td>6</td>" in html
    assert "middels støttebehov</td><td>1<" not in html and "færre enn 5" in html


def test_worklist_warns_about_deadlines(client, clock, make_client, saksbehandler) -> None:
    bpa = ServiceType.objects.get(code="bpa")
    services.do_register_application(client=make_client("sagene"), service_type=bpa,
                                     source="client", received_at=NOW - dt.timedelta(days=40))
    services.do_register_application(client=make_client("sagene"), service_type=bpa,
                                     source="client", received_at=NOW - dt.timedelta(days=27))
    client.force_login(saksbehandler)
    html = client.get(reverse("decisions:worklist")).content.decode()
    assert "1 åpne saker har passert en frist, og 1 har frist de nærmeste dagene" in html


def test_withdraw_closes_the_case_with_history(client, clock, app_sagene, saksbehandler) -> None:
    client.force_login(saksbehandler)
    url = reverse("decisions:withdraw", args=[app_sagene.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"note": "Bruker flyttet"}, follow=True)
    assert "Bekreft tilbaketrekkingen" in response.content.decode()  # no confirmation
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "Skriv hvorfor søknaden trekkes" in response.content.decode()  # no reason
    response = client.post(url, {"note": "Bruker flyttet", "confirm": "1"}, follow=True)
    assert "Søknaden er trukket." in response.content.decode()
    assert "Avsluttet: søknaden er trukket" in response.content.decode()
    app_sagene.refresh_from_db()
    assert app_sagene.status == "withdrawn"
    assert app_sagene.events.last().note == "Bruker flyttet"
    response = client.post(url, follow=True)  # twice: refused, in Norwegian
    assert "Bare en åpen søknad kan trekkes." in response.content.decode()
