"""Access rules of needs-based staffing, named for `@policy(...)`.

- `staffing.view`: the staffing pages and API. District managers and
  planners see their own district (other districts answer 404), with the
  person-level lists (clients without a responsible nurse) logged as reads;
  the analyst sees every district and the city as aggregates, counts of
  persons under 5 suppressed. Carers and case handlers have no access.
- `staffing.view_city`: the city page, every district side by side: the
  analyst only.
- `staffing.set_situation`: set a client's care situation and responsible
  nurse: nurses (carers and planners whose employee record is a nurse) and
  district managers; which clients is always `visible_clients(user)`.
"""

from __future__ import annotations

import rules

from tillit.access.rules import is_analyst, is_carer, is_district_manager, is_planner


@rules.predicate
def is_nurse(user) -> bool:
    employee = getattr(user, "employee", None) if getattr(user, "pk", None) else None
    return bool(employee is not None and employee.competence == "nurse")


rules.add_rule("staffing.view", is_district_manager | is_planner | is_analyst)
rules.add_rule("staffing.view_city", is_analyst)
rules.add_rule("staffing.set_situation", is_district_manager | ((is_carer | is_planner) & is_nurse))
