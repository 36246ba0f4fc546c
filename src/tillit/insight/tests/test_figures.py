"""Each insight figure recomputed from the raw rows of a small hand-built
city, and compared with what the aggregates give."""

from __future__ import annotations

import datetime as dt
from statistics import mean, median

import pytest
from django.utils import timezone

from tillit.core import disclosure
from tillit.decisions.models import Application, Assessment, Decision, IplosDefinition, ServiceType
from tillit.insight import aggregates, equal_help, processing, providers, span
from tillit.insight.models import AgeBand, DistrictPopulation, ServiceSnapshot
from tillit.organisation.models import District, Employee, Provider, Sector

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
TZ = timezone.get_current_timezone()


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=TZ)


@pytest.fixture
def small_city(city, make_client):
    nursing = ServiceType.objects.get(code="home-nursing")
    practical = ServiceType.objects.get(code="practical-assistance")
    definition = IplosDefinition.current()
    private = Provider.objects.create(name="Privat Omsorg AS", kind=Provider.Kind.PRIVATE)

    def decide(client, service, block, needs, minutes, *, provider=None, start=None,
               status=Decision.Status.ACTIVE, end=None):
        assessment = Assessment.objects.create(
            client=client, definition=definition, assessed_on=DAY - dt.timedelta(days=40),
            scores={}, computed_block=block or "light", block=block or "light",
            rule_result={"needs": needs})
        return Decision.objects.create(
            client=client, service_type=service, care_block=block, provider=provider
            or client.provider, valid_from=start or DAY - dt.timedelta(days=30), valid_to=end,
            weekly_minutes=minutes, decided_at=at(DAY - dt.timedelta(days=31)), status=status,
            assessment=assessment if block else None)

    plan = {  # district: [(block, needs, minutes, private?)]
        "sagene": [("medium", 4, 300, False)] * 6 + [("medium", 4, 600, True)] * 5
        + [("extensive", 9, 2400, False)],
        "frogner": [("light", 1, 100, False)] * 6 + [("light", 2, 200, True)] * 2,
        "alna": [("", None, 90, False)] * 2,
    }
    for slug, rows in plan.items():
        for block, needs, minutes, is_private in rows:
            client = make_client(slug)
            decide(client, nursing, block, needs, minutes, provider=private if is_private else None)
    # one client with two services; one ended and one future decision (not active on DAY)
    two = make_client("sagene")
    decide(two, nursing, "medium", 5, 200)
    decide(two, practical, "medium", 5, 120)
    decide(make_client("sagene"), nursing, "light", 1, 60, status=Decision.Status.ENDED)
    decide(make_client("sagene"), nursing, "light", 1, 60, start=DAY + dt.timedelta(days=3))
    for slug, band_80, band_67 in (("sagene", 2000, 4000), ("frogner", 3000, 5000)):
        district = District.objects.get(slug=slug)
        DistrictPopulation.objects.create(district=district, year=2020, age_band=AgeBand.FROM_80,
                                          persons=band_80, source="test")
        DistrictPopulation.objects.create(district=district, year=2020, age_band=AgeBand.FROM_67,
                                          persons=band_67, source="test")
    aggregates.refresh_day(DAY)


def raw_per_district(day: dt.date) -> dict[str, dict[int, int]]:
    """district slug -> client id -> weekly minutes, straight from Decision."""
    out: dict[str, dict[int, int]] = {}
    for d in Decision.objects.active_on(day).select_related("client__district"):
        per = out.setdefault(d.client.district.slug, {})
        per[d.client_id] = per.get(d.client_id, 0) + d.weekly_minutes
    return out


def age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_equal_help_matches_raw_rows(small_city):
    result = equal_help.compute(DAY)
    rows = {r.slug: r for r in result.rows}
    raw = raw_per_district(DAY)
    from tillit.clients.models import Client

    births = dict(Client.objects.values_list("pk", "birth_date"))
    for slug in ("sagene", "frogner"):
        minutes = raw[slug]
        row = rows[slug]
        assert row.clients == len(minutes)
        assert row.median_hours == round(median(minutes.values()) / 60, 2)
        assert row.mean_hours == round(mean(minutes.values()) / 60, 2)
        old = [c for c in minutes if age(births[c], DAY) >= 80]
        pop_80 = {"sagene": 2000, "frogner": 3000}[slug]
        expected_80 = round(1000 * len(old) / pop_80, 1) if len(old) >= 5 else None
        assert row.per_1000_80 == expected_80
        over = sum(1 for m in minutes.values() if m > 35.5 * 60)
        assert row.share_over == (round(100 * over / len(minutes), 1) if over >= 5 else None)
    assert rows["sagene"].clients == 13  # 12 + the client with two services, counted once
    assert rows["alna"].clients is None and rows["alna"].suppressed
    assert rows["alna"].median_hours is None
    # complementary: the city total is shown, so alna (2) is not the only hidden entry
    hidden = [r for r in result.rows if r.clients is None]
    assert len(hidden) >= 2
    assert result.city_clients == sum(len(v) for v in raw.values())


def test_same_need_ratio_explained_by_strata(small_city):
    result = equal_help.compute(DAY)
    sagene = next(r for r in result.rows if r.slug == "sagene")
    frogner = next(r for r in result.rows if r.slug == "frogner")
    # frogner's light clients: its own mean equals the city's mean for (light, its profiles)
    assert frogner.ratio == pytest.approx(1.0, abs=0.001)
    assert sagene.ratio == pytest.approx(1.0, abs=0.001)  # sagene alone holds its strata


def test_hours_by_care_block_and_profile(small_city):
    result = equal_help.compute(DAY, service="home-nursing")
    by_block = next(s for s in result.sections if s.slug == "omsorgsblokk")
    sagene = next(r for r in by_block.rows if r[0] == "Sagene")
    # medium: 6×300, 5×600 and the two-service client's 200 for home nursing: 12 clients
    assert sagene[3] == 12
    assert sagene[4] == round(median([300] * 6 + [600] * 5 + [200]) / 60, 2)


def test_refreshing_a_day_touches_only_that_day(small_city):
    before = equal_help.compute(DAY).rows
    cells = ServiceSnapshot.objects.filter(day=DAY).count()
    Decision.objects.update(weekly_minutes=999)
    aggregates.refresh_day(DAY + dt.timedelta(days=1))
    assert ServiceSnapshot.objects.filter(day=DAY).count() == cells
    assert equal_help.compute(DAY).rows == before
    later = {r.slug: r for r in equal_help.compute(DAY + dt.timedelta(days=1)).rows}
    assert later["sagene"].median_hours == round(999 / 60, 2)


def test_matched_provider_comparison(small_city):
    section, result = providers.matched(DAY, "home-nursing")
    # only (medium, 3-5) has 5+ clients on both sides: 6 municipal at 300 and 1 at 200
    # (the two-service client) against 5 private at 600
    assert [(s.care_block, s.profile) for s in result.strata] == [("medium", "3-5")]
    municipal = mean([300] * 6 + [200])
    assert result.difference_hours == round(round(600 / 60, 2) - round(municipal / 60, 2), 2)
    all_m = [300] * 6 + [200] + [2400] + [100] * 6 + [90] * 2
    all_p = [600] * 5 + [200] * 2
    assert result.raw_difference_hours == round((mean(all_p) - mean(all_m)) / 60, 2)
    frogner_light = next(r for r in section.rows if r[1] == "0–2 needs" or r[1] == "0–2 behov")
    assert frogner_light[4] is None  # two private clients: hidden


def test_processing_times_match_raw_rows(small_city, make_client):
    nursing = ServiceType.objects.get(code="home-nursing")  # target 14 days
    month = DAY.replace(day=1)
    spans = [3, 10, 14, 20, 30, 9]
    for days in spans:
        decided = month + dt.timedelta(days=20)
        Application.objects.create(
            client=make_client("sagene"), service_type=nursing, source="client",
            received_at=at(decided - dt.timedelta(days=days)), status="decided",
            decided_at=at(decided))
    aggregates.refresh_day(DAY)
    sections = processing.compute(DAY, "home-nursing", months=1)
    sagene = next(r for r in sections[0].rows if r[0] == "Sagene")
    assert sagene[1] == 6
    assert sagene[2] == median(spans)
    assert sagene[4] == round(100 * sum(1 for d in spans if d <= 14) / 6, 1)


def test_span_of_control_matches_raw_rows(small_city):
    sagene = District.objects.get(slug="sagene")
    n = iter(range(1000))

    def employee(**fields):
        return Employee.objects.create(employee_number=f"T{next(n)}", given_name="A",
                                       family_name="B", title="t", district=sagene,
                                       fte_percent=100, contract_type="permanent", **fields)

    top = employee(sector=Sector.HEALTH, gender="male", is_leader=True)
    for i in range(5):
        leader = employee(sector=Sector.HEALTH, gender="female", is_leader=True, reports_to=top)
        for j in range(3 + i):
            employee(sector=Sector.HEALTH, gender="female" if j else "male", reports_to=leader)
    spans, women = span.compute(DAY)
    health = [r for r in spans.rows if r[1] == 2]
    assert health[0][2] == 5
    assert health[0][3] == round(mean([3, 4, 5, 6, 7]), 1)
    assert health[0][5] == 7
    level_1 = [r for r in spans.rows if r[1] == 1]
    assert level_1[0][2] is None and level_1[0][3] is None  # one leader: hidden
    row = women.rows[0]
    total = 1 + 5 + sum(3 + i for i in range(5))
    female = 5 + sum(2 + i for i in range(5))
    assert row[1] == total and row[2] == female
    assert row[4] == round(100 * female / total, 1)


def test_counts_are_never_below_five(small_city):
    for section in equal_help.compute(DAY).sections:
        for row in section.rows:
            for c in section.counts:
                assert row[c] is None or row[c] >= disclosure.MIN_COUNT


def test_refresh_on_the_first_completes_the_month_before(city, make_client):
    from tillit.insight.models import CaseMonth

    nursing = ServiceType.objects.get(code="home-nursing")
    late = dt.datetime(2026, 10, 31, 22, 30, tzinfo=TZ)
    for _ in range(5):
        Application.objects.create(
            client=make_client("sagene"), service_type=nursing, source="client",
            received_at=late - dt.timedelta(days=4), status="decided", decided_at=late)
    aggregates.refresh_day(dt.date(2026, 11, 1))
    october = CaseMonth.objects.get(month=dt.date(2026, 10, 1), service="home-nursing")
    assert october.cases == 5 and october.persons == 5 and october.days == [4] * 5
