"""Reasons a planner understands for visits left unassigned."""

from __future__ import annotations

from tillit.core.planner.model import Visit, can_serve
from tillit.core.planner.problem import Problem


def _hm(t: int) -> str:
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}"


def _who(v: Visit) -> str:
    text = f"{v.competence}"
    if v.skills:
        text += f" with {' and '.join(sorted(v.skills))} training"
    return text


def qualified_reason(problem: Problem, v: Visit) -> str | None:
    """A reason that holds whatever the plan: nobody could ever take the visit."""
    inst = problem.instance
    qualified = [s for s in inst.staff if can_serve(s, v)]
    if not qualified:
        if not any(s.level >= v.level for s in inst.staff):
            return f"no staff member has {v.competence} competence or higher"
        return f"no {_who(v)} is on duty"
    if v.staff_count == 2 and len(problem.allowed[v.id]) < 2:
        return (f"needs two carers ({_who(v)}) at the same time between "
                f"{_hm(v.window[0])} and {_hm(v.window[1])}, but fewer than two can reach it "
                "within their shifts")
    if not problem.allowed[v.id]:
        return (f"no {_who(v)} works a shift in which the visit fits between "
                f"{_hm(v.window[0])} and {_hm(v.window[1])}")
    return None


def explain(problem: Problem, vid: str, assigned: set[str], hint: str = "") -> str:
    v = problem.visits[vid]
    fixed = qualified_reason(problem, v)
    if fixed is not None:
        return fixed
    if v.after is not None and v.after.visit not in assigned:
        return (f"must come {v.after.min_seconds // 60}-{v.after.max_seconds // 60} min after "
                f"visit {v.after.visit}, which could not be planned")
    if v.after is not None:
        return (f"no {_who(v)} is free {v.after.min_seconds // 60}-"
                f"{v.after.max_seconds // 60} min after visit {v.after.visit} within "
                f"{_hm(v.window[0])}-{_hm(v.window[1])}")
    if v.staff_count == 2:
        return (f"no two carers ({_who(v)}) are free at the same time between "
                f"{_hm(v.window[0])} and {_hm(v.window[1])}")
    text = f"no {_who(v)} is free between {_hm(v.window[0])} and {_hm(v.window[1])}"
    if hint:
        text += f" ({hint})"
    return text
