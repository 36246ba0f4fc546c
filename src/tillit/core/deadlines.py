"""Processing time of one case: application received → decision made.

Forvaltningsloven § 11 a: when an application cannot be decided within one
month, the applicant gets an interim reply (forvaltningsmelding) saying why
and when to expect a decision. The city may set a shorter target per
service. Each deadline is *met*, *pending*, *warning* (due within
`warn_days`), or *overdue*.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MET = "met"
PENDING = "pending"
WARNING = "warning"
OVERDUE = "overdue"
NOT_NEEDED = "not_needed"

DEFAULT_WARN_DAYS = 5


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month `months` later, clipped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    state: str
    days_left: int  # negative when passed


@dataclass(frozen=True)
class CaseTime:
    received: dt.date
    elapsed_days: int  # to the decision, or to today while open
    decided: dt.date | None
    interim: Deadline  # forvaltningsmelding
    target: Deadline | None  # the city's own target for the service

    @property
    def worst(self) -> str:
        states = [self.interim.state] + ([self.target.state] if self.target else [])
        for state in (OVERDUE, WARNING, PENDING):
            if state in states:
                return state
        return MET


def _deadline(due: dt.date, today: dt.date, done_on: dt.date | None, warn_days: int) -> Deadline:
    if done_on is not None:
        return Deadline(due, MET if done_on <= due else OVERDUE, (due - done_on).days)
    left = (due - today).days
    if left < 0:
        state = OVERDUE
    elif left <= warn_days:
        state = WARNING
    else:
        state = PENDING
    return Deadline(due, state, left)


def case_time(
    *,
    received: dt.date,
    today: dt.date,
    decided: dt.date | None = None,
    interim_sent: dt.date | None = None,
    target_days: int | None = None,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> CaseTime:
    """The deadlines of one case as of `today`.

    The interim reply is due one month after receipt unless the case is
    decided by then (then it is `not_needed`); sending it meets it.
    """
    interim_due = add_months(received, 1)
    if decided is not None and decided <= interim_due and interim_sent is None:
        interim = Deadline(interim_due, NOT_NEEDED, (interim_due - decided).days)
    elif interim_sent is not None:
        interim = _deadline(interim_due, today, interim_sent, warn_days)
    elif decided is not None:
        interim = Deadline(interim_due, OVERDUE, (interim_due - decided).days)
    else:
        interim = _deadline(interim_due, today, None, warn_days)
    target = None
    if target_days is not None:
        target = _deadline(received + dt.timedelta(days=target_days), today, decided, warn_days)
    end = decided or today
    return CaseTime(received=received, elapsed_days=(end - received).days, decided=decided,
                    interim=interim, target=target)
