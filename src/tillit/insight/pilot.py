"""The trust pilot compared with the rest of the city, before and during a
period, for the pilot page and the district council's progress report.

Groups: *pilot* = the districts (or teams) in `PilotSite` running the trust
model during the period; *others* = the rest. *Before* is the same number
of days just before the period. Every figure is read from the daily
aggregates (`ServiceSnapshot`, `PilotDay`, `PilotMonth`), never from raw
rows per page view:

- decided hours a week per client (the snapshot on the period's last day;
  whole-district pilots only, since snapshots are per district);
- share of reported visits "time fitted" (the last report of each done
  visit with a time answer);
- revision proposals raised, accepted and dismissed, for more and for less
  help (raised by the day raised, outcomes by the day decided);
- continuity: distinct carers per client a month (visit reports, else the
  current plans' assignments), averaged over the client-months;
- direct care share: planned visit minutes (× carers) over rostered minutes;
- sick leave: sick employee days over rostered employee days;
- rostered hours a week per client (rostered hours ÷ client-days × 7) and
  their cost (`TILLIT_INSIGHT_HOURLY_COST` kroner an hour);
- client satisfaction: the average of each survey question (1–5).

Persons behind a figure are counted as a lower bound of the period's
distinct persons: clients and employees as the largest day's (each person
counted in one team a day), proposals' clients as proposals minus those
whose client had one of the same kind in the year before, continuity's
clients as the largest month's. Every figure from fewer than 5 persons is
hidden, and so is every count of fewer than 5.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillit.core import disclosure, svgcharts
from tillit.insight import aggregates
from tillit.insight.models import (
    SCORE_FIELDS,
    PilotDay,
    PilotMonth,
    PilotSite,
    ServiceSnapshot,
)
from tillit.insight.pilot_aggregates import PROPOSAL_KEYS, REPEAT_WINDOW
from tillit.insight.sections import Section

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


@dataclass
class Totals:
    """A group's sums over a period's `PilotDay` rows, with lower bounds of
    the distinct persons behind them, and its `PilotMonth` carer counts."""

    reports: int = 0
    fitted: int = 0
    planned_minutes: int = 0
    rostered_minutes: int = 0
    employee_days: int = 0
    sick_days: int = 0
    client_days: int = 0
    answers: int = 0
    proposals: dict[str, int] = field(default_factory=dict)
    proposal_repeats: dict[str, int] = field(default_factory=dict)
    score_sums: dict[str, int] = field(default_factory=dict)
    clients: int = 0  # lower bound: the largest day's clients with scheduled visits
    reported_clients: int = 0  # the largest day's clients with a report
    employees: int = 0  # the largest day's employees on the roster
    carers: list[int] = field(default_factory=list)  # one per client-month
    carer_clients: int = 0  # the largest month's clients in `carers`

    def proposal_clients(self, key: str, days: int) -> int:
        """A lower bound of the distinct clients behind a proposal count."""
        if days > REPEAT_WINDOW.days:
            return 0
        return self.proposals.get(key, 0) - self.proposal_repeats.get(key, 0)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    month, out = start.replace(day=1), []
    while month <= end:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


SUMMED = ("reports", "fitted", "planned_minutes", "rostered_minutes", "employees", "sick_days",
          "clients", "reported_clients", "answers")


def members(groups: Groups, pilot: bool) -> Q:
    """`PilotDay`/`PilotMonth` rows of the pilot group (or of the others),
    as `Groups.has_employee` says (a row without a team is its district's)."""
    q = Q(district_id__in=groups.districts) | Q(team_id__in=groups.teams)
    return q if pilot else ~q


def totals(start: dt.date, end: dt.date, groups: Groups, pilot: bool) -> Totals:
    """Summed in SQL, a row per day (a year's period reads 365 rows, not a
    row per team and day); the dictionaries only from the few rows that
    have survey answers or proposals."""
    t = Totals()
    rows = PilotDay.objects.filter(members(groups, pilot), day__gte=start, day__lte=end)
    per_day = list(rows.values("day").order_by()
                   .annotate(**{f"sum_{f}": Sum(f) for f in SUMMED})
                   .values_list(*(f"sum_{f}" for f in SUMMED)))
    sums = dict(zip(SUMMED, (sum(day[i] for day in per_day) for i in range(len(SUMMED))),
                    strict=True))
    t.reports, t.fitted, t.answers = sums["reports"], sums["fitted"], sums["answers"]
    t.planned_minutes, t.rostered_minutes = sums["planned_minutes"], sums["rostered_minutes"]
    t.employee_days, t.sick_days = sums["employees"], sums["sick_days"]
    t.client_days = sums["clients"]
    for name, field_name in (("clients", "clients"), ("reported_clients", "reported_clients"),
                             ("employees", "employees")):
        i = SUMMED.index(field_name)
        setattr(t, name, max((day[i] for day in per_day), default=0))
    for proposals, repeats, scores in (rows.filter(Q(answers__gt=0) | ~Q(proposals={}))
                                       .values_list("proposals", "proposal_repeats",
                                                    "score_sums")):
        for totals_of, more in ((t.proposals, proposals), (t.proposal_repeats, repeats),
                                (t.score_sums, scores)):
            for key, n in more.items():
                totals_of[key] = totals_of.get(key, 0) + n
    per_month: dict[dt.date, int] = defaultdict(int)
    for month, carers in (PilotMonth.objects.filter(members(groups, pilot),
                                                     month__in=_months(start, end))
                          .values_list("month", "carers")):
        t.carers += carers
        per_month[month] += len(carers)
    t.carer_clients = max(per_month.values(), default=0)
    return t


NO_DATA = "–"  # nothing registered for the period (not the same as hidden)

Value = float | str | None


def _ratio(part: int, whole: int, persons: int, scale: float = 100.0) -> Value:
    if not whole:
        return NO_DATA
    return disclosure.derived(round(scale * part / whole, 2), persons)


@dataclass
class Figures:
    clients: int  # with decisions on the period's last day (district pilots)
    hours: float | None
    employees: int  # on the roster (lower bound of distinct persons)
    sick_percent: Value
    rostered_hours: Value
    rostered_cost: Value
    answers: int
    scores: dict[str, float | None]
    visit_clients: int = 0  # with planned visits (lower bound)
    reports: int | None = None  # visits reported done with a time answer (None: hidden)
    fitted_percent: Value = None
    proposals: dict[str, int | None] = field(default_factory=dict)  # None: hidden
    carers_per_client: Value = None
    direct_percent: Value = None


def figures(start: dt.date, end: dt.date, groups: Groups, pilot: bool) -> Figures:
    clients, hours = _hours(aggregates.latest_day(end), groups, pilot)
    t = totals(start, end, groups, pilot)
    days = (end - start).days + 1
    rostered = (disclosure.derived(round(7 * t.rostered_minutes / 60 / t.client_days, 2),
                                   t.clients) if t.rostered_minutes and t.client_days
                else NO_DATA)
    n = t.answers
    scores = {f: disclosure.derived(round(t.score_sums.get(f, 0) / n, 2) if n else None, n)
              for f in SCORE_FIELDS}
    carers = len(t.carers)
    return Figures(
        clients=clients, hours=hours, employees=t.employees,
        sick_percent=_ratio(t.sick_days, t.employee_days, t.employees),
        rostered_hours=rostered,
        rostered_cost=(round(rostered * hourly_cost()) if isinstance(rostered, float)
                       else rostered),
        answers=n, scores=scores, visit_clients=t.clients,
        reports=disclosure.derived(t.reports, t.reported_clients),
        fitted_percent=_ratio(t.fitted, t.reports, t.reported_clients),
        proposals={key: disclosure.derived(t.proposals.get(key, 0),
                                           t.proposal_clients(key, days))
                   for key in PROPOSAL_KEYS},
        carers_per_client=(disclosure.derived(round(sum(t.carers) / carers, 2),
                                              t.carer_clients)
                           if carers else NO_DATA),
        direct_percent=_ratio(t.planned_minutes, t.rostered_minutes, t.employees),
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
PROPOSAL_LABELS = {
    "raised_increase": gettext_noop("Proposals for more help, raised"),
    "accepted_increase": gettext_noop("Proposals for more help, accepted"),
    "dismissed_increase": gettext_noop("Proposals for more help, dismissed"),
    "raised_reduce": gettext_noop("Proposals for less help, raised"),
    "accepted_reduce": gettext_noop("Proposals for less help, accepted"),
    "dismissed_reduce": gettext_noop("Proposals for less help, dismissed"),
}
ORDER = [("pilot", "before"), ("pilot", "during"), ("others", "before"), ("others", "during")]


def _chart_rows(headers: list[str], values: list) -> list[tuple[str, float | None]]:
    return [(h, v if isinstance(v, float | int) else None)
            for h, v in zip(headers, values, strict=True)]


def _section(slug: str, title: str, headers: list[str], rows: list[list],
             chart_row: int, unit: str, count_rows: tuple[int, ...] = ()) -> Section:
    section = Section(slug=slug, title=title, headers=headers, rows=rows,
                      count_rows=count_rows)
    values = rows[chart_row][1:]
    if any(isinstance(v, float | int) for v in values):  # not all hidden or unregistered
        section.chart = svgcharts.bar_chart(
            _("%(figure)s: pilot and others, before and during") % {
                "figure": rows[chart_row][0]}, _chart_rows(headers[1:], values), unit=unit)
    return section


MAX_DAYS = 3 * 366  # the longest period compared
EARLIEST = dt.date(2000, 1, 1)


def period_errors(start: dt.date, end: dt.date) -> dict[str, list[str]]:
    """Norwegian field messages for a period the comparison does not take."""
    errors: dict[str, list[str]] = {}
    if min(start, end) < EARLIEST:
        errors["start"] = ["Perioden kan ikke begynne før 1. januar 2000."]
    if abs((end - start).days) + 1 > MAX_DAYS:
        errors["end"] = ["Perioden kan være høyst tre år."]
    return errors


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
    headers = [_("Figure"), _("Pilot, before"), _("Pilot, during"), _("Others, before"),
               _("Others, during")]

    def row(label: str, get) -> list:
        return [label, *(get(found[k]) for k in ORDER)]

    overview = [
        row(_("Clients with decisions"), lambda f: disclosure.shown(f.clients)),
        row(_("Decided hours a week per client"), lambda f: f.hours),
        row(_("Clients with planned visits"), lambda f: disclosure.shown(f.visit_clients)),
        row(_("Rostered hours a week per client"), lambda f: f.rostered_hours),
        row(_("Rostered cost a week per client (kr)"), lambda f: f.rostered_cost),
        row(_("Survey answers"), lambda f: disclosure.shown(f.answers)),
    ] + [row(_(text), lambda f, k=key: f.scores.get(k)) for key, text in QUESTIONS.items()]
    table = _section("pilot", _("Trust pilot compared with the rest of the city"), headers,
                     overview, len(overview) - 1, "", count_rows=(0, 2, 5))
    visits = [
        row(_("Visits reported with a time answer"), lambda f: f.reports),
        row(_("Share of visits reported \"time fitted\" (per cent)"),
            lambda f: f.fitted_percent),
        row(_("Distinct carers per client a month"), lambda f: f.carers_per_client),
    ]
    fitted = _section("tid-passet", _("Visits reported \"time fitted\""),
                      headers, visits[:2], 1, " %", count_rows=(0,))
    continuity = _section("kontinuitet", _("Continuity of care, pilot and others"), headers,
                          [overview[2], visits[2]], 1, "", count_rows=(0,))
    proposals = _section(
        "endringsforslag", _("Revision proposals and their outcomes"), headers,
        [row(_(text), lambda f, k=key: f.proposals.get(k)) for key, text
         in PROPOSAL_LABELS.items()], 0, "", count_rows=tuple(range(len(PROPOSAL_LABELS))))
    employees = row(_("Employees on the roster"), lambda f: disclosure.shown(f.employees))
    direct = _section("direkte-tid", _("Direct care share, pilot and others"), headers, [
        employees, row(_("Direct care share (planned visit time of rostered time, per cent)"),
                       lambda f: f.direct_percent)], 1, " %", count_rows=(0,))
    sick = _section("sykefravaer", _("Sick leave, pilot and others"), headers, [
        employees, row(_("Sick leave (per cent of rostered employee days)"),
                       lambda f: f.sick_percent)], 1, " %", count_rows=(0,))
    sites = list(PilotSite.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start),
                                          starts_on__lte=end).select_related("district", "team"))
    return Comparison(start=start, end=end, before_start=before_start, before_end=before_end,
                      sites=sites, figures=found,
                      sections=[table, fitted, continuity, proposals, direct, sick])


def _fmt(value: float | str | None, unit: str = "") -> str:
    if value is None:
        return "ikke vist (for få)"
    if isinstance(value, str):
        return "ikke registrert"
    if isinstance(value, int):
        return str(value) + unit
    return f"{value:.1f}".replace(".", ",") + unit


def _change(before: Value, during: Value) -> str:
    if not isinstance(before, float | int) or not isinstance(during, float | int):
        return ""
    if round(during, 1) == round(before, 1):  # the same as the text shows them
        return " (uendret)"
    return " (opp)" if during > before else " (ned)"


def plain_text(c: Comparison) -> list[str]:
    """The council report's paragraphs, in bokmål (the report is a document
    in Norwegian whatever the reader's browser says)."""
    p_before, p_during = c.figures[("pilot", "before")], c.figures[("pilot", "during")]
    o_before, o_during = c.figures[("others", "before")], c.figures[("others", "during")]

    def both(get, unit: str = "") -> str:
        """ "x i piloten (y før), mot z i resten av byen (w før)" """
        return (f"{_fmt(get(p_during), unit)}{_change(get(p_before), get(p_during))} i "
                f"pilotområdene ({_fmt(get(p_before), unit)} før), mot "
                f"{_fmt(get(o_during), unit)}{_change(get(o_before), get(o_during))} i resten "
                f"av byen ({_fmt(get(o_before), unit)} før)")

    text = []
    if not c.sites:
        text.append("Ingen bydeler eller team var med i tillitspiloten i perioden.")
    text.append(
        "Tillitsmodellen gir de ansatte mer rom til å tilpasse besøkene. Besøk meldt med "
        f"«tiden passet»: {both(lambda f: f.fitted_percent, ' %')}.")
    text.append(
        "Endringsforslag om mer hjelp som ble meldt: "
        f"{both(lambda f: f.proposals.get('raised_increase'))}; om mindre hjelp: "
        f"{both(lambda f: f.proposals.get('raised_reduce'))}. Godtatte forslag om mer hjelp: "
        f"{_fmt(p_during.proposals.get('accepted_increase'))} i piloten; om mindre hjelp: "
        f"{_fmt(p_during.proposals.get('accepted_reduce'))}.")
    text.append(
        "Kontinuitet, antall ulike ansatte hver bruker møtte i måneden, i snitt: "
        f"{both(lambda f: f.carers_per_client)}. Byrevisjonen fant 15.")
    text.append(
        "Andel av turnustiden som er planlagt tid hos brukerne (direkte brukertid): "
        f"{both(lambda f: f.direct_percent, ' %')}.")
    text.append(f"Sykefravær (sykedager av dagsverk i turnus): "
                f"{both(lambda f: f.sick_percent, ' %')}.")
    text.append(
        f"Brukerne i pilotbydelene hadde i snitt {_fmt(p_during.hours, ' timer')} vedtatt hjelp "
        f"i uka ved periodens slutt, mot {_fmt(o_during.hours, ' timer')} i resten av byen.")
    text.append(
        "Turnustimer per bruker og uke (kostnad per bruker): "
        f"{both(lambda f: f.rostered_hours)}.")
    text.append(
        "I brukerundersøkelsen svarte brukerne i snitt "
        f"{both(lambda f: f.scores.get('overall'))} av 5 på om de alt i alt er fornøyd med "
        "hjelpen.")
    text.append("Tall som bygger på færre enn 5 personer vises ikke, for å verne personvernet.")
    return text
