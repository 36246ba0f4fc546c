"""Workwear, under /arbeidstoy/."""

from django.urls import path

from tillit.workwear import views

app_name = "workwear"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("bydel/", views.district, name="district"),
    path("bestillinger/<int:pk>/lever/", views.deliver, name="deliver"),
    path("utlevert/<int:pk>/retur/", views.issue_return, name="return"),
]
