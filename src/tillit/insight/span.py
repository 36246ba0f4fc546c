"""Span of control: employees per leader by sector and level, and the share
of women per sector (the union's gender-equality question: health is
female-dominated). Level 1 is a leader who reports to no leader; level 2
reports to a level-1 leader, and so on. Employees are persons: counts of
leaders and of women/men below 5 are hidden with their derived figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from statistics import mean, median

from django.db.models import Q
from django.utils.translation import gettext as _

from tillit.core import disclosure, svgcharts
from tillit.insight.sections import Section
from tillit.organisation.models import Employee, Sector


def _level(pk: int, boss: dict[int, int | None]) -> int:
    level, seen = 1, {pk}
    current = boss.get(pk)
    while current is not None and current not in seen:
        seen.add(current)
        level += 1
        current = boss.get(current)
    return level


def compute(day: dt.date) -> list[Section]:
    rows = list(Employee.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day,
    ).values_list("pk", "sector", "gender", "is_leader", "reports_to_id"))
    boss = {pk: reports for pk, _s, _g, _l, reports in rows}
    reports = Counter(r for *_x, r in rows if r is not None)
    sector_names = dict(Sector.choices)
    spans: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pk, sector, _g, leader, _r in rows:
        if leader:
            spans[(sector, _level(pk, boss))].append(reports.get(pk, 0))
    keys = sorted(spans)
    leaders = [disclosure.shown(len(spans[k])) for k in keys]  # no total is shown
    span_rows = []
    for k, n in zip(keys, leaders, strict=True):
        values = spans[k]
        span_rows.append([str(sector_names.get(k[0], k[0])), k[1], n,
                          disclosure.derived(round(mean(values), 1), n),
                          disclosure.derived(float(median(values)), n),
                          disclosure.derived(max(values), n)])
    span = Section(slug="lederspenn", title=_("Employees per leader by sector and level"),
                   headers=[_("Sector"), _("Level"), _("Leaders"),
                            _("Average employees per leader"), _("Median"), _("Largest")],
                   rows=span_rows, counts=(2,))
    span.chart = svgcharts.bar_chart(
        _("Average employees per leader, by sector and level"),
        [(f"{r[0][:20]} {r[1]}", r[3]) for r in span_rows], unit="")
    genders: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _pk, sector, gender, _l, _r in rows:
        genders[sector][0 if gender == Employee.Gender.FEMALE else 1] += 1
    sectors = sorted(genders)
    table = disclosure.suppress_table([genders[s] for s in sectors]) if sectors else None
    gender_rows = []
    for i, sector in enumerate(sectors):
        women, others = table.cells[i] if table else (None, None)
        total = table.row_totals[i] if table else None
        share = (round(100 * women / total, 1)
                 if women is not None and others is not None and total else None)
        gender_rows.append([str(sector_names.get(sector, sector)), total, women, others, share])
    women = Section(slug="kvinneandel", title=_("Share of women per sector"),
                    headers=[_("Sector"), _("Employees"), _("Women"), _("Men and others"),
                             _("Share of women (%)")], rows=gender_rows,
                    counts=(1, 2, 3))
    women.chart = svgcharts.bar_chart(_("Share of women per sector (%)"),
                                      [(r[0][:24], r[4]) for r in gender_rows], unit=" %")
    women.text = [_("Leaders in sectors with many women lead more employees each: compare the "
                    "average span per sector with the share of women.")]
    return [span, women]
