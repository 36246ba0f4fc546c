"""Hostile and odd input across forms, the API and exports (issue #18): each
value gets a clear Norwegian error or is stored exactly and shown safely."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from tillit.clients.models import Client
from tillit.core import fnr
from tillit.decisions.models import Application
from tillit.web.exports import Table, to_csv

pytestmark = pytest.mark.django_db
API = "/api/v1"

INJECTIONS = [
    "'; DROP TABLE clients_client; --",
    "\" OR 1=1 --",
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "{{ request.user.password }}{% debug %}",
    "{% load static %}${7*7}#{7*7}",
    "=HYPERLINK(\"http://evil.example\",\"klikk\")",
]
NAMES = [
    "Åse Ødegård Ærø",
    "Máret Ánne Sárá",          # North Sámi á
    "Čoarvi Đuoŋŋa Šiŧŧu Žiedná",  # Sámi č đ ŋ š ŧ ž
    unicodedata.normalize("NFD", "Åse Ødegård"),
]


def browser(user) -> HttpClient:
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    return http


def post_json(http: HttpClient, url: str, body: object | str | bytes, **extra: str):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return http.post(API + url, data, content_type="application/json", **extra)


def application_body(client: Client, **fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "client": client.pk, "service_type": "home-nursing", "source": "client",
        "received_at": timezone.now().replace(microsecond=0).isoformat(), "urgency": "normal",
    }
    body.update(fields)
    return body


def assert_json_error(response, statuses=frozenset({400, 422})) -> dict:
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return body


# --- fødselsnummer --------------------------------------------------------------

VALID = next(number for serial in range(100, 200)
             if (number := fnr.synthetic_number(dt.date(1950, 6, 15), serial)))
D_NUMBER = "55065010185"  # 15.06.1950 as a D-number (day + 40)
H_NUMBER = "15465010093"  # 15.06.1950 as an H-number (month + 40)


@pytest.mark.parametrize(("value", "code"), [
    ("15065012345", "checksum"),           # wrong check digits
    ("29020012345", None),                 # 29 Feb 1900 does not exist (the check may fail first)
    ("0101901234¹", "not_digits"),         # a superscript digit is a digit to str.isdigit
    ("０１０１９０１２３４５", "not_digits"),  # full-width digits
    ("٠١٠١٩٠١٢٣٤٥", "not_digits"),         # Arabic-Indic digits
    ("010190\u200b12345", "not_digits"),   # a zero-width space inside
    ("\u202e01019012345", "not_digits"),   # a right-to-left override in front
    ("1.5", None),
    ("1e999999", "length"),
    ("", "missing"),
])
def test_bad_numbers_get_a_norwegian_error(value: str, code: str | None) -> None:
    with pytest.raises(fnr.FnrError) as raised:
        fnr.parse(value)
    if code is not None:
        assert raised.value.code == code
    assert any(word in raised.value.message for word in ("Fødsels", "fødsels", "Individ"))


def test_29_february_1900_is_refused_as_a_date() -> None:
    number = "29020010027"  # individual 100: born 1900, not a leap year
    with pytest.raises(fnr.FnrError) as raised:
        fnr.parse(number)
    assert raised.value.code == "date"
    assert fnr.parse("29020050088").birth_date == dt.date(2000, 2, 29)  # 2000 was one


def test_d_h_synthetic_spaces_and_spreadsheet_floats_are_read() -> None:
    assert D_NUMBER and fnr.parse(D_NUMBER).kind == "d-number"
    assert H_NUMBER and fnr.parse(H_NUMBER).kind == "h-number"
    assert VALID and fnr.parse(VALID).synthetic
    spaced = f"{VALID[:6]} {VALID[6:]}"
    assert fnr.parse(spaced).number == VALID
    assert fnr.parse(f"\u00a0{VALID}\u00a0").number == VALID
    as_float = float(int(VALID))
    assert fnr.parse(as_float).number == VALID
    assert fnr.parse(f"{int(VALID)}.0").number == VALID


@pytest.mark.parametrize("typed", ["0101901234¹", "０１０１９０１２３４５", "010190\u200b12345"])
def test_the_application_form_answers_odd_numbers_with_a_field_error(
    saksbehandler, make_client, typed
) -> None:
    make_client("sagene")
    response = browser(saksbehandler).post("/saksbehandling/soknader/ny/", {
        "national_id": typed, "service_type": home_nursing(), "source": "client",
        "received_at": "2026-03-02T10:00", "urgency": "normal",
    })
    assert response.status_code == 200
    assert "national_id" in response.context["form"].errors
    assert not Application.objects.exists()


def home_nursing() -> int:
    from tillit.decisions.models import ServiceType

    return ServiceType.objects.get(code="home-nursing").pk


# --- names and free text ---------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_names_are_stored_in_one_unicode_form_and_found(saksbehandler, make_client,
                                                         name) -> None:
    client = make_client("sagene", given_name=name)
    client.refresh_from_db()
    assert client.given_name == unicodedata.normalize("NFC", name)
    composed = unicodedata.normalize("NFC", name).split()[0]
    response = browser(saksbehandler).get("/brukere/", {"q": composed})
    assert response.status_code == 200
    assert composed in response.content.decode()


@pytest.mark.parametrize("name", ["Kari\u200b Nordmann", "Kari \u202eannamdroN", "Kari\x00"])
def test_invisible_and_direction_characters_in_names_are_refused(make_client, name) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        client = make_client("sagene")
        client.given_name = name
        client.full_clean()
    assert "given_name" in raised.value.message_dict
    assert "tegn" in raised.value.message_dict["given_name"][0]  # in Norwegian


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_are_stored_verbatim_and_shown_escaped(saksbehandler, make_client,
                                                                 text) -> None:
    client = make_client("sagene")
    http = browser(saksbehandler)
    response = post_json(http, "/applications", application_body(
        client, description=text, applicant_name=text[:200]))
    assert response.status_code == 201, response.content
    application = Application.objects.get(pk=response.json()["id"])
    assert application.description == text and application.applicant_name == text[:200]
    assert Client.objects.filter(pk=client.pk).exists()  # no SQL ran from the text
    page = http.get(f"/saksbehandling/soknader/{application.pk}/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "{% debug %}" not in page or "{%" in text  # shown as text, never run
    assert "sql_queries" not in page  # {% debug %} would dump the context
    if "<" in text:
        assert "&lt;" in page


def test_a_ten_thousand_character_note_is_refused_by_the_api_in_norwegian(
    saksbehandler, make_client
) -> None:
    client = make_client("sagene")
    response = post_json(browser(saksbehandler), "/applications",
                         application_body(client, description="æ" * 10_000))
    body = assert_json_error(response)
    assert "description" in body["errors"]
    assert "5000" in body["errors"]["description"][0]


def test_a_ten_thousand_character_note_is_refused_by_the_form_too(saksbehandler,
                                                                  make_client) -> None:
    client = make_client("sagene")
    response = browser(saksbehandler).post("/saksbehandling/soknader/ny/", {
        "national_id": client.national_id, "service_type": home_nursing(), "source": "client",
        "received_at": "2026-03-02T10:00", "urgency": "normal", "description": "ø" * 10_000,
    })
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert not Application.objects.exists()


# --- JSON ------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "{", "[]", "null", "\"text\"", "{\"client\": }", "\ufeff{}", "{\"client\": NaN}",
    b"\xff\xfe{\x00}\x00", b"{\"description\": \"\xe6\xf8\xe5\"}",
])
def test_malformed_json_is_a_json_400_or_422(saksbehandler, raw) -> None:
    response = post_json(browser(saksbehandler), "/applications", raw)
    body = assert_json_error(response)
    assert body["detail"]


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_refused_not_a_crash(saksbehandler, make_client, depth) -> None:
    client = make_client("sagene")
    nested = "[" * depth + "]" * depth
    raw = json.dumps(application_body(client)).replace('"normal"', '"normal", "x": ' + nested)
    response = post_json(browser(saksbehandler), "/applications", raw)
    assert response.status_code in {201, 400, 422}, response.status_code
    if response.status_code != 201:
        assert_json_error(response)


def test_wrong_types_everywhere_are_field_errors(saksbehandler, make_client) -> None:
    client = make_client("sagene")
    body = application_body(client)
    body.update(client=[client.pk], service_type={"$ne": ""}, received_at=1e308,
                urgency=None, description=["a"])
    errors = assert_json_error(post_json(browser(saksbehandler), "/applications", body))["errors"]
    assert {"client", "service_type", "received_at", "description"} <= set(errors)


# --- time: daylight saving, midnight, leap days ------------------------------------

@pytest.mark.parametrize("when", ["2026-03-29T02:30", "2026-10-25T02:30"])
def test_a_time_that_does_not_exist_or_exists_twice_in_oslo_is_a_form_error(
    saksbehandler, make_client, when
) -> None:
    client = make_client("sagene")
    response = browser(saksbehandler).post("/saksbehandling/soknader/ny/", {
        "national_id": client.national_id, "service_type": home_nursing(), "source": "client",
        "received_at": when, "urgency": "normal",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors["received_at"]
    assert "tidssone" in errors[0] or "Europe/Oslo" in errors[0]
    assert not Application.objects.exists()


@pytest.mark.parametrize("when", ["2026-03-29T02:30:00+02:00", "2026-10-25T02:30:00+01:00",
                                  "2026-10-25T02:30:00+02:00", "2024-02-29T23:59:00+01:00"])
def test_the_api_takes_explicit_offsets_over_the_dst_edges(saksbehandler, make_client,
                                                           when) -> None:
    client = make_client("sagene")
    # A date over a year back needs a reason (the purchaser office's rule).
    response = post_json(browser(saksbehandler), "/applications", application_body(
        client, received_at=when, date_reason="Skannet fra papirarkivet"))
    assert response.status_code == 201, response.content
    stored = Application.objects.get(pk=response.json()["id"]).received_at
    assert stored == dt.datetime.fromisoformat(when)


# --- exports ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "=1+1", "+47 999", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0",
])
def test_formulas_never_reach_a_spreadsheet(text: str) -> None:
    data = to_csv(Table(["Navn"], [[text]])).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[1][0] == "'" + text, rows
