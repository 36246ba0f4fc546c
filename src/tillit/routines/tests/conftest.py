from __future__ import annotations

import datetime as dt

import pytest

from tillit.conftest import home_care
from tillit.organisation.models import District
from tillit.routines import services


@pytest.fixture
def units(city) -> None:
    """Every district with its home care unit (so units answer too)."""
    for district in District.objects.all():
        home_care(district)


@pytest.fixture
def publish(admin_user):
    def make(title: str = "Legemiddelhåndtering", *, kind: str = "mandatory",
             respond_in: int = 30, **fields):
        today = services.today()
        return services.do_publish_routine(
            user=admin_user, title=title, kind=kind, text=fields.pop("text", "Dobbeltkontroll."),
            effective_from=today, respond_by=today + dt.timedelta(days=respond_in), **fields)

    return make
