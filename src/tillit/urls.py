"""URL configuration: pages, admin and the REST API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tillit.web.urls")),
    path("saksbehandling/", include("tillit.decisions.urls")),
    path("", include("tillit.clients.urls")),
    path("", include("tillit.audit.urls")),
    path("", include("tillit.access.urls")),
    path("", include("tillit.api.urls")),
]
