"""The recreate's regret order (greedy.regret_order): visits whose best place on one
carer's route is far cheaper than on any other carer's go first; which days use it, and
OR-Tools' first-solution-only search on large days."""

from __future__ import annotations

import random

from tillit.core.planner.greedy import insert_all, regret_order
from tillit.core.planner.lns import Lns
from tillit.core.planner.params import SolverParams
from tillit.core.planner.routes import Routes
from tillit.core.planner.solver_ortools import solve_ortools
from tillit.core.planner.tests.test_lns import HARD, SOFT, _generated, _partial_greedy, _problem
from tillit.core.planner.timing import INF, time_route


def test_regret_order_on_empty_routes_matches_the_definition() -> None:
    """On empty routes each carer has one place for a visit: the regret is the second
    cheapest carer's added travel (and non-preferred cost) minus the cheapest's, among
    carers whose route can hold the visit alone (exact timing, breaks and all)."""
    problem = _problem(_generated(40, 3, HARD))
    routes = Routes(problem)
    w = problem.weights
    ids = sorted(problem.visits)
    want: dict[str, float] = {}
    for vid in ids:
        v = problem.visits[vid]
        costs = []
        for sid in problem.allowed[vid]:
            staff = problem.staff[sid]
            if time_route(problem, staff, [vid]).fail is not None:
                continue
            a, b, p = problem.start_pt[sid], problem.end_pt[sid], problem.visit_pt[vid]
            c = (problem.travel(staff, a, p) + problem.travel(staff, p, b)
                 - problem.travel(staff, a, b)) * w.travel
            if v.staff_count == 1 and v.preferred_staff and sid not in v.preferred_staff:
                c += w.non_preferred
            costs.append(c)
        costs.sort()
        want[vid] = INF if len(costs) < 2 else costs[1] - costs[0]
    assert len(set(want.values())) >= 4  # the day really has different regrets
    got = regret_order(problem, routes, ids, {})
    assert sorted(got) == ids
    keys = [(not problem.visits[v].mandatory, -want[v]) for v in got]
    assert keys == sorted(keys)


def test_regret_order_on_partial_routes_keeps_every_visit_once() -> None:
    problem = _problem(_generated(40, 2, HARD))
    rng = random.Random(2)
    routes = _partial_greedy(problem, rng, (2, 3))
    out = [v for v in problem.visits if v not in routes.assigned()]
    before = {s: list(q) for s, q in routes.seqs.items()}
    got = regret_order(problem, routes, out, {})
    assert sorted(got) == sorted(out)
    assert routes.seqs == before  # only read
    mandatory = [problem.visits[v].mandatory for v in got]
    assert mandatory == sorted(mandatory, reverse=True)


def test_insert_all_reusing_the_regret_scans_places_inserts_as_a_fresh_scan() -> None:
    """The candidate places `regret_order` keeps (per visit and route) are what
    `insert_all` would list itself: taken over for the routes no insertion has changed,
    the routes come out the same, and so do the places listed (on several days)."""
    reused_any = False
    for seed in (1, 2, 3, 4):
        problem = _problem(_generated(40, seed, HARD))
        routes_a = _partial_greedy(problem, random.Random(seed), (2, 3))
        routes_b = Routes(problem, {s: list(q) for s, q in routes_a.seqs.items()})
        out = [v for v in problem.visits if v not in routes_a.assigned()]
        scans_a: dict = {}
        places: dict = {}
        order = regret_order(problem, routes_a, out, scans_a, places)
        reused_any = reused_any or any(found for _, found in places.values())
        left_a = insert_all(problem, routes_a, order, order_given=True, scans=scans_a,
                            places=places)
        left_b = insert_all(problem, routes_b, order, order_given=True, scans={})
        assert left_a == left_b
        assert dict(routes_a.seqs) == dict(routes_b.seqs)
        # each kept list is the fresh scan's list for that route, in the same order
        for (vid, sid), (scan, found) in list(places.items())[:40]:
            fresh: dict = {}
            again: dict = {}
            regret_order(problem, Routes(problem, {s: list(scan.seq) if s == sid else []
                                                   for s in problem.staff}),
                         [vid], fresh, again)
            assert again[(vid, sid)][1] == found
    assert reused_any
    soft = _problem(_generated(40, 3, SOFT))
    kept: dict = {}
    regret_order(soft, Routes(soft), sorted(soft.visits), {}, kept)
    assert kept == {}  # lateness allowed: insert_all prices places otherwise


def test_regret_share_and_temperature_follow_the_size_of_a_hard_window_day() -> None:
    """`regret`/`temperature_small` up to `greedy_first_up_to` visits, `regret_large`/
    `temperature_large` above it up to `decompose_above`; with lateness allowed, or above
    `decompose_above`, no regret and `temperature`."""
    params = SolverParams(regret=0.25, regret_large=0.75, temperature_small=(3.0, 0.05),
                          temperature_large=(1.5, 0.03), temperature=(1.0, 0.02))
    hard = _problem(_generated(40, 3, HARD))
    soft = _problem(_generated(40, 3, SOFT))
    empty: dict[str, list[str]] = {}
    small = Lns(hard, empty, 0, params)
    large = Lns(hard, empty, 0, params.with_changes(greedy_first_up_to=39))
    late = Lns(soft, empty, 0, params.with_changes(greedy_first_up_to=39))
    parts = Lns(hard, empty, 0, params.with_changes(greedy_first_up_to=20, decompose_above=39))
    assert [x.regret for x in (small, large, late, parts)] == [0.25, 0.75, 0.0, 0.0]
    assert [x.temperature_range() for x in (small, large, late, parts)] == [
        (3.0, 0.05), (1.5, 0.03), (1.0, 0.02), (1.0, 0.02)]


def test_ortools_first_only_returns_its_first_solution_without_local_search() -> None:
    """`first_only` (large days): OR-Tools' answer is its first solution, as found."""
    problem = _problem(_generated(40, 3, HARD))
    visits, staff = sorted(problem.visits), sorted(problem.staff)
    seen: list[float] = []
    got = solve_ortools(problem, visits, staff, 5.0, 0, on_solution=seen.append,
                        first_only=True)
    assert got.found and len(seen) == 1
    assert got.objective == seen[0]
    assert sum(len(q) for q in got.seqs.values()) > 0
