"""The intake, under /henvendelser/."""

from django.urls import path

from tillit.inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.inquiry_list, name="list"),
    path("forfalte/", views.overdue, name="overdue"),
    path("ny/", views.inquiry_new, name="new"),
    path("<int:pk>/", views.inquiry_detail, name="detail"),
    path("foresporsler/", views.requests, name="requests"),
    path("foresporsler/<int:pk>/", views.request_detail, name="request"),
]
