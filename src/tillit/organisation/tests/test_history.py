"""Organisation history: a team or unit renamed keeps its old name for the
days before the change."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tillit.organisation import services
from tillit.organisation.models import City, District, Sector, Team, Unit

pytestmark = pytest.mark.django_db

JAN = dt.date(2024, 1, 1)


@pytest.fixture
def district() -> District:
    city = City.objects.create(name="Oslo", slug="oslo")
    return District.objects.create(city=city, number=3, name="Sagene", slug="sagene")


@pytest.fixture
def unit(district: District) -> Unit:
    return services.do_create_unit(
        name="Hjemmetjenesten Sagene", district=district, sector=Sector.HEALTH, valid_from=JAN
    )


def test_renamed_team_keeps_its_history(district: District, unit: Unit) -> None:
    team = services.do_create_team(district=district, unit=unit, name="Sone 1", valid_from=JAN)
    services.do_rename_team(team, "Sone Bjølsen", effective=dt.date(2025, 6, 1))

    team.refresh_from_db()
    assert team.name == "Sone Bjølsen"
    assert team.name_on(dt.date(2025, 5, 31)) == "Sone 1"
    assert team.name_on(dt.date(2025, 6, 1)) == "Sone Bjølsen"
    assert team.name_on(dt.date(2023, 12, 31)) is None  # before the team existed
    versions = list(team.versions.values_list("name", "valid_from", "valid_to"))
    assert versions == [
        ("Sone 1", JAN, dt.date(2025, 5, 31)),
        ("Sone Bjølsen", dt.date(2025, 6, 1), None),
    ]


def test_rename_cannot_rewrite_the_past(district: District, unit: Unit) -> None:
    team = services.do_create_team(district=district, unit=unit, name="Sone 1", valid_from=JAN)
    with pytest.raises(ValidationError) as err:
        services.do_rename_team(team, "Sone 2", effective=JAN)
    assert "valid_from" in err.value.message_dict
    assert Team.objects.get(pk=team.pk).name == "Sone 1"
    assert team.versions.count() == 1


def test_rename_to_empty_name_is_refused(district: District, unit: Unit) -> None:
    team = services.do_create_team(district=district, unit=unit, name="Sone 1", valid_from=JAN)
    with pytest.raises(ValidationError):
        services.do_rename_team(team, "  ", effective=dt.date(2025, 1, 1))
    assert team.versions.count() == 1


def test_closed_team_is_not_valid_after_its_last_day(district: District, unit: Unit) -> None:
    team = services.do_create_team(district=district, unit=unit, name="Sone 1", valid_from=JAN)
    services.do_close_team(team, last_day=dt.date(2025, 12, 31))
    assert Team.objects.valid_on(dt.date(2025, 12, 31)).filter(pk=team.pk).exists()
    assert not Team.objects.valid_on(dt.date(2026, 1, 1)).filter(pk=team.pk).exists()
    assert team.name_on(dt.date(2026, 1, 1)) is None


def test_renamed_unit_keeps_its_history(unit: Unit) -> None:
    services.do_rename_unit(unit, "Helse og omsorg Sagene", effective=dt.date(2025, 1, 1))
    assert unit.name_on(dt.date(2024, 12, 31)) == "Hjemmetjenesten Sagene"
    assert unit.name_on(dt.date(2025, 1, 1)) == "Helse og omsorg Sagene"
