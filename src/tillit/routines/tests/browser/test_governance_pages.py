"""The city-wide governance pages on a phone (360 px): each page of the new
parts opens from the navigation's targets for a role that uses it, passes
axe (serious/critical) and does not scroll sideways."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.conftest import home_care
from tillit.inquiries import services as inquiries
from tillit.organisation.models import District
from tillit.projects import services as projects
from tillit.training.models import Course, OnboardingProgramme, Topic
from tillit.workwear.models import Base, GarmentType, StockLine

pytestmark = pytest.mark.browser

PHONE = (360, 740)


def _seed(make_client, demo_user) -> None:
    leader = demo_user("leder.sagene")
    home_care(District.objects.get(slug="sagene"))
    course = Course.objects.create(code="insulin", name="Insulinbehandling",
                                   topic=Topic.CLINICAL, qualification="insulin",
                                   valid_months=24)
    programme = OnboardingProgramme.objects.create(competence="nurse", name="Oppstart")
    programme.courses.set([course])
    person = make_client("sagene")
    inquiries.do_register_inquiry(
        user=leader, client=person, sender="relative", channel="phone", topic="visits",
        summary="Besøket kom sent", received_on=inquiries.today() - dt.timedelta(days=9))
    projects.do_register_project(user=leader, kind="pilot", title="Tillitsmodellen",
                                 goal="Mer tid hos brukerne", contact_name="Kari",
                                 starts_on=dt.date(2026, 1, 1), status="running")
    garment = GarmentType.objects.create(code="tunika", name="Tunika")
    StockLine.objects.create(garment=garment, size="M", quantity=20)
    Base.objects.create(district=leader.district, name="Basen", pickup_day=0, delivery_day=2)


def test_pages_on_a_phone(page_as, url, make_client, demo_user, axe_check, console_errors):
    _seed(make_client, demo_user)
    demo_user("planlegger.sagene")
    leader = page_as("leder.sagene", viewport=PHONE)
    for name in ("training:overview", "inquiries:list", "inquiries:overdue",
                 "inquiries:requests", "projects:list", "projects:new", "devices:overview",
                 "workwear:overview", "workwear:district", "routines:list",
                 "routines:compliance"):
        leader.goto(url(name))
        assert leader.locator("h1").count() == 1, name
        assert leader.evaluate("document.documentElement.scrollWidth") <= 360, name
        axe_check(leader)
    assert "Besøket kom sent" in leader.goto(url("inquiries:overdue")).text()
    assert not console_errors
