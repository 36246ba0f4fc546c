"""What each role can do, as shown on its start page and in the navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import Role


@dataclass(frozen=True)
class Capability:
    title: str | Promise
    description: str | Promise


CAPABILITIES: dict[str, list[Capability]] = {
    Role.SYSTEM_ADMIN: [
        Capability(
            _("Organisation"), _("Maintain districts, units, teams, providers and employees.")
        ),
        Capability(_("Users and roles"), _("Give people access with the right role and district.")),
    ],
    Role.CASE_HANDLER: [
        Capability(_("Applications"), _("Register applications and follow their processing time.")),
        Capability(_("Assessments"), _("Assess functional needs (IPLOS 1–5) and care blocks.")),
        Capability(_("Decisions"), _("Decide help by need: visit pattern and guiding minutes.")),
    ],
    Role.DISTRICT_MANAGER: [
        Capability(_("The district's clients"), _("Everything person-level in your district.")),
        Capability(_("Staffing by need"), _("Required staff and competence against rosters.")),
    ],
    Role.PLANNER: [
        Capability(
            _("Day plan"), _("Group the day's visits per carer, and re-plan when someone is ill.")
        ),
        Capability(_("Visit reports"), _("See where time did not fit and propose revisions.")),
    ],
    Role.CARER: [
        Capability(_("My day list"), _("Today's visits with their time windows, on your phone.")),
        Capability(_("Visit reports"), _("One tap: done, and whether the time fitted.")),
    ],
    Role.ANALYST: [
        Capability(
            _("One city, equal help"),
            _("Compare districts for the same needs, with small counts suppressed."),
        ),
    ],
}


def capabilities_for(role: str) -> list[Capability]:
    return CAPABILITIES.get(role, [])
