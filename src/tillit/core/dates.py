"""The dates tillit takes as input at all: years 2000-2099. Outside them a
date is a typing error (year 1, 9999), and time-zone arithmetic on it can
overflow. Business rules narrow this further where they need to."""

from __future__ import annotations

import datetime as dt

FIRST_SENSIBLE = dt.date(2000, 1, 1)
LAST_SENSIBLE = dt.date(2099, 12, 31)


def is_sensible(day: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return FIRST_SENSIBLE <= day <= LAST_SENSIBLE
