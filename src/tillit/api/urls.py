"""`/api/v1/` URL patterns. Each operation carries its own policy; the
OpenAPI document is public (it names no data)."""

from __future__ import annotations

from django.urls import include, path

from tillit.access.policy import API_OPERATIONS, PUBLIC
from tillit.api.api import api


def _patterns() -> list:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        pattern.callback.tillit_policy = (
            PUBLIC if pattern.name == "openapi-json" else API_OPERATIONS
        )
    return patterns


urlpatterns = [path("api/v1/", include((_patterns(), "ninja"), namespace=api.urls_namespace))]
