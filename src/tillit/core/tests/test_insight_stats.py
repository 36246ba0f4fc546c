"""Pure insight figures: profiles, spread, same-need standardisation and the
matched provider comparison (which must not be fooled by case mix)."""

from __future__ import annotations

from statistics import pstdev

import pytest

from tillit.core import insight_stats as stats


def test_profile_bands():
    assert [stats.profile_of(n) for n in (None, 0, 2, 3, 5, 6, 8, 9, 17)] == [
        "", "0-2", "0-2", "3-5", "3-5", "6-8", "6-8", "9+", "9+"]


def test_coefficient_of_variation_leaves_hidden_out():
    values = [2.0, 4.0, None, 6.0]
    assert stats.coefficient_of_variation(values) == round(100 * pstdev([2, 4, 6]) / 4, 1)
    assert stats.coefficient_of_variation([3.0, None]) is None


def test_same_needs_same_hours_gives_ratio_one_whatever_the_case_mix():
    light, heavy = ("light", "0-2"), ("extensive", "9+")
    groups = {
        "young": {light: [100] * 9, heavy: [2000] * 1},
        "old": {light: [100] * 2, heavy: [2000] * 8},
    }
    result = stats.standardise(groups)
    assert result["young"].ratio == pytest.approx(1.0)
    assert result["old"].ratio == pytest.approx(1.0)
    assert result["old"].observed_hours > result["young"].observed_hours
    assert result["old"].stands_out == ""


def test_generous_district_stands_out():
    key = ("medium", "3-5")
    result = stats.standardise({"a": {key: [300] * 6}, "b": {key: [600] * 6}})
    assert result["b"].ratio == pytest.approx(600 / 450, abs=0.001)
    assert result["b"].stands_out == "higher"
    assert result["a"].stands_out == "lower"
    assert stats.standardise({"c": {key: [300] * 4}})["c"] is None  # fewer than 5


def test_matched_comparison_is_not_fooled_by_heavier_private_clients():
    light, heavy = ("light", "0-2"), ("extensive", "9+")
    municipal = {light: [100] * 20, heavy: [2000] * 5}
    private = {light: [100] * 5, heavy: [2000] * 20}
    result = stats.matched_difference(municipal, private)
    assert result.difference_hours == 0
    assert result.raw_difference_hours > 15  # the plain averages differ a lot
    assert result.matched_private == 25


def test_matched_comparison_leaves_out_small_and_unknown_strata():
    key, unknown, small = ("medium", "3-5"), ("", ""), ("light", "0-2")
    municipal = {key: [300] * 5, unknown: [100] * 9, small: [60] * 9}
    private = {key: [600] * 5, unknown: [900] * 9, small: [120] * 4}
    result = stats.matched_difference(municipal, private)
    assert [(s.care_block, s.profile) for s in result.strata] == [key]
    assert result.difference_hours == 5.0
