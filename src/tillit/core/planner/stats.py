"""Typed statistics of one solve: what each phase took and gave, what the
improvement moves did per ruin operator, and how the best cost fell over time.

`SolveStats.as_dict()` is the JSON-able form stored with a plan (`Plan.stats`,
which the app keeps with each run); it keeps the keys earlier versions wrote
(`engine`, `greedy_cost`, `search_cost`, `lns`, `lns_cost`, `parts`,
`elapsed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PHASES = ("start", "search", "repair", "improve", "finish")
TRACE_POINTS = 50  # best-cost points kept in `as_dict` (the typed trace keeps all)


@dataclass(frozen=True)
class OperatorStats:
    """Ruin-and-recreate moves of one ruin operator: drawn, kept by the
    annealing, and strictly better than the plan they started from."""

    name: str
    tried: int = 0
    accepted: int = 0
    improved: int = 0


@dataclass(frozen=True)
class PhaseStats:
    """One phase of `solve`: wall seconds, and the best cost and unassigned
    count when it ended (`None` where the phase priced nothing of its own)."""

    name: str
    seconds: float
    cost: float | None = None
    unassigned: int | None = None


@dataclass(frozen=True)
class PartStats:
    """One area of a decomposed day (the search phase on days above
    `SolverParams.decompose_above`)."""

    visits: int
    staff: int
    planned: int
    found: bool
    budget_s: float
    seconds: float


@dataclass(frozen=True)
class SolveStats:
    """What one `solve` did. `iterations`: ruin-and-recreate moves in the
    improve phase; `best_trace`: (seconds since the start, best cost) at every
    improvement reported, in time order."""

    engine: str
    iterations: int
    operators: tuple[OperatorStats, ...]
    phases: tuple[PhaseStats, ...]
    best_trace: tuple[tuple[float, float], ...]
    elapsed: float
    start_cost: float
    search_cost: float | None = None
    improve_cost: float | None = None
    parts: tuple[PartStats, ...] = ()

    @property
    def accepted(self) -> int:
        return sum(o.accepted for o in self.operators)

    @property
    def improved(self) -> int:
        return sum(o.improved for o in self.operators)

    def phase(self, name: str) -> PhaseStats | None:
        return next((p for p in self.phases if p.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able, with the keys earlier versions wrote."""
        out: dict[str, Any] = {"engine": self.engine, "greedy_cost": self.start_cost}
        if self.search_cost is not None:
            out["search_cost"] = self.search_cost
        if self.improve_cost is not None:
            out["lns"] = [self.iterations, self.accepted, self.improved]
            out["lns_cost"] = self.improve_cost
        if self.parts:
            out["parts"] = [[p.visits, p.staff, p.planned, p.found, p.budget_s, p.seconds]
                            for p in self.parts]
        out["operators"] = {o.name: {"tried": o.tried, "accepted": o.accepted,
                                     "improved": o.improved} for o in self.operators}
        out["phases"] = {p.name: {"seconds": round(p.seconds, 3), "cost": p.cost,
                                  "unassigned": p.unassigned} for p in self.phases}
        trace = self.best_trace
        if len(trace) > TRACE_POINTS:
            step = (len(trace) - 1) / (TRACE_POINTS - 1)
            trace = tuple(trace[round(i * step)] for i in range(TRACE_POINTS))
        out["best_trace"] = [[round(t, 3), c] for t, c in trace]
        out["elapsed"] = self.elapsed
        return out
