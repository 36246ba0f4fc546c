from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkwearConfig(AppConfig):
    name = "tillit.workwear"
    verbose_name = _("Workwear")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Workwear"), "workwear:overview", frozenset(
            {Role.DISTRICT_MANAGER, Role.PLANNER, Role.ANALYST, Role.SYSTEM_ADMIN})))
