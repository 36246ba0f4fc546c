"""Every knob of the engine in one frozen, validated object (as PyVRP's
`SolveParams`). The core never reads the environment: callers (the CLI, the
app, the benchmarks) build the parameters they want and pass them to
`solve(instance, time_limit, seed, params=...)`.

The defaults are what `bench/RESULTS.md` measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

RUIN_NAMES = ("strings", "continuity", "clients", "routes", "random", "worst")


class ParamsError(ValueError):
    """A parameter outside its allowed range (the message names it)."""


@dataclass(frozen=True)
class SolverParams:
    # search: share of the search time OR-Tools gets before ruin and recreate (not used
    # when lateness is allowed: OR-Tools piles visits up late there), on days above
    # `greedy_first_up_to` visits (OR-Tools' plan carries those; with `ortools_first_only`
    # this is only the most its first solution may take) and on smaller days (OR-Tools
    # starts from the greedy plan; ruin and recreate does better with the time)
    ortools_share: float = 0.5
    ortools_share_small: float = 0.1
    # on days above `greedy_first_up_to` visits: OR-Tools stops at its own first solution
    # (which may take all of its share) and ruin and recreate gets the rest of the time
    # (its local search gained less in those seconds than ruin and recreate: FINDINGS 5f)
    ortools_first_only: bool = True
    # days with more visits than this are split by area into parts of about `part_size`
    decompose_above: int = 450
    part_size: int = 420
    # whether a large day with lateness allowed is decomposed too (OR-Tools part by
    # part); False: the greedy start and ruin and recreate plan it whole, as smaller
    # days with lateness allowed
    decompose_late: bool = False
    # above this many visits OR-Tools starts from its own first solution, not the greedy;
    # up to it a day is small (`ortools_share_small`, `regret`, `temperature_small`), above
    # it large (`ortools_share`, `regret_large`, `temperature_large`)
    greedy_first_up_to: int = 200
    # ruin and recreate: how often each ruin is drawn (RUIN_NAMES order), with hard
    # windows and with lateness allowed
    ruin_weights: tuple[float, ...] = (35, 15, 15, 5, 0, 30)
    ruin_weights_late: tuple[float, ...] = (45, 20, 15, 10, 10, 0)
    # visits removed per move: uniformly from ruin_min..ruin_max, at most ruin_share_max
    # of the assigned visits
    ruin_min: int = 4
    ruin_max: int = 16
    ruin_share_max: float = 0.3
    # simulated annealing: start and end temperature as shares of the mean cost per visit
    # (with lateness allowed, and on hard-window days above `decompose_above` visits), on
    # small days with hard windows (up to `greedy_first_up_to` visits) and on the hard-window
    # days between
    temperature: tuple[float, float] = (1.0, 0.02)
    temperature_small: tuple[float, float] = (3.0, 0.05)
    temperature_large: tuple[float, float] = (1.0, 0.02)
    # nearest visits a ruin draws from, and idle moves before a small day stops early
    neighbours: int = 40
    stall_moves: int = 2000
    # ruin-and-recreate moves at most (0: as many as the time allows); with a time limit
    # long enough for them, a run of a fixed number of moves is the same on any machine
    max_moves: int = 0
    # with lateness or overtime allowed, the places a ruin-and-recreate insertion prices
    # exactly once one is found, cheapest estimate first (0: every place whose estimate
    # can still win). Each exact price times the whole group of linked routes, which on
    # large days with many linked visits is most of a move's time
    soft_insert_places: int = 0
    # on small days with hard windows (up to `greedy_first_up_to` visits), the share of
    # ruin-and-recreate moves whose recreate places the removed visits by regret (the
    # cost of their best carer's place against the best other carer's, largest first)
    # instead of one of the random-tied orders
    regret: float = 0.3
    # the same share on larger days with hard windows (above `greedy_first_up_to` and up to
    # `decompose_above` visits; bench/FINDINGS.md 5f)
    regret_large: float = 1.0
    # with lateness allowed, on days with more visits than this the greedy start first
    # places what fits with the windows hard (nothing late: a pruned, fast scan), then the
    # rest with lateness allowed; on other days all at once with lateness allowed (a start
    # about twice as costly, which the search makes up for when it has moves enough:
    # bench/FINDINGS.md 5e). 0: on every day with lateness allowed
    late_start_hard_first_above: int = 450
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        problems: list[str] = []
        for name in ("ortools_share", "ortools_share_small", "regret", "regret_large"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                problems.append(f"{name} must be between 0 and 1")
        for name in ("ruin_weights", "ruin_weights_late"):
            weights = getattr(self, name)
            if len(weights) != len(RUIN_NAMES) or any(w < 0 for w in weights) or not any(weights):
                problems.append(f"{name} needs {len(RUIN_NAMES)} weights >= 0, not all 0")
        if not 1 <= self.ruin_min <= self.ruin_max:
            problems.append("ruin_min must be at least 1 and at most ruin_max")
        if not 0.0 < self.ruin_share_max <= 1.0:
            problems.append("ruin_share_max must be above 0 and at most 1")
        for name in ("temperature", "temperature_small", "temperature_large"):
            t_start, t_end = getattr(self, name)
            if not (t_start > 0 and t_end > 0):
                problems.append(f"{name} needs two positive values")
        for name in ("decompose_above", "part_size", "greedy_first_up_to", "neighbours",
                     "stall_moves"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1")
        if self.soft_insert_places < 0:
            problems.append("soft_insert_places must be 0 (no limit) or more")
        if self.late_start_hard_first_above < 0:
            problems.append("late_start_hard_first_above must be 0 (every day) or more")
        if self.max_moves < 0:
            problems.append("max_moves must be 0 (no limit) or more")
        if self.extra:
            problems.append(f"unknown parameters: {', '.join(sorted(self.extra))}")
        if problems:
            raise ParamsError("; ".join(problems))

    def with_changes(self, **changes: Any) -> SolverParams:
        return replace(self, **changes)

    @classmethod
    def from_strings(cls, values: dict[str, str]) -> SolverParams:
        """Parameters from `name=value` text (benchmarks' command lines): tuples are
        comma-separated. Unknown names are refused."""
        known = {f.name: f for f in fields(cls) if f.name != "extra"}
        parsed: dict[str, Any] = {}
        unknown = {k: v for k, v in values.items() if k not in known}
        for name, raw in values.items():
            if name not in known:
                continue
            default = getattr(cls(), name)
            try:
                if isinstance(default, bool):
                    if raw.strip().lower() not in ("0", "1", "true", "false"):
                        raise ValueError(raw)
                    parsed[name] = raw.strip().lower() in ("1", "true")
                elif isinstance(default, tuple):
                    parsed[name] = tuple(float(x) for x in raw.split(","))
                elif isinstance(default, int):
                    parsed[name] = int(raw)
                else:
                    parsed[name] = float(raw)
            except ValueError as exc:
                raise ParamsError(f"{name}: not a number list: {raw!r}") from exc
        return cls(**parsed, extra=unknown)


DEFAULT_PARAMS = SolverParams()
