"""URL configuration: pages, admin and the REST API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tillit.web.urls")),
    path("saksbehandling/", include("tillit.decisions.urls")),
    path("planlegging/", include("tillit.planning.urls")),
    path("", include("tillit.clients.urls")),
    path("", include("tillit.audit.urls")),
    path("", include("tillit.access.urls")),
    path("", include("tillit.api.urls")),
]

if settings.OIDC_ENABLED:  # optional OpenID Connect login (README: "OpenID Connect")
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
