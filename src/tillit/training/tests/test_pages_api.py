"""Training pages and API: scope (own district, others 404), recording a
completion, carers' own page, aggregates for analysts."""

from __future__ import annotations

from django.urls import reverse

from tillit.training import services


def test_the_manager_records_a_completion_on_the_page(client, courses, nurse, leder_sagene):
    client.force_login(leder_sagene)
    page = client.get(reverse("training:overview")).content.decode()
    assert "Insulinbehandling" in page and str(nurse) in page  # a gap, with the name
    response = client.post(reverse("training:employee", args=[nurse.pk]), {
        "course": courses["insulin"].pk, "completed_on": services.today().isoformat()})
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert "insulin" in nurse.qualifications
    page = client.get(reverse("training:employee", args=[nurse.pk])).content.decode()
    assert "Gyldig" in page


def test_future_dates_are_refused_in_norwegian(client, courses, nurse, leder_sagene):
    client.force_login(leder_sagene)
    response = client.post(reverse("training:employee", args=[nurse.pk]), {
        "course": courses["insulin"].pk, "completed_on": "2999-01-01"})
    assert "Fullføringsdatoen kan ikke være fram i tid." in response.content.decode()


def test_other_districts_employees_answer_404(client, courses, make_user, leder_sagene):
    other = make_user("planlegger.alna", "planner", "alna").employee
    client.force_login(leder_sagene)
    assert client.get(reverse("training:employee", args=[other.pk])).status_code == 404
    assert client.get(f"/api/v1/training/employees/{other.pk}").status_code == 404


def test_analysts_see_aggregates_only(client, courses, nurse, analytiker, admin_user):
    client.force_login(analytiker)
    page = client.get(reverse("training:overview")).content.decode()
    assert "Sagene" in page and str(nurse) not in page
    assert client.get(reverse("training:employee", args=[nurse.pk])).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse("training:overview")).status_code == 403
    assert client.get(reverse("training:courses")).status_code == 200


def test_carers_see_their_own(client, courses, pleier_alna_1):
    client.force_login(pleier_alna_1)
    page = client.get(reverse("training:mine")).content.decode()
    assert "Insulinbehandling" in page  # required for nurses, not completed


def test_api_records_and_validates(client, courses, nurse, leder_sagene):
    client.force_login(leder_sagene)
    response = client.post("/api/v1/training/completions", {
        "employee": nurse.pk, "course": "wound", "completed_on": services.today().isoformat()},
        content_type="application/json")
    assert response.status_code == 201
    assert "wound_care" in response.json()["qualifications"]
    response = client.post("/api/v1/training/completions", {
        "employee": nurse.pk, "course": "wound", "completed_on": services.today().isoformat()},
        content_type="application/json")
    assert response.status_code == 422 and "completed_on" in response.json()["errors"]
    response = client.post("/api/v1/training/completions", {
        "employee": nurse.pk, "course": "wound", "completed_on": "igår"},
        content_type="application/json")
    assert response.status_code == 422
    coverage = client.get("/api/v1/training/coverage").json()
    assert next(r for r in coverage if r["district"] == "sagene")["carers"] == 1
