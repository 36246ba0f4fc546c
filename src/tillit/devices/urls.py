"""Assistive devices, under /hjelpemidler/."""

from django.urls import path

from tillit.devices import views

app_name = "devices"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("brukere/<int:client_id>/", views.client_devices, name="client"),
    path("utlan/<int:pk>/retur/", views.loan_return, name="return"),
    path("utlan/<int:pk>/service/", views.loan_service, name="service"),
    path("bestillinger/<int:pk>/avslag/", views.request_reject, name="reject"),
]
