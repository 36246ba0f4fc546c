import datetime as dt

import pytest

from tillit.core import revision as r

DAY = dt.date(2026, 11, 30)


def reports(*fits: str, notes: dict[int, str] | None = None) -> list[r.Report]:
    notes = notes or {}
    return [r.Report(DAY + dt.timedelta(days=i), fit, notes.get(i, ""), str(i))
            for i, fit in enumerate(fits)]


def test_four_of_six_more_proposes_an_increase_with_evidence():
    got = r.propose(reports("fitted", "more", "more", "fitted", "more", "more",
                            notes={4: "Sår tok lang tid"}))
    assert got is not None and got.direction == r.INCREASE
    assert got.counts == {"fitted": 2, "more": 4, "less": 0}
    evidence = got.evidence()
    assert evidence["notes"] == [{"day": "2026-12-04", "time_fit": "more", "note": "Sår tok lang tid"}]
    assert sum(w["more"] for w in evidence["weeks"]) == 4
    assert [w["week"] for w in evidence["weeks"]] == ["2026-W49"]


def test_reductions_are_proposed_as_readily():
    got = r.propose(reports("less", "less", "fitted", "less", "less"))
    assert got is not None and got.direction == r.REDUCE


def test_mixed_and_too_few_propose_nothing():
    assert r.propose(reports("more", "less", "more", "less", "more", "less")) is None
    assert r.propose(reports("more", "more", "more")) is None
    assert r.propose(reports("more", "more", "more", "fitted", "fitted", "fitted")) is None


def test_only_the_last_window_counts():
    older_more = reports("more", "more", "more", "more", "fitted", "fitted", "fitted", "fitted")
    assert r.propose(older_more) is None


def test_thresholds_are_configurable_and_checked():
    assert r.propose(reports("more", "more", "fitted"), r.Thresholds(window=3, needed=2))
    with pytest.raises(ValueError):
        r.Thresholds(window=6, needed=3)


def test_frame_with_tolerance():
    f = r.frame(300, 15)
    assert (f.low, f.high) == (255, 345)
    assert f.holds(345) and not f.holds(346) and not f.holds(254)
