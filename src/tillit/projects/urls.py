"""The project register, under /prosjekter/."""

from django.urls import path

from tillit.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("ny/", views.project_new, name="new"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/endre/", views.project_edit, name="edit"),
    path("dokumenter/<int:pk>/", views.document, name="document"),
]
