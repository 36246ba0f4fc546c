from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "tillit.access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from tillit.access import admin_guard, navigation
        from tillit.access.policy import AUTHENTICATED, PUBLIC, declare_url_policy

        admin_guard.guard_person_level_admins()
        navigation.register_pages()
        # Library views in tillit.web that cannot carry @policy.
        declare_url_policy("login", PUBLIC)
        declare_url_policy("logout", AUTHENTICATED)
        declare_url_policy("start", AUTHENTICATED)
        # OpenID Connect (only routed when TILLIT_OIDC_CLIENT_ID is set).
        declare_url_policy("oidc_authentication_init", PUBLIC)
        declare_url_policy("oidc_authentication_callback", PUBLIC)
        declare_url_policy("oidc_logout", AUTHENTICATED)
