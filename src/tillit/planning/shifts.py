"""Shift times and break windows per district, and which shift a decision's
slot belongs to.

A district without its own `ShiftSetting` row uses `DEFAULT_SHIFTS`. The
planning format has one date per instance, so the night shift stays inside
the calendar day (22:00–23:59); a night visit after midnight belongs to the
next day's night shift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tillit.decisions.models import Slot
from tillit.planning.models import ShiftKind, ShiftSetting


@dataclass(frozen=True)
class ShiftTimes:
    shift: str
    start: dt.time
    end: dt.time
    break_start: dt.time | None = None
    break_end: dt.time | None = None
    break_minutes: int = 0

    @property
    def has_break(self) -> bool:
        return bool(self.break_minutes and self.break_start and self.break_end)


DEFAULT_SHIFTS: dict[str, ShiftTimes] = {
    ShiftKind.DAY: ShiftTimes(ShiftKind.DAY, dt.time(7, 30), dt.time(15, 0),
                              dt.time(11, 0), dt.time(12, 30), 30),
    ShiftKind.EVENING: ShiftTimes(ShiftKind.EVENING, dt.time(15, 0), dt.time(22, 30),
                                  dt.time(18, 0), dt.time(19, 30), 30),
    ShiftKind.NIGHT: ShiftTimes(ShiftKind.NIGHT, dt.time(22, 0), dt.time(23, 59)),
}

# A decision's slot -> the shift that delivers it.
SLOT_SHIFT: dict[str, str] = {
    Slot.MORNING: ShiftKind.DAY,
    Slot.MIDDAY: ShiftKind.DAY,
    Slot.EVENING: ShiftKind.EVENING,
    Slot.NIGHT: ShiftKind.NIGHT,
}


def shift_of_slot(slot: str) -> str:
    return SLOT_SHIFT[slot]


def slots_of_shift(shift: str) -> list[str]:
    return [slot for slot, kind in SLOT_SHIFT.items() if kind == shift]


def shift_times(district_id: int | None, shift: str) -> ShiftTimes:
    """The district's times for `shift` (its own row, else the default)."""
    if district_id is not None:
        row = ShiftSetting.objects.filter(district_id=district_id, shift=shift).first()
        if row is not None:
            return ShiftTimes(shift, row.start, row.end, row.break_start, row.break_end,
                              row.break_minutes)
    return DEFAULT_SHIFTS[shift]
