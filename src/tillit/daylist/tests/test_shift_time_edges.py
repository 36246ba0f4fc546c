"""Shift bounds over the daylight-saving edges of 2026 (29 March and 25
October in Europe/Oslo), over midnight and over leap days (issue #18)."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.daylist.shifts import Shift, bounds

HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(("day", "start", "end", "hours"), [
    (dt.date(2026, 3, 28), dt.time(22), dt.time(7), 8),    # the clocks jump 02:00 → 03:00
    (dt.date(2026, 10, 24), dt.time(22), dt.time(7), 10),  # 03:00 → 02:00: one hour twice
    (dt.date(2026, 3, 29), dt.time(7), dt.time(15), 8),    # the day after: a normal day shift
    (dt.date(2026, 6, 1), dt.time(22), dt.time(6), 8),     # over midnight
    (dt.date(2028, 2, 28), dt.time(22), dt.time(6), 8),    # into a leap day
    (dt.date(2028, 2, 29), dt.time(22), dt.time(6), 8),    # out of a leap day
])
def test_a_shift_lasts_the_hours_that_really_pass(day, start, end, hours) -> None:
    first, last = bounds(day, start, end)
    assert (last.astimezone(dt.UTC) - first.astimezone(dt.UTC)) == hours * HOUR
    assert first.date() == day
    assert last.date() == (day + dt.timedelta(days=1) if end <= start else day)


def test_the_leap_day_is_the_day_after_28_february_2028() -> None:
    _first, last = bounds(dt.date(2028, 2, 28), dt.time(22), dt.time(6))
    assert last.date() == dt.date(2028, 2, 29)
    _first, last = bounds(dt.date(2028, 2, 29), dt.time(22), dt.time(6))
    assert last.date() == dt.date(2028, 3, 1)


def test_visits_in_the_repeated_hour_fall_inside_the_night_shift() -> None:
    first, last = bounds(dt.date(2026, 10, 24), dt.time(22), dt.time(7))
    shift = Shift(date=dt.date(2026, 10, 24), kind="night", start=first, end=last, team_id=1)
    # 02:30 happens twice on 25 October: at 00:30 and at 01:30 UTC. Both are in the shift.
    for utc_hour in (0, 1):
        visit = dt.datetime(2026, 10, 25, utc_hour, 30, tzinfo=dt.UTC)
        assert shift.overlaps(visit, visit + 30 * dt.timedelta(minutes=1))
    after = dt.datetime(2026, 10, 25, 6, 30, tzinfo=dt.UTC)  # 07:30 winter time
    assert not shift.overlaps(after, after + HOUR)
