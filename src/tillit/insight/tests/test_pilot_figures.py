"""The trust pilot's figures from visit reports, plans, rosters, absences,
revision proposals and surveys: each recomputed here from the raw rows by
its definition and compared with what the aggregates give the page, the
API and the exports; and the suppression of figures from fewer than 5
persons."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import uuid
from statistics import mean

import pytest
from django.core.management import call_command
from django.test import Client as Browser

from tillit.daylist.models import RevisionProposal, VisitReport
from tillit.decisions.models import Decision, ServiceType
from tillit.insight import pilot, pilot_aggregates
from tillit.insight.models import PilotDay, PilotSite, SurveyResponse
from tillit.insight.sections import display
from tillit.organisation.models import District, Employee, Sector, Team
from tillit.planning.models import Absence, Assignment, Plan, RosterEntry, Visit

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 9, 1), dt.date(2026, 9, 5)
BEFORE = (dt.date(2026, 8, 27), dt.date(2026, 8, 31))
FITS = ["fitted", "fitted", "more", "less", ""]


def populate(slug: str, clients: int, make_client, reporter, rng: random.Random) -> None:
    """`clients` clients with a visit a day over both periods, six carers
    on the roster, reports (some corrected, some missing: those clients'
    carers come from the plan), sick leave and a holiday, proposals and
    surveys."""
    district = District.objects.get(slug=slug)
    people = [make_client(slug) for _ in range(clients)]
    team = Team.objects.get(district=district)
    staff = [Employee.objects.create(
        employee_number=f"{slug}{i}", given_name="A", family_name="B", title="Pleier",
        sector=Sector.HEALTH, gender="female", fte_percent=100, contract_type="permanent",
        district=district, team=team) for i in range(6)]
    service = ServiceType.objects.order_by("pk").first()
    decisions = [Decision.objects.create(
        client=c, service_type=service, provider=c.provider, valid_from=BEFORE[0],
        weekly_minutes=300, decided_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC)) for c in people]
    day = BEFORE[0]
    roster, assignments, reports = [], [], []
    while day <= END:
        plan = Plan.objects.create(team=team, date=day, shift="day", status="done",
                                   is_current=True)
        roster += [RosterEntry(employee=e, team=team, date=day, shift="day",
                               start=dt.time(7, 30), end=dt.time(15))
                   for e in staff[: 4 + day.day % 3]]
        roster.append(RosterEntry(employee=staff[5], team=team, date=day, shift="night",
                                  start=dt.time(22), end=dt.time(6)))  # past midnight
        for n, (client, decision) in enumerate(zip(people, decisions, strict=True)):
            visit = Visit(
                team=team, date=day, shift="day", client=client, decision=decision,
                window_start=dt.time(8), window_end=dt.time(9), minutes=20 + 5 * n,
                staff_count=2 if n == 0 else 1, competence="assistant", tasks="Stell",
                status="cancelled" if (n == 1 and day.day % 4 == 0) else "scheduled")
            visit.save()
            assignments.append(Assignment(plan=plan, visit=visit, employee=staff[n % 6],
                                          order=n))
            if n == clients - 1:
                continue  # never reported: continuity from the plan
            for _ in range(2 if rng.random() < 0.2 else 1):  # a few corrected reports
                fit = rng.choice(FITS)
                reports.append(VisitReport(
                    report_id=uuid.uuid4(), visit=visit, client=client, decision=decision,
                    carer=rng.choice(staff), reported_by=reporter, done=fit != "",
                    time_fit=fit, reason="" if fit else "not_home"))
        day += dt.timedelta(days=1)
    RosterEntry.objects.bulk_create(roster)
    Assignment.objects.bulk_create(assignments)
    VisitReport.objects.bulk_create(reports)  # received in this order
    Absence.objects.create(employee=staff[0], kind="sick", first_day=BEFORE[1],
                           last_day=START + dt.timedelta(days=2))
    Absence.objects.create(employee=staff[1], kind="sick", first_day=END,
                           last_day=END + dt.timedelta(days=9))
    Absence.objects.create(employee=staff[2], kind="holiday", first_day=START, last_day=END)
    for n, decision in enumerate(decisions):
        raised = dt.datetime.combine(BEFORE[0] if n % 6 == 5 else START, dt.time(9),
                                     tzinfo=dt.UTC)
        status = ["accepted", "dismissed", "open"][n % 3]
        proposal = RevisionProposal.objects.create(
            decision=decision, direction="reduce" if n % 2 else "increase", source="team",
            status=status)
        RevisionProposal.objects.filter(pk=proposal.pk).update(
            raised_at=raised,
            decided_at=None if status == "open" else raised + dt.timedelta(days=3))
    for n in range(clients):
        SurveyResponse.objects.create(
            district=district, team=team if n % 2 else None,
            answered_on=START + dt.timedelta(days=n % 8), same_carers=1 + n % 5,
            enough_time=3, say_in_help=4, overall=1 + (n * 3) % 5)


@pytest.fixture
def two_districts(city, make_client, make_user):
    def build(pilot_clients: int = 6, other_clients: int = 6) -> None:
        rng = random.Random(7)
        PilotSite.objects.create(district=District.objects.get(slug="sagene"), starts_on=START)
        populate("sagene", pilot_clients, make_client,
                 make_user("planlegger.sagene", "planner", "sagene"), rng)
        populate("alna", other_clients, make_client,
                 make_user("planlegger.alna", "planner", "alna"), rng)
        pilot_aggregates.refresh_pilot_range(BEFORE[0], END)

    return build


def in_group(district_slug: str, is_pilot: bool) -> bool:
    return (district_slug == "sagene") == is_pilot


def expected(first: dt.date, last: dt.date, is_pilot: bool) -> dict[str, object]:
    """Each figure straight from the raw rows, by its definition."""
    visits = [v for v in Visit.objects.filter(date__gte=first, date__lte=last)
              .select_related("team__district") if in_group(v.team.district.slug, is_pilot)]
    latest = {}
    for r in VisitReport.objects.order_by("received_at", "pk"):
        latest[r.visit_id] = r
    answered = [latest[v.pk] for v in visits if v.pk in latest
                and latest[v.pk].done and latest[v.pk].time_fit]
    scheduled = [v for v in visits if v.status == "scheduled"]
    roster = [e for e in RosterEntry.objects.filter(date__gte=first, date__lte=last)
              .select_related("team__district") if in_group(e.team.district.slug, is_pilot)]

    def minutes(e: RosterEntry) -> int:
        a, b = e.start.hour * 60 + e.start.minute, e.end.hour * 60 + e.end.minute
        return b - a if b > a else b + 1440 - a

    roster_minutes = sum(minutes(e) for e in roster)
    roster_days = len({(e.employee_id, e.date) for e in roster})
    sick = 0
    for a in Absence.objects.filter(kind="sick").select_related("employee__district"):
        if in_group(a.employee.district.slug, is_pilot):
            sick += max(0, (min(a.last_day, last) - max(a.first_day, first)).days + 1)
    client_days = len({(v.client_id, v.date) for v in scheduled})
    # continuity: whole months touched, reports' carers, else the plan's
    months = {first.replace(day=1), last.replace(day=1)}
    carers = []
    for month in months:
        month_visits = [v for v in Visit.objects.filter(date__year=month.year,
                                                        date__month=month.month,
                                                        status="scheduled")
                        .select_related("team__district")
                        if in_group(v.team.district.slug, is_pilot)]
        for client in {v.client_id for v in month_visits}:
            came = {r.carer_id for r in VisitReport.objects.filter(
                client_id=client, done=True, visit__date__year=month.year,
                visit__date__month=month.month)}
            planned = {a.employee_id for a in Assignment.objects.filter(
                visit__client_id=client, visit__date__year=month.year,
                visit__date__month=month.month, visit__status="scheduled")}
            if came or planned:
                carers.append(len(came or planned))
    proposals = {}
    for p in RevisionProposal.objects.select_related("decision__client__district"):
        if not in_group(p.decision.client.district.slug, is_pilot):
            continue
        if first <= p.raised_at.date() <= last:
            key = f"raised_{p.direction}"
            proposals[key] = proposals.get(key, 0) + 1
        if p.decided_at and first <= p.decided_at.date() <= last:
            key = f"{p.status}_{p.direction}"
            proposals[key] = proposals.get(key, 0) + 1
    answers = [s for s in SurveyResponse.objects.filter(answered_on__gte=first,
                                                        answered_on__lte=last)
               .select_related("district") if in_group(s.district.slug, is_pilot)]
    return {
        "reports": len(answered),
        "fitted_percent": round(100 * sum(r.time_fit == "fitted" for r in answered)
                                / len(answered), 2),
        "direct_percent": round(100 * sum(v.minutes * v.staff_count for v in scheduled)
                                / roster_minutes, 2),
        "sick_percent": round(100 * sick / roster_days, 2),
        "rostered_hours": round(7 * roster_minutes / 60 / client_days, 2),
        "carers_per_client": round(mean(carers), 2),
        "proposals": proposals,
        "overall": round(mean(s.overall for s in answers), 2) if answers else None,
    }


def test_every_new_figure_matches_the_raw_rows(two_districts, analytiker):
    two_districts(pilot_clients=10)
    c = pilot.compare(START, END)
    assert (c.before_start, c.before_end) == BEFORE
    for group in ("pilot", "others"):
        for when, (first, last) in (("before", BEFORE), ("during", (START, END))):
            got, want = c.figures[(group, when)], expected(first, last, group == "pilot")
            case = (group, when)
            assert got.reports == want["reports"], case
            assert got.fitted_percent == want["fitted_percent"], case
            assert got.direct_percent == want["direct_percent"], case
            assert got.sick_percent == want["sick_percent"], case
            assert got.rostered_hours == want["rostered_hours"], case
            assert got.rostered_cost == round(want["rostered_hours"] * pilot.hourly_cost())
            assert got.carers_per_client == want["carers_per_client"], case
            assert got.visit_clients == (10 if group == "pilot" else 6), case
            assert got.employees == 6, case
            for key in pilot_aggregates.PROPOSAL_KEYS:  # shown only from 5 clients
                count = want["proposals"].get(key, 0)
                assert got.proposals[key] == (count if count >= 5 else None), (case, key)
            assert got.scores["overall"] == want["overall"] or (
                got.answers < 5 and got.scores["overall"] is None), case
    assert c.figures[("pilot", "during")].proposals["raised_increase"] == 5
    # the page and the CSV export show the same figures
    browser = Browser()
    browser.force_login(analytiker)
    query = {"fra": START.isoformat(), "til": END.isoformat()}
    html = browser.get("/innsikt/tillitspilot/", query).content.decode()
    during = c.figures[("pilot", "during")]
    for value in (during.fitted_percent, during.direct_percent, during.carers_per_client):
        assert display(value) in html
    exported = browser.get("/innsikt/tillitspilot/", {
        **query, "eksport": "direkte-tid", "format": "csv"}).content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(exported), delimiter=";")
               if r and r[0].startswith("Andel direkte") or r and r[0].startswith("Direct"))
    assert row[2].replace(",", ".") == str(during.direct_percent), row


def test_refreshing_is_idempotent_and_the_command_fills_past_days(two_districts):
    two_districts()

    def rows() -> list[dict]:
        return [{k: v for k, v in r.items() if k != "id"}
                for r in PilotDay.objects.order_by("day", "district_id", "team_id").values()]

    before = rows()
    pilot_aggregates.refresh_pilot_day(START)
    pilot_aggregates.refresh_pilot_day(START)
    assert rows() == before
    # one per team, and one per district for surveys naming no team
    assert PilotDay.objects.filter(day=START).count() == 4
    PilotDay.objects.all().delete()
    call_command("insight_refresh", date=END.isoformat(), pilot_days=10, stdout=io.StringIO())
    assert rows() == before


@pytest.mark.parametrize(("pilot_clients", "hidden_group"), [(4, "pilot"), (6, None)])
def test_figures_from_fewer_than_five_persons_are_hidden(two_districts, analytiker,
                                                         pilot_clients, hidden_group):
    two_districts(pilot_clients=pilot_clients)
    c = pilot.compare(START, END)
    for group in ("pilot", "others"):
        f = c.figures[(group, "during")]
        values = [f.reports, f.fitted_percent, f.carers_per_client, f.rostered_hours,
                  f.rostered_cost]
        if group == hidden_group:
            assert values == [None] * len(values)
            assert f.scores["overall"] is None  # 4 answers
        else:
            assert None not in values
    for section in c.sections:  # every count of persons shown is at least 5
        for i in section.count_rows:
            assert all(v is None or v >= 5 for v in section.rows[i][1:]), section.slug
    browser = Browser()
    browser.force_login(analytiker)
    query = {"fra": START.isoformat(), "til": END.isoformat()}
    data = browser.get("/api/v1/insight/trust-pilot", {"start": START, "end": END}).json()
    tables = {t["slug"]: t for t in data}
    fitted = tables["tid-passet"]["rows"][1]
    assert (fitted[2] is None) == (hidden_group == "pilot")
    assert all(v is None for v in tables["endringsforslag"]["rows"][0][1:])
    html = browser.get("/innsikt/tillitspilot/", query).content.decode()
    assert "&lt;5" in html
    assert browser.get("/api/v1/insight/trust-pilot", {"start": END, "end": START}
                       ).status_code == 200  # a reversed period is turned round
    report = browser.get("/innsikt/tillitspilot/rapport/", query).content.decode()
    assert "Kontinuitet" in report and "<svg" in report
    if hidden_group:
        assert "ikke vist (for få)" in report


@pytest.mark.parametrize(("clients", "shown"), [(4, False), (5, True)])
def test_proposal_counts_hide_repeats_of_the_same_clients(city, make_client, clients, shown):
    """Five proposals for more help, from `clients` clients (one client's
    proposal was dismissed and raised again): shown only from 5 clients."""
    PilotSite.objects.create(district=District.objects.get(slug="sagene"), starts_on=START)
    service = ServiceType.objects.order_by("pk").first()
    decisions = []
    for _ in range(clients):
        client = make_client("sagene")
        decisions.append(Decision.objects.create(
            client=client, service_type=service, provider=client.provider,
            valid_from=BEFORE[0], weekly_minutes=300,
            decided_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC)))
    raised = [decisions[n % clients] for n in range(5)]
    for n, decision in enumerate(raised):
        proposal = RevisionProposal.objects.create(
            decision=decision, direction="increase", source="team",
            status="dismissed" if n < 5 - clients else "open")
        RevisionProposal.objects.filter(pk=proposal.pk).update(
            raised_at=dt.datetime.combine(START + dt.timedelta(days=n % 3), dt.time(9),
                                          tzinfo=dt.UTC))
    pilot_aggregates.refresh_pilot_range(START, END)
    during = pilot.compare(START, END).figures[("pilot", "during")]
    assert during.proposals["raised_increase"] == (5 if shown else None)
