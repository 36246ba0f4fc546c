"""Municipal and private providers compared: decided hours for clients with
the same care block and IPLOS profile (a matched comparison, from the
day's `ServiceSnapshot` cells), and the outcomes of reassessments per
provider (distinct clients per outcome)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from tillit.core import disclosure, svgcharts
from tillit.core import insight_stats as stats
from tillit.decisions.models import Reassessment
from tillit.insight.filters import BLOCK_LABELS, PROFILE_LABELS
from tillit.insight.models import ServiceSnapshot
from tillit.insight.sections import Section

OUTCOMES = ("increased", "unchanged", "reduced", "ended")


def matched(day: dt.date | None, service: str = "all") -> tuple[Section, stats.Matched | None]:
    groups: dict[str, dict[tuple[str, str], list[int]]] = {"municipal": defaultdict(list),
                                                           "private": defaultdict(list)}
    if day is not None:
        for block, profile, kind, minutes in ServiceSnapshot.objects.filter(
            day=day, service=service
        ).values_list("care_block", "profile", "provider_kind", "minutes"):
            groups.setdefault(kind, defaultdict(list))[(block, profile)].extend(minutes)
    result = stats.matched_difference(groups["municipal"], groups["private"])
    keys = sorted(set(groups["municipal"]) | set(groups["private"]))
    counts = [[len(groups["municipal"].get(k, [])), len(groups["private"].get(k, []))]
              for k in keys]
    table = disclosure.suppress_table(counts) if keys else None
    rows = []
    for i, (block, profile) in enumerate(keys):
        m_n, p_n = (table.cells[i] if table else (None, None))
        m_h = disclosure.derived(stats.mean_hours(groups["municipal"].get((block, profile), [])),
                                 m_n)
        p_h = disclosure.derived(stats.mean_hours(groups["private"].get((block, profile), [])),
                                 p_n)
        rows.append([str(BLOCK_LABELS.get(block, block)), str(PROFILE_LABELS.get(profile, profile)),
                     m_n, m_h, p_n, p_h,
                     round(p_h - m_h, 2) if p_h is not None and m_h is not None else None])
    section = Section(
        slug="leverandorer", title=_("Decided hours for the same needs: municipal and private"),
        headers=[_("Care block"), _("IPLOS profile"), _("Municipal: clients"),
                 _("Municipal: average hours a week"), _("Private: clients"),
                 _("Private: average hours a week"), _("Difference (private − municipal)")],
        rows=rows, counts=(2, 4),
    )
    section.chart = svgcharts.bar_chart(
        _("Difference in average weekly hours, private minus municipal, per group"),
        [(f"{r[0][:18]} / {r[1]}", r[6]) for r in rows if r[6] is not None] or [("–", None)],
        unit=" t")
    text = [_("Clients are compared only with clients who have the same care block and the same "
              "IPLOS profile, so a provider with heavier clients does not look more generous "
              "than it is. Groups with fewer than 5 clients on either side are left out.")]
    if result.difference_hours is not None:
        text.append(_(
            "For the same needs, private providers' clients have on average %(d)s hours a week "
            "more than municipal clients (a negative number means fewer). Comparing plain "
            "averages, without matching, the difference would be %(raw)s hours.") % {
            "d": f"{result.difference_hours:.1f}".replace(".", ","),
            "raw": "–" if result.raw_difference_hours is None
            else f"{result.raw_difference_hours:.1f}".replace(".", ",")})
    section.text = text
    return section, result


def reassessments(since: dt.date | None = None) -> Section:
    qs = Reassessment.objects.exclude(outcome="")
    if since is not None:
        qs = qs.filter(closed_at__date__gte=since)
    rows = (qs.values("decision__provider__name", "decision__provider__kind", "outcome")
            .annotate(n=Count("decision__client", distinct=True))
            .order_by("decision__provider__kind", "decision__provider__name"))
    providers: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        key = (row["decision__provider__kind"], row["decision__provider__name"])
        providers.setdefault(key, dict.fromkeys(OUTCOMES, 0))[row["outcome"]] = row["n"]
    keys = list(providers)
    counts = [[providers[k][o] for o in OUTCOMES] for k in keys]
    table = disclosure.suppress_table(counts) if keys else None
    out = []
    for i, (kind, name) in enumerate(keys):
        cells = table.cells[i] if table else [None] * 4
        total = table.row_totals[i] if table else None
        down = (providers[(kind, name)]["reduced"] + providers[(kind, name)]["ended"])
        share = (round(100 * down / sum(counts[i]), 1)
                 if total is not None and cells[2] is not None and cells[3] is not None else None)
        out.append([name, _("municipal") if kind == "municipal" else _("private"), *cells,
                    total, share])
    section = Section(
        slug="revurderinger", title=_("Reassessment outcomes per provider"),
        headers=[_("Provider"), _("Kind"), _("Increased"), _("Unchanged"), _("Reduced"),
                 _("Ended"), _("Clients reassessed"), _("Share reduced or ended (%)")],
        rows=out, counts=(2, 3, 4, 5, 6),
    )
    section.chart = svgcharts.bar_chart(
        _("Share of reassessments where help was reduced or ended (%)"),
        [(r[0][:24], r[7]) for r in out] or [("–", None)], unit=" %")
    section.text = [_("Counted as distinct clients per outcome. How often help is reduced when "
                      "needs fall shows in the share reduced or ended: a provider whose clients "
                      "are rarely reduced keeps decided time that may no longer be needed.")]
    return section
