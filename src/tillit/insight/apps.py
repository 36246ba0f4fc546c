from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "tillit.insight"
    verbose_name = _("Insight")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("One city, equal help"), "insight:equal_help",
                         frozenset({Role.ANALYST, Role.DISTRICT_MANAGER})))
        register(NavItem(_("Trust pilot"), "insight:pilot",
                         frozenset({Role.ANALYST, Role.DISTRICT_MANAGER})))
