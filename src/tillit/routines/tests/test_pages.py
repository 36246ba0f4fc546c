"""Pages: who may publish, answer and read; forms give Norwegian field errors."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tillit.routines import services
from tillit.routines.models import Acknowledgement, Routine, Status


def _login(client, user):
    client.force_login(user)
    return client


def test_the_administrator_publishes_through_the_form(client, units, admin_user):
    today = services.today()
    response = _login(client, admin_user).post(reverse("routines:new"), {
        "title": "Sårbehandling", "kind": "mandatory", "text": "Bruk sjekklisten.",
        "effective_from": today.isoformat(),
        "respond_by": (today + dt.timedelta(days=20)).isoformat(),
        "working_group": "Kari Nordmann; Sagene; leder\nOla Hansen; Alna",
    })
    routine = Routine.objects.get()
    assert response.status_code == 302
    assert [m.district.slug for m in routine.working_group.all()] == ["sagene", "alna"]
    page = client.get(reverse("routines:detail", args=[routine.pk]))
    assert "Sårbehandling" in page.content.decode()


def test_publish_form_errors_are_norwegian(client, units, admin_user):
    response = _login(client, admin_user).post(reverse("routines:new"), {
        "title": "X", "kind": "mandatory", "text": "", "effective_from": "2026-05-01",
        "respond_by": "2026-04-01", "working_group": "Kari; Atlantis"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Fristen kan ikke være før ikrafttredelsen." in text
    assert "Skriv rutinen eller legg ved et dokument." in text
    assert "ingen bydel eller etat heter Atlantis" in text
    assert not Routine.objects.exists()


def test_district_roles_cannot_publish(client, units, leder_sagene):
    assert _login(client, leder_sagene).get(reverse("routines:new")).status_code == 403


def test_the_manager_answers_on_the_page(client, units, publish, leder_sagene):
    routine = publish()
    ack = Acknowledgement.objects.get(district__slug="sagene", unit__isnull=True)
    _login(client, leder_sagene)
    page = client.get(reverse("routines:detail", args=[routine.pk])).content.decode()
    assert f'action="{reverse("routines:answer", args=[ack.pk])}"' in page
    other = Acknowledgement.objects.get(district__slug="alna", unit__isnull=True)
    assert reverse("routines:answer", args=[other.pk]) not in page
    response = client.post(reverse("routines:answer", args=[ack.pk]),
                           {f"a{ack.pk}-status": Status.IMPLEMENTED})
    assert response.status_code == 302
    ack.refresh_from_db()
    assert ack.status == Status.IMPLEMENTED and ack.is_acknowledged
    assert client.post(reverse("routines:answer", args=[other.pk]),
                       {f"a{other.pk}-status": Status.IMPLEMENTED}).status_code == 404


def test_the_list_shows_what_is_due_in_ones_district(client, units, publish, leder_sagene):
    publish("Snart frist", respond_in=3)
    page = _login(client, leder_sagene).get(reverse("routines:list")).content.decode()
    assert "Svar som forfaller i din bydel" in page and "Snart frist" in page


def test_the_compliance_page_for_every_role(client, units, publish, pleier_alna_1):
    publish()
    page = _login(client, pleier_alna_1).get(reverse("routines:compliance"))
    assert page.status_code == 200 and "Gamle Oslo" in page.content.decode()


def test_anonymous_users_are_sent_to_login(client, city):
    assert client.get(reverse("routines:list")).status_code == 302
