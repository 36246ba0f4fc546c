"""The demo city is deterministic, plausible and synthetic."""

import datetime as dt
from collections import Counter

import pytest

from tillit.accounts.models import Role, User
from tillit.clients.models import Client
from tillit.core import districts, fnr
from tillit.demo.builder import build_demo_city
from tillit.organisation.models import Employee, Sector, Team

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def snapshot() -> list[tuple]:
    return list(
        Client.objects.order_by("national_id").values_list(
            "national_id", "given_name", "family_name", "latitude", "longitude",
            "district__slug", "provider__name", "team__name",
        )
    ) + list(
        Employee.objects.order_by("employee_number").values_list(
            "employee_number", "given_name", "family_name", "competence", "team__name",
            "reports_to__employee_number",
        )
    )


@pytest.mark.django_db(transaction=True)  # re-building flushes, outside a test transaction
def test_same_seed_gives_the_same_city() -> None:
    build_demo_city(scale=0.02, seed=7, today=TODAY)
    first = snapshot()
    build_demo_city(scale=0.02, seed=7, today=TODAY)
    assert snapshot() == first
    build_demo_city(scale=0.02, seed=8, today=TODAY)
    assert snapshot() != first


def test_small_city_is_plausible_and_synthetic() -> None:
    summary = build_demo_city(scale=0.02, seed=1, today=TODAY)
    clients = list(Client.objects.select_related("district"))
    assert 250 <= len(clients) <= 400
    assert summary.counts["clients"] == len(clients)
    for client in clients:
        parsed = fnr.parse(client.national_id)
        assert parsed.synthetic  # month + 80: never a real person's number
        assert parsed.birth_date == client.birth_date
        assert districts.district_at(client.latitude, client.longitude) == client.district.slug
        assert client.team.district_id == client.district_id
    names = "".join(c.given_name + c.family_name for c in clients)
    assert any(ch in names for ch in "æøå")
    # Larger districts get more clients.
    per_district = Counter(c.district.slug for c in clients)
    assert per_district["grunerlokka"] > per_district["grorud"]


def test_teams_leaders_and_sectors() -> None:
    build_demo_city(scale=0.02, seed=1, today=TODAY)
    for team in Team.objects.all():
        carers = team.members.filter(is_leader=False).count()
        assert carers >= 3
        assert team.leader is not None and team.leader.is_leader
    leader_sectors = set(
        Employee.objects.filter(is_leader=True).values_list("sector", flat=True)
    )
    assert {Sector.HEALTH, Sector.TECHNICAL, Sector.EDUCATION, Sector.FINANCE} <= leader_sectors
    assert Employee.objects.filter(reports_to__isnull=False).count() > 0


def test_teams_have_10_to_30_carers_at_city_scale_arithmetic() -> None:
    build_demo_city(scale=0.2, seed=2, today=TODAY)
    sizes = [t.members.filter(is_leader=False).count() for t in Team.objects.all()]
    assert min(sizes) >= 10 and max(sizes) <= 30, sizes


def test_demo_logins_of_the_contract_exist() -> None:
    build_demo_city(scale=0.02, seed=1, today=TODAY)
    expected = {"admin", "saksbehandler", "analytiker"}
    for d in districts.DISTRICTS:
        expected |= {f"saksbehandler.{d.slug}", f"leder.{d.slug}", f"planlegger.{d.slug}",
                     f"pleier.{d.slug}.1", f"pleier.{d.slug}.2"}
    users = {u.username: u for u in User.objects.all()}
    assert expected <= set(users)
    assert users["saksbehandler"].district is None
    assert users["saksbehandler"].role == Role.CASE_HANDLER
    assert users["saksbehandler.sagene"].district.slug == "sagene"
    assert users["pleier.alna.1"].role == Role.CARER
    assert users["pleier.alna.1"].employee.team.district.slug == "alna"
    assert users["analytiker"].role == Role.ANALYST
    assert users["leder.sagene"].check_password("demo")
