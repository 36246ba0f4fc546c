"""The trust pilot compared with the rest of the city, before and during a
period, for the district council's progress report.

Groups: *pilot* = the districts (or teams) in `PilotSite` running the trust
model during the period; *others* = the rest. *Before* is the same number
of days just before the period. Figures:

- decided hours a week per client (the aggregates on the period's last and
  the day before its first day; district-level pilots only, since the
  aggregates are per district);
- sick leave: sick days (`planning.Absence`, kind sick) per 100 employee
  days of health-sector employees (team pilots count their team);
- rostered hours a week per client and their cost (`RosterEntry` hours ×
  `TILLIT_INSIGHT_HOURLY_COST` kroner, district level);
- client satisfaction: the average of each survey question (1–5).

Every figure from fewer than 5 persons (clients, employees, answers) is
hidden. The visit-report figures the issue also names (share of visits
"fitted", revision proposals, continuity of carers, direct care share) are
not here: this app does not have visit reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from statistics import mean

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillit.core import disclosure, svgcharts
from tillit.insight import aggregates
from tillit.insight.models import SCORE_FIELDS, PilotSite, ServiceSnapshot, SurveyResponse
from tillit.insight.sections import Section
from tillit.organisation.models import Employee, Sector
from tillit.planning.models import Absence, RosterEntry

DEFAULT_HOURLY_COST = 620  # kroner per rostered hour, wages and social costs


def hourly_cost() -> int:
    return int(getattr(settings, "TILLIT_INSIGHT_HOURLY_COST", DEFAULT_HOURLY_COST))


@dataclass
class Groups:
    districts: set[int] = field(default_factory=set)  # whole districts in the pilot
    teams: set[int] = field(default_factory=set)  # single teams in the pilot

    def has_employee(self, district: int | None, team: int | None) -> bool:
        return district in self.districts or team in self.teams


def pilot_groups(start: dt.date, end: dt.date) -> Groups:
    sites = PilotSite.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start),
                                     starts_on__lte=end)
    groups = Groups()
    for district, team in sites.values_list("district_id", "team_id"):
        if team is None:
            groups.districts.add(district)
        else:
            groups.teams.add(team)
    return groups


def _hours(day: dt.date | None, groups: Groups, pilot: bool) -> tuple[int, float | None]:
    if day is None:
        return 0, None
    cells = ServiceSnapshot.objects.filter(day=day, service="all")
    cells = (cells.filter(district_id__in=groups.districts) if pilot
             else cells.exclude(district_id__in=groups.districts))
    minutes = [m for ms in cells.values_list("minutes", flat=True) for m in ms]
    n = len(minutes)
    return n, disclosure.derived(round(sum(minutes) / n / 60, 2) if n else None, n)


NO_DATA = "–"  # nothing registered for the period (not the same as hidden)


def _sick_leave(start: dt.date, end: dt.date, groups: Groups, pilot: bool,
                ) -> tuple[int, float | str | None]:
    staff = Employee.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start),
                                    valid_from__lte=end, sector=Sector.HEALTH,
                                    district__isnull=False)
    members = {pk for pk, d, t in staff.values_list("pk", "district_id", "team_id")
               if groups.has_employee(d, t) == pilot}
    if not members:
        return 0, None
    if not Absence.objects.filter(first_day__lte=end, last_day__gte=start).exists():
        return len(members), NO_DATA  # no absences of any kind registered in the period
    days = (end - start).days + 1
    sick = 0
    for employee, first, last in Absence.objects.filter(
        kind=Absence.Kind.SICK, first_day__lte=end, last_day__gte=start,
    ).values_list("employee_id", "first_day", "last_day"):
        if employee in members:
            sick += (min(last, end) - max(first, start)).days + 1
    n = len(members)
    return n, disclosure.derived(round(100 * sick / (n * days), 2), n)


def _rostered(start: dt.date, end: dt.date, groups: Groups, pilot: bool,
              clients: int) -> float | str | None:
    entries = RosterEntry.objects.filter(date__gte=start, date__lte=end)
    entries = (entries.filter(team__district_id__in=groups.districts) if pilot
               else entries.exclude(team__district_id__in=groups.districts))
    minutes = 0
    for begin, finish in entries.values_list("start", "end"):
        a, b = begin.hour * 60 + begin.minute, finish.hour * 60 + finish.minute
        minutes += b - a if b > a else b + 24 * 60 - a
    weeks = ((end - start).days + 1) / 7
    if not minutes:
        return NO_DATA  # no rosters registered for the period
    return disclosure.derived(round(minutes / 60 / weeks / clients, 2) if clients else None,
                              clients)


def _survey(start: dt.date, end: dt.date, groups: Groups, pilot: bool,
            ) -> tuple[int, dict[str, float | None]]:
    answers = list(SurveyResponse.objects.filter(answered_on__gte=start, answered_on__lte=end)
                   .values_list("district_id", "team_id", *SCORE_FIELDS))
    chosen = [a for a in answers if groups.has_employee(a[0], a[1]) == pilot]
    n = len(chosen)
    return n, {f: disclosure.derived(round(mean(a[2 + i] for a in chosen), 2) if n else None, n)
               for i, f in enumerate(SCORE_FIELDS)}


@dataclass
class Figures:
    clients: int
    hours: float | None
    employees: int
    sick_percent: float | str | None
    rostered_hours: float | str | None
    rostered_cost: float | str | None
    answers: int
    scores: dict[str, float | None]


def figures(start: dt.date, end: dt.date, groups: Groups, pilot: bool) -> Figures:
    clients, hours = _hours(aggregates.latest_day(end), groups, pilot)
    employees, sick = _sick_leave(start, end, groups, pilot)
    rostered = _rostered(start, end, groups, pilot, clients)
    answers, scores = _survey(start, end, groups, pilot)
    return Figures(
        clients=clients, hours=hours, employees=employees, sick_percent=sick,
        rostered_hours=rostered,
        rostered_cost=(round(rostered * hourly_cost()) if isinstance(rostered, float)
                       else rostered),
        answers=answers, scores=scores,
    )


@dataclass
class Comparison:
    start: dt.date
    end: dt.date
    before_start: dt.date
    before_end: dt.date
    sites: list[PilotSite]
    figures: dict[tuple[str, str], Figures]  # (pilot|others, before|during)
    sections: list[Section]


QUESTIONS = {  # msgids; gettext_noop marks them for makemessages
    "same_carers": gettext_noop("I mostly meet the same carers"),
    "enough_time": gettext_noop("The carers have enough time for me"),
    "say_in_help": gettext_noop("I have a say in how I am helped"),
    "overall": gettext_noop("Overall, I am satisfied with the help"),
}


def compare(start: dt.date, end: dt.date) -> Comparison:
    if end < start:
        start, end = end, start
    length = (end - start).days + 1
    before_end = start - dt.timedelta(days=1)
    before_start = before_end - dt.timedelta(days=length - 1)
    groups = pilot_groups(start, end)
    found = {
        (group, when): figures(a, b, groups, group == "pilot")
        for group in ("pilot", "others")
        for when, (a, b) in (("before", (before_start, before_end)), ("during", (start, end)))
    }
    order = [("pilot", "before"), ("pilot", "during"), ("others", "before"),
             ("others", "during")]
    headers = [_("Figure"), _("Pilot, before"), _("Pilot, during"), _("Others, before"),
               _("Others, during")]

    def row(label: str, get) -> list:
        return [label, *(get(found[k]) for k in order)]

    rows = [
        row(_("Clients"), lambda f: disclosure.shown(f.clients)),
        row(_("Decided hours a week per client"), lambda f: f.hours),
        row(_("Health employees"), lambda f: disclosure.shown(f.employees)),
        row(_("Sick leave (per cent of employee days)"), lambda f: f.sick_percent),
        row(_("Rostered hours a week per client"), lambda f: f.rostered_hours),
        row(_("Rostered cost a week per client (kr)"), lambda f: f.rostered_cost),
        row(_("Survey answers"), lambda f: disclosure.shown(f.answers)),
    ] + [row(_(text), lambda f, k=key: f.scores.get(k)) for key, text in QUESTIONS.items()]
    table = Section(slug="pilot", title=_("Trust pilot compared with the rest of the city"),
                    headers=headers, rows=rows, count_rows=(0, 2, 6))
    table.chart = svgcharts.bar_chart(
        _("Satisfied overall (1–5), pilot and others, before and during"),
        [(h, v) for h, v in zip(headers[1:], rows[-1][1:], strict=True)], unit="")
    sick = Section(slug="sykefravaer", title=_("Sick leave, pilot and others"),
                   headers=headers, rows=[rows[3]])
    if any(not isinstance(v, str) for v in rows[3][1:]):  # "–": nothing registered
        sick.chart = svgcharts.bar_chart(
            _("Sick leave (per cent of employee days), pilot and others, before and during"),
            [(h, None if isinstance(v, str) else v)
             for h, v in zip(headers[1:], rows[3][1:], strict=True)], unit=" %")
    sites = list(PilotSite.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start),
                                          starts_on__lte=end).select_related("district", "team"))
    return Comparison(start=start, end=end, before_start=before_start, before_end=before_end,
                      sites=sites, figures=found, sections=[table, sick])


def _fmt(value: float | str | None, unit: str = "") -> str:
    if value is None:
        return "ikke vist (for få)"
    if isinstance(value, str):
        return "ikke registrert"
    return f"{value:.1f}".replace(".", ",") + unit


def plain_text(c: Comparison) -> list[str]:
    """The council report's paragraphs, in bokmål (the report is a document
    in Norwegian whatever the reader's browser says)."""
    p_before, p_during = c.figures[("pilot", "before")], c.figures[("pilot", "during")]
    o_before, o_during = c.figures[("others", "before")], c.figures[("others", "during")]
    text = []
    if not c.sites:
        text.append("Ingen bydeler eller team var med i tillitspiloten i perioden.")
    text.append(
        f"Sykefraværet blant de ansatte i helse var {_fmt(p_during.sick_percent, ' %')} i "
        f"pilotområdene i perioden, mot {_fmt(p_before.sick_percent, ' %')} i like lang tid før. "
        f"I resten av byen var det {_fmt(o_during.sick_percent, ' %')}, mot "
        f"{_fmt(o_before.sick_percent, ' %')} før.")
    text.append(
        f"Brukerne i pilotbydelene hadde i snitt {_fmt(p_during.hours, ' timer')} vedtatt hjelp "
        f"i uka ved periodens slutt, mot {_fmt(o_during.hours, ' timer')} i resten av byen.")
    text.append(
        f"Turnustimer per bruker og uke: {_fmt(p_during.rostered_hours)} i pilotbydelene og "
        f"{_fmt(o_during.rostered_hours)} ellers (før: {_fmt(p_before.rostered_hours)} og "
        f"{_fmt(o_before.rostered_hours)}).")
    text.append(
        f"I brukerundersøkelsen svarte brukerne i piloten i snitt "
        f"{_fmt(p_during.scores.get('overall'))} av 5 på om de alt i alt er fornøyd med hjelpen "
        f"({_fmt(p_before.scores.get('overall'))} før), mot "
        f"{_fmt(o_during.scores.get('overall'))} i resten av byen.")
    text.append("Tall som bygger på færre enn 5 personer vises ikke, for å verne personvernet.")
    return text
