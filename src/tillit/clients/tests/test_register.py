"""Registering a new person, and finding people by full national identity
number or by "Family, Given" as lists show them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from tillit.clients.models import Client, ContactPerson
from tillit.conftest import home_care
from tillit.core import districts, fnr
from tillit.organisation.models import District

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def _number(serial: int = 501) -> str:
    number = None
    while number is None:
        number = fnr.synthetic_number(dt.date(1938, 11, 2), serial)
        serial += 1
    return number


def _post(where: District, **over: object) -> dict[str, object]:
    _unit, _team, provider = home_care(where)
    data: dict[str, object] = {
        "family_name": "Nyregistrert", "given_name": "Astrid", "national_id": _number(),
        "address": "Sandakerveien 1", "postal_code": "0477", "district": where.pk,
        "provider": provider.pk, "contact_name": "Ola Nyregistrert", "contact_relation": "sønn",
        "contact_phone": "912 34 567", "contact_next_of_kin": "on",
    }
    data.update(over)
    return data


def test_register_with_a_chosen_district(city, saksbehandler_sagene) -> None:
    sagene = District.objects.get(slug="sagene")
    http = browser(saksbehandler_sagene)
    assert http.get("/brukere/ny/").status_code == 200
    response = http.post("/brukere/ny/", _post(sagene))
    person = Client.objects.get(family_name="Nyregistrert")
    assert response.status_code == 302 and response["Location"] == f"/brukere/{person.pk}/"
    assert person.district == sagene
    assert districts.district_at(person.latitude, person.longitude) == "sagene"
    contact = ContactPerson.objects.get(client=person)
    assert contact.is_next_of_kin and contact.relation == "sønn"


def test_register_with_coordinates_derives_the_district(city, saksbehandler) -> None:
    import random

    lat, lon = districts.random_point_in("alna", random.Random(3))
    alna = District.objects.get(slug="alna")
    http = browser(saksbehandler)  # city-wide case handler
    response = http.post("/brukere/ny/", _post(alna, district="", latitude=lat, longitude=lon))
    assert response.status_code == 302
    assert Client.objects.get(family_name="Nyregistrert").district == alna


def test_register_refuses_bad_input_in_norwegian(city, saksbehandler_sagene) -> None:
    sagene = District.objects.get(slug="sagene")
    http = browser(saksbehandler_sagene)
    bad = http.post("/brukere/ny/", _post(sagene, national_id="12345678901", district=""))
    html = bad.content.decode()
    assert bad.status_code == 400 and Client.objects.count() == 0
    assert "Velg bydelen" in html
    bad = http.post("/brukere/ny/", _post(sagene, national_id="12345678901"))
    assert bad.status_code == 400 and "fødselsnummer" in bad.content.decode().lower()
    assert Client.objects.count() == 0


def test_only_case_handlers_register(city, leder_sagene, pleier_alna_1) -> None:
    for user in (leder_sagene, pleier_alna_1):
        assert browser(user).get("/brukere/ny/").status_code == 403


def test_search_by_full_number_and_family_comma_given(saksbehandler_sagene,
                                                      make_client) -> None:
    kari = make_client("sagene", given_name="Kari", family_name="Berg")
    make_client("sagene", given_name="Berit", family_name="Kari")
    make_client("sagene", given_name="Per", family_name="Berg")
    http = browser(saksbehandler_sagene)
    found = http.get("/brukere/", {"q": kari.national_id}).content.decode()
    assert "Berg, Kari" in found and "Berg, Per" not in found and "Kari, Berit" not in found
    found = http.get("/brukere/", {"q": "Berg, Kari"}).content.decode()
    assert "Berg, Kari" in found and "Berg, Per" not in found and "Kari, Berit" not in found
    invalid = kari.national_id[:-1] + str((int(kari.national_id[-1]) + 1) % 10)
    page = http.get("/brukere/", {"q": invalid}).content.decode()
    assert "ikke et gyldig fødselsnummer" in page and "Berg, Kari" not in page


def test_application_form_says_invalid_not_unknown(saksbehandler_sagene, make_client) -> None:
    kari = make_client("sagene")
    http = browser(saksbehandler_sagene)
    invalid = kari.national_id[:-1] + str((int(kari.national_id[-1]) + 1) % 10)
    page = http.post("/saksbehandling/soknader/ny/", {"national_id": invalid}).content.decode()
    assert "ikke et gyldig fødselsnummer" in page
    unknown = _number(900)
    page = http.post("/saksbehandling/soknader/ny/", {"national_id": unknown}).content.decode()
    assert "registrer personen først" in page
