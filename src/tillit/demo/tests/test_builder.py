"""The demo city is deterministic, plausible and synthetic, and every app's
demo rows are valid. One small city (the `demo_city` fixture) is built once
for the module; the determinism test builds it a second time."""

import datetime as dt
from collections import Counter

import pytest

from tillit.accounts.models import Role, User
from tillit.clients.models import Client
from tillit.core import districts, fnr
from tillit.demo.builder import _Builder, _silent, build_demo_city, reset_database
from tillit.devices.models import Device, DeviceRequest, Loan
from tillit.inquiries.models import ContactPoint, Inquiry, Request
from tillit.organisation.models import District, Employee, Sector, Team
from tillit.projects.models import Meeting, Project
from tillit.routines import services as routines
from tillit.routines.models import Acknowledgement, Routine, Status
from tillit.training import services as training
from tillit.training.models import Completion
from tillit.workwear import services as workwear
from tillit.workwear.models import Base, Issue, LaundryRun, Order

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)  # the demo_city fixture's day


def snapshot() -> dict[str, list[tuple]]:
    """What a rebuild with the same seed must give again, app by app."""
    return {
        "clients": list(Client.objects.order_by("national_id").values_list(
            "national_id", "given_name", "family_name", "latitude", "longitude",
            "district__slug", "provider__name", "team__name")),
        "employees": list(Employee.objects.order_by("employee_number").values_list(
            "employee_number", "given_name", "family_name", "competence", "team__name",
            "reports_to__employee_number")),
        "routines": list(Acknowledgement.objects.order_by(
            "version__routine__title", "version__number", "district__number", "unit__name")
            .values_list("district__slug", "status", "acknowledged_at")),
        "inquiries": list(Inquiry.objects.order_by("pk").values_list(
            "client__national_id", "topic", "received_on", "status")),
        "loans": list(Loan.objects.order_by("pk").values_list(
            "client__national_id", "device__serial")),
        "training": list(Completion.objects.order_by(
            "employee__employee_number", "course__code", "completed_on")
            .values_list("employee__employee_number", "course__code", "completed_on")),
    }


def test_same_seed_gives_the_same_city(demo_city) -> None:
    first = snapshot()
    assert all(first.values()), [k for k, v in first.items() if not v]
    # rebuilt inside this test's transaction: rolled back after it
    build_demo_city(scale=0.02, seed=2, today=TODAY, plan_now=False)
    assert snapshot() == first


def test_small_city_is_plausible_and_synthetic(demo_city) -> None:
    clients = list(Client.objects.select_related("district"))
    assert 250 <= len(clients) <= 400
    assert demo_city.counts["clients"] == len(clients)
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


def test_teams_leaders_and_sectors(demo_city) -> None:
    for team in Team.objects.all():
        carers = team.members.filter(is_leader=False).count()
        assert carers >= 3
        assert team.leader is not None and team.leader.is_leader
        # a synthetic phone (docs/demo-data.md) and e-mail that pass the team's validation
        assert team.phone.startswith("40 00 ") and team.phone_uri
        assert team.email.endswith("@example.org")
        team.clean_fields()
    assert len(set(Team.objects.values_list("phone", flat=True))) == Team.objects.count()
    leader_sectors = set(
        Employee.objects.filter(is_leader=True).values_list("sector", flat=True)
    )
    assert {Sector.HEALTH, Sector.TECHNICAL, Sector.EDUCATION, Sector.FINANCE} <= leader_sectors
    assert Employee.objects.filter(reports_to__isnull=False).count() > 0


def test_teams_have_10_to_30_carers_at_city_scale_arithmetic(demo_city) -> None:
    # the organisation and staff stages alone, at a tenfold scale, in place
    # of the small city inside this test's transaction (rolled back after it)
    reset_database()
    builder = _Builder(0.2, 2, _silent, TODAY)
    builder.organisation()
    builder.staff()
    sizes = [t.members.filter(is_leader=False).count()
             for t in Team.objects.all()]
    assert sizes and min(sizes) >= 10 and max(sizes) <= 30, sizes


def test_demo_logins_of_the_contract_exist(demo_city) -> None:
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


def test_demo_routines(demo_city) -> None:
    """Every district asked, answers uneven, one routine in its second version."""
    assert Routine.objects.count() == 5
    assert max(r.current.number for r in Routine.objects.all()) == 2
    current = routines.current_acknowledgements()
    assert current.filter(unit__isnull=True).count() == 5 * 15
    statuses = {a.status for a in current if a.is_acknowledged}
    assert {Status.IMPLEMENTED, Status.IN_PROGRESS} <= statuses
    for ack in current.filter(status=Status.DEVIATION):
        assert ack.deviation_reason and ack.is_acknowledged
    shares = {r.share_implemented for r in routines.compliance_by_district(TODAY)}
    assert len(shares) > 3  # districts differ


def test_demo_intake(demo_city) -> None:
    """Inquiries in every district, some overdue, routed within the client's
    district; contact points and requests."""
    assert Inquiry.objects.values("district").distinct().count() == District.objects.count()
    assert Inquiry.objects.overdue(TODAY).exists()
    assert Inquiry.objects.filter(status="answered").exists()
    for inquiry in Inquiry.objects.select_related("unit", "client"):
        assert inquiry.unit.district_id == inquiry.client.district_id
        inquiry.full_clean()
    assert ContactPoint.objects.filter(agency__isnull=False).exists()
    assert ContactPoint.objects.filter(district__isnull=False).count() == 15
    assert Request.objects.exists()


def test_demo_devices(demo_city) -> None:
    """Stock, loans (dispensers replacing a decided visit of the same client),
    services due, open requests."""
    assert Device.objects.filter(state=Device.State.IN_STOCK).exists()
    assert Device.objects.filter(in_showroom=True).exists()
    loans = Loan.objects.select_related("replaces_visit__decision", "device", "client")
    assert loans.count() > 10
    for loan in loans:
        assert loan.district_id == loan.client.district_id
        assert loan.device.state == Device.State.ON_LOAN
        if loan.replaces_visit:
            assert loan.replaces_visit.decision.client_id == loan.client_id
            assert loan.device.device_type.may_replace_visit
    assert any(loan.service_due(TODAY) for loan in loans)
    assert DeviceRequest.objects.filter(status="requested").exists()


def test_demo_training(demo_city) -> None:
    """Every qualification the demo gave is backed by a valid completion
    (planning reads the same skills), some courses expired, districts differ."""
    carers = list(Employee.objects.filter(sector=Sector.HEALTH, team__isnull=False))
    before = {e.pk: sorted(e.qualifications) for e in carers}
    assert any(before.values())
    assert training.do_expire_completions(TODAY) == []
    for e in carers:
        training.sync_qualifications(e, TODAY)
        assert sorted(e.qualifications) == before[e.pk]
    statuses = training.status_for(carers, TODAY)
    states = {s.state for rows in statuses.values() for s in rows}
    assert {"valid", "expired"} <= states
    shares = {c.share for _d, c in training.coverage_by_district(TODAY)}
    assert len(shares) > 3


def test_demo_workwear(demo_city) -> None:
    """Every district has bases, laundry runs, sizes, issues and orders, and
    the districts differ."""
    rows = workwear.district_comparison(TODAY)
    assert all(r.bases >= 1 for r in rows)
    assert len({r.issued_per_person for r in rows}) > 3
    assert len({r.bags_per_week for r in rows}) > 3
    assert Issue.objects.exists() and Order.objects.filter(status="ordered").exists()
    for run in LaundryRun.objects.all():
        run.full_clean()
        assert run.on <= TODAY
    assert Base.objects.count() >= 15


def test_demo_projects(demo_city) -> None:
    """Pilots, projects and measures from districts and agencies, with meetings."""
    assert Project.objects.filter(kind="pilot").count() >= 3
    assert Project.objects.filter(agency__isnull=False).exists()
    assert Meeting.objects.exists()
    for project in Project.objects.all():
        project.full_clean()
    for meeting in Meeting.objects.all():
        meeting.full_clean()
