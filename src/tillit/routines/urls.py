"""Pages for city-wide routines, under /rutiner/."""

from django.urls import path

from tillit.routines import views

app_name = "routines"

urlpatterns = [
    path("", views.routine_list, name="list"),
    path("etterlevelse/", views.compliance, name="compliance"),
    path("ny/", views.routine_new, name="new"),
    path("<int:pk>/", views.routine_detail, name="detail"),
    path("<int:pk>/ny-versjon/", views.version_new, name="version_new"),
    path("svar/<int:pk>/", views.answer, name="answer"),
    path("versjoner/<int:pk>/dokument/", views.document, name="document"),
]
