"""The admin site holds configuration, not clinical content.

Person-level models (Client and every model with a foreign key to it) get
no admin permissions at all, not even for superusers, unless the setting
`TILLIT_ADMIN_CLINICAL_ACCESS` is on. The admin site itself is for system
administrators (policy `ADMIN`, enforced by the access middleware).
"""

from __future__ import annotations

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


def _deny(*args: object, **kwargs: object) -> bool:
    return bool(getattr(settings, "TILLIT_ADMIN_CLINICAL_ACCESS", False))


def guard_person_level_admins(site: admin.AdminSite = admin.site) -> None:
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
