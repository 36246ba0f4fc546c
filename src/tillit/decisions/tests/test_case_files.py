"""Case notes and attachments on an application (issue #14, item 7): under
the record's access rules, blocks and read log; attachments served only
through their view, their type read from their bytes, Norwegian errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from tillit.access import services as access
from tillit.audit.models import AccessRecord
from tillit.decisions import services
from tillit.decisions.models import Application, CaseAttachment, CaseNote, ServiceType

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def reads_of(client) -> int:
    return AccessRecord.objects.filter(client_id=client.pk).count()


@pytest.fixture
def case(make_client, saksbehandler_sagene):
    person = make_client("sagene")
    application = services.do_register_application(
        client=person, service_type=ServiceType.objects.get(code="home-nursing"),
        source="hospital", applicant_name="Ullevål sykehus",
        received_at=services.now() - dt.timedelta(days=2),
        actor=saksbehandler_sagene)
    return person, application


def test_a_case_handler_adds_notes_and_attachments_and_reads_them_back(
    case, saksbehandler_sagene
) -> None:
    person, application = case
    http = browser(saksbehandler_sagene)
    url = f"/saksbehandling/soknader/{application.pk}/"
    response = http.post(url + "notater/", {"text": "Datteren ringte om utskrivning."})
    assert response.status_code == 302
    upload = SimpleUploadedFile("epikrise ullevål.pdf", PDF, content_type="text/html")
    response = http.post(url + "vedlegg/", {"kind": "discharge_summary",
                                            "title": "Epikrise", "file": upload})
    assert response.status_code == 302
    attachment = CaseAttachment.objects.get()
    # The type comes from the bytes, not from what the browser claimed.
    assert attachment.content_type == "application/pdf"
    assert attachment.filename == "epikrise-ullevål.pdf"

    before = reads_of(person)
    page = http.get(url).content.decode()
    assert "Datteren ringte om utskrivning." in page and "Epikrise" in page
    assert reads_of(person) == before + 1  # the page's read is logged

    download = http.get(f"/saksbehandling/vedlegg/{attachment.pk}/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert reads_of(person) == before + 2  # and so is the download


@pytest.mark.parametrize(("name", "data", "kind", "title", "field", "message"), [
    ("side.html", b"<html><script>alert(1)</script>", "gp_statement", "Uttalelse", "file",
     "Bare PDF-filer og bilder"),
    ("tom.pdf", b"", "gp_statement", "Uttalelse", "file", "Filen er tom."),
    ("ok.pdf", PDF, "x-ray", "Uttalelse", "kind", "Velg et gyldig valg"),
    ("ok.pdf", PDF, "gp_statement", "", "title", "Feltet er påkrevet."),
])
def test_bad_uploads_get_norwegian_field_errors(case, saksbehandler_sagene, name, data, kind,
                                                title, field, message) -> None:
    _person, application = case
    http = browser(saksbehandler_sagene)
    response = http.post(f"/saksbehandling/soknader/{application.pk}/vedlegg/", {
        "kind": kind, "title": title, "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CaseAttachment.objects.exists()


def test_too_large_and_empty_note_are_refused_in_norwegian(case, saksbehandler_sagene,
                                                           monkeypatch) -> None:
    _person, application = case
    monkeypatch.setattr(CaseAttachment, "MAX_BYTES", 20)
    http = browser(saksbehandler_sagene)
    response = http.post(f"/saksbehandling/soknader/{application.pk}/vedlegg/", {
        "kind": "gp_statement", "title": "Stor", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 400 and "Filen er for stor" in response.content.decode()
    response = http.post(f"/saksbehandling/soknader/{application.pk}/notater/", {"text": "  "})
    assert response.status_code == 400 and "Feltet er påkrevet." in (
        response.content.decode())
    assert not CaseNote.objects.exists() and not CaseAttachment.objects.exists()


def test_outsiders_and_other_districts_get_404(case, make_client, make_user,
                                               saksbehandler_sagene, analytiker) -> None:
    person, application = case
    note = services.do_add_case_note(application, text="Hemmelig notat", actor=saksbehandler_sagene)
    attachment = services.do_attach_document(
        application, kind="gp_statement", title="Fastlegeuttalelse", filename="f.pdf", data=PDF,
        actor=saksbehandler_sagene)
    alna_handler = make_user("kari.alna", "case_handler", "alna")
    http = browser(alna_handler)
    assert http.get(f"/saksbehandling/vedlegg/{attachment.pk}/").status_code == 404
    assert http.get(f"/saksbehandling/vedlegg/{attachment.pk + 1000}/").status_code == 404
    assert http.post(f"/saksbehandling/soknader/{application.pk}/notater/",
                     {"text": "x"}).status_code == 404
    assert http.post(f"/saksbehandling/soknader/{application.pk}/vedlegg/", {
        "kind": "gp_statement", "title": "x",
        "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    assert browser(analytiker).get(f"/saksbehandling/vedlegg/{attachment.pk}/").status_code == 403
    assert CaseNote.objects.get() == note and CaseAttachment.objects.count() == 1
    assert reads_of(person) == 0


@pytest.mark.parametrize("blocked", ["application", "attachments", "notes", "record"])
def test_blocks_hide_notes_and_attachments_from_the_blocked_user(
    case, saksbehandler_sagene, saksbehandler, leder_sagene, blocked
) -> None:
    person, application = case
    services.do_add_case_note(application, text="Sperret notat", actor=saksbehandler_sagene)
    attachment = services.do_attach_document(
        application, kind="gp_statement", title="Sperret uttalelse", filename="f.pdf", data=PDF,
        actor=saksbehandler_sagene)
    target = {"application": {"item": application}, "attachments": {"item_model": CaseAttachment},
              "notes": {"item_model": CaseNote}, "record": {}}[blocked]
    access.do_block(by=leder_sagene, client=person, user=saksbehandler, **target)
    http = browser(saksbehandler)
    page = http.get(f"/saksbehandling/soknader/{application.pk}/")
    download = http.get(f"/saksbehandling/vedlegg/{attachment.pk}/")
    if blocked in {"application", "record"}:
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        text = page.content.decode()
        assert ("Sperret notat" in text) == (blocked != "notes")
        assert ("Sperret uttalelse" in text) == (blocked != "attachments")
    assert download.status_code == (200 if blocked == "notes" else 404)
    # Others still see both.
    other = browser(saksbehandler_sagene).get(f"/saksbehandling/soknader/{application.pk}/")
    assert "Sperret notat" in other.content.decode()
    assert "Sperret uttalelse" in other.content.decode()


def test_services_check_the_bytes_not_the_name(case, saksbehandler_sagene) -> None:
    from django.core.exceptions import ValidationError

    _person, application = case
    with pytest.raises(ValidationError) as refused:
        services.do_attach_document(application, kind="other", title="Program",
                                    filename="bilde.png", data=b"MZ\x90\x00program",
                                    actor=saksbehandler_sagene)
    assert set(refused.value.message_dict) == {"file"}
    png = services.do_attach_document(application, kind="other", title="Bilde",
                                      filename="scan.pdf", data=b"\x89PNG\r\n\x1a\nrest",
                                      actor=saksbehandler_sagene)
    assert (png.content_type, png.filename) == ("image/png", "scan.png")
    assert Application.objects.get().attachments.count() == 1


def test_the_api_lists_the_case_file_and_adds_notes(case, saksbehandler_sagene, make_user,
                                                    leder_sagene) -> None:
    import json

    person, application = case
    attachment = services.do_attach_document(
        application, kind="gp_statement", title="Fastlegeuttalelse", filename="f.pdf", data=PDF,
        actor=saksbehandler_sagene)
    http = browser(saksbehandler_sagene)
    base = f"/api/v1/applications/{application.pk}"
    created = http.post(base + "/notes", json.dumps({"text": "Ringte fastlegen."}),
                        content_type="application/json")
    assert created.status_code == 201 and created.json()["text"] == "Ringte fastlegen."
    assert http.post(base + "/notes", json.dumps({"text": ""}),
                     content_type="application/json").status_code in {400, 422}
    before = reads_of(person)
    body = http.get(base + "/case-file").json()
    assert [n["text"] for n in body["notes"]] == ["Ringte fastlegen."]
    assert body["attachments"][0]["kind"] == "gp_statement"
    assert body["attachments"][0]["download"] == f"/saksbehandling/vedlegg/{attachment.pk}/"
    assert reads_of(person) == before + 1
    alna = browser(make_user("per.alna", "case_handler", "alna"))
    assert alna.get(base + "/case-file").status_code == 404
    access.do_block(by=leder_sagene, client=person, user=saksbehandler_sagene,
                    item_model=CaseAttachment)
    assert http.get(base + "/case-file").json()["attachments"] == []
    schema = http.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schema["AttachmentOut"]["properties"]["kind"]["enum"]) == {
        "gp_statement", "discharge_summary", "specialist_statement", "applicant_letter", "other"}
