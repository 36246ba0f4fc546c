from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "tillit.projects"
    verbose_name = _("Projects and pilots")

    def ready(self) -> None:
        from tillit.accounts.models import Role
        from tillit.web.navigation import NavItem, register

        register(NavItem(_("Projects and pilots"), "projects:list", frozenset(Role.values)))
