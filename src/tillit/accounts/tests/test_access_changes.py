"""The system administrator cannot give anyone, itself included, a role or
district in the admin, nor reset a password there (issue #10, finding 6):
role and access changes need a second administrator; passwords are reset on
the server; every step is logged."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient

from tillit.accounts.models import AccessChange, Role, User
from tillit.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def change_form_data(http: HttpClient, user: User) -> dict[str, str]:
    """The user's admin change form as a browser would send it back."""
    page = http.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]+>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data[name[1]] = "on"
            continue
        data[name[1]] = value[1] if value else ""
    return data


def test_the_admin_cannot_give_itself_a_clinical_role(admin_user, city) -> None:
    from tillit.organisation.models import District

    http = browser(admin_user)
    data = change_form_data(http, admin_user)
    sagene = District.objects.get(slug="sagene")
    data.update({"role": Role.DISTRICT_MANAGER, "district": str(sagene.pk),
                 "is_superuser": "on", "_save": "Lagre"})
    response = http.post(f"/admin/accounts/user/{admin_user.pk}/change/", data)
    assert response.status_code == 302  # the form was valid and saved ...
    admin_user.refresh_from_db()
    assert admin_user.role == Role.SYSTEM_ADMIN  # ... without the access fields
    assert admin_user.district_id is None and not admin_user.is_superuser


def test_the_admin_cannot_reset_a_password(admin_user, leder_sagene) -> None:
    http = browser(admin_user)
    url = f"/admin/accounts/user/{leder_sagene.pk}/password/"
    response = http.post(url, {"password1": "nytt-passord-123456", "usable_password": "true",
                               "password2": "nytt-passord-123456"})
    assert response.status_code == 302
    leder_sagene.refresh_from_db()
    assert leder_sagene.check_password(PASSWORD)


def test_a_role_change_needs_a_second_administrator(admin_user, make_user, city) -> None:
    from tillit.organisation.models import District

    colleague = make_user("admin2", Role.SYSTEM_ADMIN, is_staff=True)
    sagene = District.objects.get(slug="sagene")
    http = browser(admin_user)
    response = http.post("/admin/accounts/accesschange/add/", {
        "user": admin_user.pk, "role": Role.DISTRICT_MANAGER, "district": sagene.pk,
        "note": "Vikar som leder"})
    assert response.status_code == 302
    change = AccessChange.objects.get()
    assert change.state == AccessChange.State.PENDING and change.requested_by == admin_user
    admin_user.refresh_from_db()
    assert admin_user.role == Role.SYSTEM_ADMIN

    # The asker (and the user changed) cannot approve.
    http.post("/admin/accounts/accesschange/", {"action": "approve",
                                                "_selected_action": [change.pk]})
    change.refresh_from_db()
    admin_user.refresh_from_db()
    assert change.state == AccessChange.State.PENDING and admin_user.role == Role.SYSTEM_ADMIN

    browser(colleague).post("/admin/accounts/accesschange/", {
        "action": "approve", "_selected_action": [change.pk]})
    change.refresh_from_db()
    admin_user.refresh_from_db()
    assert change.state == AccessChange.State.APPROVED and change.decided_by == colleague
    assert admin_user.role == Role.DISTRICT_MANAGER and admin_user.district == sagene
    assert not admin_user.has_usable_password()  # the asker may have known it
    assert change.previous["role"] == Role.SYSTEM_ADMIN


def test_an_ill_fitting_district_is_a_field_error(admin_user, make_user, city) -> None:
    target = make_user("ny.ansatt", "")
    response = browser(admin_user).post("/admin/accounts/accesschange/add/", {
        "user": target.pk, "role": Role.PLANNER, "note": ""})
    assert response.status_code == 200 and not AccessChange.objects.exists()


def test_password_reset_on_the_server_is_logged(leder_sagene) -> None:
    out = io.StringIO()
    call_command("reset_password", "leder.sagene", "--operator", "drift.ola", stdout=out)
    password = out.getvalue().strip().rsplit(" ", 1)[-1]
    leder_sagene.refresh_from_db()
    assert leder_sagene.check_password(password) and not leder_sagene.check_password(PASSWORD)
    row = AccessChange.objects.get(kind=AccessChange.Kind.PASSWORD)
    assert row.user == leder_sagene and "drift.ola" in row.note
