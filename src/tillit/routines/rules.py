"""Access rules for city-wide routines, named for `@policy(...)`.

Routines hold no person data.

- `routines.read`: every signed-in role reads routines and the compliance
  overview (one city: what one district answers, the others may see).
- `routines.publish`: the city level publishes and revises routines: the
  system administrator (on behalf of an agency) and city-wide case handlers
  (the central purchaser office is an agency).
- `routines.answer`: district managers acknowledge and report for their
  district and its units; planners (team leaders) for their district's
  units. *Which* rows is `services.may_answer`.
"""

from __future__ import annotations

import rules

from tillit.access.rules import (
    is_authenticated,
    is_case_handler,
    is_district_manager,
    is_planner,
    is_system_admin,
)


@rules.predicate
def is_city_wide(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.district_id is None)


rules.add_rule("routines.read", is_authenticated)
rules.add_rule("routines.publish", is_system_admin | (is_case_handler & is_city_wide))
rules.add_rule("routines.answer", is_district_manager | is_planner)
