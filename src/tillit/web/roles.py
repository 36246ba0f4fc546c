"""What each role can do, as shown on its start page: every card is a link
to a page the role can open (`web/tests/test_start_page.py` checks each)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import Role


@dataclass(frozen=True)
class Capability:
    title: str | Promise
    description: str | Promise
    url_name: str
    url_kwargs: dict[str, str] = field(default_factory=dict)

    def url(self) -> str | None:
        try:
            return reverse(self.url_name, kwargs=self.url_kwargs or None)
        except NoReverseMatch:
            return None


CAPABILITIES: dict[str, list[Capability]] = {
    Role.SYSTEM_ADMIN: [
        Capability(
            _("Organisation"), _("Maintain districts, units, teams, providers and employees."),
            "admin:app_list", {"app_label": "organisation"},
        ),
        Capability(_("Users and roles"), _("Give people access with the right role and district."),
                   "admin:accounts_user_changelist"),
    ],
    Role.CASE_HANDLER: [
        Capability(_("Applications"), _("Register applications and follow their processing time."),
                   "decisions:worklist"),
        Capability(_("My cases"), _("Assess needs (IPLOS 1–5) and decide help by need in the "
                                    "cases assigned to you."), "decisions:mine"),
        Capability(_("Deadlines"), _("Cases past their deadline or close to it."),
                   "decisions:overdue"),
    ],
    Role.DISTRICT_MANAGER: [
        Capability(_("The district's clients"), _("Everything person-level in your district."),
                   "clients:list"),
        Capability(_("Staffing by need"), _("Required staff and competence against rosters."),
                   "staffing:home"),
    ],
    Role.PLANNER: [
        Capability(
            _("Day plan"), _("Group the day's visits per carer, and re-plan when someone is ill."),
            "planning:index",
        ),
        Capability(_("Visit reports"), _("Today's visits per carer: what is done, and where the "
                                         "time did not fit."), "daylist:team"),
    ],
    Role.CARER: [
        Capability(_("My day list"), _("Today's visits with their time windows, on your phone. "
                                       "One tap: done, and whether the time fitted."),
                   "daylist:page"),
        Capability(_("My training"), _("Your courses and qualifications."), "training:mine"),
    ],
    Role.ANALYST: [
        Capability(
            _("One city, equal help"),
            _("Compare districts for the same needs, with small counts suppressed."),
            "insight:equal_help",
        ),
    ],
}


def capabilities_for(role: str) -> list[Capability]:
    return CAPABILITIES.get(role, [])


def start_cards(role: str) -> list[dict[str, object]]:
    """The start page's cards for `role`: title, text and link."""
    cards = []
    for capability in capabilities_for(role):
        url = capability.url()
        if url is not None:
            cards.append({"title": capability.title, "description": capability.description,
                          "url": url})
    return cards
