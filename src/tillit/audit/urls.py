from django.urls import path

from tillit.audit import views

app_name = "audit"

urlpatterns = [
    path("tilgangslogg/eksport.csv", views.district_access_log_csv, name="district_export"),
    path("brukere/<int:client_id>/innsyn/", views.client_access_log, name="client_access_log"),
    path(
        "brukere/<int:client_id>/innsyn.csv",
        views.client_access_log_csv,
        name="client_access_log_csv",
    ),
]
