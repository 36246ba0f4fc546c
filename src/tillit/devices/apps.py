from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "tillit.devices"
    verbose_name = _("Assistive devices")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Assistive devices"), "devices:overview", frozenset(Role.values)))
