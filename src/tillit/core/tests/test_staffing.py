"""Needs-based staffing arithmetic against examples worked out by hand."""

import datetime as dt

import pytest

from tillit.core import staffing as st

T = dt.time


def test_weekly_minutes_split_by_competence_and_two_person_visits_count_twice() -> None:
    visits = [
        st.VisitNeed(minutes=45, weekdays=5, competence="nurse"),  # 225
        st.VisitNeed(minutes=30, weekdays=7, competence="nurse", staff_count=2),  # 420
        st.VisitNeed(minutes=60, weekdays=4, competence="nurse", staff_count=2),  # 480
        st.VisitNeed(minutes=75, weekdays=6, competence="health_worker", staff_count=2),  # 900
        st.VisitNeed(minutes=20, weekdays=7, competence="health_worker"),  # 140
    ]
    assert st.weekly_direct_minutes(visits) == {
        "assistant": 0, "health_worker": 1040, "nurse": 1125,
    }


def test_needed_fte_follows_the_contract_formula() -> None:
    # 1125 min = 18.75 h; one FTE gives 0.5 × 37.5 = 18.75 h of direct care: 1 FTE, +20 %.
    params = st.StaffingParams(direct_care_share=0.5, fte_hours_per_week=37.5,
                               absence_buffer=0.2)
    needed = st.needed_fte({"nurse": 1125, "health_worker": 2250}, params)
    assert needed == {"assistant": 0.0, "health_worker": 2.4, "nurse": 1.2}


def test_defaults_come_from_the_sources() -> None:
    d = st.DEFAULTS
    assert (d.direct_care_share, d.fte_hours_per_week, d.caseload_norm) == (0.53, 37.5, 25)
    assert d.absence_buffer == 0.10
    # 0.53 × 37.5 h = 19.875 h = 1192.5 min of direct care per FTE; 2385 min → 2 FTE × 1.1.
    assert st.fte_for_minutes(2385) == pytest.approx(2.2, abs=1e-12)
    # The practical share (60 %) needs fewer positions for the same minutes: 1192.5/1350 × 1.1.
    practical = d.with_changes(direct_care_share=st.PRACTICAL_DIRECT_CARE_SHARE)
    assert st.fte_for_minutes(1192.5, practical) == pytest.approx(0.9716666666666667, abs=1e-12)


@pytest.mark.parametrize("changes", [
    {"direct_care_share": 0}, {"direct_care_share": 1.2}, {"fte_hours_per_week": 0},
    {"absence_buffer": -0.1}, {"caseload_norm": 0},
])
def test_params_refuse_impossible_values(changes) -> None:
    with pytest.raises(ValueError):
        st.StaffingParams(**changes)


def test_shift_hours_cross_midnight() -> None:
    assert st.shift_hours(T(7, 30), T(15, 0)) == 7.5
    assert st.shift_hours(T(22, 0), T(7, 30)) == 9.5
    assert st.shift_hours(T(15, 0), T(22, 30)) == 7.5


def test_rostered_fte_from_a_week_of_shifts() -> None:
    shifts = [st.Shift("nurse", T(7, 30), T(15, 0)) for _ in range(5)]  # 37.5 h
    shifts += [st.Shift("health_worker", T(22, 0), T(7, 30)) for _ in range(3)]  # 28.5 h
    fte = st.rostered_fte(shifts)
    assert fte == {"assistant": 0.0, "health_worker": 0.76, "nurse": 1.0}


def test_compare_gives_gap_and_mix() -> None:
    params = st.StaffingParams(direct_care_share=0.5, fte_hours_per_week=37.5, absence_buffer=0.2)
    lines = st.compare({"nurse": 1125, "health_worker": 2250, "assistant": 0},
                       {"nurse": 1.0, "health_worker": 2.0, "assistant": 1.0}, params)
    by = {line.competence: line for line in lines}
    assert [line.competence for line in lines] == ["assistant", "health_worker", "nurse"]
    assert by["nurse"].gap_fte == pytest.approx(-0.2, abs=1e-12)
    assert by["assistant"].gap_fte == 1.0
    # needed 1.2 of 3.6 = 1/3 nurses; rostered 1 of 4 = 1/4.
    assert by["nurse"].needed_share == pytest.approx(1 / 3, abs=1e-12)
    assert by["nurse"].rostered_share == 0.25
    assert by["nurse"].gap_share == pytest.approx(0.25 - 1 / 3, abs=1e-12)


def test_follow_up_minutes_by_care_situation() -> None:
    assert st.follow_up_minutes(["new", "stable", "stable", "last_days"]) == 90 + 15 + 15 + 180
    with pytest.raises(ValueError):
        st.follow_up_minutes(["unknown"])


def test_caseload_counts_clients_per_nurse_and_flags_over_norm() -> None:
    responsible = {f"c{i}": "anne" for i in range(26)}
    responsible |= {f"d{i}": "bjørn" for i in range(25)}
    responsible |= {"e1": None, "e2": None}
    load = st.caseload(responsible, norm=25)
    assert load.per_nurse == {"anne": 26, "bjørn": 25}
    assert load.over_norm == 1  # 25 is at the norm, not over it
    assert load.without_responsible == 2
    assert load.mean == 25.5
    assert load.distribution(width=10) == [(0, 9, 0), (10, 19, 0), (20, 29, 2)]
    assert st.caseload(responsible, norm=20).over_norm == 2


def test_suppression_of_small_counts() -> None:
    assert [st.suppress(n) for n in (0, 4, 5, 12)] == [None, None, 5, 12]


def test_unknown_competence_is_refused() -> None:
    with pytest.raises(ValueError):
        st.weekly_direct_minutes([st.VisitNeed(10, 1, "doctor")])
