from django.urls import path

from tillit.audit import views

app_name = "audit"

urlpatterns = [
    path("brukere/<int:client_id>/innsyn/", views.client_access_log, name="client_access_log"),
    path(
        "brukere/<int:client_id>/innsyn.csv",
        views.client_access_log_csv,
        name="client_access_log_csv",
    ),
]
