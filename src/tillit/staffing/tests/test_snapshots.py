"""Monthly snapshots: the service, the command and the trend on the page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient

from tillit.staffing.models import StaffingSnapshot
from tillit.staffing.services import do_take_snapshot

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 18)


def test_a_snapshot_stores_every_districts_figures(world) -> None:
    rows = do_take_snapshot(dt.date(2026, 11, 1), today=TODAY)
    assert rows == 15 * 3
    nurse = StaffingSnapshot.objects.get(month=dt.date(2026, 11, 1), district=world.district,
                                         competence="nurse")
    assert nurse.reference_date == TODAY
    assert nurse.weekly_direct_minutes == 240
    assert nurse.rostered_fte == 1.4
    assert nurse.without_responsible == 1 and nurse.clients == 3
    # Taking it again replaces the month, never duplicates it.
    assert do_take_snapshot(dt.date(2026, 11, 20), today=TODAY) == 45
    assert StaffingSnapshot.objects.filter(month=dt.date(2026, 11, 1)).count() == 45


def test_a_past_month_is_taken_on_its_last_day(world) -> None:
    do_take_snapshot(dt.date(2026, 10, 1), today=TODAY)
    nurse = StaffingSnapshot.objects.get(month=dt.date(2026, 10, 1), district=world.district,
                                         competence="nurse")
    assert nurse.reference_date == dt.date(2026, 10, 31)
    assert nurse.weekly_direct_minutes == 240 + 600  # the ended decision still ran then
    assert nurse.rostered_fte == 0.0  # no roster that week


def test_future_months_are_refused(world) -> None:
    with pytest.raises(ValidationError):
        do_take_snapshot(dt.date(2027, 1, 1), today=TODAY)


def test_the_command(world, capsys) -> None:
    call_command("take_staffing_snapshot", "--month", "2026-10")
    assert "2026-10: 45 rows" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("take_staffing_snapshot", "--month", "oktober")


def test_the_trend_is_shown(world, leder_sagene) -> None:
    for month in (dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)):
        do_take_snapshot(month, today=TODAY)
    c = HttpClient()
    c.force_login(leder_sagene)
    response = c.get("/bemanning/bydel/sagene/", {"date": TODAY.isoformat()})
    trend = response.context["trend"]
    assert [r["month"] for r in trend["rows"]] == [dt.date(2026, 9, 1), dt.date(2026, 10, 1),
                                                   dt.date(2026, 11, 1)]
    assert response.content.decode().count("<svg") == 3
    assert "Måned for måned" in response.content.decode()
