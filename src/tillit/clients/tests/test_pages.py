"""The client list and record pages: scoped, searchable, masked, logged."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from tillit.audit.models import AccessOperation, What

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_list_is_scoped_searchable_and_masked(saksbehandler_sagene, make_client) -> None:
    kari = make_client("sagene", given_name="Kari", family_name="Søkbar")
    make_client("sagene", given_name="Per", family_name="Annen")
    make_client("alna", given_name="Kari", family_name="Alnabo")
    http = browser(saksbehandler_sagene)
    page = http.get("/brukere/").content.decode()
    assert "Søkbar" in page and "Annen" in page and "Alnabo" not in page
    assert kari.national_id not in page and kari.masked_national_id in page
    found = http.get("/brukere/", {"q": "kari søk"}).content.decode()
    assert "Søkbar" in found and "Annen" not in found
    assert AccessOperation.objects.filter(what=What.LIST).count() == 2


def test_record_page_is_logged_and_other_districts_are_404(leder_sagene, make_client) -> None:
    client = make_client("sagene", pets="Katt")
    alna = make_client("alna")
    http = browser(leder_sagene)
    page = http.get(f"/brukere/{client.pk}/")
    assert page.status_code == 200 and "Katt" in page.content.decode()
    assert client.national_id not in page.content.decode()
    assert AccessOperation.objects.get(what=What.RECORD).records.get().client_id == client.pk
    assert http.get(f"/brukere/{alna.pk}/").status_code == 404
    assert AccessOperation.objects.filter(what=What.RECORD).count() == 1


def test_navigation_shows_client_pages_by_role(leder_sagene, analytiker) -> None:
    assert 'href="/brukere/"' in browser(leder_sagene).get("/").content.decode()
    assert 'href="/brukere/"' not in browser(analytiker).get("/").content.decode()


def test_admin_holds_no_clinical_content_even_for_superusers(make_user, make_client) -> None:
    client = make_client("sagene")
    root = make_user("root", "system_admin", is_staff=True, is_superuser=True)
    http = browser(root)
    assert http.get("/admin/").status_code == 200
    assert http.get("/admin/organisation/district/").status_code == 200
    assert http.get("/admin/clients/client/").status_code == 403
    assert http.get(f"/admin/clients/client/{client.pk}/change/").status_code == 403
    assert "clients/client" not in http.get("/admin/").content.decode()


def test_record_links_to_the_purchaser_office_cases_for_case_handlers(
    saksbehandler_sagene, make_client
) -> None:
    client = make_client("sagene")
    link = f'href="/saksbehandling/brukere/{client.pk}/"'
    assert link in browser(saksbehandler_sagene).get(f"/brukere/{client.pk}/").content.decode()
    cases = browser(saksbehandler_sagene).get(f"/saksbehandling/brukere/{client.pk}/")
    assert cases.status_code == 200
