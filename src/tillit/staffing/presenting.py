"""Figures as shown to one caller: suppression of small person counts for
aggregated viewers (the analyst), and the rows shared by the page, the
export and the API."""

from __future__ import annotations

from tillit.core import staffing as core
from tillit.staffing.figures import Figures

MIN_PERSONS = 5


def count(value: int, aggregated: bool) -> int | None:
    """A count of persons: suppressed (None) under 5 for aggregated viewers."""
    return core.suppress(value, MIN_PERSONS) if aggregated else value


def needs_shown(figures: Figures, aggregated: bool) -> bool:
    """Needs derived from fewer than 5 clients are not shown to aggregated viewers."""
    return not aggregated or figures.clients >= MIN_PERSONS


def roster_shown(figures: Figures, competence: str, aggregated: bool) -> bool:
    return not aggregated or figures.rostered_people[competence] >= MIN_PERSONS


def contract_shown(figures: Figures, competence: str, aggregated: bool) -> bool:
    return not aggregated or figures.contracted_people[competence] >= MIN_PERSONS


def competence_rows(figures: Figures, aggregated: bool) -> list[dict[str, object]]:
    """One row per competence: minutes, needed, rostered, contracted, gap, mix."""
    rows = []
    show_needs = needs_shown(figures, aggregated)
    for line in figures.lines:
        show_roster = roster_shown(figures, line.competence, aggregated)
        rows.append({
            "competence": line.competence,
            "weekly_direct_minutes": line.weekly_direct_minutes if show_needs else None,
            "needed_fte": line.needed_fte if show_needs else None,
            "rostered_fte": line.rostered_fte if show_roster else None,
            "contracted_fte": figures.contracted_fte[line.competence]
            if contract_shown(figures, line.competence, aggregated) else None,
            "gap_fte": line.gap_fte if show_needs and show_roster else None,
            "needed_share": line.needed_share if show_needs else None,
            "rostered_share": line.rostered_share if show_roster else None,
        })
    return rows


def contract_body(figures: Figures, aggregated: bool) -> dict[str, object]:
    """The API contract's shape."""
    p = figures.params
    district = figures.scope.district
    return {
        "district": district.slug if district else None,
        "date": figures.day,
        "params": {"direct_care_share": p.direct_care_share,
                   "fte_hours_per_week": p.fte_hours_per_week,
                   "absence_buffer": p.absence_buffer},
        "by_competence": [
            {k: row[k] for k in ("competence", "weekly_direct_minutes", "needed_fte",
                                 "rostered_fte")}
            for row in competence_rows(figures, aggregated)
        ],
        "nurse_caseload": {
            "norm": p.caseload_norm,
            "over_norm": count(figures.caseload.over_norm, aggregated),
            "without_responsible_nurse": count(figures.caseload.without_responsible, aggregated),
        },
    }
