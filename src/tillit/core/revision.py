"""Revision proposals from visit reports: a transparent rule, up *and* down.

Carers report after each visit only whether the time fitted ("fitted"), was
too short ("more") or too long ("less"). The rule looks at a decision's most
recent reports and proposes that the purchaser office reassesses it:

1. Only visits reported done with a time fit count; a visit's latest report
   is the one that counts (a later report corrects an earlier one).
2. Take the last `window` of those (default 6), oldest first by date.
3. **increase** when at least `needed` (default 4) of them say "more";
4. **reduce** when at least `needed` of them say "less";
5. otherwise (too few reports, or mixed) no proposal.

With `needed > window / 2` both can never hold at once. Reductions are
proposed exactly as readily as increases: the thresholds are the same.
`propose` returns the direction with the evidence that led to it: counts per
ISO week over the reports looked at, and the notes the carers wrote.

A second, smaller rule checks a change "within the frame" (the Copenhagen
model): the team may change the week's planned minutes of a decision itself
as long as they stay within `weekly_minutes` ± `tolerance_percent`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

FITTED = "fitted"
MORE = "more"
LESS = "less"
TIME_FITS = (FITTED, MORE, LESS)

INCREASE = "increase"
REDUCE = "reduce"


@dataclass(frozen=True)
class Thresholds:
    window: int = 6
    needed: int = 4

    def __post_init__(self) -> None:
        if self.window < 1 or not 1 <= self.needed <= self.window:
            raise ValueError("need 1 <= needed <= window")
        if self.needed * 2 <= self.window:
            raise ValueError("needed must be more than half the window, or both directions fire")


@dataclass(frozen=True)
class Report:
    """One visit's latest report: the visit's date, its time fit, the note."""

    day: dt.date
    time_fit: str
    note: str = ""
    visit: str = ""


@dataclass(frozen=True)
class Proposal:
    direction: str
    counts: dict[str, int]
    looked_at: int
    thresholds: Thresholds
    weeks: list[dict[str, object]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    visits: list[str] = field(default_factory=list)

    def evidence(self) -> dict[str, object]:
        """JSON-ready evidence for the proposal and the reassessment."""
        return {
            "rule": f"at least {self.thresholds.needed} of the last {self.thresholds.window} "
                    f"reports \"{MORE if self.direction == INCREASE else LESS}\"",
            "direction": self.direction,
            "counts": dict(self.counts),
            "looked_at": self.looked_at,
            "weeks": list(self.weeks),
            "notes": list(self.notes),
            "visits": list(self.visits),
        }


def _weeks(reports: list[Report]) -> list[dict[str, object]]:
    by_week: dict[str, dict[str, int]] = {}
    for report in reports:
        year, week, _ = report.day.isocalendar()
        counts = by_week.setdefault(f"{year}-W{week:02d}", dict.fromkeys(TIME_FITS, 0))
        counts[report.time_fit] += 1
    return [{"week": week, **counts} for week, counts in sorted(by_week.items())]


def propose(reports: Iterable[Report], thresholds: Thresholds | None = None) -> Proposal | None:
    """The proposal the last reports call for, or None."""
    thresholds = thresholds or Thresholds()
    counted = sorted(
        (r for r in reports if r.time_fit in TIME_FITS), key=lambda r: (r.day, r.visit)
    )
    last = counted[-thresholds.window:]
    if len(last) < thresholds.needed:
        return None
    counts = {fit: sum(1 for r in last if r.time_fit == fit) for fit in TIME_FITS}
    if counts[MORE] >= thresholds.needed:
        direction = INCREASE
    elif counts[LESS] >= thresholds.needed:
        direction = REDUCE
    else:
        return None
    return Proposal(
        direction=direction, counts=counts, looked_at=len(last), thresholds=thresholds,
        weeks=_weeks(last),
        notes=[{"day": r.day.isoformat(), "time_fit": r.time_fit, "note": r.note}
               for r in last if r.note.strip()],
        visits=[r.visit for r in last if r.visit],
    )


@dataclass(frozen=True)
class Frame:
    low: int
    high: int

    def holds(self, minutes: int) -> bool:
        return self.low <= minutes <= self.high


def frame(weekly_minutes: int, tolerance_percent: int) -> Frame:
    """The week's minutes the team may plan on its own: the decision's
    weekly frame ± its tolerance (rounded outwards to whole minutes)."""
    slack = weekly_minutes * tolerance_percent / 100
    return Frame(low=max(0, int(weekly_minutes - slack)), high=int(-(-(weekly_minutes + slack) // 1)))
