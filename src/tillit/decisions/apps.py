from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_reference(sender, apps=None, **kwargs) -> None:
    """After migrate and after flush (which re-emits post_migrate, e.g. when
    the demo city is rebuilt): the IPLOS set and the service types."""
    from django.apps import apps as global_apps

    from tillit.decisions import reference

    apps = apps or global_apps
    try:
        iplos = apps.get_model("decisions", "IplosDefinition")
        service = apps.get_model("decisions", "ServiceType")
    except LookupError:
        return
    reference.load(iplos, service)


class DecisionsConfig(AppConfig):
    name = "tillit.decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Case work"), "decisions:worklist", frozenset({Role.CASE_HANDLER})))
        register(NavItem(_("My cases"), "decisions:mine", frozenset({Role.CASE_HANDLER})))
        register(NavItem(_("Deadlines"), "decisions:overdue", frozenset({Role.CASE_HANDLER})))
        register(NavItem(_("Care block overrides"), "decisions:overrides",
                         frozenset({Role.ANALYST})))
        register(NavItem(_("Decisions in figures"), "decisions:statistics",
                         frozenset({Role.ANALYST})))
        post_migrate.connect(_load_reference, sender=self,
                             dispatch_uid="tillit.decisions.reference")
