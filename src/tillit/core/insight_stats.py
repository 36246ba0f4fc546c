"""Pure figures for the city's insight pages: medians, spread between
districts, same-need (standardised) comparison, matched comparison of
providers. No Django; inputs are plain numbers.

- KOSTRA counts a user as having "extensive" help above 35.5 hours a week.
- The IPLOS *profile* groups an assessment by how many variables need
  personal help (scored 3–5): 0–2, 3–5, 6–8, 9 or more; "" when the
  decision has no assessment.
- Same-need comparison (indirect standardisation): a district's *expected*
  hours are what the city pays on average for clients in the same care block
  and profile, summed over the district's clients; the ratio observed /
  expected says whether the district gives more or less for the same needs.
- Matched comparison of providers: within each stratum (care block ×
  profile, both known) with at least 5 clients on both sides, the difference of the
  mean hours; the strata's differences weighted by the private clients.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from statistics import mean, median, pstdev

from tillit.core.disclosure import MIN_COUNT

KOSTRA_EXTENSIVE_HOURS = 35.5
KOSTRA_EXTENSIVE_MINUTES = int(KOSTRA_EXTENSIVE_HOURS * 60)
PROFILE_BANDS = ((0, 2, "0-2"), (3, 5, "3-5"), (6, 8, "6-8"), (9, 10_000, "9+"))
PROFILES = tuple(b[2] for b in PROFILE_BANDS)
STANDS_OUT = 0.15  # ratio to expected beyond ±15 % stands out


@cache
def profile_of(needs: int | None) -> str:
    if needs is None:
        return ""
    for low, high, name in PROFILE_BANDS:
        if low <= needs <= high:
            return name
    return ""


def median_hours(minutes: Sequence[int]) -> float | None:
    return round(median(minutes) / 60, 2) if minutes else None


def mean_hours(minutes: Sequence[int]) -> float | None:
    return round(mean(minutes) / 60, 2) if minutes else None


def per_thousand(count: int, population: int) -> float | None:
    return round(1000 * count / population, 1) if population > 0 else None


def coefficient_of_variation(values: Iterable[float | None]) -> float | None:
    """Population standard deviation / mean, in per cent, of the districts'
    values (hidden ones left out); None with fewer than two."""
    present = [v for v in values if v is not None]
    if len(present) < 2 or mean(present) == 0:
        return None
    return round(100 * pstdev(present) / mean(present), 1)


@dataclass(frozen=True)
class Standardised:
    observed_hours: float
    expected_hours: float
    ratio: float  # observed / expected
    clients: int

    @property
    def stands_out(self) -> str:
        if self.ratio >= 1 + STANDS_OUT:
            return "higher"
        if self.ratio <= 1 - STANDS_OUT:
            return "lower"
        return ""


def standardise(groups: Mapping[str, Mapping[tuple[str, str], Sequence[int]]],
                ) -> dict[str, Standardised | None]:
    """`groups[district][(care_block, profile)]` = weekly minutes of each
    client. Returns each district's observed and expected mean hours."""
    city: dict[tuple[str, str], list[int]] = {}
    for strata in groups.values():
        for key, minutes in strata.items():
            city.setdefault(key, []).extend(minutes)
    city_mean = {k: mean(v) for k, v in city.items() if v}
    out: dict[str, Standardised | None] = {}
    for district, strata in groups.items():
        n = sum(len(v) for v in strata.values())
        if n < MIN_COUNT:
            out[district] = None
            continue
        observed = sum(sum(v) for v in strata.values()) / n
        expected = sum(city_mean[k] * len(v) for k, v in strata.items() if v) / n
        out[district] = Standardised(
            observed_hours=round(observed / 60, 2), expected_hours=round(expected / 60, 2),
            ratio=round(observed / expected, 3) if expected else math.nan, clients=n,
        )
    return out


@dataclass(frozen=True)
class StratumDifference:
    care_block: str
    profile: str
    municipal_clients: int
    private_clients: int
    municipal_hours: float
    private_hours: float

    @property
    def difference(self) -> float:
        return round(self.private_hours - self.municipal_hours, 2)


@dataclass(frozen=True)
class Matched:
    strata: list[StratumDifference]
    difference_hours: float | None  # private minus municipal, weighted by private clients
    raw_difference_hours: float | None  # the plain difference of means, for contrast
    matched_private: int
    matched_municipal: int


def matched_difference(municipal: Mapping[tuple[str, str], Sequence[int]],
                       private: Mapping[tuple[str, str], Sequence[int]]) -> Matched:
    strata = []
    for key in sorted(set(municipal) & set(private)):
        if not key[0] or not key[1]:  # no care block or no assessment: needs unknown
            continue
        m, p = municipal[key], private[key]
        if len(m) >= MIN_COUNT and len(p) >= MIN_COUNT:
            strata.append(StratumDifference(key[0], key[1], len(m), len(p),
                                            round(mean(m) / 60, 2), round(mean(p) / 60, 2)))
    weight = sum(s.private_clients for s in strata)
    diff = (round(sum(s.difference * s.private_clients for s in strata) / weight, 2)
            if weight else None)
    all_m = [v for vs in municipal.values() for v in vs]
    all_p = [v for vs in private.values() for v in vs]
    raw = (round((mean(all_p) - mean(all_m)) / 60, 2)
           if len(all_m) >= MIN_COUNT and len(all_p) >= MIN_COUNT else None)
    return Matched(strata, diff, raw, weight, sum(s.municipal_clients for s in strata))
