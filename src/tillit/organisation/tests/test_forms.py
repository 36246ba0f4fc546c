"""Bad input to every model form: field-level messages in Norwegian, nothing saved.

The forms are the ones the admin builds for each registered model, so a new
model registered in the admin is covered here without another test.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from tillit.clients.models import Client, ContactPerson
from tillit.core import districts, fnr
from tillit.organisation import services
from tillit.organisation.models import City, District, Employee, Provider, Sector, Unit

pytestmark = pytest.mark.django_db

OUR_APPS = {"organisation", "clients", "accounts"}
REQUIRED_NB = "Feltet er påkrevet."


@pytest.fixture(autouse=True)
def bokmal():
    with translation.override("nb"):
        yield


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x" * 16)


def admin_form(model, superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    return model_admin.get_form(request)


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in OUR_APPS],
    ids=lambda m: m._meta.label,
)
def test_empty_form_names_each_required_field_in_norwegian(model, superuser) -> None:
    form_class = admin_form(model, superuser)
    form = form_class(data={})
    assert not form.is_valid()
    required = [name for name, field in form.fields.items() if field.required]
    assert required, f"{model} has no required field?"
    for name in required:
        assert REQUIRED_NB in form.errors.get(name, []), (name, form.errors)
    assert model.objects.count() == (1 if model._meta.label == "accounts.User" else 0)


@pytest.fixture
def sagene() -> District:
    city = City.objects.create(name="Oslo", slug="oslo")
    return District.objects.create(city=city, number=3, name="Sagene", slug="sagene")


@pytest.fixture
def provider(sagene: District) -> Provider:
    unit = services.do_create_unit(name="Hjemmetjenesten Sagene", district=sagene,
                                   sector=Sector.HEALTH)
    provider = Provider.objects.create(name="Hjemmetjenesten Sagene", kind="municipal", unit=unit)
    provider.districts.add(sagene)
    return provider


def client_data(provider: Provider, **overrides: object) -> dict[str, object]:
    import random

    lat, lon = districts.random_point_in("sagene", random.Random(3))
    data: dict[str, object] = {
        "given_name": "Åse",
        "family_name": "Kjærnes",
        "national_id": fnr.synthetic_number(dt.date(1937, 4, 2), 11),
        "address": "Sandakerveien 12",
        "latitude": lat,
        "longitude": lon,
        "provider": provider.pk,
    }
    data.update(overrides)
    return data


def test_client_form_accepts_good_input(superuser, provider) -> None:
    form = admin_form(Client, superuser)(data=client_data(provider))
    assert form.is_valid(), form.errors
    client = form.save()
    assert client.district.slug == "sagene"
    assert client.birth_date == dt.date(1937, 4, 2)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"national_id": "01019012345"}, "national_id", "Fødselsnummeret har feil kontrollsiffer."),
        ({"national_id": "12345"}, "national_id", "Fødselsnummeret må ha 11 sifre."),
        ({"national_id": "3102AB12345"}, "national_id", "Fødselsnummeret kan bare inneholde sifre."),
        ({"latitude": 59.90, "longitude": 10.55}, "latitude", "Adressen ligger utenfor Oslos bydeler."),
        ({"latitude": 61.0}, "latitude", "Verdien må være mindre enn eller lik 60.2."),
        ({"given_name": ""}, "given_name", REQUIRED_NB),
    ],
)
def test_client_form_refuses_bad_input(superuser, provider, overrides, field, message) -> None:
    form = admin_form(Client, superuser)(data=client_data(provider, **overrides))
    assert not form.is_valid()
    assert message in form.errors[field], form.errors
    assert Client.objects.count() == 0


def test_employee_form_refuses_bad_input(superuser, sagene) -> None:
    form = admin_form(Employee, superuser)(data={
        "employee_number": "A1", "given_name": "Kari", "family_name": "Nordmann",
        "title": "Sykepleier", "competence": "surgeon", "fte_percent": "150",
        "contract_type": "permanent", "sector": "health", "gender": "female",
        "valid_from": "2024-02-01", "valid_to": "2024-01-01", "travel_mode": "walk",
        "qualifications": "[]",
    })
    assert not form.is_valid()
    assert "Verdien må være mindre enn eller lik 100." in form.errors["fte_percent"]
    assert any("gyldig" in m for m in form.errors["competence"])
    assert Employee.objects.count() == 0


def test_validity_end_before_start_is_refused(superuser, sagene) -> None:
    form = admin_form(Unit, superuser)(data={
        "name": "Enhet", "district": sagene.pk, "sector": "health",
        "valid_from": "2024-02-01", "valid_to": "2024-01-01",
    })
    assert not form.is_valid()
    assert "Sluttdatoen kan ikke være før startdatoen." in form.errors["valid_to"]


def test_unit_needs_district_or_agency(superuser) -> None:
    form = admin_form(Unit, superuser)(data={
        "name": "Enhet", "sector": "health", "valid_from": "2024-01-01",
    })
    assert not form.is_valid()
    assert "En enhet hører til en bydel eller en etat." in form.errors["district"]


def test_provider_kind_must_match_unit(superuser, sagene, provider) -> None:
    form = admin_form(Provider, superuser)(data={
        "name": "Privat AS", "kind": "private", "unit": provider.unit.pk,
        "organisation_number": "12345", "valid_from": "2024-01-01",
    })
    assert not form.is_valid()
    assert "Et organisasjonsnummer har ni sifre." in form.errors["organisation_number"]
    assert "En privat leverandør er ikke en kommunal enhet." in form.errors["unit"]


def test_contact_person_phone(provider) -> None:
    from django.core.exceptions import ValidationError

    client = Client(**{k: v for k, v in client_data(provider).items() if k != "provider"},
                    provider=provider)
    client.save()
    person = ContactPerson(client=client, name="Per", relation="sønn", phone="12 34")
    with pytest.raises(ValidationError) as err:
        person.full_clean()
    assert "Et norsk telefonnummer har åtte sifre." in err.value.message_dict["phone"]


def test_user_role_scope_rules(superuser, sagene) -> None:
    from django.core.exceptions import ValidationError

    from tillit.accounts.models import User

    planner = User(username="p", role="planner", password="x")
    with pytest.raises(ValidationError) as err:
        planner.full_clean()
    assert "Denne rollen gjelder én bydel." in err.value.message_dict["district"]
    analyst = User(username="a", role="analyst", district=sagene, password="x")
    with pytest.raises(ValidationError) as err:
        analyst.full_clean()
    assert "Denne rollen gjelder hele byen." in err.value.message_dict["district"]
