"""The access pages in the role navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import Role


def register_pages() -> None:
    from tillit.web.navigation import NavItem, register

    register(NavItem(
        _("Clients"), "clients:list",
        frozenset({Role.CASE_HANDLER, Role.DISTRICT_MANAGER, Role.PLANNER, Role.CARER}),
    ))
    register(NavItem(_("Emergency access"), "access:break_glass", frozenset({Role.CARER, Role.PLANNER})))
    register(NavItem(
        _("Emergency access follow-up"), "access:follow_up", frozenset({Role.DISTRICT_MANAGER}),
    ))
    register(NavItem(
        _("Access log (CSV)"), "audit:district_export", frozenset({Role.DISTRICT_MANAGER}),
    ))
