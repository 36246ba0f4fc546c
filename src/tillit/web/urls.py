from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from tillit.web import views

urlpatterns = [
    path("", views.start, name="start"),
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(
            template_name="web/login.html",
            redirect_authenticated_user=True,
            extra_context={"oidc_enabled": settings.OIDC_ENABLED},
        ),
        name="login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
]
