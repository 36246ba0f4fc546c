"""The purchaser office's rules, through its services: applications with
history, assessments and care blocks, decisions and their bad input,
versions, processing time on a test clock, equal help and reassessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tillit.decisions import services
from tillit.decisions.models import (
    Application,
    Assessment,
    Decision,
    DecisionVisit,
    IplosDefinition,
    Reassessment,
    ServiceType,
)
from tillit.decisions.tests.conftest import NOW, visit

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def bokmal():
    with translation.override("nb"):
        yield


@pytest.fixture
def nursing() -> ServiceType:
    return ServiceType.objects.get(code="home-nursing")


def all_scores(value: int) -> dict[str, int]:
    return {code: value for code in IplosDefinition.current().definition.codes()}


def register(client, nursing, handler, received=NOW - dt.timedelta(days=1)):
    return services.do_register_application(
        client=client, service_type=nursing, source="hospital", applicant_name="Ullevål",
        received_at=received, actor=handler,
    )


def decide(client, nursing, handler, **over):
    data = dict(client=client, service_type=nursing, care_block="medium",
                provider=client.provider, valid_from=D(2026, 3, 3), visits=[visit()],
                actor=handler, justification="Individuell begrunnelse.")
    data.update(over)
    return services.do_decide(**data)


def test_iplos_definition_loaded_as_data() -> None:
    definition = IplosDefinition.current().definition
    assert len(definition.variables) == 17
    spise = next(v for v in definition.variables if v.code == "spise")
    assert spise.name == "Spise" and spise.levels[4].startswith("Store problemer")
    assert spise.levels[9] == "Ikke relevant"


def test_application_history_is_versioned(clock, new_client, handler_central) -> None:
    client = new_client()
    nursing = ServiceType.objects.get(code="home-nursing")
    app = register(client, nursing, handler_central)
    services.do_record_assessment(client=client, application=app, scores=all_scores(3),
                                  assessed_on=D(2026, 3, 2), assessor=handler_central)
    decide(client, nursing, handler_central, application=app, weekly_minutes=210)
    app.refresh_from_db()
    assert app.status == Application.Status.DECIDED and app.decided_at == NOW
    assert list(app.events.values_list("version", "status")) == [
        (1, "received"), (2, "assessed"), (3, "decided")]


def test_application_in_future_or_without_applicant_refused(clock, new_client, nursing) -> None:
    with pytest.raises(ValidationError) as err:
        services.do_register_application(client=new_client(), service_type=nursing,
                                         source="relative", received_at=NOW + dt.timedelta(hours=1))
    assert set(err.value.message_dict) == {"received_at", "applicant_name"}
    assert "framtiden" in err.value.message_dict["received_at"][0]
    assert Application.objects.count() == 0


@pytest.mark.parametrize("bad", [0, 6, 7, 10, -3])
def test_scores_outside_scale_refused(clock, new_client, bad) -> None:
    scores = all_scores(2) | {"spise": bad}
    with pytest.raises(ValidationError) as err:
        services.do_record_assessment(client=new_client(), scores=scores, assessed_on=D(2026, 3, 1))
    assert list(err.value.message_dict) == ["score_spise"]
    assert "utenfor skalaen" in err.value.message_dict["score_spise"][0]
    assert Assessment.objects.count() == 0


def test_care_block_computed_and_inputs_kept(clock, new_client) -> None:
    a = services.do_record_assessment(client=new_client(), assessed_on=D(2026, 3, 1),
                                      scores=all_scores(1) | {"spise": 4, "toalett": 5})
    assert a.block == a.computed_block == "medium"
    assert a.rule_result["drivers"] == ["toalett", "spise"] and a.rule_result["heavy"] == 2
    assert not a.overridden


def test_override_needs_reason_and_is_counted(clock, new_client) -> None:
    client = new_client()
    with pytest.raises(ValidationError) as err:
        services.do_record_assessment(client=client, assessed_on=D(2026, 3, 1),
                                      scores=all_scores(1), block="extensive")
    assert "override_reason" in err.value.message_dict
    services.do_record_assessment(client=client, assessed_on=D(2026, 3, 1), scores=all_scores(1),
                                  block="extensive", override_reason="Rask forverring ventet")
    services.do_record_assessment(client=client, assessed_on=D(2026, 3, 1), scores=all_scores(1))
    assert services.override_counts() == {"total": 2, "overridden": 1}


def test_care_block_rule_from_settings(clock, new_client, settings) -> None:
    settings.TILLIT_CARE_BLOCK_RULE = {"medium_needs": 1}
    a = services.do_record_assessment(client=new_client(), assessed_on=D(2026, 3, 1),
                                      scores=all_scores(1) | {"spise": 3})
    assert a.block == "medium"


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"valid_to": D(2026, 3, 1)}, "valid_to", "slutte før"),
        ({"visits": []}, "visits", "ingen besøk"),
        ({"visits": [visit(minutes=0)]}, "visits.0.minutes", "1 og 480"),
        ({"visits": [visit(minutes=481)]}, "visits.0.minutes", "1 og 480"),
        ({"visits": [visit(staff_count=2)]}, "visits.0.two_person_reason", "to pleiere"),
        ({"visits": [visit(weekdays=[])]}, "visits.0.weekdays", "ukedag"),
        ({"visits": [visit(), visit(after=0)]}, "visits.1.after_min_minutes", "minutter"),
        ({"weekly_minutes": 60}, "weekly_minutes", "rammen"),
    ],
)
def test_bad_decisions_refused_nothing_saved(clock, new_client, nursing, handler_central,
                                             over, field, words) -> None:
    client = new_client()
    with pytest.raises(ValidationError) as err:
        decide(client, nursing, handler_central, **over)
    assert field in err.value.message_dict, err.value.message_dict
    assert words in " ".join(err.value.message_dict[field])
    assert Decision.objects.count() == 0 and DecisionVisit.objects.count() == 0


def test_overlapping_active_decision_refused(clock, new_client, nursing, handler_central) -> None:
    client = new_client()
    decide(client, nursing, handler_central, valid_to=D(2026, 6, 30))
    with pytest.raises(ValidationError) as err:
        decide(client, nursing, handler_central, valid_from=D(2026, 6, 1))
    assert "allerede et aktivt vedtak" in err.value.message_dict["valid_from"][0]
    decide(client, nursing, handler_central, valid_from=D(2026, 7, 1))  # after: fine
    other = ServiceType.objects.get(code="practical-assistance")
    decide(client, other, handler_central)  # another service: fine
    assert Decision.objects.count() == 3


def test_closed_application_cannot_be_decided(clock, new_client, nursing, handler_central) -> None:
    client = new_client()
    app = register(client, nursing, handler_central)
    services.do_withdraw_application(app, actor=handler_central, note="Flyttet",
                                     confirmed=True)
    with pytest.raises(ValidationError) as err:
        decide(client, nursing, handler_central, application=app)
    assert "application" in err.value.message_dict
    assert Decision.objects.count() == 0


def test_nothing_saved_half_way(clock, new_client, nursing, handler_central, monkeypatch) -> None:
    client = new_client()
    app = register(client, nursing, handler_central)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_event", broken)
    with pytest.raises(RuntimeError):
        decide(client, nursing, handler_central, application=app)
    assert Decision.objects.count() == 0 and DecisionVisit.objects.count() == 0
    app.refresh_from_db()
    assert app.status == "received" and app.decided_at is None


def test_two_person_visit_and_after_gap_saved(clock, new_client, nursing, handler_central) -> None:
    d = decide(new_client(), nursing, handler_central, visits=[
        visit(minutes=20, skills=["insulin"], competence="nurse"),
        visit(minutes=15, after=0, after_min_minutes=180, after_max_minutes=300, slot="midday"),
        visit(minutes=30, slot="evening", staff_count=2, two_person_reason="Tung forflytning"),
    ], weekly_minutes=455)
    first, second, third = d.visits.all()
    assert second.after == first and (second.after_min_minutes, second.after_max_minutes) == (180, 300)
    assert third.staff_count == 2 and first.skills == ["insulin"]
    assert d.planned_weekly_minutes() == 7 * 65


def test_district_office_only_decides_its_district(clock, new_client, nursing, handler_sagene) -> None:
    with pytest.raises(ValidationError) as err:
        decide(new_client("alna"), nursing, handler_sagene)
    assert "service_type" in err.value.message_dict
    decide(new_client("sagene"), nursing, handler_sagene)


def test_central_only_service(clock, new_client, handler_sagene, handler_central) -> None:
    bpa = ServiceType.objects.get(code="bpa")
    assert bpa.office == ServiceType.Office.CENTRAL
    client = new_client("sagene")
    assert not services.office_may_decide(handler_sagene, bpa, client)
    assert services.office_may_decide(handler_central, bpa, client)


def test_new_version_supersedes_and_keeps_history(clock, new_client, nursing, handler_central) -> None:
    d1 = decide(new_client(), nursing, handler_central)
    spec = services.visit_specs(d1)
    spec[0]["minutes"] = 45
    d2 = services.do_decide(justification="Individuell begrunnelse.", client=d1.client, service_type=nursing, care_block="medium",
                            provider=d1.provider, valid_from=D(2026, 4, 1), visits=spec,
                            previous=d1, change="increased", actor=handler_central)
    d1.refresh_from_db()
    assert d1.status == "superseded" and d1.valid_to == D(2026, 3, 31)
    assert d1.visits.get().minutes == 30  # the old version is unchanged
    assert d2.version == 2 and d2.series == d1.series
    assert list(d2.history()) == [d2, d1]
    with pytest.raises(ValidationError):  # a superseded version cannot be changed again
        services.do_decide(justification="Individuell begrunnelse.", client=d1.client, service_type=nursing, care_block="medium",
                           provider=d1.provider, valid_from=D(2026, 5, 1), visits=spec,
                           previous=d1, actor=handler_central)


def test_overdue_list_on_test_clock(clock, new_client, nursing, handler_central) -> None:
    client = new_client()
    old = register(client, nursing, handler_central, received=NOW - dt.timedelta(days=40))
    soon = register(client, ServiceType.objects.get(code="bpa"), handler_central,
                    received=NOW - dt.timedelta(days=27))
    fresh = register(client, ServiceType.objects.get(code="bpa"), handler_central,
                     received=NOW - dt.timedelta(days=2))
    rows = services.overdue(Application.objects.all())
    assert [(a, ct.worst) for a, ct in rows] == [(old, "overdue"), (soon, "warning")]
    clock.advance(days=10)
    rows = services.overdue(Application.objects.all())
    assert [a for a, _ in rows] == [old, soon]
    assert all(ct.worst == "overdue" for _, ct in rows)
    assert fresh not in [a for a, _ in rows]


def test_target_days_per_service(clock, new_client, nursing, handler_central) -> None:
    app = register(new_client(), nursing, handler_central, received=NOW - dt.timedelta(days=15))
    ct = services.case_time(app)
    assert ct.target is not None and ct.target.state == "overdue"  # 14-day target
    assert ct.interim.state == "pending"


def test_interim_reply(clock, new_client, nursing, handler_central) -> None:
    app = register(new_client(), nursing, handler_central, received=NOW - dt.timedelta(days=28))
    with pytest.raises(ValidationError) as err:
        services.do_send_interim_reply(app, expected_on=D(2026, 3, 1), reason="", actor=None)
    assert {"interim_reason", "interim_expected_on"} <= set(err.value.message_dict)
    services.do_send_interim_reply(app, expected_on=D(2026, 4, 15), reason="Venter på epikrise",
                                   actor=handler_central)
    app.refresh_from_db()
    assert app.interim_sent_on == D(2026, 3, 2)
    assert services.case_time(app).interim.state == "met"


def test_equal_help_suppressed_below_five_then_shown(clock, new_client, nursing,
                                                     handler_central) -> None:
    clients = [new_client("sagene") for _ in range(4)] + [new_client("alna") for _ in range(3)]
    for i, client in enumerate(clients[:4]):
        decide(client, nursing, handler_central, visits=[visit(minutes=10 + 10 * i)])
    target = clients[0]
    eh = services.equal_help_for(care_block="medium", weekly_minutes=7 * 25,
                                 district=target.district, on=D(2026, 3, 10))
    assert eh.city.suppressed and eh.district.suppressed
    for i, client in enumerate(clients[4:]):
        decide(client, nursing, handler_central, visits=[visit(minutes=50 + 10 * i)])
    eh = services.equal_help_for(care_block="medium", weekly_minutes=7 * 25,
                                 district=target.district, on=D(2026, 3, 10))
    # city: 10,20,30,40,50,60,70 minutes a day; 25 lies above two of seven
    assert not eh.city.suppressed and eh.city.count == 7
    assert eh.city.median == round(7 * 40 / 60, 2) and eh.city.percentile == pytest.approx(28.6)
    assert eh.district.suppressed  # only four in Sagene
    assert services.equal_help_for(care_block="light", weekly_minutes=60,
                                   district=target.district).city.suppressed


def test_reassessment_reduction_visible(clock, new_client, nursing, handler_central) -> None:
    d1 = decide(new_client(), nursing, handler_central, review_on=D(2026, 3, 3))
    assert services.open_due_reviews(D(2026, 3, 3)) == 1
    assert services.open_due_reviews(D(2026, 3, 4)) == 0  # already open
    r = d1.reassessments.get()
    assert r.source == "review_date"
    with pytest.raises(ValidationError) as err:
        services.do_close_reassessment(r, outcome="reduced", actor=handler_central,
                                       valid_from=D(2026, 4, 1))  # same visits: no reduction
    assert "weekly_minutes" in err.value.message_dict
    spec = services.visit_specs(d1)
    spec[0]["minutes"] = 20
    services.do_close_reassessment(r, outcome="reduced", actor=handler_central,
                                   valid_from=D(2026, 4, 1), changes={"visits": spec})
    r.refresh_from_db()
    assert r.outcome == "reduced" and r.new_decision.weekly_minutes == 140
    assert r.new_decision.change == "reduced" and r.new_decision.previous == d1


def test_reassessment_from_visit_reports_and_ending(clock, new_client, nursing,
                                                    handler_central) -> None:
    d1 = decide(new_client(), nursing, handler_central)
    r = services.do_open_reassessment(d1, source="visit_reports",
                                      evidence={"proposal": 17, "direction": "less"})
    with pytest.raises(ValidationError):
        services.do_open_reassessment(d1, source="request", reason="Datter ringte")
    services.do_close_reassessment(r, outcome="ended", valid_from=D(2026, 5, 1))
    d1.refresh_from_db()
    assert d1.status == "ended" and d1.valid_to == D(2026, 4, 30)
    assert Reassessment.objects.get().evidence["direction"] == "less"


def test_request_needs_reason(clock, new_client, nursing, handler_central) -> None:
    d1 = decide(new_client(), nursing, handler_central)
    with pytest.raises(ValidationError) as err:
        services.do_open_reassessment(d1, source="request")
    assert "reason" in err.value.message_dict


def test_now_is_timezone_aware() -> None:
    assert timezone.is_aware(services.now())


def test_private_provider_must_serve_the_district(clock, new_client, nursing,
                                                  handler_central) -> None:
    from tillit.organisation.models import Provider

    private = Provider.objects.create(name="Omsorg Øst AS", kind="private")
    private.districts.add(new_client("alna").district)
    with pytest.raises(ValidationError) as err:
        decide(new_client("sagene"), nursing, handler_central, provider=private)
    assert "brukerens bydel" in err.value.message_dict["provider"][0]
    decide(new_client("alna"), nursing, handler_central, provider=private)


def test_district_only_service(clock, new_client, nursing, handler_central,
                               handler_sagene) -> None:
    nursing.office = ServiceType.Office.DISTRICT
    nursing.save()
    client = new_client("sagene")
    assert not services.office_may_decide(handler_central, nursing, client)
    with pytest.raises(ValidationError):
        decide(client, nursing, handler_central)
    decide(client, nursing, handler_sagene)


def test_increase_and_unchanged_outcomes(clock, new_client, nursing, handler_central) -> None:
    d1 = decide(new_client(), nursing, handler_central, review_on=D(2026, 6, 1))
    r = services.do_open_reassessment(d1, source="request", reason="Sønn ringte")
    spec = services.visit_specs(d1) + [visit(slot="evening", minutes=20)]
    services.do_close_reassessment(r, outcome="increased", valid_from=D(2026, 4, 1),
                                   changes={"visits": spec, "care_block": "extensive"})
    r.refresh_from_db()
    d2 = r.new_decision
    assert d2.weekly_minutes == 350 and d2.care_block == "extensive" and d2.change == "increased"
    r2 = services.do_open_reassessment(d2, source="review_date")
    services.do_close_reassessment(r2, outcome="unchanged", changes={"review_on": D(2026, 12, 1)})
    d2.refresh_from_db()
    assert d2.status == "active" and d2.review_on == D(2026, 12, 1)
    assert Decision.objects.filter(series=d1.series).count() == 2
