from django.urls import path

from tillit.clients import views

app_name = "clients"

urlpatterns = [
    path("brukere/", views.client_list, name="list"),
    path("brukere/ny/", views.client_new, name="new"),
    path("brukere/<int:client_id>/", views.client_detail, name="detail"),
]
