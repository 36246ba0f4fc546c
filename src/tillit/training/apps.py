from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "tillit.training"
    verbose_name = _("Training and competence")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Competence"), "training:overview", frozenset(
            {Role.DISTRICT_MANAGER, Role.PLANNER, Role.ANALYST})))
        register(NavItem(_("My training"), "training:mine", frozenset({Role.CARER})))
        register(NavItem(_("Courses"), "training:courses", frozenset(
            {Role.SYSTEM_ADMIN, Role.CASE_HANDLER})))
