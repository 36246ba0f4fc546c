"""`/dagliste/`: the carer's own visits in planned order with windows, map
links, door notes, tasks, the care plan and the partner; the report form
works without JavaScript; the service worker covers the page."""

import datetime as dt
import uuid

import pytest

from tillit.accounts.models import Role
from tillit.audit.models import AccessOperation
from tillit.daylist.models import CarePlan, VisitReport


@pytest.fixture
def carer(make_user):
    return make_user("pleier.sagene.1", Role.CARER, "sagene")


def test_the_day_list_in_planned_order(client, carer, make_user, make_client, day_list):
    first = make_client(given_name="Astrid", key_information="Nøkkelboks 1234 ved døra")
    second = make_client(given_name="Bjørn", practical_notes="Hund i gangen")
    partner = make_user("pleier.sagene.2", Role.CARER, "sagene")
    visits = day_list(carer, [second, first], start_hour=9)
    day_list(carer, [], partner=None)
    CarePlan.objects.create(client=second, version=1, text="Hjelp med støttestrømper",
                            written_by_name="Sykepleier")
    from tillit.planning.models import Assignment
    Assignment.objects.create(plan=Assignment.objects.first().plan, visit=visits[0],
                              employee=partner.employee, order=0)
    client.force_login(carer)
    page = client.get("/dagliste/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(second.full_name) < html.index(first.full_name)
    assert "09:00–09:45" in html and "10:00–10:45" in html
    assert "geo:" in html and "openstreetmap.org" in html
    assert "Nøkkelboks 1234" in html and "Hund i gangen" in html
    assert "Morgenstell 1" in html and "Hjelp med støttestrømper" in html
    assert str(partner.employee) in html
    assert "Utført" in html and "Trengte mer tid" in html and "Ikke utført" in html
    assert "daylist/daylist.js" in html and "<script>" not in html
    assert AccessOperation.objects.filter(what="daylist", actor=carer).exists()


def test_the_form_reports_without_javascript(client, carer, make_client, day_list):
    (visit,) = day_list(carer, [make_client()])
    client.force_login(carer)
    report_id = str(uuid.uuid4())
    answer = client.post(f"/dagliste/besok/{visit.pk}/rapport/",
                         {"report_id": report_id, "choice": "fitted"})
    assert answer.status_code == 302
    again = client.post(f"/dagliste/besok/{visit.pk}/rapport/",
                        {"report_id": report_id, "choice": "fitted"})
    assert again.status_code == 302
    report = VisitReport.objects.get()
    assert report.done and report.time_fit == "fitted"
    assert "Utført – tiden passet" in client.get("/dagliste/").content.decode()


def test_service_worker_is_served_for_the_day_list(client):
    answer = client.get("/dagliste/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/dagliste/"
    assert b'const PAGE = "/dagliste/"' in answer.content


def test_other_roles_do_not_have_a_day_list(client, planlegger_sagene):
    client.force_login(planlegger_sagene)
    assert client.get("/dagliste/").status_code == 403


def test_empty_day(client, carer):
    client.force_login(carer)
    page = client.get("/dagliste/")
    assert page.status_code == 200
    assert "Du har ingen besøk" in page.content.decode()
    assert dt.date.today().year > 2000


def test_the_day_list_calls_the_team(client, carer, make_client, day_list):
    from tillit.organisation.services import do_set_team_contact
    day_list(carer, [make_client()])
    client.force_login(carer)
    html = client.get("/dagliste/").content.decode()
    assert "Teamet har ikke registrert noe telefonnummer" in html and "tel:" not in html
    do_set_team_contact(carer.employee.team, phone="40 00 03 01", email="sone1@example.org")
    html = client.get("/dagliste/").content.decode()
    # one big link on the cached page (the offline copy holds it too)
    assert '<a class="pkt-btn dl-btn dl-call" href="tel:+4740000301">Ring teamet: 40 00 03 01</a>' in html
    assert 'href="mailto:sone1@example.org"' in html
    api = client.get("/api/v1/daylist").json()
    assert (api["team_phone"], api["team_email"]) == ("tel:+4740000301", "sone1@example.org")
