from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "tillit.decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Case work"), "decisions:worklist", frozenset({Role.CASE_HANDLER})))
        register(NavItem(_("Deadlines"), "decisions:overdue", frozenset({Role.CASE_HANDLER})))
        register(NavItem(_("Care block overrides"), "decisions:overrides",
                         frozenset({Role.ANALYST})))
