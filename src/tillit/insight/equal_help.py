"""Equal help per district, read from one day's `ServiceSnapshot` cells.

Figures per district: clients (distinct persons), KOSTRA's users per 1 000
inhabitants 80+, clients 67+ per 1 000 inhabitants 67+, median and mean
decided hours a week, the share above 35.5 hours a week, hours by care
block and by IPLOS profile, and the same-need comparison (observed /
expected hours, see `tillit.core.insight_stats.standardise`). Every count
of persons passes `tillit.core.disclosure`; every figure from a hidden
count is hidden too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.core import disclosure, svgcharts
from tillit.core import insight_stats as stats
from tillit.core.careblocks import BLOCKS
from tillit.insight.filters import BLOCK_LABELS, PROFILE_LABELS
from tillit.insight.models import AgeBand, DistrictPopulation, ServiceSnapshot
from tillit.insight.sections import Section
from tillit.organisation.models import District

INDICATORS = ("clients", "per_1000_80", "per_1000_67", "median_hours", "share_over", "ratio")


@dataclass
class DistrictRow:
    slug: str
    name: str
    clients: int | None
    median_hours: float | None
    mean_hours: float | None
    per_1000_80: float | None
    per_1000_67: float | None
    share_over: float | None  # per cent above 35.5 h/week
    ratio: float | None  # observed / expected hours for the same needs
    stands_out: str = ""

    @property
    def suppressed(self) -> bool:
        return self.clients is None


@dataclass
class EqualHelp:
    day: dt.date | None
    service: str
    rows: list[DistrictRow] = field(default_factory=list)
    city_clients: int | None = None
    city_median: float | None = None
    cv_median: float | None = None
    cv_ratio: float | None = None
    sections: list[Section] = field(default_factory=list)


def _cells(day: dt.date, service: str, provider_kind: str, care_block: str):
    qs = ServiceSnapshot.objects.filter(day=day, service=service)
    if provider_kind != "all":
        qs = qs.filter(provider_kind=provider_kind)
    if care_block != "all":
        qs = qs.filter(care_block="" if care_block == "none" else care_block)
    return list(qs.values_list("district_id", "care_block", "profile", "clients", "clients_67",
                               "clients_80", "over_kostra", "minutes"))


def population(year: int) -> dict[int, dict[str, int]]:
    """district id -> age band -> inhabitants, the latest year up to `year`."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    rows = DistrictPopulation.objects.filter(year__lte=year).order_by("year")
    for district, band, persons in rows.values_list("district_id", "age_band", "persons"):
        out[district][band] = persons  # later years overwrite earlier
    return out


def compute(day: dt.date | None, service: str = "all", provider_kind: str = "all",
            care_block: str = "all") -> EqualHelp:
    result = EqualHelp(day=day, service=service)
    districts = list(District.objects.order_by("number").values_list("pk", "slug", "name"))
    if day is None:
        return result
    cells = _cells(day, service, provider_kind, care_block)
    pop = population(day.year)
    by_district: dict[int, dict[str, object]] = {
        pk: {"minutes": [], "c67": 0, "c80": 0, "over": 0,
             "strata": defaultdict(list), "block": defaultdict(list), "profile": defaultdict(list)}
        for pk, _s, _n in districts
    }
    for district, block, profile, _n, c67, c80, over, minutes in cells:
        acc = by_district[district]
        acc["minutes"].extend(minutes)  # type: ignore[union-attr]
        acc["c67"] += c67  # type: ignore[operator]
        acc["c80"] += c80  # type: ignore[operator]
        acc["over"] += over  # type: ignore[operator]
        acc["strata"][(block, profile)].extend(minutes)  # type: ignore[index]
        acc["block"][block].extend(minutes)  # type: ignore[index]
        acc["profile"][profile].extend(minutes)  # type: ignore[index]
    ids = [pk for pk, _s, _n in districts]
    counts = [len(by_district[pk]["minutes"]) for pk in ids]  # type: ignore[arg-type]
    dimensions = {"block": [*BLOCKS, ""], "profile": list(PROFILE_LABELS)}
    matrices = {dim: [[len(by_district[pk][dim].get(k, [])) for k in keys]  # type: ignore[attr-defined]
                      for pk in ids] for dim, keys in dimensions.items()}
    shown_counts, city_total, tables = disclosure.suppress_list_with_tables(
        counts, [matrices["block"], matrices["profile"]])
    shown_80, _t80 = disclosure.suppress_list([by_district[pk]["c80"] for pk in ids])  # type: ignore[misc]
    shown_67, _t67 = disclosure.suppress_list([by_district[pk]["c67"] for pk in ids])  # type: ignore[misc]
    shown_over, _to = disclosure.suppress_list([by_district[pk]["over"] for pk in ids])  # type: ignore[misc]
    standard = stats.standardise({str(pk): by_district[pk]["strata"] for pk in ids})  # type: ignore[misc]
    for i, (pk, slug, name) in enumerate(districts):
        acc = by_district[pk]
        minutes: list[int] = acc["minutes"]  # type: ignore[assignment]
        shown = shown_counts[i]
        hidden = shown is None
        inhabitants = pop.get(pk, {})
        from_80 = inhabitants.get(AgeBand.FROM_80, 0)
        from_67 = from_80 + inhabitants.get(AgeBand.FROM_67, 0)
        std = standard.get(str(pk))
        result.rows.append(DistrictRow(
            slug=slug, name=name, clients=shown,
            median_hours=disclosure.derived(stats.median_hours(minutes), shown),
            mean_hours=disclosure.derived(stats.mean_hours(minutes), shown),
            per_1000_80=None if shown_80[i] is None else stats.per_thousand(shown_80[i], from_80),
            per_1000_67=None if shown_67[i] is None else stats.per_thousand(shown_67[i], from_67),
            share_over=(None if shown_over[i] is None or hidden
                        else round(100 * shown_over[i] / shown, 1)),
            ratio=disclosure.derived(std.ratio if std else None, shown),
            stands_out=disclosure.derived(std.stands_out if std else "", shown) or "",
        ))
    everyone = sorted(m for pk in ids for m in by_district[pk]["minutes"])  # type: ignore[attr-defined]
    result.city_clients = city_total
    result.city_median = disclosure.derived(stats.median_hours(everyone), city_total)
    result.cv_median = stats.coefficient_of_variation(r.median_hours for r in result.rows)
    result.cv_ratio = stats.coefficient_of_variation(r.ratio for r in result.rows)
    result.sections = _sections(result, districts, by_district,
                                dict(zip(dimensions, tables, strict=True)))
    return result


INDICATOR_LABELS = {
    "clients": gettext_lazy("Clients"),
    "per_1000_80": gettext_lazy("Users 80+ per 1 000 inhabitants 80+"),
    "per_1000_67": gettext_lazy("Clients 67+ per 1 000 inhabitants 67+"),
    "median_hours": gettext_lazy("Median decided hours a week"),
    "share_over": gettext_lazy("Share with more than 35.5 hours a week (%)"),
    "ratio": gettext_lazy("Hours compared with the same needs city-wide"),
}


def indicator_label(code: str) -> str:
    return str(INDICATOR_LABELS[code])


def _sections(result: EqualHelp, districts, by_district,
              tables: dict[str, disclosure.SuppressedTable]) -> list[Section]:
    main = Section(
        slug="bydeler", title=_("Equal help per district"),
        headers=[_("District"), _("Clients"), _("Users 80+ per 1 000 inhabitants 80+"),
                 _("Clients 67+ per 1 000 inhabitants 67+"), _("Median hours a week"),
                 _("Average hours a week"), _("Share above 35.5 hours a week (%)"),
                 _("Hours compared with the same needs (1.0 = city)")],
        rows=[[r.name, r.clients, r.per_1000_80, r.per_1000_67, r.median_hours, r.mean_hours,
               r.share_over, r.ratio] for r in result.rows]
        + [[_("Oslo"), result.city_clients, None, None, result.city_median, None, None, 1.0
            if result.city_clients else None]],
    )
    main.chart = svgcharts.dot_plot(
        _("Median decided hours a week, one dot per district"),
        [(r.name, r.median_hours) for r in result.rows], unit=" t")
    main.text = _plain_words(result)
    sections = [main]
    for dimension, keys, labels, slug, title in (
        ("block", [*BLOCKS, ""], BLOCK_LABELS, "omsorgsblokk",
         _("Decided hours a week by care block")),
        ("profile", list(PROFILE_LABELS), PROFILE_LABELS, "iplos-profil",
         _("Decided hours a week by IPLOS profile (variables needing personal help)")),
    ):
        ids = [pk for pk, _s, _n in districts]
        table = tables[dimension]
        headers = [_("District")]
        for k in keys:
            headers += [f"{labels[k]}: " + _("clients"), f"{labels[k]}: " + _("median hours")]
        rows = []
        for i, (pk, _slug, name) in enumerate(districts):
            row: list = [name]
            for j, k in enumerate(keys):
                n = table.cells[i][j]
                row += [n, disclosure.derived(
                    stats.median_hours(sorted(by_district[pk][dimension].get(k, []))), n)]
            rows.append(row)
        totals: list = [_("Oslo")]
        for j, k in enumerate(keys):
            n = table.col_totals[j]
            everyone = sorted(m for pk in ids for m in by_district[pk][dimension].get(k, []))
            totals += [n, disclosure.derived(stats.median_hours(everyone), n)]
        rows.append(totals)
        sections.append(Section(slug=slug, title=title, headers=headers, rows=rows,
                                counts=tuple(range(1, 1 + 2 * len(keys), 2))))
    return sections


def _plain_words(result: EqualHelp) -> list[str]:
    text = [_(
        "The same-need comparison asks: if the district's clients had got what the city gives "
        "on average to clients with the same care block and the same IPLOS profile, how many "
        "hours would they have had? 1.0 means the same as the city; 1.2 means 20 per cent more "
        "help than the city gives for the same needs; 0.8 means 20 per cent less."
    )]
    higher = [r.name for r in result.rows if r.stands_out == "higher"]
    lower = [r.name for r in result.rows if r.stands_out == "lower"]
    if higher:
        text.append(_("Stand out with more help for the same needs (at least 15 per cent): "
                      "%(names)s.") % {"names": ", ".join(higher)})
    if lower:
        text.append(_("Stand out with less help for the same needs (at least 15 per cent): "
                      "%(names)s.") % {"names": ", ".join(lower)})
    if not higher and not lower:
        text.append(_("No district differs by 15 per cent or more from the city for the same "
                      "needs."))
    if result.cv_median is not None:
        text.append(_("The districts' median hours vary by %(cv)s per cent around their mean "
                      "(coefficient of variation); for the same needs, by %(cvr)s per cent.")
                    % {"cv": str(result.cv_median).replace(".", ","),
                       "cvr": str(result.cv_ratio or 0).replace(".", ",")})
    return text


def indicator_values(result: EqualHelp, indicator: str) -> dict[str, float | None]:
    return {r.slug: (float(v) if (v := getattr(r, indicator)) is not None else None)
            for r in result.rows}
