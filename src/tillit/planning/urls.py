"""The planner's pages, under /planlegging/."""

from django.urls import path

from tillit.planning import absence_views, replan_views, views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("planer/<int:plan_id>/status/", views.plan_status, name="plan_status"),
    path("team/<int:team_id>/nodliste/<str:day>/", views.emergency_list, name="emergency"),
    path("team/<int:team_id>/<str:day>/<str:shift>/", views.board, name="board"),
    path("team/<int:team_id>/<str:day>/<str:shift>/flytt/", views.move, name="move"),
    path("team/<int:team_id>/<str:day>/<str:shift>/laas/", views.lock, name="lock"),
    path("planer/<int:plan_id>/endringer/", replan_views.changes, name="changes"),
    path("team/<int:team_id>/<str:day>/<str:shift>/planlegg/", replan_views.queue_plan,
         name="queue_plan"),
    path("team/<int:team_id>/<str:day>/<str:shift>/syk/", replan_views.mark_ill,
         name="mark_ill"),
    path("team/<int:team_id>/<str:day>/<str:shift>/planlegg-resten/", replan_views.replan,
         name="replan"),
    path("team/<int:team_id>/<str:day>/<str:shift>/nytt-besok/", replan_views.add_visit,
         name="add_visit"),
    path("team/<int:team_id>/turnus/", views.roster, name="roster"),
    path("team/<int:team_id>/fravaer/", absence_views.absences, name="absences"),
    path("team/<int:team_id>/fravaer/<int:absence_id>/avlys/", absence_views.cancel_absence,
         name="cancel_absence"),
]
