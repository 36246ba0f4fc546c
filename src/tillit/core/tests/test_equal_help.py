"""Equal-help position: percentile, median, suppression below five."""

import pytest

from tillit.core import equal_help as eh


def test_fewer_than_five_suppressed() -> None:
    p = eh.position(3.0, [1, 2, 3, 4])
    assert p.suppressed and p.count is None and p.median is None and p.percentile is None


def test_five_shown() -> None:
    p = eh.position(3.0, [1, 2, 3, 4, 5])
    assert not p.suppressed and p.count == 5 and p.median == 3
    assert p.percentile == 50.0  # 2 below, one tie counted half: 2.5/5


def test_extremes() -> None:
    assert eh.position(0.5, [1, 2, 3, 4, 5]).percentile == 0.0
    assert eh.position(9.0, [1, 2, 3, 4, 5]).percentile == 100.0


def test_quartiles_interpolate() -> None:
    p = eh.position(1, [1, 2, 3, 4, 5, 6, 7, 8])
    assert p.p25 == pytest.approx(2.75) and p.p75 == pytest.approx(6.25)
    assert p.median == 4.5


def test_custom_threshold() -> None:
    assert eh.position(1, [1, 2], min_count=2).count == 2
