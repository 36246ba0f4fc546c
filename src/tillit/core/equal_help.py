"""Equal help: where one decision's weekly hours fall among others with the
same care block, city-wide and in one district.

Figures from fewer than `MIN_COUNT` decisions are suppressed (statistical
disclosure control): the result then carries only `suppressed=True` and the
fact that there were too few, not the count itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

MIN_COUNT = 5


@dataclass(frozen=True)
class Position:
    suppressed: bool
    count: int | None = None
    median: float | None = None
    percentile: float | None = None  # share of the others at or below the value, 0–100
    p25: float | None = None
    p75: float | None = None


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (like numpy's default)."""
    if not sorted_values:
        raise ValueError("no values")
    pos = (len(sorted_values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def percentile_rank(value: float, population: Sequence[float]) -> float:
    """Mid-rank percentile: below counts whole, ties count half."""
    below = sum(1 for v in population if v < value)
    equal = sum(1 for v in population if v == value)
    return 100.0 * (below + 0.5 * equal) / len(population)


def position(value: float, population: Sequence[float], min_count: int = MIN_COUNT) -> Position:
    if len(population) < min_count:
        return Position(suppressed=True)
    values = sorted(float(v) for v in population)
    return Position(
        suppressed=False,
        count=len(values),
        median=round(median(values), 2),
        percentile=round(percentile_rank(value, values), 1),
        p25=round(quantile(values, 0.25), 2),
        p75=round(quantile(values, 0.75), 2),
    )
