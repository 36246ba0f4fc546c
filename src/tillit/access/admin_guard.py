"""The admin site holds configuration, not clinical content.

Person-level models (Client and every model with a foreign key to it) get
no admin permissions at all, not even for superusers, unless the setting
`TILLIT_ADMIN_CLINICAL_ACCESS` is on. The admin site itself is for system
administrators (policy `ADMIN`, enforced by the access middleware), who may
maintain every other registered model.
"""

from __future__ import annotations

import rules
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models


def person_level_models() -> set[type[models.Model]]:
    client = apps.get_model("clients", "Client")
    found = {client}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one and field.related_model is client:
                found.add(model)
    return found


ADMIN_ACTIONS = ("view", "add", "change", "delete")


@rules.predicate
def is_staff_system_admin(user) -> bool:
    from tillit.accounts.models import Role

    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.is_staff
        and user.role == Role.SYSTEM_ADMIN
    )


def grant_configuration_permissions(site: admin.AdminSite = admin.site) -> None:
    """System administrators maintain every registered model that is not
    person-level (organisation, users, login attempts): `rules` permissions,
    so no per-user permission rows are needed. The app's module permission
    too, or the admin index and app pages would show them nothing (a
    person-level model's admin still refuses its module itself)."""
    person_level = person_level_models()
    for model in site._registry:
        if model in person_level:
            continue
        if not rules.perm_exists(model._meta.app_label):
            rules.add_perm(model._meta.app_label, is_staff_system_admin)
        for action in ADMIN_ACTIONS:
            name = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
            if not rules.perm_exists(name):
                rules.add_perm(name, is_staff_system_admin)


def is_person_level_admin_url(url_name: str | None) -> bool:
    """An admin URL of a person-level model (e.g. `clients_client_history`),
    refused outright by the access middleware unless the setting allows it:
    not even whether an object exists is revealed."""
    if not url_name or getattr(settings, "TILLIT_ADMIN_CLINICAL_ACCESS", False):
        return False
    labels = [f"{m._meta.app_label}_{m._meta.model_name}_" for m in person_level_models()]
    return any(url_name.startswith(label) for label in labels)


def _deny(*args: object, **kwargs: object) -> bool:
    return bool(getattr(settings, "TILLIT_ADMIN_CLINICAL_ACCESS", False))


def guard_person_level_admins(site: admin.AdminSite = admin.site) -> None:
    grant_configuration_permissions(site)
    person_level = person_level_models()
    for model, model_admin in site._registry.items():
        if model in person_level:
            for name in (
                "has_module_permission",
                "has_view_permission",
                "has_add_permission",
                "has_change_permission",
                "has_delete_permission",
            ):
                setattr(model_admin, name, _deny)
