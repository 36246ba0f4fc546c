"""The staffing figures as a spreadsheet, through the project's export
helper (`tillit.web.exports`): one row per competence with the same numbers
as the page, then the caseload and the parameters. No person-level data."""

from __future__ import annotations

from django.http import HttpResponse

from tillit.staffing.figures import Figures
from tillit.staffing.presenting import competence_rows, count
from tillit.web.exports import Format, Table, export_response

HEADERS = ["Kompetanse", "Direkte brukertid (min/uke)", "Behov (årsverk)",
           "Turnus (årsverk)", "Avtalt (årsverk)", "Differanse (årsverk)",
           "Andel av behovet", "Andel i turnus"]
NAMES = {"assistant": "Assistent", "health_worker": "Helsefagarbeider", "nurse": "Sykepleier"}


def _round(value: object, digits: int = 2) -> object:
    return round(value, digits) if isinstance(value, float) else value


def table(figures: Figures, aggregated: bool) -> Table:
    rows: list[list[object]] = []
    for row in competence_rows(figures, aggregated):
        rows.append([
            NAMES[str(row["competence"])], row["weekly_direct_minutes"],
            _round(row["needed_fte"]), _round(row["rostered_fte"]), _round(row["contracted_fte"]),
            _round(row["gap_fte"]), _round(row["needed_share"], 3),
            _round(row["rostered_share"], 3),
        ])
    p = figures.params
    scope = figures.scope
    where = scope.team.name if scope.team else scope.district.name if scope.district else "Oslo"
    load = figures.caseload
    notes = [
        f"Enhet: {where}. Dato: {figures.day.isoformat()}. Turnusuke: "
        f"{figures.week[0].isoformat()}–{figures.week[1].isoformat()}.",
        f"Direkte brukertid-andel: {p.direct_care_share}; timer per årsverk: "
        f"{p.fte_hours_per_week}; fraværsbuffer: {p.absence_buffer}; normtall: "
        f"{p.caseload_norm} brukere per sykepleier.",
        f"Sykepleieroppfølging etter omsorgssituasjon: {figures.follow_up_minutes} min/uke = "
        f"{round(figures.follow_up_fte, 2)} årsverk.",
        f"Sykepleiere over normtallet: {_shown(count(load.over_norm, aggregated))}. "
        f"Brukere uten tjenesteansvarlig sykepleier: "
        f"{_shown(count(load.without_responsible, aggregated))}.",
        "Tall under 5 personer er skjult." if aggregated else "",
    ]
    return Table(HEADERS, rows, title="Bemanning", notes=[n for n in notes if n])


def _shown(value: int | None) -> str:
    return "under 5" if value is None else str(value)


def response(figures: Figures, aggregated: bool, fmt: Format) -> HttpResponse:
    scope = figures.scope
    slug = scope.district.slug if scope.district else "oslo"
    if scope.team is not None:
        slug += f"-team-{scope.team.pk}"
    return export_response(table(figures, aggregated), f"bemanning-{slug}-{figures.day}", fmt)
