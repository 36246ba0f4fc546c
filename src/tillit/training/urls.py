"""Training and competence pages, under /kompetanse/."""

from django.urls import path

from tillit.training import views

app_name = "training"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("kurs/", views.courses, name="courses"),
    path("mine/", views.mine, name="mine"),
    path("ansatte/<int:pk>/", views.employee, name="employee"),
]
