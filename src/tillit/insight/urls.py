from django.urls import path

from tillit.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.equal_help_page, name="equal_help"),
    path("saksbehandlingstid/", views.processing_page, name="processing"),
    path("leverandorer/", views.providers_page, name="providers"),
    path("lederspenn/", views.span_page, name="span"),
    path("tillitspilot/", views.pilot_page, name="pilot"),
    path("tillitspilot/rapport/", views.council_report, name="council_report"),
    path("tillitspilot/ny/", views.pilot_new, name="pilot_new"),
    path("tillitspilot/<int:pk>/avslutt/", views.pilot_end, name="pilot_end"),
    path("tillitspilot/undersokelse/", views.survey_new, name="survey_new"),
]
