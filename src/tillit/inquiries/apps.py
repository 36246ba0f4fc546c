from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "tillit.inquiries"
    verbose_name = _("Inquiries")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Inquiries"), "inquiries:list", frozenset(
            {Role.CASE_HANDLER, Role.PLANNER, Role.DISTRICT_MANAGER, Role.CARER})))
        register(NavItem(_("Requests"), "inquiries:requests", frozenset(Role.values)))
