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
        self._check_revision_rule()
        self._register_report_provider()
        register(NavItem(_("Day list"), "daylist:page", frozenset({Role.CARER})))
        register(NavItem(_("Team today"), "daylist:team",
                         frozenset({Role.PLANNER, Role.DISTRICT_MANAGER})))
        register(NavItem(_("Revision proposals"), "daylist:proposals",
                         frozenset({Role.CASE_HANDLER})))

    @staticmethod
    def _register_report_provider() -> None:
        """Planning asks which visits have reports through
        `tillit.planning.reports.set_report_provider` (added with the
        planning backend); register ours when that hook is there."""
        try:
            from tillit.planning.reports import set_report_provider
        except ImportError:  # a planning app without the hook: nothing to register
            return
        from tillit.daylist.services import reporters_by_visit

        set_report_provider(reporters_by_visit)

    @staticmethod
    def _check_revision_rule() -> None:
        """A wrong TILLIT_REVISION_RULE stops the start, not a carer's report."""
        from django.core.exceptions import ImproperlyConfigured

        from tillit.daylist.services import thresholds

        try:
            thresholds()
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(f"TILLIT_REVISION_RULE: {exc}") from exc
