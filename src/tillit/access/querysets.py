"""Querysets for person-level models: `Model.objects.visible_to(user)`.

A model with a foreign key (or a path) to Client uses the mixin and names the
path in `client_field`:

    class DecisionQuerySet(PersonScopedQuerySet):
        client_field = "client"           # e.g. "decision__client" one hop further

    class Decision(models.Model):
        objects = DecisionQuerySet.as_manager()

    Decision.objects.visible_to(request.user)   # lists and single objects alike

The rules live in `tillit.access.scopes`; nothing here decides on its own.
"""

from __future__ import annotations

import datetime as dt

from django.db import models


class PersonScopedQuerySet(models.QuerySet):
    client_field = "client"

    def visible_to(self, user, at: dt.datetime | None = None) -> PersonScopedQuerySet:
        from tillit.access.scopes import visible_items

        return visible_items(user, self, client_field=self.client_field, at=at)


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user, at: dt.datetime | None = None) -> ClientQuerySet:
        from tillit.access.scopes import visible_clients

        return self.filter(pk__in=visible_clients(user, at).values("pk"))
