"""The project register: register, search and filter city-wide, dialogue
meetings, who may edit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tillit.organisation.models import Agency, City, District
from tillit.projects import services
from tillit.projects.models import Project


@pytest.fixture
def pilot(leder_sagene):
    return services.do_register_project(
        user=leder_sagene, kind="pilot", title="Tillitsmodellen i Sagene",
        goal="Mer tid hos brukerne, færre vedtak i minutter.", contact_name="Kari Leder",
        starts_on=dt.date(2026, 1, 1), status="running")


def test_register_search_and_filter(pilot, saksbehandler, city):
    helse = Agency.objects.create(city=City.objects.get(), name="Helseetaten",
                                  slug="helseetaten", kind="health")
    measure = services.do_register_project(
        user=saksbehandler, kind="measure", title="Felles sårprosedyre", goal="Lik sårbehandling",
        agency=helse, contact_name="Fagansvarlig", starts_on=dt.date(2025, 3, 1),
        ends_on=dt.date(2025, 12, 31), status="completed", results="Færre infeksjoner.")
    assert pilot.district.slug == "sagene"  # the manager's own district by default
    assert list(services.search(q="tillit")) == [pilot]
    assert list(services.search(q="infeksjoner")) == [measure]
    assert list(services.search(kind="pilot")) == [pilot]
    assert list(services.search(agency=helse.pk)) == [measure]
    assert list(services.search(district=pilot.district_id)) == [pilot]
    assert list(services.search(active_on=dt.date(2026, 6, 1))) == [pilot]


def test_rules_of_a_project(leder_sagene):
    with pytest.raises(ValidationError) as exc:
        services.do_register_project(
            user=leder_sagene, kind="project", title="X", goal="Y", contact_name="Z",
            starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 1, 1), status="completed")
    assert {"ends_on", "results"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.do_register_project(
            user=leder_sagene, kind="project", title="X", goal="Y", contact_name="Z",
            starts_on=dt.date(2026, 2, 1), district=District.objects.get(slug="alna"))
    assert "district" in exc.value.message_dict
    assert not Project.objects.exists()


def test_meetings_with_the_organisations(pilot, leder_sagene, make_user):
    with pytest.raises(ValidationError):
        services.do_add_meeting(user=leder_sagene, project=pilot, held_on=dt.date(2026, 2, 1),
                                organisations="Fagforbundet", agreed="Evaluere etter et år.")
    services.do_add_meeting(user=leder_sagene, project=pilot, held_on=dt.date(2026, 2, 1),
                            organisations="Fagforbundet, NSF", employees=True,
                            agreed="Evaluere etter et år.")
    assert list(services.search(q="evaluere")) == [pilot]
    other = make_user("leder.alna", "district_manager", "alna")
    with pytest.raises(PermissionDenied):
        services.do_add_meeting(user=other, project=pilot, held_on=dt.date(2026, 2, 1),
                                organisations="NSF", employees=True, agreed="Nei")


def test_pages_and_api(client, pilot, leder_sagene, pleier_alna_1, analytiker):
    client.force_login(pleier_alna_1)  # everyone reads the register
    page = client.get(reverse("projects:list"), {"q": "tillit"}).content.decode()
    assert "Tillitsmodellen i Sagene" in page
    assert client.get(reverse("projects:new")).status_code == 403
    client.force_login(leder_sagene)
    response = client.post(reverse("projects:detail", args=[pilot.pk]), {
        "m-held_on": "2026-03-01", "m-organisations": "Eldrerådet", "m-users": "on",
        "m-agreed": "Brukerundersøkelse i juni."})
    assert response.status_code == 302
    client.force_login(analytiker)
    data = client.get("/api/v1/projects", {"kind": "pilot", "district": "sagene"}).json()
    assert data[0]["meetings"][0]["agreed"] == "Brukerundersøkelse i juni."
    assert client.get("/api/v1/projects", {"kind": "other"}).status_code == 422
    assert client.post("/api/v1/projects", {}, content_type="application/json").status_code == 403
