"""IPLOS scale and score validation, from a definition held as data."""

import pytest

from tillit.core import iplos

DEF = {
    "version": "t1",
    "levels": {"1": "klarer seg selv", "9": "ikke relevant"},
    "variables": [
        {"code": "a", "name": "Spise", "group": "adl"},
        {"code": "b", "name": "Toalett", "group": "adl", "levels": {"1": "egen tekst"}},
    ],
}


def test_definition_from_dict_merges_level_texts() -> None:
    d = iplos.Definition.from_dict(DEF)
    assert d.codes() == ["a", "b"]
    assert d.variables[0].levels[1] == "klarer seg selv"
    assert d.variables[1].levels[1] == "egen tekst"
    assert d.variables[1].levels[9] == "ikke relevant"


def test_duplicate_codes_refused() -> None:
    bad = {**DEF, "variables": [DEF["variables"][0], DEF["variables"][0]]}
    with pytest.raises(ValueError):
        iplos.Definition.from_dict(bad)


def test_only_three_to_five_is_personal_help() -> None:
    assert [s for s in iplos.VALID_SCORES if iplos.needs_personal_help(s)] == [3, 4, 5]


@pytest.mark.parametrize("bad", [0, 6, 8, 10, -1, "x", 2.5, True])
def test_scores_outside_scale_refused_in_norwegian(bad) -> None:
    with pytest.raises(iplos.ScoreError) as exc:
        iplos.validate_scores(["a", "b"], {"a": bad, "b": 1})
    assert "a" in exc.value.errors
    assert "b" not in exc.value.errors
    assert "skala" in " ".join(exc.value.errors["a"]) or "tall" in " ".join(exc.value.errors["a"])


def test_missing_and_unknown_variables_refused() -> None:
    with pytest.raises(iplos.ScoreError) as exc:
        iplos.validate_scores(["a", "b"], {"a": 3, "zz": 2})
    assert set(exc.value.errors) == {"b", "zz"}
    assert "påkrevet" in exc.value.errors["b"][0]


def test_valid_scores_returned_as_ints() -> None:
    assert iplos.validate_scores(["a", "b"], {"a": "3", "b": 9}) == {"a": 3, "b": 9}
