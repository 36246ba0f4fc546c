"""The care block rule: thresholds, not-relevant scores, drivers, config."""

import pytest

from tillit.core import careblocks as cb


def scores(*values: int) -> dict[str, int]:
    return {f"v{i:02d}": v for i, v in enumerate(values)}


def test_no_needs_is_light() -> None:
    r = cb.compute(scores(1, 1, 2, 2, 9))
    assert r.block == cb.LIGHT
    assert r.needs == 0 and r.relevant == 4 and r.drivers == ()


def test_three_needs_is_light_four_is_medium() -> None:
    assert cb.compute(scores(3, 3, 3, 1)).block == cb.LIGHT
    r = cb.compute(scores(3, 3, 3, 3))
    assert r.block == cb.MEDIUM and r.needs == 4 and "3–5" in r.reason


def test_two_heavy_needs_is_medium() -> None:
    r = cb.compute(scores(4, 4, 1, 1))
    assert r.block == cb.MEDIUM and r.heavy == 2


def test_five_heavy_or_three_total_is_extensive() -> None:
    assert cb.compute(scores(4, 4, 4, 4, 4)).block == cb.EXTENSIVE
    r = cb.compute(scores(5, 5, 5, 1))
    assert r.block == cb.EXTENSIVE and r.total == 3


def test_not_relevant_never_counts_as_need() -> None:
    assert cb.compute(scores(9, 9, 9, 9, 9, 9)).block == cb.LIGHT


def test_drivers_highest_first() -> None:
    r = cb.compute({"a": 3, "b": 5, "c": 1, "d": 4})
    assert r.drivers == ("b", "d", "a")


def test_rule_is_configurable() -> None:
    strict = cb.Rule.from_mapping({"medium_needs": 2})
    assert cb.compute(scores(3, 3), strict).block == cb.MEDIUM
    assert cb.compute(scores(3, 3)).block == cb.LIGHT


@pytest.mark.parametrize("bad", [{"nope": 1}, {"medium_needs": 0}])
def test_bad_rule_config_refused(bad) -> None:
    with pytest.raises(ValueError):
        cb.Rule.from_mapping(bad)


def test_result_serialises_with_its_inputs() -> None:
    data = cb.compute(scores(4, 4)).as_dict()
    assert data["block"] == cb.MEDIUM and data["rule"]["medium_heavy"] == 2
