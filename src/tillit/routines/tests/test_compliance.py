"""The compliance overview and the reminders before deadlines."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.management import call_command

from tillit.routines import services
from tillit.routines.models import Status


def _row(rows, slug):
    return next(r for r in rows if r.district.slug == slug)


def test_compliance_counts_each_district(units, publish, leder_sagene):
    routine = publish()
    publish("Rådgivende rutine", kind="advisory")
    for ack in services.current_acknowledgements().filter(version__routine=routine,
                                                          district__slug="sagene"):
        services.do_report_implementation(user=leder_sagene, acknowledgement=ack,
                                          status=Status.IMPLEMENTED)
    rows = services.compliance_by_district()
    sagene, alna = _row(rows, "sagene"), _row(rows, "alna")
    assert (sagene.total, sagene.acknowledged, sagene.implemented) == (2, 2, 2)
    assert (alna.total, alna.acknowledged, alna.implemented) == (2, 0, 0)
    assert _row(services.compliance_by_district(kind=None), "alna").total == 4


def test_overdue_answers_show_in_the_overview(units, publish):
    publish(respond_in=2)
    later = services.today() + dt.timedelta(days=3)
    assert _row(services.compliance_by_district(later), "alna").overdue == 2
    assert _row(services.compliance_by_district(), "alna").overdue == 0


def test_reminders_come_a_week_before_the_deadline(units, publish, leder_sagene):
    publish("Snart", respond_in=5)
    publish("Senere", respond_in=30)
    due = services.due_reminders()
    assert {a.version.routine.title for a in due} == {"Snart"}
    done = [a for a in due if a.district.slug == "sagene"]
    for ack in done:
        services.do_report_implementation(user=leder_sagene, acknowledgement=ack,
                                          status=Status.IMPLEMENTED)
    assert not services.due_reminders(district=leder_sagene.district)
    # in progress is still due
    services.do_report_implementation(user=leder_sagene, acknowledgement=done[0],
                                      status=Status.IN_PROGRESS)
    assert services.due_reminders(district=leder_sagene.district) == [done[0]]


def test_the_command_lists_and_sends_once_a_day(units, publish, make_user, capsys):
    make_user("leder.alna", "district_manager", "alna", email="leder.alna@example.org")
    publish("Snart", respond_in=3)
    call_command("routine_reminders")
    out = capsys.readouterr().out
    assert "Alna" in out and "Snart" in out and "30 due answers." in out
    assert not mail.outbox
    call_command("routine_reminders", "--send")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["leder.alna@example.org"]
    assert "Snart" in mail.outbox[0].body and "frist" in mail.outbox[0].body
    call_command("routine_reminders", "--send")
    assert len(mail.outbox) == 1  # not twice the same day
