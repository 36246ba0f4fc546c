"""Publishing asks every district and health unit; answers; a new version
restarts acknowledgement; deviations need a reason; only one's own district."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tillit.organisation.models import District
from tillit.routines import services
from tillit.routines.models import Acknowledgement, Status


def _district_row(routine, slug: str) -> Acknowledgement:
    return services.current_acknowledgements().get(
        version__routine=routine, district__slug=slug, unit__isnull=True)


def test_publishing_asks_every_district_and_its_health_unit(units, publish):
    routine = publish()
    acks = services.current_acknowledgements().filter(version__routine=routine)
    assert acks.filter(unit__isnull=True).count() == District.objects.count() == 15
    assert acks.filter(unit__isnull=False).count() == 15
    assert all(a.status == Status.NOT_STARTED and not a.is_acknowledged for a in acks)


def test_the_district_manager_acknowledges_and_reports(units, publish, leder_sagene):
    routine = publish()
    ack = _district_row(routine, "sagene")
    services.do_report_implementation(user=leder_sagene, acknowledgement=ack,
                                      status=Status.IN_PROGRESS)
    ack.refresh_from_db()
    assert ack.is_acknowledged and ack.acknowledged_by == leder_sagene
    first = ack.acknowledged_at
    services.do_report_implementation(user=leder_sagene, acknowledgement=ack,
                                      status=Status.IMPLEMENTED)
    ack.refresh_from_db()
    assert ack.status == Status.IMPLEMENTED and ack.acknowledged_at == first


def test_a_deviation_needs_its_reason(units, publish, leder_sagene):
    ack = _district_row(publish(), "sagene")
    with pytest.raises(ValidationError) as exc:
        services.do_report_implementation(user=leder_sagene, acknowledgement=ack,
                                          status=Status.DEVIATION, reason="  ")
    assert "deviation_reason" in exc.value.message_dict
    ack.refresh_from_db()
    assert not ack.is_acknowledged
    services.do_report_implementation(user=leder_sagene, acknowledgement=ack,
                                      status=Status.DEVIATION, reason="Mangler medisinrom.")
    ack.refresh_from_db()
    assert ack.status == Status.DEVIATION and ack.deviation_reason == "Mangler medisinrom."


def test_no_one_answers_for_another_district(units, publish, leder_sagene, planlegger_sagene,
                                             analytiker):
    routine = publish()
    alna = _district_row(routine, "alna")
    with pytest.raises(PermissionDenied):
        services.do_report_implementation(user=leder_sagene, acknowledgement=alna,
                                          status=Status.IMPLEMENTED)
    # a planner answers for the district's units, not for the district itself
    sagene = _district_row(routine, "sagene")
    assert not services.may_answer(planlegger_sagene, sagene)
    unit_row = services.current_acknowledgements().get(
        version__routine=routine, district__slug="sagene", unit__isnull=False)
    assert services.may_answer(planlegger_sagene, unit_row)
    assert not services.may_answer(analytiker, unit_row)


def test_a_new_version_restarts_acknowledgement(units, publish, leder_sagene, admin_user):
    routine = publish()
    old = _district_row(routine, "sagene")
    services.do_report_implementation(user=leder_sagene, acknowledgement=old,
                                      status=Status.IMPLEMENTED)
    today = services.today()
    version = services.do_publish_version(
        user=admin_user, routine=routine, kind="mandatory", text="Ny tekst.",
        effective_from=today, respond_by=today + dt.timedelta(days=14),
        change_note="Nye krav til signering")
    assert version.number == 2
    new = _district_row(routine, "sagene")
    assert new.version == version and not new.is_acknowledged
    assert new.status == Status.NOT_STARTED
    old.refresh_from_db()  # the old answer stays as history
    assert old.status == Status.IMPLEMENTED and old.is_acknowledged
    # answering the old version is refused
    with pytest.raises(ValidationError):
        services.do_report_implementation(user=leder_sagene, acknowledgement=old,
                                          status=Status.IN_PROGRESS)


def test_a_routine_needs_text_or_document(units, admin_user):
    today = services.today()
    with pytest.raises(ValidationError) as exc:
        services.do_publish_routine(user=admin_user, title="Tom", kind="advisory", text="",
                                    effective_from=today, respond_by=today)
    assert "text" in exc.value.message_dict
    assert not services.Routine.objects.exists()  # nothing saved half-way
