"""The open cases download as CSV and Excel through the one export helper:
bokmål headers and values whatever the browser, Oslo time, the read logged."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tillit.audit.models import AccessOperation
from tillit.decisions import services
from tillit.decisions.models import ServiceType
from tillit.decisions.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_open_cases_export(client, clock, make_client, saksbehandler) -> None:
    person = make_client("sagene", given_name="=Eva", family_name="Berg")
    services.do_register_application(
        client=person, service_type=ServiceType.objects.get(code="home-nursing"),
        source="client", received_at=NOW, urgency="urgent", actor=saksbehandler)
    client.force_login(saksbehandler)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("decisions:worklist_export", args=["csv"]),
                          HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffBruker;Bydel;Tjeneste;Mottatt;Hastegrad;Status")
    assert "'=Eva Berg;Sagene;Hjemmesykepleie;2026-03-02 10:00" in body
    assert ";haster;mottatt;" in body and "urgent" not in body
    assert AccessOperation.objects.filter(what="list", interface="export").exists()
    xlsx = client.get(reverse("decisions:worklist_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Bruker", "Bydel", "Tjeneste"]
    assert sheet["A2"].value == "'=Eva Berg"
    assert client.get(reverse("decisions:worklist_export", args=["pdf"])).status_code == 404
