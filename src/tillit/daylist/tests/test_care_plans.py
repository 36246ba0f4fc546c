"""Care plans: written by the team, a new version on every change (never
edited in place), the day list shows the current one, reads are logged."""

import pytest

from tillit.accounts.models import Role
from tillit.audit.models import AccessRecord
from tillit.daylist.models import CarePlan
from tillit.planning.models import RosterEntry


@pytest.fixture
def carer(make_user):
    return make_user("pleier.sagene.1", Role.CARER, "sagene")


def test_carers_write_versions_and_the_day_list_shows_the_current(client, carer, make_client,
                                                                   day_list):
    person = make_client()
    day_list(carer, [person])
    RosterEntry.objects.filter(employee=carer.employee).update(start="00:00", end="00:00")
    client.force_login(carer)
    url = f"/brukere/{person.pk}/tiltaksplan/"
    assert client.post(url, {"text": "Hjelp med dusj tirsdag"}).status_code == 302
    assert client.post(url, {"text": "Hjelp med dusj tirsdag og fredag"}).status_code == 302
    unchanged = client.post(url, {"text": "Hjelp med dusj tirsdag og fredag"})
    assert unchanged.status_code == 200 and "uendret" in unchanged.content.decode()
    empty = client.post(url, {"text": " "})
    assert "Skriv tiltaksplanen." in empty.content.decode()
    versions = list(CarePlan.objects.filter(client=person).values_list("version", "text"))
    assert versions == [(2, "Hjelp med dusj tirsdag og fredag"), (1, "Hjelp med dusj tirsdag")]
    page = client.get(url).content.decode()
    assert "versjon 2" in page and "Tidligere versjoner" in page
    assert AccessRecord.objects.filter(client_id=person.pk).exists()
    assert "tirsdag og fredag" in client.get("/dagliste/").content.decode()
    plan = CarePlan.objects.get(client=person, version=1)
    plan.text = "changed"
    with pytest.raises(ValueError):
        plan.save()


def test_planners_write_and_others_are_refused(client, planlegger_sagene, analytiker, make_client,
                                               carer):
    person = make_client()
    client.force_login(planlegger_sagene)
    url = f"/brukere/{person.pk}/tiltaksplan/"
    assert client.post(url, {"text": "Trygghetsalarm sjekkes"}).status_code == 302
    client.force_login(carer)  # not on the carer's day list
    assert client.get(url).status_code == 404
    client.force_login(analytiker)
    assert client.get(url).status_code == 403
    assert CarePlan.objects.count() == 1
