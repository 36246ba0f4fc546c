"""Processing-time deadlines: forvaltningsmelding after one month, targets,
warnings before they pass."""

import datetime as dt

from tillit.core import deadlines as d

D = dt.date


def test_add_months_clips_to_month_end() -> None:
    assert d.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert d.add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)


def test_open_case_pending_then_warning_then_overdue() -> None:
    received = D(2026, 3, 1)
    assert d.case_time(received=received, today=D(2026, 3, 10)).interim.state == d.PENDING
    warn = d.case_time(received=received, today=D(2026, 3, 28))
    assert warn.interim.state == d.WARNING and warn.interim.days_left == 4
    late = d.case_time(received=received, today=D(2026, 4, 2))
    assert late.interim.state == d.OVERDUE and late.interim.days_left == -1
    assert late.worst == d.OVERDUE and late.elapsed_days == 32


def test_decided_within_a_month_needs_no_interim_reply() -> None:
    ct = d.case_time(received=D(2026, 3, 1), today=D(2026, 6, 1), decided=D(2026, 3, 20))
    assert ct.interim.state == d.NOT_NEEDED and ct.elapsed_days == 19 and ct.worst == d.MET


def test_interim_reply_sent_in_time_is_met() -> None:
    ct = d.case_time(received=D(2026, 3, 1), today=D(2026, 4, 20), interim_sent=D(2026, 3, 30))
    assert ct.interim.state == d.MET


def test_decided_late_without_interim_reply_is_overdue() -> None:
    ct = d.case_time(received=D(2026, 3, 1), today=D(2026, 5, 1), decided=D(2026, 4, 10))
    assert ct.interim.state == d.OVERDUE


def test_shorter_target_per_service() -> None:
    ct = d.case_time(received=D(2026, 3, 1), today=D(2026, 3, 12), target_days=10)
    assert ct.target is not None and ct.target.state == d.OVERDUE
    assert ct.interim.state == d.PENDING and ct.worst == d.OVERDUE
    met = d.case_time(received=D(2026, 3, 1), today=D(2026, 3, 12), target_days=10,
                      decided=D(2026, 3, 5))
    assert met.target.state == d.MET
