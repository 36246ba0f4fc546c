"""URL configuration: pages, admin and the REST API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tillit.web.urls")),
    path("saksbehandling/", include("tillit.decisions.urls")),
    path("innsikt/", include("tillit.insight.urls")),
    path("planlegging/", include("tillit.planning.urls")),
    path("", include("tillit.clients.urls")),
    path("", include("tillit.audit.urls")),
    path("", include("tillit.access.urls")),
    path("", include("tillit.api.urls")),
    path("", include("tillit.daylist.urls")),
    path("bemanning/", include("tillit.staffing.urls")),
    path("rutiner/", include("tillit.routines.urls")),
    path("kompetanse/", include("tillit.training.urls")),
    path("henvendelser/", include("tillit.inquiries.urls")),
    path("prosjekter/", include("tillit.projects.urls")),
    path("hjelpemidler/", include("tillit.devices.urls")),
    path("arbeidstoy/", include("tillit.workwear.urls")),
]

if settings.OIDC_ENABLED:  # optional OpenID Connect login (README: "OpenID Connect")
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
