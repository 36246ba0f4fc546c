"""Which staffing scope a user may look at, decided in one place for the
pages and the API.

- district managers and planners: their own district and its teams; any
  other district, team or the city answers 404 (nothing leaks whether it
  exists);
- the analyst: the city, every district and team, as aggregates with
  person counts under 5 suppressed (`aggregated` is True);
- everyone else has been refused by the `staffing.view` policy already.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from tillit.accounts.models import Role
from tillit.organisation.models import District, Team
from tillit.staffing.figures import Scope


@dataclass(frozen=True)
class Allowed:
    scope: Scope
    aggregated: bool  # True: no person-level data, small counts suppressed


def is_city_wide(user) -> bool:
    return user.role == Role.ANALYST


def home_district(user) -> District | None:
    return None if is_city_wide(user) else user.district


def allowed_scope(user, district_slug: str | None = None, team_id: object = None) -> Allowed:
    aggregated = is_city_wide(user)
    if not district_slug:
        if aggregated:
            return Allowed(Scope(), True)
        raise Http404("Not found.")
    district = District.objects.filter(slug=district_slug).first()
    if district is None or (not aggregated and district.pk != user.district_id):
        raise Http404("Not found.")
    if team_id is None:
        return Allowed(Scope(district=district), aggregated)
    try:
        team = Team.objects.get(pk=int(team_id), district=district)  # type: ignore[arg-type]
    except (Team.DoesNotExist, TypeError, ValueError):
        raise Http404("Not found.") from None
    return Allowed(Scope(district=district, team=team), aggregated)
