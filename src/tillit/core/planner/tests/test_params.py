"""SolverParams refuses values outside their ranges, naming the field."""

from __future__ import annotations

import pytest

from tillit.core.planner.params import ParamsError, SolverParams


@pytest.mark.parametrize(("changes", "named"), [
    ({"ortools_share": 1.5}, "ortools_share"),
    ({"ortools_share_small": -0.1}, "ortools_share_small"),
    ({"regret": 2.0}, "regret"),
    ({"regret_large": -0.5}, "regret_large"),
    ({"temperature_large": (0.0, 0.02)}, "temperature_large"),
    ({"temperature": (0.0, 0.1)}, "temperature"),
    ({"temperature_small": (1.0, 0.0)}, "temperature_small"),
    ({"ruin_min": 0}, "ruin_min"),
])
def test_out_of_range_values_are_refused_by_name(changes: dict, named: str) -> None:
    with pytest.raises(ParamsError, match=named):
        SolverParams(**changes)


def test_from_strings_reads_the_new_fields() -> None:
    got = SolverParams.from_strings({"regret": "0", "ortools_share_small": "0.2",
                                     "temperature_small": "2,0.1"})
    assert (got.regret, got.ortools_share_small, got.temperature_small) == (0.0, 0.2, (2.0, 0.1))
