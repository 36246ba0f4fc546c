"""The purchaser office's lists and forms at 360 px (a phone held upright):
no page needs sideways scrolling. Tables may scroll inside their own box."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tillit.decisions import services
from tillit.decisions.models import ServiceType

pytestmark = pytest.mark.browser

PHONE = (360, 740)


def test_office_pages_fit_a_phone(page_as, make_client, url) -> None:
    nursing = ServiceType.objects.get(code="home-nursing")
    client = make_client("sagene", given_name="Kari", family_name="Nordmann-Christophersen")
    application = services.do_register_application(
        client=client, service_type=nursing, source="client",
        received_at=services.now() - dt.timedelta(days=3))
    page = page_as("saksbehandler.sagene", viewport=PHONE)
    paths = [
        reverse("decisions:worklist"), reverse("decisions:mine"), reverse("decisions:overdue"),
        reverse("decisions:statistics"), reverse("decisions:application_new"),
        reverse("decisions:application", args=[application.pk]),
        reverse("decisions:assessment_new", args=[application.pk]),
        reverse("decisions:client", args=[client.pk]),
        reverse("clients:list"), reverse("clients:new"),
        reverse("clients:detail", args=[client.pk]),
    ]
    wide = []
    for path in paths:
        response = page.goto(url(path))
        assert response is not None and response.ok, (path, response and response.status)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide.append(f"{path}: {overflow} px too wide")
    assert not wide, wide
