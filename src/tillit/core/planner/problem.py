"""Precomputed view of an instance used by the solver: point indices, travel
matrices per mode, and who may take which visit."""

from __future__ import annotations

from dataclasses import dataclass, field

from tillit.core.planner.cost import Weights
from tillit.core.planner.model import Instance, Point, Staff, Visit, can_serve
from tillit.core.planner.travel import SPEC_TRAVEL, TravelProvider, TravelTable


@dataclass
class Problem:
    instance: Instance
    points: list[Point]
    table: TravelTable
    visit_pt: dict[str, int]
    start_pt: dict[str, int]
    end_pt: dict[str, int]
    staff: dict[str, Staff]
    visits: dict[str, Visit]
    allowed: dict[str, list[str]]  # visit id -> staff ids that may take it
    dependents: dict[str, list[str]]  # visit id -> visits that must follow it (`after`)
    # visits that tie two routes together: two-person visits, `after` visits and targets
    coupled_visits: frozenset[str] = frozenset()
    after_visits: tuple[str, ...] = ()
    # each coupled visit with the visits it is tied to (itself, its `after` target and
    # the visits that follow it)
    tied_to: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    weights: Weights = field(default_factory=lambda: Weights(0, 0, 0, 0, 0))
    # coupled visit id -> the `after` visits whose gap its start bears on (itself, when it
    # is one, then the visits that follow it)
    gap_checks: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    # visit id -> the end of its window (the start after which it is late)
    due: dict[str, int] = field(default_factory=dict, repr=False)
    # memo of exact route timings: (staff, visits, lower bounds) -> RouteTiming
    timing_memo: dict = field(default_factory=dict, repr=False)

    # travel matrix rows as Python lists, converted on first use (fast to index)
    rows: dict[str, list] = field(default_factory=dict, repr=False)

    cols: dict[tuple[str, int], list] = field(default_factory=dict, repr=False)

    def row(self, mode: str, a: int) -> list[int]:
        """Travel seconds from point `a` to every point, by `mode`."""
        rows = self.rows.get(mode)
        if rows is None:
            rows = self.rows[mode] = [None] * len(self.points)
        row = rows[a]
        if row is None:
            row = rows[a] = self.table.matrices[mode][a].tolist()
        return row

    def column(self, mode: str, b: int) -> list[int]:
        """Travel seconds from every point to point `b`, by `mode`."""
        col = self.cols.get((mode, b))
        if col is None:
            col = self.cols[(mode, b)] = self.table.matrices[mode][:, b].tolist()
        return col

    def travel(self, staff: Staff, a: int, b: int) -> int:
        return self.row(staff.mode, a)[b]


def break_fits(staff: Staff, overtime: bool) -> bool:
    """Whether the staff member's break can be placed at all inside the shift."""
    if staff.brk is None:
        return True
    lo, hi = staff.brk.window
    first = max(lo, staff.shift[0])
    return first <= hi and (overtime or first + staff.brk.seconds <= staff.shift[1])


def build_problem(instance: Instance, travel: TravelProvider = SPEC_TRAVEL) -> Problem:
    points: list[Point] = []
    index: dict[Point, int] = {}

    def pt(p: Point) -> int:
        i = index.get(p)
        if i is None:
            i = index[p] = len(points)
            points.append(p)
        return i

    start_pt = {s.id: pt(s.start) for s in instance.staff}
    end_pt = {s.id: pt(s.end) for s in instance.staff}
    visit_pt = {v.id: pt(v.location) for v in instance.visits}
    modes = sorted({s.mode for s in instance.staff})
    table = TravelTable(instance, points, modes, travel)
    overtime = instance.objective.overtime_minute is not None
    late = instance.objective.late_minute is not None
    allowed: dict[str, list[str]] = {}
    for v in instance.visits:
        ok = []
        for s in instance.staff:
            if not can_serve(s, v) or not break_fits(s, overtime):
                continue
            go = int(table.matrices[s.mode][start_pt[s.id], visit_pt[v.id]])
            back = int(table.matrices[s.mode][visit_pt[v.id], end_pt[s.id]])
            earliest = max(v.window[0], s.shift[0] + go)
            if not late and earliest > v.window[1]:
                continue
            if not overtime and earliest + v.seconds + back > s.shift[1]:
                continue
            ok.append(s.id)
        allowed[v.id] = ok
    dependents: dict[str, list[str]] = {}
    for v in instance.visits:
        if v.after is not None:
            dependents.setdefault(v.after.visit, []).append(v.id)
    coupled = frozenset(v.id for v in instance.visits
                        if v.staff_count > 1 or v.after is not None or v.id in dependents)
    tied_to = {v.id: (v.id, *([v.after.visit] if v.after is not None else []),
                      *dependents.get(v.id, ()))
               for v in instance.visits if v.id in coupled}
    return Problem(
        instance=instance, points=points, table=table, visit_pt=visit_pt, start_pt=start_pt,
        end_pt=end_pt, staff={s.id: s for s in instance.staff},
        visits={v.id: v for v in instance.visits}, allowed=allowed, dependents=dependents,
        coupled_visits=coupled, tied_to=tied_to,
        after_visits=tuple(v.id for v in instance.visits if v.after is not None),
        weights=Weights.of(instance.objective),
        due={v.id: v.window[1] for v in instance.visits},
        gap_checks={v.id: (*([v.id] if v.after is not None else []), *dependents.get(v.id, ()))
                    for v in instance.visits if v.id in coupled},
    )
