"""Trends from the monthly snapshots (`StaffingSnapshot`): the last twelve
months of one district, or the city (every district summed)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from tillit.organisation.models import District
from tillit.staffing.charts import Series, line_chart
from tillit.staffing.models import StaffingSnapshot

MONTHS = 12


def trend(district: District | None, months: int = MONTHS) -> dict[str, Any] | None:
    """{'rows': [...], 'chart': svg} or None when there are no snapshots."""
    snapshots = StaffingSnapshot.objects.all()
    if district is not None:
        snapshots = snapshots.filter(district=district)
    recent = list(snapshots.order_by("-month").values_list("month", flat=True).distinct()[:months])
    if not recent:
        return None
    totals: dict[Any, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for month, competence, needed, rostered, contracted in snapshots.filter(
        month__in=recent
    ).values_list("month", "competence", "needed_fte", "rostered_fte", "contracted_fte"):
        row = totals[month]
        row["needed"] += needed
        row["rostered"] += rostered
        row["contracted"] += contracted
        if competence == "nurse":
            row["needed_nurse"] += needed
            row["rostered_nurse"] += rostered
    months_sorted = sorted(totals)
    rows = [{"month": m, **totals[m]} for m in months_sorted]
    labels = [f"{m:%m.%y}" for m in months_sorted]
    chart = line_chart(
        _("Needed, rostered and contracted FTE, month by month"), labels,
        [Series(_("Needed"), [r["needed"] for r in rows]),
         Series(_("Rostered"), [r["rostered"] for r in rows]),
         Series(_("Contracted"), [r["contracted"] for r in rows])],
    )
    return {"rows": rows, "chart": chart}
