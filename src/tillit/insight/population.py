"""Inhabitants by age band per district, for the KOSTRA rates (users per
1 000 inhabitants 80+, clients per 1 000 inhabitants 67+).

The demo city's figures are synthetic: each district's population on
1 January 2020 (`tillit.core.districts`, from Oslo kommune's statistics)
split by age with shares of the same order as Statistics Norway's table
07459 for Oslo's districts (the outer and western districts older, the
inner east younger). They are demo figures, not official statistics; a
real installation loads SSB's table into `DistrictPopulation`.
"""

from __future__ import annotations

from tillit.core import districts

SOURCE = ("Syntetiske demotall: bydelens folketall 1.1.2020 fordelt på alder med andeler "
          "av samme størrelse som SSB tabell 07459 (ikke offisiell statistikk).")

# Share of inhabitants aged 67–79 and 80+, per district slug.
AGE_SHARES: dict[str, tuple[float, float]] = {
    "gamle-oslo": (0.045, 0.018), "grunerlokka": (0.040, 0.016), "sagene": (0.048, 0.022),
    "st-hanshaugen": (0.055, 0.024), "frogner": (0.090, 0.045), "ullern": (0.110, 0.058),
    "vestre-aker": (0.105, 0.055), "nordre-aker": (0.095, 0.048), "bjerke": (0.080, 0.035),
    "grorud": (0.095, 0.040), "stovner": (0.095, 0.038), "alna": (0.085, 0.034),
    "ostensjo": (0.110, 0.052), "nordstrand": (0.100, 0.050), "sondre-nordstrand": (0.075, 0.025),
}


def demo_bands(slug: str) -> dict[str, int]:
    """The synthetic split of one district's 2020 population."""
    total = districts.BY_SLUG[slug].population_2020
    share_67, share_80 = AGE_SHARES[slug]
    from_67, from_80 = round(total * share_67), round(total * share_80)
    return {"0-66": total - from_67 - from_80, "67-79": from_67, "80+": from_80}
