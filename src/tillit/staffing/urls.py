from django.urls import path

from tillit.staffing import views

app_name = "staffing"

urlpatterns = [
    path("", views.home, name="home"),
    path("by/", views.city, name="city"),
    path("bydel/<slug:slug>/", views.district, name="district"),
    path("bydel/<slug:slug>/team/<int:team_id>/", views.team, name="team"),
    path("brukere/<int:client_id>/", views.client_situation, name="client"),
]
