"""Pages of the purchaser office, under /saksbehandling/."""

from django.urls import path

from tillit.decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("mine/", views.my_cases, name="mine"),
    path("frister/", views.overdue, name="overdue"),
    path("eksport/<str:fmt>/", views.worklist_export, name="worklist_export"),
    path("revurderinger/apne-forfalte/", views.open_reviews, name="open_reviews"),
    path("overstyringer/", views.overrides, name="overrides"),
    path("statistikk/", views.statistics, name="statistics"),
    path("soknader/ny/", views.application_new, name="application_new"),
    path("soknader/<int:pk>/", views.application_detail, name="application"),
    path("soknader/<int:pk>/forelopig-svar/", views.interim_reply, name="interim_reply"),
    path("soknader/<int:pk>/forelopig-svar/brev/", views.interim_letter, name="interim_letter"),
    path("soknader/<int:pk>/trekk/", views.withdraw, name="withdraw"),
    path("soknader/<int:pk>/tildel/", views.application_assign, name="application_assign"),
    path("soknader/<int:pk>/notater/", views.note_add, name="note_add"),
    path("soknader/<int:pk>/vedlegg/", views.attachment_add, name="attachment_add"),
    path("vedlegg/<int:pk>/", views.attachment_download, name="attachment"),
    path("soknader/<int:pk>/kartlegging/", views.assessment_new, name="assessment_new"),
    path("soknader/<int:pk>/vedtak/", views.decision_new, name="decision_new"),
    path("kartlegginger/<int:pk>/", views.assessment_detail, name="assessment"),
    path("vedtak/<int:pk>/", views.decision_detail, name="decision"),
    path("vedtak/<int:pk>/brev/", views.decision_letter, name="letter"),
    path("vedtak/<int:pk>/revurdering/", views.reassessment_open, name="reassessment_open"),
    path("revurderinger/<int:pk>/", views.reassessment_detail, name="reassessment"),
    path("revurderinger/<int:pk>/tildel/", views.reassessment_assign,
         name="reassessment_assign"),
    path("brukere/<int:client_id>/", views.client_cases, name="client"),
]
