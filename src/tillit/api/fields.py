"""Input types for API schemas that refuse what only looks right.

- `QueryId`: an object id in a query string, within the database's range
  (a 20-digit id is a 422, not an overflow deep in the database driver);
- `BodyId`: an object id in a JSON body: a real JSON integer (`true` is not
  client 1) within the same range;
- `SensibleDate`, `SensibleDateTime`: years 2000-2099 (year 1 or 9999 would
  overflow time-zone arithmetic later);
- `LocalTime`: a wall-clock time without a zone ("11:49:32Z" is refused).

Messages are Norwegian, as for every field error the API gives.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from tillit.core.dates import FIRST_SENSIBLE, LAST_SENSIBLE, is_sensible

MAX_ID = 2**63 - 1


def _sensible_date(value: dt.date) -> dt.date:
    if not is_sensible(value):
        raise PydanticCustomError(
            "date_range", "Datoen må ligge mellom {first} og {last}.",
            {"first": FIRST_SENSIBLE.year, "last": LAST_SENSIBLE.year},
        )
    return value


def _sensible_datetime(value: dt.datetime) -> dt.datetime:
    try:
        day = value.astimezone(dt.UTC).date() if value.tzinfo else value.date()
    except OverflowError:
        day = dt.date.min
    _sensible_date(day)
    return value


def _local_time(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise PydanticCustomError(
            "time_zone", "Skriv klokkeslettet uten tidssone, som TT:MM.")
    return value


QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
SensibleDate = Annotated[dt.date, AfterValidator(_sensible_date)]
SensibleDateTime = Annotated[dt.datetime, AfterValidator(_sensible_datetime)]
LocalTime = Annotated[dt.time, AfterValidator(_local_time)]
