from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "tillit.planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Day plan"), "planning:index",
                         frozenset({Role.PLANNER, Role.DISTRICT_MANAGER})))
