from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "tillit.staffing"
    verbose_name = _("Staffing by need")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Staffing by need"), "staffing:home",
                         frozenset({Role.DISTRICT_MANAGER, Role.PLANNER, Role.ANALYST})))
