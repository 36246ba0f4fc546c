"""Fixtures for the purchaser office's tests: two districts, providers,
clients and case handlers of each kind. Names avoid the project-wide
personas in `tillit/conftest.py`."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from itertools import count

import pytest
from django.utils import timezone

from tillit.accounts.models import Role, User
from tillit.clients.models import Client
from tillit.core import districts, fnr
from tillit.decisions import reference, services
from tillit.organisation import services as org_services
from tillit.organisation.models import City, District, Provider, Sector

NOW = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
_serial = count(10)


@pytest.fixture(autouse=True)
def reference_data(request) -> None:
    """Service types and the IPLOS set (a flushing test elsewhere may have
    removed what the data migration loaded)."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        reference.ensure()


@pytest.fixture
def clock(monkeypatch):
    """A settable test clock for `services.now`."""

    class Clock:
        value = NOW

        def set(self, when: dt.datetime) -> None:
            self.value = when

        def advance(self, **delta: float) -> None:
            self.value = self.value + dt.timedelta(**delta)

    c = Clock()
    monkeypatch.setattr(services, "now", lambda: c.value)
    return c


@pytest.fixture
def oslo(db) -> City:
    return City.objects.get_or_create(slug="oslo", defaults={"name": "Oslo"})[0]


def _district(oslo: City, number: int, name: str, slug: str) -> District:
    return District.objects.get_or_create(
        slug=slug, defaults={"city": oslo, "number": number, "name": name}
    )[0]


@pytest.fixture
def d_sagene(oslo: City) -> District:
    return _district(oslo, 3, "Sagene", "sagene")


@pytest.fixture
def d_alna(oslo: City) -> District:
    return _district(oslo, 12, "Alna", "alna")


def _municipal(district: District) -> Provider:
    unit = org_services.do_create_unit(
        name=f"Hjemmetjenesten {district.name}", district=district, sector=Sector.HEALTH
    )
    provider = Provider.objects.create(name=unit.name, kind="municipal", unit=unit)
    provider.districts.add(district)
    return provider


@pytest.fixture
def p_sagene(d_sagene: District) -> Provider:
    return _municipal(d_sagene)


@pytest.fixture
def p_alna(d_alna: District) -> Provider:
    return _municipal(d_alna)


@pytest.fixture
def new_client(p_sagene: Provider, p_alna: Provider) -> Callable[..., Client]:
    rng = random.Random(5)
    providers = {"sagene": p_sagene, "alna": p_alna}

    def make(slug: str = "sagene", **fields: object) -> Client:
        lat, lon = districts.random_point_in(slug, rng)
        serial = next(_serial)
        number = None
        while number is None:
            number = fnr.synthetic_number(dt.date(1940, 5, 17), serial)
            serial = next(_serial)
        data = {"given_name": "Kari", "family_name": f"Nordmann{serial}", "national_id": number,
                "address": "Testveien 1", "latitude": lat, "longitude": lon,
                "provider": providers[slug]}
        data.update(fields)
        return Client.objects.create(**data)

    return make


def _user(username: str, role: str, district: District | None) -> User:
    return User.objects.create_user(username, password="x" * 16, role=role, district=district,
                                    first_name=username.title())


@pytest.fixture
def handler_central(db) -> User:
    return _user("sb_sentral", Role.CASE_HANDLER, None)


@pytest.fixture
def handler_sagene(d_sagene: District) -> User:
    return _user("sb_sagene", Role.CASE_HANDLER, d_sagene)


def visit(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "slot": "morning", "weekdays": [0, 1, 2, 3, 4, 5, 6], "minutes": 30,
        "competence": "health_worker", "skills": [], "tasks": "Morgenstell og medisiner",
    }
    data.update(over)
    return data
