from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DaylistConfig(AppConfig):
    name = "tillit.daylist"
    verbose_name = _("Day lists and visit reports")

    def ready(self) -> None:
        from tillit.access.scopes import set_carer_clients
        from tillit.accounts.models import Role
        from tillit.daylist.scope import clients_on_day_lists
        from tillit.web.navigation import NavItem, register

        set_carer_clients(clients_on_day_lists)
        register(NavItem(_("Day list"), "daylist:page", frozenset({Role.CARER})))
        register(NavItem(_("Team today"), "daylist:team",
                         frozenset({Role.PLANNER, Role.DISTRICT_MANAGER})))
        register(NavItem(_("Revision proposals"), "daylist:proposals",
                         frozenset({Role.CASE_HANDLER})))
