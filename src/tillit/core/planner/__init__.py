"""The day-planning engine, a pure core (no Django).

Public API::

    load_instance(data) -> Instance
    solve(instance, time_limit, seed=0, on_progress=None, stop=None, params=...) -> Plan
    solve_result(instance, time_limit, ...) -> SolveResult (plan, cost, SolveStats)
    plan_to_dict(plan) -> dict
    check_plan(instance, plan_dict) -> CheckReport (violations as text, details as Violation)
    travel_seconds(instance, mode, a, b) -> int
    InstanceError, InfeasibleError
"""

from tillit.core.planner.check import CheckReport, Violation, check_plan
from tillit.core.planner.errors import InfeasibleError, InstanceError
from tillit.core.planner.load import load_instance
from tillit.core.planner.model import (
    Instance,
    Objective,
    Plan,
    Point,
    Progress,
    Route,
    Staff,
    Stop,
    TravelSpec,
    Unassigned,
    Visit,
)
from tillit.core.planner.result import SolveResult, plan_to_dict
from tillit.core.planner.solver import solve, solve_result
from tillit.core.planner.stats import SolveStats
from tillit.core.planner.travel import travel_seconds

__all__ = [
    "CheckReport",
    "InfeasibleError",
    "Instance",
    "InstanceError",
    "Objective",
    "Plan",
    "Point",
    "Progress",
    "Route",
    "SolveResult",
    "SolveStats",
    "Staff",
    "Stop",
    "TravelSpec",
    "Unassigned",
    "Violation",
    "Visit",
    "check_plan",
    "load_instance",
    "plan_to_dict",
    "solve",
    "solve_result",
    "travel_seconds",
]
