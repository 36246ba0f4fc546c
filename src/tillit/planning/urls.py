"""The planner's pages, under /planlegging/."""

from django.urls import path

from tillit.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("planer/<int:plan_id>/status/", views.plan_status, name="plan_status"),
    path("team/<int:team_id>/nodliste/<str:day>/", views.emergency_list, name="emergency"),
    path("team/<int:team_id>/<str:day>/<str:shift>/", views.board, name="board"),
    path("team/<int:team_id>/<str:day>/<str:shift>/flytt/", views.move, name="move"),
    path("team/<int:team_id>/<str:day>/<str:shift>/laas/", views.lock, name="lock"),
    path("team/<int:team_id>/turnus/", views.roster, name="roster"),
    path("team/<int:team_id>/fravaer/", views.absences, name="absences"),
]
