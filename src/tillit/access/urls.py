from django.urls import path

from tillit.access import views

app_name = "access"

urlpatterns = [
    path("nodtilgang/", views.break_glass, name="break_glass"),
    path("nodtilgang/oppfolging/", views.follow_up_list, name="follow_up"),
    path("nodtilgang/<int:grant_id>/fulgt-opp/", views.follow_up, name="follow_up_done"),
    path("brukere/<int:client_id>/sperringer/", views.blocks, name="blocks"),
    path(
        "brukere/<int:client_id>/sperringer/<int:block_id>/opphev/",
        views.lift_block,
        name="lift_block",
    ),
]
