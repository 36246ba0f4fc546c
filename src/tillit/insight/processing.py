"""Processing times from `CaseMonth` aggregates: per district and service
for a period, the share decided within the deadline (the service's own
target, else forvaltningsloven's one month), and the trend by month.

Counts shown are decided applications. A cell is hidden when it has fewer
than 5 applications or possibly fewer than 5 distinct persons: across
months, the largest monthly count of distinct persons is a safe lower bound
of the period's, so a cell is hidden unless that bound is at least 5.
"""

from __future__ import annotations

import datetime as dt
from statistics import median

from django.utils.translation import gettext as _

from tillit.core import deadlines, disclosure, svgcharts
from tillit.core.equal_help import quantile
from tillit.insight.models import CaseMonth
from tillit.insight.sections import Section
from tillit.organisation.models import District

MONTHS_NB = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")


def months_back(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    return [deadlines.add_months(first, -k) for k in range(months - 1, -1, -1)]


def compute(today: dt.date, service: str = "all", months: int = 12) -> list[Section]:
    periods = months_back(today, months)
    rows = list(CaseMonth.objects.filter(month__in=periods, service=service)
                .values_list("month", "district_id", "cases", "persons", "within_deadline",
                             "days"))
    districts = list(District.objects.order_by("number").values_list("pk", "name"))
    per_district: dict[int, dict[str, object]] = {
        pk: {"cases": 0, "persons": 0, "within": 0, "days": []} for pk, _n in districts}
    per_month: dict[dt.date, dict[str, object]] = {
        m: {"cases": 0, "persons": 0, "within": 0, "days": []} for m in periods}
    for month, district, cases, persons, within, days in rows:
        for acc in (per_district[district], per_month[month]):
            acc["cases"] += cases  # type: ignore[operator]
            acc["persons"] = max(acc["persons"], persons)  # type: ignore[call-overload]
            acc["within"] += within  # type: ignore[operator]
            acc["days"].extend(days)  # type: ignore[union-attr]
    for month in periods:  # a month's distinct persons add up over districts
        per_month[month]["persons"] = 0
    for month, _d, _c, persons, _w, _days in rows:
        per_month[month]["persons"] += persons  # type: ignore[operator]
    ids = [pk for pk, _n in districts]
    counts, total = disclosure.suppress_list(
        [per_district[pk]["cases"] for pk in ids],  # type: ignore[misc]
        small=[disclosure.is_small(per_district[pk]["persons"]) for pk in ids])  # type: ignore[arg-type]
    table_rows = []
    for (pk, name), shown in zip(districts, counts, strict=True):
        table_rows.append([name, *_figures(per_district[pk], shown)])
    city = {"cases": sum(per_district[pk]["cases"] for pk in ids),  # type: ignore[misc]
            "within": sum(per_district[pk]["within"] for pk in ids),  # type: ignore[misc]
            "days": [d for pk in ids for d in per_district[pk]["days"]]}  # type: ignore[attr-defined]
    table_rows.append([_("Oslo"), *_figures(city, total)])
    headers = [_("District"), _("Decided applications"), _("Median days"),
               _("90th percentile days"), _("Share within deadline (%)")]
    by_district = Section(slug="saksbehandlingstid", title=_("Processing time per district"),
                          headers=headers, rows=table_rows, counts=(1,))
    by_district.chart = svgcharts.bar_chart(
        _("Share decided within the deadline, per district (%)"),
        [(r[0], r[4]) for r in table_rows[:-1]], unit=" %",
        reference=table_rows[-1][4])
    trend_rows = []
    for month in periods:
        acc = per_month[month]
        shown = None if disclosure.is_small(acc["persons"]) else disclosure.shown(acc["cases"])  # type: ignore[arg-type]
        trend_rows.append([f"{MONTHS_NB[month.month - 1]} {month.year}", *_figures(acc, shown)])
    trend = Section(slug="trend", title=_("Processing time by month"),
                    headers=[_("Month"), *headers[1:]], rows=trend_rows, counts=(1,))
    trend.chart = svgcharts.line_chart(
        _("Median processing days and share within deadline by month"),
        [r[0] for r in trend_rows],
        {_("median days"): [r[2] for r in trend_rows],
         _("share within deadline (%)"): [r[4] for r in trend_rows]})
    return [by_district, trend]


def _figures(acc: dict[str, object], shown: int | None) -> list[object]:
    days = sorted(acc["days"])  # type: ignore[call-overload]
    if shown is None or not days:
        return [None, None, None, None]
    return [shown, float(median(days)), round(quantile(days, 0.9), 1),
            round(100 * acc["within"] / acc["cases"], 1)]  # type: ignore[operator]
