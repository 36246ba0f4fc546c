"""Pages of day lists, care plans, frame changes and revision proposals."""

from django.urls import path

from tillit.daylist import views

app_name = "daylist"

urlpatterns = [
    path("dagliste/", views.day_list_page, name="page"),
    path("dagliste/sw.js", views.service_worker, name="service_worker"),
    path("dagliste/besok/<int:visit_id>/rapport/", views.report_form, name="report"),
    path("dagliste/team/", views.team_page, name="team"),
    path("dagliste/team/framdrift/", views.team_progress, name="team_progress"),
    path("brukere/<int:client_id>/tiltaksplan/", views.care_plan_page, name="care_plan"),
    path("brukere/<int:client_id>/innenfor-rammen/", views.frame_page, name="frame"),
    path("revisjonsforslag/", views.proposals_page, name="proposals"),
    path("revisjonsforslag/<int:pk>/godta/", views.proposal_accept, name="proposal_accept"),
    path("revisjonsforslag/<int:pk>/avvis/", views.proposal_dismiss, name="proposal_dismiss"),
]
